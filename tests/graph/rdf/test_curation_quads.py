"""The curation as RDF (graph.rdf.curation_quads): a document graph carries its uncurated extraction and what
the curation did in it; the curation graph carries merges, one node per entry, and asserted facts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode

from graph import vocab
from graph.curation.records import Curation, Merge, Reject
from graph.model import Document, Evidence, Extraction, Organisation, Relation
from graph.rdf.curation_quads import (
    CURATION_SHA,
    EXTRACTION,
    MERGED_INTO,
    curation_graph_quads,
    document_graph_quads,
)

TEXT = "The ETA and the Example Trade Agency met."
DOC = Document("d1", "Meeting", TEXT, "d1.txt", "0" * 64)
WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def _extraction() -> Extraction:
    ev = Evidence(TEXT, 0, len(TEXT), "test", 0.8)
    return Extraction(
        doc="d1",
        organisations=(Organisation("ETA", id="org-eta"), Organisation("Example Trade Agency", id="org-example")),
        relations=(Relation("ETA", "partner_of", "Example Trade Agency", ev),),
    )


def test_a_document_graph_keeps_the_uncurated_extraction_and_the_curation_checksum():
    curation = Curation(merges=(Merge("org-example", ("org-eta",)),), sha256="abc")
    quads = document_graph_quads(DOC, _extraction(), curation, WHEN)
    by_predicate = {q.predicate: q.object for q in quads}
    stored = json.loads(by_predicate[EXTRACTION].value)
    assert [o["id"] for o in stored["organisations"]] == ["org-eta", "org-example"]  # as extracted
    assert by_predicate[CURATION_SHA] == Literal("abc")
    assert (vocab.entity_iri("org-eta"), MERGED_INTO, vocab.entity_iri("org-example")) in {
        (q.subject, q.predicate, q.object) for q in quads}
    assert all(q.graph_name == vocab.graph_iri("d1") for q in quads)


def test_without_a_curation_the_graph_has_no_links_and_an_empty_checksum():
    quads = document_graph_quads(DOC, _extraction(), None, WHEN)
    assert not [q for q in quads if q.predicate == MERGED_INTO]
    assert {q.predicate: q.object for q in quads}[CURATION_SHA] == Literal("")


def test_the_curation_graph_holds_one_node_per_entry_with_its_reason_and_what_it_is_about():
    curation = Curation(
        merges=(Merge("org-example", ("org-eta",), reason="acronym", by="A. Curator"),),
        rejects=(Reject("org-eta", "partner_of", "org-example", doc="d1", reason="a meeting is no partnership"),),
    )
    quads = curation_graph_quads(curation)
    assert {q.graph_name for q in quads} == {NamedNode(vocab.CURATION_GRAPH)}
    nodes = {q.subject for q in quads if q.object == vocab.msme("Curation")}
    assert len(nodes) == 2
    reasons = {q.object.value for q in quads if q.predicate == vocab.msme("reason")}
    assert reasons == {"acronym", "a meeting is no partnership"}
    about = {q.object for q in quads if q.predicate == vocab.msme("about")}
    assert about == {vocab.entity_iri("org-example")}  # the merged-away id is named by the id kept
    assert (NamedNode(vocab.PROV + "wasDerivedFrom"), vocab.document_iri("d1")) in {
        (q.predicate, q.object) for q in quads}
    assert curation_graph_quads(curation) == quads  # entry nodes have stable ids
