"""Parallel ingest (--workers N) stores exactly what the sequential ingest stores, and skips the same files."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyoxigraph import BlankNode, NamedNode

from graph import vocab
from graph.ingest import parallel
from graph.ingest.parallel import ingest_paths_parallel
from graph.ingest.pipeline import ingest_paths
from graph.store.core import open_store

pytestmark = [pytest.mark.slow, pytest.mark.server]
GENERATED = NamedNode("http://www.w3.org/ns/prov#generatedAtTime")


def _facts(store) -> set:
    """Every quad but ingest times and the ontology's blank nodes (fresh ids on each load)."""
    return {q for q in store.quads_for_pattern(None, None, None)
            if q.predicate != GENERATED
            and not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)}


def test_parallel_ingest_matches_sequential_and_skips_unchanged(seed_copy, nlp, tmp_path):
    (seed_copy / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    sequential, parallel = open_store(None), open_store(None)
    expected = ingest_paths(sequential, [seed_copy], nlp=nlp)
    results = ingest_paths_parallel(parallel, [seed_copy], workers=2)
    assert [(r.source, r.status) for r in results] == [(r.source, r.status) for r in expected]
    assert {r.status for r in results} == {"added", "failed"}
    assert _facts(parallel) == _facts(sequential)

    changed = sorted(seed_copy.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing remark.\n", encoding="utf-8")
    again = ingest_paths_parallel(parallel, [seed_copy], workers=2)
    status = {r.source: r.status for r in again}
    assert status[str(changed)] == "replaced"
    assert sorted(s for src, s in status.items() if src != str(changed)) == ["failed"] + ["unchanged"] * 4
    doc_id = next(r.doc_id for r in again if r.source == str(changed))
    assert any(parallel.quads_for_pattern(None, None, None, vocab.graph_iri(doc_id)))


def test_a_long_document_does_not_hold_back_the_others(monkeypatch):
    """Extractions are handed to the writer as they finish: short documents pass a long one still running."""
    release = threading.Event()

    def extract(doc):
        if doc == "long":
            assert release.wait(10), "the long document was never released"
        return doc

    monkeypatch.setattr(parallel, "_extract", extract)
    jobs = [("long",), ("a",), ("b",), (None,), ("c",), ("d",), ("e",)]
    finished = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for job, future in parallel._as_finished(pool, jobs, window=4):
            finished.append(job[0] if future is None else future.result())
            if len(finished) == len(jobs) - 1:
                release.set()
    assert finished[-1] == "long"
    assert sorted(map(str, finished)) == sorted(str(job[0]) for job in jobs)
