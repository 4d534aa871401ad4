"""Parallel ingest (--workers N) stores exactly what the sequential ingest stores, and skips the same files."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, NamedNode

from graph import vocab
from graph.parallel import ingest_paths_parallel
from graph.pipeline import ingest_paths
from graph.store import open_store

pytestmark = pytest.mark.slow
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
