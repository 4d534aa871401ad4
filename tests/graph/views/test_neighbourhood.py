"""The neighbourhood read from the store is exactly the ego network of the whole graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import NotFound
from graph.views.neighbourhood import neighbourhood
from graph.views.network import NetworkSpec, build_network, ego, select
from tests.sample_graph import PEOPLE, WORKSHOP, build_sample_store

ANA = next(iter(PEOPLE))


@pytest.fixture(scope="module")
def store():
    return build_sample_store()


@pytest.fixture(scope="module")
def whole(store):
    return build_network(store)


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_neighbourhood_equals_the_ego_of_the_whole_network(store, whole, depth):
    for focus in whole:
        _same(neighbourhood(store, focus, depth), ego(whole, focus, depth))


@pytest.mark.parametrize(
    "spec",
    [NetworkSpec(focus=ANA, depth=2, types=("person", "event")),
     NetworkSpec(focus=WORKSHOP, depth=2, since="2024"),
     NetworkSpec(focus=ANA, depth=2, until="2023-12-31", types=("event", "person", "organisation"))],
)
def test_filtered_views_agree_whichever_graph_they_start_from(store, whole, spec):
    _same(select(neighbourhood(store, spec.focus, spec.depth), spec), select(whole, spec))


def test_unknown_or_unrelated_entities_are_not_found(store):
    with pytest.raises(NotFound):
        neighbourhood(store, "person-nobody", 1)
    with pytest.raises(NotFound):
        neighbourhood(store, "not an id!", 1)
