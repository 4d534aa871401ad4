"""Ingest end to end on the seeds: idempotent, replacing, and valid against the shapes."""

import pytest

from graph.ingest.pipeline import ingest_paths
from graph.read.reader import read_document
from graph.store.core import count_quads, document_graphs, graph_sha256, open_store
from graph.tools.validate import validate_store

pytestmark = pytest.mark.slow


def test_seed_graph_holds_every_seed(seed_store, seed_copy):
    assert document_graphs(seed_store) == sorted(p.stem for p in seed_copy.glob("*.txt"))


def test_reingesting_unchanged_files_adds_nothing(tmp_path, seed_copy, nlp):
    store = open_store(tmp_path / "store")
    first = ingest_paths(store, [seed_copy], nlp=nlp)
    before = count_quads(store)
    second = ingest_paths(store, [seed_copy], nlp=nlp)
    assert {r.status for r in first} == {"added"}
    assert {r.status for r in second} == {"unchanged"}
    assert count_quads(store) == before


def test_a_changed_file_replaces_its_graph(tmp_path, nlp):
    doc = tmp_path / "note.txt"
    doc.write_text("Workshop on trade\n\nMs Ada Lovelace, Director, International Trade Centre, spoke at the workshop.")
    store = open_store(None)
    ingest_paths(store, [doc], nlp=nlp)
    doc.write_text("Workshop on trade\n\nMr Alan Turing of Kenya attended the workshop on 3 May 2021.")
    [result] = ingest_paths(store, [doc], nlp=nlp)
    assert result.status == "replaced"
    assert graph_sha256(store, "note") == read_document(doc).sha256
    query = "SELECT ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } }"
    labels = {r["l"].value for r in store.query(query)}
    assert not any("Lovelace" in label for label in labels)


def test_bad_files_are_reported_and_good_ones_still_load(tmp_path, nlp):
    (tmp_path / "good.txt").write_text("Ms Ada Byron, Adviser, World Trade Organization, spoke at the meeting.")
    (tmp_path / "empty.txt").write_text("   ")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    store = open_store(None)
    results = {r.source.rsplit("/", 1)[-1]: r for r in ingest_paths(store, [tmp_path], nlp=nlp)}
    assert results["good.txt"].status == "added"
    assert results["empty.txt"].status == "failed" and "empty" in results["empty.txt"].error
    assert results["image.png"].status == "failed" and "unsupported" in results["image.png"].error
    assert document_graphs(store) == ["good"]


def test_seed_graph_conforms_to_the_shapes(seed_store):
    report = validate_store(seed_store)
    assert report.conforms, report.text[:3000]
