"""Fuzzing the HTTP API: no request, however malformed, gets a 5xx.

Schemathesis generates requests for every operation of the app's own OpenAPI spec (so new
routes are covered as they land) and calls the app in-process (ASGI) over the seed graph.
The SPARQL endpoint takes its query outside the spec's parameters, so a second property
throws generated query text and bodies at it directly.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal
from schemathesis.checks import not_a_server_error

from api.deps import get_store
from api.main import create_app
from graph.store.core import open_store

pytestmark = pytest.mark.slow

SCALE = int(os.environ.get("MSME_KG_FUZZ_SCALE", "1"))


# The spec is read when the module is collected (schemathesis' fixture-based loader does not
# work with pytest 9), from an app over an empty in-memory store; the tests hand it the seed
# graph through FastAPI's dependency override, as the template's tests do.
APP = create_app(store=open_store(None))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


STATUSES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def tally():
    """Prints what was thrown at the API (run with -s to see it)."""
    yield
    by_status = Counter()
    for key, n in STATUSES.items():
        by_status[key.rsplit(" ", 1)[1]] += n
    print(f"\nAPI fuzz: {sum(STATUSES.values())} requests; by status {dict(sorted(by_status.items()))}")
    print("  " + ", ".join(f"{k}: {n}" for k, n in sorted(STATUSES.items()) if not k.endswith(" 405")))


@pytest.fixture(scope="module")
def app(seed_store):
    APP.dependency_overrides[get_store] = lambda: seed_store
    yield APP
    APP.dependency_overrides.clear()


@schema.parametrize()
@settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(app, case):
    response = case.call()
    STATUSES[f"{case.method} {case.path} {response.status_code}"] += 1
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"
    case.validate_response(response, checks=[not_a_server_error])


def test_the_spec_lists_the_operations(app):
    with TestClient(app) as client:
        spec = client.get("/openapi.json").json()
    assert "/sparql" in spec["paths"] and "/health" in spec["paths"]


# SPARQL-ish text: fragments of the language (with and without their partners), terms and junk.
FRAGMENTS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "?s", "?p", "?o", "?x", "WHERE", "{", "}", "(", ")", ".", ";", ",",
    "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "?g", "BIND", "AS", "VALUES", "COUNT(*)", "DISTINCT", "ORDER BY",
    "GROUP BY", "LIMIT 5", "OFFSET 2", "a", "msme:Person", "rdfs:label", "<https://w3id.org/msme-kg/id/x>", '"é"@fr',
    '"1"^^xsd:integer', "REGEX(?o, \"(a+)+$\")", "STRLEN(?o)", "SERVICE <http://127.0.0.1:9/>", "LOAD <file:///etc/passwd>",
    "INSERT DATA", "DELETE WHERE", "DROP ALL", "CLEAR DEFAULT", "PREFIX ex: <http://ex.org/>", "ex:p", "\\", "\x00",
    "#", "\n", "'''", "$v", "_:b", "[]", "<<", ">>",
]
# Well-formed queries carrying arbitrary values (escaped as SPARQL/N-Triples literals by pyoxigraph).
TEMPLATES = [
    "SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), LCASE({v}))) }} LIMIT 10",
    "SELECT ?s WHERE {{ ?s ?p {v} }} LIMIT 10",
    "ASK {{ ?s rdfs:label {v} }}",
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?s a msme:Person ; rdfs:label ?l FILTER(REGEX(?l, {v}, \"i\")) }}",
    "CONSTRUCT {{ ?s rdfs:label {v} }} WHERE {{ ?s a msme:Organisation }} LIMIT 5",
    "DESCRIBE <https://w3id.org/msme-kg/id/{raw}>",
]
well_formed = st.builds(
    lambda template, value: template.format(v=str(Literal(value)), raw=value),
    st.sampled_from(TEMPLATES), st.text(max_size=40),
)
query_text = st.one_of(
    well_formed,
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=30).map(" ".join),
    st.text(max_size=200),
)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=query_text, how=st.sampled_from(["get", "form", "direct", "other-type"]))
def test_sparql_never_answers_with_a_server_error(client, query, how):
    query = query + " LIMIT 20" if "SELECT" in query else query  # keep a generated cross product short
    if how == "get":
        response = client.get("/sparql", params={"query": query})
    elif how == "form":
        response = client.post("/sparql", data={"query": query})
    elif how == "direct":
        response = client.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                               headers={"content-type": "application/sparql-query"})
    else:
        response = client.post("/sparql", content=b"\xff\xfe" + query.encode("utf-16-le", "surrogatepass"),
                               headers={"content-type": "text/plain; charset=utf-16"})
    STATUSES[f"/sparql ({how}) {response.status_code}"] += 1
    assert response.status_code < 500, (how, query, response.status_code, response.text[:300])
