"""Turtle and JSON-LD of a network view (graph.views.subgraph_rdf): the view's triples with the statements and
evidence behind each edge, and no triple of what the view leaves out."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from graph import vocab
from graph.errors import ExportError
from graph.views.network import NetworkSpec, build_network, select
from graph.views.subgraph_rdf import subgraph_triples, view_iris, write_rdf
from tests.helpers.hand_graph import build_hand_store


@pytest.fixture(scope="module")
def store():
    return build_hand_store()


def test_a_view_keeps_its_nodes_relations_and_their_evidence_only(store):
    view = select(build_network(store), NetworkSpec(focus="person-jose-nunez", depth=1))
    triples = subgraph_triples(store, view)
    subjects = {t.subject for t in triples}
    assert vocab.entity_iri("person-jose-nunez") in subjects and vocab.entity_iri("event-opening-session") in subjects
    assert vocab.entity_iri("economy-freedonia") not in subjects  # two steps away
    quotes = {t.object.value for t in triples if t.predicate == NamedNode(vocab.OA + "exact")}
    assert quotes == {"José Núñez of the Ministry of Commerce chaired the Opening Session."}
    assert view_iris(view) == {vocab.entity_iri(n) for n in view.nodes}


def test_turtle_and_json_ld_hold_the_same_triples(store):
    view = select(build_network(store), NetworkSpec(focus="org-example-trade-agency", depth=1))
    expected = set(subgraph_triples(store, view))
    turtle = {q.triple for q in parse(write_rdf(store, view, "ttl"), format=RdfFormat.TURTLE)}
    jsonld = {q.triple for q in parse(write_rdf(store, view, "jsonld"), format=RdfFormat.JSON_LD)}
    assert turtle == expected and len(jsonld) == len(expected)
    assert json.loads(write_rdf(store, view, "jsonld"))


def test_an_unknown_format_is_an_export_error(store):
    with pytest.raises(ExportError, match="unknown RDF format 'rdfxml'"):
        write_rdf(store, build_network(store), "rdfxml")
