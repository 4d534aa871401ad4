"""Where SPARQL requests run (graph.sparql.workers): threads on an in-process store, killable worker processes
on a store on disk, and a read-only handle reopened when ingest wrote."""

from __future__ import annotations

import time

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from graph import vocab
from graph.errors import QueryError, QueryTimeout
from graph.sparql.execute import SparqlRequest
from graph.sparql.workers import ProcessRunner, RefreshingStore, ThreadRunner, store_signature
from graph.store.core import open_store, replace_graph

COUNT = SparqlRequest("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", result_types=("text/csv",))
P = NamedNode("http://ex.org/p")


def _write(store: Store, doc: str, n: int) -> None:
    g = vocab.graph_iri(doc)
    replace_graph(store, g, [Quad(NamedNode(f"http://ex.org/s{i}"), P, Literal(str(i)), g) for i in range(n)])
    store.flush()


def test_a_thread_runner_answers_and_passes_query_errors_on():
    store = Store()
    _write(store, "d1", 3)
    runner = ThreadRunner(store)
    try:
        assert runner.run(COUNT, 5).body.split()[-1] == b"3"
        with pytest.raises(QueryError):
            runner.run(SparqlRequest("SELECT ?s WHERE {"), 5)
    finally:
        runner.close()


def test_a_refreshing_store_sees_what_a_writer_added_and_keeps_its_handle_otherwise(tmp_path):
    writer = open_store(tmp_path / "s")
    _write(writer, "d1", 2)
    del writer  # an ingest that finished
    reader = RefreshingStore(tmp_path / "s")
    first = reader.get()
    assert reader.get() is first  # nothing written: the same handle
    before = store_signature(tmp_path / "s")
    writer = open_store(tmp_path / "s")
    _write(writer, "d2", 3)
    del writer
    assert store_signature(tmp_path / "s") != before
    assert len(list(reader.get().named_graphs())) == 2


@pytest.mark.server
def test_a_worker_process_answers_and_a_runaway_query_is_ended_on_time(tmp_path):
    writer = open_store(tmp_path / "s")
    _write(writer, "d1", 300)
    runner = ProcessRunner(tmp_path / "s", size=1)
    try:
        assert runner.run(COUNT, 30).body.split()[-1] == b"300"
        first = runner.pids()
        runaway = SparqlRequest("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                                result_types=("text/csv",))
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            runner.run(runaway, 1.0)
        assert time.monotonic() - started < 5
        assert runner.pids() != first  # the worker was ended and replaced
        assert runner.run(COUNT, 30).body.split()[-1] == b"300"
    finally:
        runner.close()
