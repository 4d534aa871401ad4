"""The query timeout on a store on disk: a runaway query is stopped (its worker process killed),
answered 503, and the server keeps answering meanwhile; newly written data becomes visible."""

from __future__ import annotations

import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad

from api.main import create_app
from graph import vocab
from graph.settings import Settings
from graph.store.core import open_store, replace_graph

pytestmark = pytest.mark.server  # query worker processes, killed and restarted

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SMALL = "SELECT ?d WHERE { ?d a msme:Document }"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a killed child not yet reaped is a zombie: dead for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


pytestmark = pytest.mark.server  # worker processes on a store on disk


@pytest.fixture
def disk_client(hand_store_path, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(hand_store_path, path)
    settings = Settings(store=path, query_timeout=2.5, query_workers=2)
    with TestClient(create_app(settings)) as client:
        client.get("/sparql", params={"query": SMALL})  # workers warmed up
        yield client


def test_runaway_query_is_stopped_while_the_server_keeps_answering(disk_client):
    runner = disk_client.app.state.runner
    pids_before = set(runner.pids())
    result: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = disk_client.get("/sparql", params={"query": RUNAWAY})
        result.update(status=response.status_code, body=response.json(), seconds=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    answered_during = 0
    while thread.is_alive():
        started = time.monotonic()
        assert disk_client.get("/health").status_code == 200
        assert disk_client.get("/sparql", params={"query": SMALL}).status_code == 200  # the other worker
        assert time.monotonic() - started < 2.0  # not queued behind the runaway query
        answered_during += thread.is_alive()
        time.sleep(0.1)
    thread.join()
    assert result["status"] == 503, result
    assert "stopped" in result["body"]["detail"]
    assert 2.4 < result["seconds"] < 8
    assert answered_during >= 2
    killed = pids_before - set(runner.pids())
    assert len(killed) == 1 and not _alive(killed.pop())
    assert len(runner.pids()) == 2
    after = disk_client.get("/sparql", params={"query": SMALL})
    assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 1


def test_timeouts_and_row_cap_hold_under_concurrent_load(disk_client):
    """Twelve runaway queries at once on two workers: each ends 503 on time; the server stays up."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        runaways = [pool.submit(disk_client.get, "/sparql", params={"query": RUNAWAY}) for _ in range(12)]
        time.sleep(0.2)
        healths = [pool.submit(disk_client.get, "/health") for _ in range(3)]
        rest = [pool.submit(disk_client.get, "/events") for _ in range(1)]
        assert all(f.result().status_code == 200 for f in healths + rest)
        health_done = time.monotonic() - started
        statuses = [f.result().status_code for f in runaways]
    assert health_done < 2.4  # answered while the runaway queries were still running or waiting
    assert statuses == [503] * 12
    assert time.monotonic() - started < 12
    assert len(disk_client.app.state.runner.pids()) == 2
    response = disk_client.get("/sparql", params={"query": SMALL})
    assert response.status_code == 200


def test_newly_written_data_is_seen_by_workers_and_rest(hand_store_path, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(hand_store_path, path)
    with TestClient(create_app(Settings(store=path, query_timeout=5))) as client:
        assert len(client.get("/sparql", params={"query": SMALL}).json()["results"]["bindings"]) == 1
        writer = open_store(path)  # the server only reads: ingest can write beside it
        graph = vocab.graph_iri("doc-new")
        doc = vocab.document_iri("doc-new")
        replace_graph(writer, graph, [Quad(doc, NamedNode(vocab.RDF + "type"), vocab.msme("Document"), graph),
                                      Quad(doc, vocab.msme("docId"), Literal("doc-new"), graph)])  # as ingest writes
        writer.flush()
        rows = client.get("/sparql", params={"query": SMALL}).json()["results"]["bindings"]
        assert len(rows) == 2
        assert client.get("/documents").json()["total"] == 2
        del writer


def test_workers_negotiate_formats_and_report_errors(disk_client):
    csv = disk_client.get("/sparql", params={"query": SMALL}, headers={"accept": "text/csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines() == ["d", vocab.DOC + "doc-hand"]
    graph = disk_client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?d a msme:Document }"},
                            headers={"accept": "application/sparql-results+json"})
    assert graph.status_code == 406  # raised in the worker, carried back across the process boundary
    bad = disk_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400
    assert disk_client.get("/sparql", params={"query": SMALL}).status_code == 200
