"""One SPARQL request run on a store (graph.sparql.execute): forms, formats, the row cap, guarded features."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Store

from graph.errors import FeatureDisabled, NotAcceptable, QueryError
from graph.sparql.execute import Limits, SparqlRequest, SparqlUpdate, execute, execute_update


@pytest.fixture
def store() -> Store:
    store = Store()
    store.update("INSERT DATA { GRAPH <http://ex.org/g1> { <http://ex.org/a> <http://ex.org/p> 1, 2, 3 } "
                 "GRAPH <http://ex.org/g2> { <http://ex.org/b> <http://ex.org/p> 4 } }")
    return store


def test_select_is_capped_and_says_so(store):
    answer = execute(store, SparqlRequest("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", max_rows=3,
                                          result_types=("application/sparql-results+json",)))
    rows = json.loads(answer.body)["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == ["1", "2", "3"] and answer.truncated and answer.rows == 3


def test_the_first_acceptable_format_is_chosen(store):
    ask = SparqlRequest("ASK { ?s ?p 4 }", result_types=("text/csv", "application/sparql-results+json"))
    answer = execute(store, ask)
    assert answer.media_type == "text/csv" and answer.body.strip().lower() == b"true"
    triples = execute(store, SparqlRequest("CONSTRUCT WHERE { ?s ?p ?o }", graph_types=("application/n-triples",)))
    assert triples.media_type == "application/n-triples" and triples.rows == 4


def test_a_form_without_an_acceptable_format_is_not_acceptable(store):
    with pytest.raises(NotAcceptable, match="SELECT query answers in"):
        execute(store, SparqlRequest("SELECT * WHERE { ?s ?p ?o }", result_types=()))
    with pytest.raises(NotAcceptable, match="CONSTRUCT or DESCRIBE"):
        execute(store, SparqlRequest("CONSTRUCT WHERE { ?s ?p ?o }", graph_types=()))


def test_the_dataset_the_client_names_is_the_default_graph(store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_g2 = execute(store, SparqlRequest(query, result_types=("text/csv",), default_graphs=("http://ex.org/g2",)))
    everything = execute(store, SparqlRequest(query, result_types=("text/csv",)))
    assert only_g2.body.split()[-1] == b"1" and everything.body.split()[-1] == b"4"
    with pytest.raises(QueryError, match="bad graph IRI"):
        execute(store, SparqlRequest(query, default_graphs=("not an iri",)))


def test_a_malformed_query_is_a_query_error_with_the_parsers_message(store):
    with pytest.raises(QueryError):
        execute(store, SparqlRequest("SELECT ?s WHERE { ?s "))


def test_service_and_load_are_refused_unless_allowed(store):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    with pytest.raises(FeatureDisabled, match="SERVICE"):
        execute(store, SparqlRequest(service))
    with pytest.raises(FeatureDisabled, match="LOAD"):
        execute_update(store, SparqlUpdate("LOAD <http://127.0.0.1:1/data.ttl>"))
    with pytest.raises(QueryError, match="port 1"):  # allowed: it runs, and cannot fetch from port 1
        execute_update(store, SparqlUpdate("LOAD <http://127.0.0.1:1/data.ttl>", limits=Limits(allow_load=True)))


def test_answers_are_cut_at_the_byte_cap(store):
    answer = execute(store, SparqlRequest("SELECT ?s ?o WHERE { ?s ?p ?o }", limits=Limits(max_bytes=400)))
    assert len(answer.body) <= 400 and answer.truncated and answer.cap == "max_bytes=400"
    assert 0 < answer.rows < 4


def test_relative_iris_resolve_against_the_base(store):
    answer = execute(store, SparqlRequest("SELECT (<x> AS ?i) WHERE {}", base_iri="http://host/sparql",
                                          result_types=("text/csv",)))
    assert answer.body.split()[-1] == b"http://host/x"


def test_named_graphs_alone_leave_the_default_graph_empty(store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = execute(store, SparqlRequest(query, result_types=("text/csv",), named_graphs=("http://ex.org/g1",)))
    assert answer.body.split()[-1] == b"0"
