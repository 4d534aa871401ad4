"""The network built from the store and its views, on a small hand-built graph (tests/sample_graph.py)."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.errors import NotFound, QueryError
from graph.views.network import (
    NetworkSpec,
    build_network,
    coattendance,
    copartnership,
    ego,
    filter_dates,
    filter_types,
    partnership,
    select,
)
from tests.sample_graph import FORUM, PEOPLE, SESSION, WORKSHOP, build_sample_store

ANA, BO, CLEO, DMITRI, EVA = PEOPLE
AGENCY, BANK, COUNCIL = "org-agency-for-trade-support", "org-coastal-development-bank", "org-small-firms-council"


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return build_network(build_sample_store())


def test_whole_graph_has_every_related_entity_with_type_label_and_dates(network):
    assert set(PEOPLE) | {WORKSHOP, SESSION, FORUM, AGENCY, BANK, COUNCIL} <= set(network)
    assert network.nodes[ANA]["label"] == "Ana Rivera" and network.nodes[ANA]["type"] == "person"
    assert network.nodes[WORKSHOP]["type"] == "event" and network.nodes[WORKSHOP]["date"] == "2024-03-12"
    types = {t for _, t in network.nodes(data="type")}
    assert types == {"person", "organisation", "economy", "initiative", "event", "place"}


def test_edges_carry_predicate_date_and_a_weight_counting_documents(network):
    chaired = network.edges[ANA, WORKSHOP, "chaired"]
    assert chaired == {"predicate": "chaired", "weight": 2, "date": "2024-03-12"}  # stated by both documents
    assert network.edges[BO, WORKSHOP, "spoke_at"]["weight"] == 1
    assert "date" not in network.edges[AGENCY, "initiative-export-ready-programme", "partner_of"]
    # two predicates between the same pair stay two edges (a multigraph)
    assert network.has_edge(ANA, AGENCY, "holds_role_at")


def test_ego_network_follows_edges_both_ways_to_the_given_depth(network):
    one = ego(network, DMITRI, 1)
    assert set(one) == {DMITRI, SESSION}
    two = ego(network, DMITRI, 2)
    assert set(two) == {DMITRI, SESSION, BO, WORKSHOP}
    assert ego(network, DMITRI, 0).number_of_nodes() == 1
    with pytest.raises(NotFound):
        ego(network, "person-nobody", 1)


def test_filter_types_keeps_only_those_types_and_the_focus(network):
    people_events = filter_types(network, ["person", "event"])
    assert {t for _, t in people_events.nodes(data="type")} == {"person", "event"}
    assert not people_events.has_node(AGENCY)
    kept = filter_types(network, ["person"], keep=[WORKSHOP])
    assert WORKSHOP in kept
    with pytest.raises(QueryError):
        filter_types(network, ["dragon"])


def test_filter_dates_drops_events_outside_the_range_and_who_is_left_alone(network):
    only_2024 = filter_dates(network, "2024-01-01", "2024-12-31")
    assert FORUM not in only_2024 and WORKSHOP in only_2024
    assert EVA not in only_2024  # she only attended the 2023 forum
    assert ANA in only_2024
    partial = filter_dates(network, "2023", "2023")
    assert FORUM in partial and WORKSHOP not in partial
    assert filter_dates(network, "2024-03", None).has_node(SESSION)
    with pytest.raises(QueryError):
        filter_dates(network, "March 2024", None)


def test_coattendance_of_people_weights_edges_by_shared_events(network):
    people = coattendance(network, "person")
    assert {t for _, t in people.nodes(data="type")} == {"person"}
    assert people.edges[ANA, CLEO]["weight"] == 2  # workshop and forum
    assert set(people.edges[ANA, CLEO]["events"].split(";")) == {WORKSHOP, FORUM}
    assert people.edges[BO, DMITRI]["weight"] == 1  # the session
    assert not people.has_edge(DMITRI, EVA)


def test_coattendance_of_organisations_counts_their_members_attendance(network):
    orgs = coattendance(network, "organisation")
    assert orgs.edges[AGENCY, BANK]["weight"] == 1  # organised / sponsored the workshop
    assert orgs.has_edge(COUNCIL, BANK)  # the council only through its member's talk
    direct = coattendance(network, "organisation", via_members=False)
    assert not direct.has_node(COUNCIL)


def test_partnership_networks(network):
    bipartite = partnership(network)
    assert {t for _, t in bipartite.nodes(data="type")} == {"organisation", "economy", "initiative"}
    assert nx.is_bipartite(bipartite)
    assert bipartite.degree("initiative-export-ready-programme") == 3
    linked = copartnership(network)
    assert linked.edges[AGENCY, COUNCIL]["weight"] == 1
    assert linked.has_edge("economy-marovia", BANK)
    assert not linked.has_edge("economy-marovia", AGENCY)


def test_select_adds_measures_and_communities_deterministically(network):
    a = select(network, NetworkSpec(view="coattendance", size_by="betweenness"))
    b = select(network, NetworkSpec(view="coattendance", size_by="betweenness"))
    assert nx.get_node_attributes(a, "community") == nx.get_node_attributes(b, "community")
    assert a.nodes[ANA]["degree"] == 3
    # Bo is the only bridge to Dmitri (they share only the session): the highest betweenness
    between = nx.get_node_attributes(a, "betweenness")
    assert max(between, key=between.get) == BO
    assert between[DMITRI] == 0
    assert a.nodes[ANA]["size"] > a.nodes[EVA]["size"]


def test_select_composes_focus_types_and_dates(network):
    view = select(network, NetworkSpec(focus=ANA, depth=1, types=("event",), since="2024"))
    assert set(view) == {ANA, WORKSHOP}
    with pytest.raises(QueryError):
        select(network, NetworkSpec(view="ego"))
    with pytest.raises(NotFound):
        select(network, NetworkSpec(focus="person-nobody"))


@pytest.mark.slow
def test_network_of_the_seed_graph_links_people_to_events(seed_store):
    g = build_network(seed_store)
    assert g.number_of_edges() > 0
    assert any(t == "person" for _, t in g.nodes(data="type"))
    assert any(t == "event" for _, t in g.nodes(data="type"))
