"""The SPARQL 1.1 Protocol endpoint: request forms, media types, datasets, errors, updates, limits."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from api.main import create_app
from graph import vocab
from graph.settings import Settings
from graph.store.core import count_quads
from tests.helpers.hand_graph import build_hand_store

PERSONS = ("SELECT ?name WHERE { ?p a <https://w3id.org/msme-kg/ns#Person> ; "
           "<http://www.w3.org/2000/01/rdf-schema#label> ?name }")
HAND_PERSONS = {"Ann Lee", "José Núñez"}
CONSTRUCT = "CONSTRUCT { ?p rdfs:label ?name } WHERE { ?p a msme:Person ; rdfs:label ?name }"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def _names(response) -> set[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return {b["name"]["value"] for b in response.json()["results"]["bindings"]}


# --- request forms ---------------------------------------------------------------------------

@pytest.mark.slow
def test_get_post_form_and_post_direct_agree_on_the_seed_graph(seed_store):
    with TestClient(create_app(store=seed_store)) as client:
        by_get = _names(client.get("/sparql", params={"query": PERSONS}))
        by_form = _names(client.post("/sparql", data={"query": PERSONS}))
        by_direct = _names(client.post("/sparql", content=PERSONS,
                                       headers={"content-type": "application/sparql-query"}))
        assert by_get == by_form == by_direct
        assert len(by_get) > 3
        assert client.get("/health").json()["documents"] == 5


def test_three_request_forms_on_the_hand_graph(hand_client):
    assert _names(hand_client.get("/sparql", params={"query": PERSONS})) == HAND_PERSONS
    assert _names(hand_client.post("/sparql", data={"query": PERSONS})) == HAND_PERSONS
    assert _names(hand_client.post("/sparql", content=PERSONS.encode(),
                                   headers={"content-type": "application/sparql-query; charset=utf-8"})) == HAND_PERSONS


def test_unsupported_content_type_is_415(hand_client):
    response = hand_client.post("/sparql", content=PERSONS, headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_missing_or_duplicate_query_is_400(hand_client):
    assert hand_client.post("/sparql", data={"other": "x"}).status_code == 400
    assert hand_client.get("/sparql?query=ASK{}&query=ASK{}").status_code == 400
    assert hand_client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 400


# --- media types -----------------------------------------------------------------------------

def test_select_as_json_xml_csv_tsv(hand_client):
    def get(accept):
        response = hand_client.get("/sparql", params={"query": PERSONS}, headers={"accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == accept
        return response.text

    assert {b["name"]["value"] for b in json.loads(get("application/sparql-results+json"))["results"]["bindings"]} \
        == HAND_PERSONS
    root = ET.fromstring(get("application/sparql-results+xml"))
    assert {e.text for e in root.iter(f"{RESULTS_NS}literal")} == HAND_PERSONS
    rows = list(csv.reader(io.StringIO(get("text/csv"))))
    assert rows[0] == ["name"] and {r[0] for r in rows[1:]} == HAND_PERSONS
    lines = get("text/tab-separated-values").splitlines()
    assert lines[0] == "?name" and set(lines[1:]) == {f'"{n}"' for n in HAND_PERSONS}


def test_ask_in_every_results_format(hand_client):
    query = "ASK { ?p a msme:Person }"
    for accept, needle in [("application/sparql-results+json", '"boolean":true'),
                           ("application/sparql-results+xml", "<boolean>true</boolean>"),
                           ("text/csv", "true"), ("text/tab-separated-values", "true")]:
        response = hand_client.get("/sparql", params={"query": query}, headers={"accept": accept})
        assert response.status_code == 200 and needle in response.text.replace(" ", ""), (accept, response.text)


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", RdfFormat.TURTLE),
                                             ("application/n-triples", RdfFormat.N_TRIPLES),
                                             ("application/ld+json", RdfFormat.JSON_LD),
                                             ("application/rdf+xml", RdfFormat.RDF_XML)])
def test_construct_in_every_graph_format(hand_client, accept, fmt):
    response = hand_client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == accept
    triples = list(parse(response.content, format=fmt))
    assert {t.object.value for t in triples} == HAND_PERSONS


def test_describe_answers_a_graph(hand_client):
    response = hand_client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/msme-kg/id/person-ann-lee>"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Ann Lee" in response.text


def test_accept_q_values_and_aliases(hand_client):
    response = hand_client.get("/sparql", params={"query": PERSONS},
                               headers={"accept": "text/csv;q=0.4, application/sparql-results+xml;q=0.9, */*;q=0.1"})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    response = hand_client.get("/sparql", params={"query": PERSONS}, headers={"accept": "application/json"})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = hand_client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": browser})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")


def test_406_for_what_cannot_be_given(hand_client):
    assert hand_client.get("/sparql", params={"query": PERSONS}, headers={"accept": "image/png"}).status_code == 406
    only_results = {"accept": "application/sparql-results+json"}
    assert hand_client.get("/sparql", params={"query": CONSTRUCT}, headers=only_results).status_code == 406
    assert hand_client.get("/sparql", params={"query": PERSONS}, headers={"accept": "text/turtle"}).status_code == 406


# --- dataset ---------------------------------------------------------------------------------

def test_default_and_named_graph_uri(hand_client):
    docs = "SELECT ?d WHERE { ?d a msme:Document }"
    union = hand_client.get("/sparql", params={"query": docs}).json()["results"]["bindings"]
    assert len(union) == 1
    only_ontology = {"query": docs, "default-graph-uri": vocab.ONTOLOGY_GRAPH}
    assert hand_client.get("/sparql", params=only_ontology).json()["results"]["bindings"] == []
    doc_graph = vocab.GRAPH + "doc-hand"
    form = {"query": docs, "default-graph-uri": doc_graph}
    assert len(hand_client.post("/sparql", data=form).json()["results"]["bindings"]) == 1
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = hand_client.post("/sparql", content=graphs, params={"named-graph-uri": doc_graph},
                             headers={"content-type": "application/sparql-query"}).json()["results"]["bindings"]
    assert [b["g"]["value"] for b in named] == [doc_graph]
    assert hand_client.get("/sparql", params={"query": docs, "default-graph-uri": "not an iri"}).status_code == 400


# --- errors, service description, limits ----------------------------------------------------

def test_malformed_query_is_400_with_the_parser_message(hand_client):
    response = hand_client.get("/sparql", params={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
    assert "error" in response.json()["detail"] or "expected" in response.json()["detail"]


def test_service_description_on_get_without_query(hand_client):
    response = hand_client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    triples = list(parse(response.content, format=RdfFormat.TURTLE))
    kinds = {t.object.value for t in triples if t.predicate.value.endswith("#type")}
    assert "http://www.w3.org/ns/sparql-service-description#Service" in kinds
    formats = {t.object.value for t in triples if t.predicate.value.endswith("#resultFormat")}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats


def test_row_cap_truncates_and_says_so(hand_store):
    with TestClient(create_app(Settings(max_rows=3), store=hand_store)) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert response.status_code == 200
        assert len(response.json()["results"]["bindings"]) == 3
        assert response.headers["x-result-truncated"] == "max_rows=3"
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                           headers={"accept": "application/n-triples"})
        assert len(graph.text.strip().splitlines()) == 3
        small = client.get("/sparql", params={"query": "SELECT ?d WHERE { ?d a msme:Document }"})
        assert "x-result-truncated" not in small.headers


def test_body_over_the_limit_is_413(hand_store):
    with TestClient(create_app(Settings(max_body_bytes=500), store=hand_store)) as client:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1000
        assert client.post("/sparql", content=big, headers={"content-type": "application/sparql-query"}
                           ).status_code == 413

        def chunks():  # no Content-Length: the limit holds while streaming
            for _ in range(10):
                yield b"#" + b"y" * 99

        streamed = client.post("/sparql", content=chunks(), headers={"content-type": "application/sparql-query"})
        assert streamed.status_code == 413
        assert client.post("/sparql", content="ASK {}", headers={"content-type": "application/sparql-query"}
                           ).status_code == 200


# --- updates, SERVICE and LOAD ---------------------------------------------------------------

INSERT = 'INSERT DATA { GRAPH <https://w3id.org/msme-kg/graph/x> { <http://e/a> <http://e/p> "new" } }'


def test_updates_refused_without_a_token(hand_client, hand_store):
    before = count_quads(hand_store)
    assert hand_client.post("/sparql", data={"update": INSERT}).status_code == 403
    assert hand_client.post("/sparql", content=INSERT, headers={"content-type": "application/sparql-update",
                                                                "authorization": "Bearer anything"}).status_code == 403
    assert count_quads(hand_store) == before


def test_updates_with_the_token_only():
    store = build_hand_store()
    before = count_quads(store)
    with TestClient(create_app(Settings(update_token="s3cret-token"), store=store)) as client:
        update = {"content-type": "application/sparql-update"}
        for refused in (update, {**update, "authorization": "Bearer wrong"},
                        {**update, "authorization": "Basic s3cret-token"}):
            response = client.post("/sparql", content=INSERT, headers=refused)
            assert response.status_code == 401, response.text
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert count_quads(store) == before
        ok = client.post("/sparql", content=INSERT, headers={**update, "authorization": "Bearer s3cret-token"})
        assert ok.status_code == 204
        assert count_quads(store) == before + 1
        form = client.post("/sparql", data={"update": "INSERT DATA { GRAPH <http://g> { <http://a> <http://b> 1 } }"},
                           headers={"authorization": "Bearer s3cret-token"})
        assert form.status_code == 204
        token = {**update, "authorization": "Bearer s3cret-token"}
        bad = client.post("/sparql", content="INSERT DATA {", headers=token)
        assert bad.status_code == 400
        load = client.post("/sparql", content="LOAD <file:///etc/passwd>",
                           headers={**update, "authorization": "Bearer s3cret-token"})
        assert load.status_code == 403 and "LOAD" in load.json()["detail"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c .SERVICE<http://127.0.0.1:1/sparql>{ ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment\nSERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
])
def test_service_refused(hand_client, query):
    response = hand_client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.json()["detail"]


def test_a_keyword_spelled_with_an_escape_is_a_syntax_error_as_pyoxigraph_reads_it(hand_client):
    """pyoxigraph decodes \\u escapes inside strings and IRIs only: SERV\\u0049CE is no keyword, but no query either."""
    query = "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:1/sparql> {} }"
    response = hand_client.get("/sparql", params={"query": query})
    assert response.status_code == 400


def test_the_word_service_in_strings_iris_comments_and_names_is_fine(hand_client):
    query = ('SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) '
             'FILTER(?service != <http://e/SERVICE>) } # SERVICE LOAD')
    response = hand_client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
