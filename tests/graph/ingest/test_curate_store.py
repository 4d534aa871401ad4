"""The curation in the store (graph.ingest.curate_store): stored extractions read back, the ids a curation may
name, a dry run that writes nothing, and merged ids followed to the id kept."""

from __future__ import annotations

from datetime import UTC, datetime

from pyoxigraph import Store

from graph import vocab
from graph.curation.records import Curation, Merge, Reject
from graph.ingest.curate_store import apply_to_store, known_in_store, resolve_id, stored_document
from graph.model import Document, Evidence, Extraction, Organisation, Person, Relation
from graph.rdf.curation_quads import document_graph_quads
from graph.store.core import replace_graph

TEXT = "Ann Lee of the ETA spoke."
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def _store() -> Store:
    ev = Evidence(TEXT, 0, len(TEXT), "test", 0.8)
    extraction = Extraction(
        doc="d1",
        persons=(Person("Ann Lee", id="person-ann-lee"),),
        organisations=(Organisation("ETA", id="org-eta"), Organisation("Example Trade Agency", id="org-example")),
        relations=(Relation("Ann Lee", "affiliated_with", "ETA", ev),),
    )
    store = Store()
    doc = Document("d1", "A note", TEXT, "in/d1.txt", "1" * 64)
    replace_graph(store, vocab.graph_iri("d1"), document_graph_quads(doc, extraction, None, WHEN))
    return store


def test_a_stored_document_comes_back_with_its_extraction_and_ingest_time():
    item = stored_document(_store(), "d1")
    assert item is not None
    assert (item.doc.title, item.doc.text, item.doc.source, item.ingested_at) == ("A note", TEXT, "in/d1.txt", WHEN)
    assert [o.id for o in item.extraction.organisations] == ["org-eta", "org-example"]
    assert stored_document(_store(), "d2") is None


def test_known_ids_and_document_names_come_from_the_store_alone():
    known, docs = known_in_store(_store(), ["d1"])
    assert known == {"person-ann-lee": "person", "org-eta": "organisation", "org-example": "organisation"}
    assert docs == {"d1", "d1.txt"}


def test_a_dry_run_counts_what_each_entry_changes_and_writes_nothing():
    store = _store()
    before = set(store)
    curation = Curation(merges=(Merge("org-example", ("org-eta",), line=3),),
                        rejects=(Reject("person-ann-lee", "affiliated_with", "org-eta", line=8),))
    report = apply_to_store(store, curation, write=False)
    assert report.matched[3] >= 1 and report.matched[8] == 1
    assert report.replaced == [] and set(store) == before


def test_merged_ids_are_followed_to_the_id_kept_and_anything_else_is_itself():
    store = _store()
    apply_to_store(store, Curation(merges=(Merge("org-example", ("org-eta",)),), sha256="x"))
    assert resolve_id(store, "org-eta") == "org-example"
    assert resolve_id(store, "org-example") == "org-example"
    assert resolve_id(store, "not an id at all") == "not an id at all"
