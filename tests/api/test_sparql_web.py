"""The endpoint as browsers and download links use it: CORS (off unless set), HEAD, OPTIONS, format= / output=."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, parse

from api.main import create_app
from graph import vocab
from graph.settings import Settings
from tests.helpers.hand_graph import build_hand_store

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/msme-kg/ns#Person> }"
CONSTRUCT = "CONSTRUCT WHERE { ?s a <https://w3id.org/msme-kg/ns#Person> }"


def test_cors_is_off_by_default(hand_client):
    response = hand_client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://yasgui.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = hand_client.options("/sparql", headers={"origin": "https://yasgui.example",
                                                        "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_the_origins_listed(hand_store):
    settings = Settings(cors_origins="https://yasgui.example, https://other.example")
    with TestClient(create_app(settings, store=hand_store)) as client:
        allowed = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://yasgui.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://yasgui.example"
        assert "x-result-truncated" in allowed.headers["access-control-expose-headers"].lower()
        preflight = client.options("/sparql", headers={"origin": "https://other.example",
                                                       "access-control-request-method": "POST",
                                                       "access-control-request-headers": "content-type"})
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        stranger = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in stranger.headers


def test_head_and_options(hand_client):
    head = hand_client.head("/sparql", params={"query": SELECT})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    options = hand_client.options("/sparql")
    assert options.status_code == 204
    assert set(options.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert hand_client.options("/store").headers["allow"].startswith("GET")


@pytest.mark.parametrize(("name", "media"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_for_select(hand_client, name, media):
    for param in ("format", "output"):
        response = hand_client.get("/sparql", params={"query": SELECT, param: name}, headers={"accept": "text/turtle"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        assert b"person-ann-lee" in response.content


@pytest.mark.parametrize(("name", "media", "fmt"), [
    ("ttl", "text/turtle", RdfFormat.TURTLE), ("jsonld", "application/ld+json", RdfFormat.JSON_LD),
    ("json", "application/ld+json", RdfFormat.JSON_LD), ("nt", "application/n-triples", RdfFormat.N_TRIPLES),
    ("xml", "application/rdf+xml", RdfFormat.RDF_XML),
])
def test_format_parameter_for_construct(hand_client, name, media, fmt):
    response = hand_client.post("/sparql", data={"query": CONSTRUCT, "format": name})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert len(list(parse(response.content, format=fmt))) == 2


def test_format_parameter_errors(hand_client):
    assert hand_client.get("/sparql", params={"query": SELECT, "format": "ttl"}).status_code == 406
    assert hand_client.get("/sparql", params={"query": SELECT, "format": "yaml"}).status_code == 400


def test_relative_iris_resolve_against_the_endpoint(hand_client):
    response = hand_client.get("/sparql", params={"query": "SELECT (<thing> AS ?x) WHERE {}"})
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "http://testserver/thing"


def test_non_utf8_bodies_are_refused(hand_client):
    body = "ASK {}".encode("utf-16")
    response = hand_client.post("/sparql", content=body,
                                headers={"content-type": "application/sparql-query; charset=UTF-16"})
    assert response.status_code == 415
    ok = hand_client.post("/sparql", content=b"ASK {}", headers={"content-type": "application/sparql-query; "
                                                                                  "charset=utf-8"})
    assert ok.status_code == 200


def test_named_graph_uri_alone_leaves_the_default_graph_empty(hand_client):
    doc = vocab.GRAPH + "doc-hand"
    named = hand_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": doc})
    assert named.json()["boolean"] is False
    default = hand_client.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }",
                                                 "default-graph-uri": doc})
    assert default.json()["boolean"] is False


def test_graph_store_writes_need_the_token():
    with TestClient(create_app(Settings(update_token="gsp-token"), store=build_hand_store())) as client:
        ttl = {"content-type": "text/turtle"}
        body = "<http://e/a> <http://e/b> 1 ."
        refused = client.put("/store", params={"graph": "http://e/g"}, content=body, headers=ttl)
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        auth = {**ttl, "authorization": "Bearer gsp-token"}
        assert client.put("/store", params={"graph": "http://e/g"}, content=body, headers=auth).status_code == 201
        assert client.put("/store", params={"graph": "http://e/g"}, content=body, headers=auth).status_code == 204
        got = client.get("/store", params={"graph": "http://e/g"}, headers={"accept": "application/n-triples"})
        assert got.text.strip() == '<http://e/a> <http://e/b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
        # a named graph written through the store is in the default graph (the union) at once
        ask = client.get("/sparql", params={"query": "ASK { <http://e/a> <http://e/b> 1 }"})
        assert ask.json()["boolean"] is True
        bad = client.put("/store", params={"graph": "http://e/g"}, content="<a> <b>", headers=auth)
        assert bad.status_code == 400
        assert client.put("/store", params={"graph": "http://e/g"}, content=b"{}",
                          headers={"content-type": "text/plain", "authorization": "Bearer gsp-token"}
                          ).status_code == 415
        assert client.delete("/store", params={"graph": "http://e/g"},
                             headers={"authorization": "Bearer gsp-token"}).status_code == 204
        assert client.get("/store", params={"graph": "http://e/g"}).status_code == 404
        assert client.get("/sparql", params={"query": "ASK { <http://e/a> <http://e/b> 1 }"}).json()["boolean"] is False
    with TestClient(create_app(Settings(), store=build_hand_store())) as client:
        assert client.delete("/store", params={"default": ""}).status_code == 403  # no token: no writes at all


def test_service_description_lists_the_formats(hand_client):
    response = hand_client.get("/sparql", headers={"accept": "application/ld+json"})
    assert "SPARQL_Results_TSV" in json.dumps(response.json())
