"""Hostile SPARQL requests that went through before (issue 18: 1, 2, 14): each answered at once, nothing fetched.

A live `msme-kg serve` (worker processes, an update token) on a synthetic store the seed graph's
size; a TCP listener on 127.0.0.1 stands for the URL a forged SERVICE or LOAD would reach.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.helpers.hostile_server import TOKEN, listener, server_env, synthetic_store, workers
from tests.helpers.server import serving
from tests.paths import ROOT as PROJECT_DIR

pytestmark = pytest.mark.server  # a live msme-kg serve

QUERY = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    store = synthetic_store(tmp_path_factory.mktemp("hostile-guard") / "store")
    with serving(store, env=server_env(query_timeout=10)) as (base, process):
        with httpx.Client(base_url=base, timeout=60) as warm:  # every worker up (spawned, store open)
            for _ in range(4):
                assert warm.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        yield base, process.pid


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=30) as c:
        yield c


FORGED = [
    # the report's case: "<'a>'" reads as an IRI to a text scan, as "<" then a string to the parser
    "SELECT * WHERE {{ BIND(1<'a>' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND('y' AS ?z) }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(?o<'x>') SERVICE <{url}> {{ ?a ?b ?c }} FILTER(?o != 'y') }}",
    "SELECT * WHERE {{ FILTER(1<\"a>\" ) SERVICE <{url}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER regex(?o, 'a', 'i') . service <{url}> {{ }} }}",
    "SELECT * WHERE {{ VALUES ?x {{ 1 }} FILTER(?x<?x) SERVICE SILENT <{url}> {{ }} }}",
    "SELECT * WHERE {{ # a comment with a quote '\nSERVICE <{url}> {{ }} }}",
    "SELECT * WHERE {{ BIND(\"\"\"a \\\"\"\" \"\"\" AS ?x) SERVICE <{url}> {{ }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ }} }} }}",
    "SELECT * WHERE {{ {{ SELECT (1<2 AS ?b) WHERE {{ }} }} SERVICE <{url}> {{ }} }}",
]


@pytest.mark.parametrize("template", FORGED)
def test_service_is_refused_however_it_is_hidden_and_nothing_is_fetched(client, template):
    with listener() as (port, received):
        query = template.format(url=f"http://127.0.0.1:{port}/x")
        started = time.monotonic()
        for response in (client.get("/sparql", params={"query": query}),
                         client.post("/sparql", content=query, headers=QUERY)):
            assert response.status_code == 403, response.text
            assert "SERVICE" in response.json()["detail"]
        assert time.monotonic() - started < 5
        time.sleep(0.2)
    assert received == []


@pytest.mark.parametrize("template", [
    "LOAD <{url}>",
    "INSERT DATA {{ <http://e/a> <http://e/b> 1<'x>' }} ; LOAD <{url}> INTO GRAPH <http://e/g>",
    "DELETE {{ ?s ?p ?o }} WHERE {{ FILTER(1<'a>') SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CLEAR SILENT GRAPH <http://e/g> ; load silent <{url}>",
])
def test_load_and_service_in_updates_are_refused_with_the_token(client, template):
    with listener() as (port, received):
        update = template.format(url=f"http://127.0.0.1:{port}/data.ttl")
        response = client.post("/sparql", content=update, headers=UPDATE)
        assert response.status_code in (400, 403), response.text
        time.sleep(0.2)
    assert received == []
    assert client.post("/sparql", content="ASK { GRAPH <http://e/g> { ?s ?p ?o } }", headers=QUERY).json() == {
        "head": {}, "boolean": False}


@pytest.mark.parametrize("size", [30_000, 100_000, 499_000])
def test_backslash_quote_bodies_are_answered_at_once_and_health_stays_up(client, server, size):
    """The old scan took 12.5 s for 60 KB and minutes for 200 KB, on the event loop."""
    body = '"' + '\\"' * size
    slowest_health = []

    def health() -> None:
        with httpx.Client(base_url=server[0], timeout=30) as other:
            for _ in range(10):
                started = time.monotonic()
                assert other.get("/health").status_code == 200
                slowest_health.append(time.monotonic() - started)

    thread = threading.Thread(target=health)
    thread.start()
    started = time.monotonic()
    response = client.post("/sparql", content=body, headers=QUERY)
    elapsed = time.monotonic() - started
    thread.join()
    assert response.status_code == 400
    assert elapsed < 3, elapsed
    assert max(slowest_health) < 2, slowest_health


@pytest.mark.parametrize("nesting", [
    lambda d: "SELECT * WHERE { FILTER(" + "(" * d + "1" + ")" * d + ") }",
    lambda d: "SELECT * WHERE " + "{" * d + "}" * d,
    lambda d: "SELECT * WHERE { ?s ?p " + "[ ?p " * d + "1" + " ]" * d + " }",
    lambda d: "SELECT * WHERE { ?s ?p " + "(" * d + "1" + ")" * d + " }",
    lambda d: "ASK { " + "FILTER EXISTS { " * d + "}" * d + " }",
])
def test_deep_nesting_is_400_before_the_parser_and_no_worker_dies(client, server, nesting):
    """200,000 parentheses killed a worker (503 "worker died"); 300 nested [ took minutes to parse."""
    before = workers(server[1])
    deepest = min(200_000, 900_000 // len(nesting(1)))  # under the 1 MB body limit
    for depth in (deepest, 1_000, 100):
        started = time.monotonic()
        response = client.post("/sparql", content=nesting(depth), headers=QUERY)
        assert response.status_code == 400, response.text
        assert "nests brackets" in response.json()["detail"]
        assert time.monotonic() - started < 3
    assert workers(server[1]) == before
    assert client.post("/sparql", content=nesting(20), headers=QUERY).status_code == 200


def test_the_cli_query_reports_deep_nesting_instead_of_crashing(tmp_path):
    query = tmp_path / "deep.rq"
    query.write_text("SELECT * WHERE { FILTER(" + "(" * 200_000 + "1" + ")" * 200_000 + ") }", encoding="utf-8")
    store = synthetic_store(tmp_path / "store", triples=100)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "graph.cli.main", "query", str(query), "--store", str(store)],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])  # was 139, a segfault
    assert "nests brackets" in done.stderr
    assert time.monotonic() - started < 30
