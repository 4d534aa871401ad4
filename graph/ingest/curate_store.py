"""The curation, in the store: re-applying it without NLP, the ids a curation may name, merged ids followed.

Each document graph keeps the document's resolved extraction and the checksum of the curation
it was mapped with (:mod:`graph.rdf.curation_quads`). Re-applying a changed curation therefore
needs no spaCy: every stored extraction goes through :func:`graph.curation.apply.apply_curation`
and :func:`graph.rdf.map.extraction_quads` again, and each document graph whose curation is out of
date is replaced whole (one transaction each), then the curation graph.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from pyoxigraph import NamedNode

from graph import vocab
from graph.curation.apply import Curation, curate_extraction
from graph.curation.file import check_ids
from graph.errors import CurationError
from graph.model import Document, Extraction
from graph.rdf.curation_quads import (
    CURATION_SHA,
    EXTRACTION,
    MERGED_INTO,
    RDF_TYPE,
    SPLIT_INTO,
    curation_graph_quads,
    document_graph_quads,
)
from graph.store import core as graph_store
from graph.store.protocol import Store
from graph.vocab import PROV, SCHEMA, msme


@dataclass
class StoredDocument:
    doc: Document
    ingested_at: datetime
    extraction: Extraction
    curation_sha256: str


def _value(store: Store, subject: NamedNode, predicate: NamedNode, graph: NamedNode | None) -> str | None:
    for quad in store.quads_for_pattern(subject, predicate, None, graph):
        return vocab.term_value(quad.object)
    return None


def stored_document(store: Store, doc_id: str) -> StoredDocument | None:
    """A document and its uncurated extraction as ingest stored them; None if stored without one."""
    g, d = vocab.graph_iri(doc_id), vocab.document_iri(doc_id)
    payload = _value(store, d, EXTRACTION, g)
    if payload is None:
        return None
    doc = Document(
        id=doc_id,
        title=_value(store, d, NamedNode(SCHEMA + "name"), g) or doc_id,
        text=_value(store, d, NamedNode(SCHEMA + "text"), g) or "",
        source=_value(store, d, msme("sourcePath"), g) or "",
        sha256=_value(store, d, msme("sha256"), g) or "",
        media_type=_value(store, d, NamedNode(SCHEMA + "encodingFormat"), g) or "text/plain",
    )
    when = _value(store, d, NamedNode(PROV + "generatedAtTime"), g) or "1970-01-01T00:00:00+00:00"
    ingested = datetime.fromisoformat(when)
    extraction = Extraction.from_json(json.loads(payload))
    return StoredDocument(doc, ingested, extraction, _value(store, d, CURATION_SHA, g) or "")


_ENTITY_CLASSES = {**{cls: kind for kind, cls in vocab.TYPE_CLASS.items()}, "Place": "place"}


def known_in_store(store: Store, doc_ids: list[str]) -> tuple[dict[str, str], set[str]]:
    """Ids a curation may name (id -> type) and the documents it may name, read from the store alone.

    Every id the extractor produced is still there: as an entity, or as the subject of the
    ``msme:mergedInto`` / ``msme:splitInto`` link a curation left when it moved it. No stored
    extraction is parsed, so this costs the same with ten documents or ten thousand.
    """
    known: dict[str, str] = {}
    for local, kind in _ENTITY_CLASSES.items():
        for quad in store.quads_for_pattern(None, RDF_TYPE, msme(local), None):
            if isinstance(quad.subject, NamedNode) and quad.subject.value.startswith(vocab.ID):
                known.setdefault(vocab.short_id(quad.subject.value), kind)
    for link in (MERGED_INTO, SPLIT_INTO):
        for quad in store.quads_for_pattern(None, link, None, None):
            known.setdefault(vocab.short_id(vocab.term_value(quad.subject)), "")
    docs = set(doc_ids)
    for doc_id in doc_ids:
        source = _value(store, vocab.document_iri(doc_id), msme("sourcePath"), vocab.graph_iri(doc_id))
        if source:
            name = source.replace("\\", "/").rsplit("/", 1)[-1]
            docs |= {name, name.rsplit(".", 1)[0]}
    return known, docs


@dataclass
class ApplyReport:
    """What re-applying the curation did."""

    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    without_extraction: list[str] = field(default_factory=list)  # ingested before curation existed: re-ingest --force
    redirects: dict[str, str] = field(default_factory=dict)
    matched: dict[int, int] = field(default_factory=dict)  # curation entry line -> entities or facts changed
    curation_quads: int = 0


def apply_to_store(store: Store, curation: Curation, *, force: bool = False, write: bool = True) -> ApplyReport:
    """Check ``curation`` against the store, then bring the document graphs and the curation graph up to date.

    Raises :class:`CurationError` (listing every unknown id with its line) before writing anything.
    Only document graphs mapped with another curation are re-mapped (all with ``force``), so the
    check after an ingest parses no stored extraction when the curation did not change.
    ``write=False`` writes nothing and counts what each entry changes in every document.
    """
    report = ApplyReport()
    doc_ids = graph_store.document_graphs(store)
    known, doc_names = known_in_store(store, doc_ids)
    errors = check_ids(curation, known, doc_names)
    if errors:
        raise CurationError("\n".join(errors))
    for doc_id in doc_ids:
        current = _value(store, vocab.document_iri(doc_id), CURATION_SHA, vocab.graph_iri(doc_id))
        if write and curation.sha256 and current == curation.sha256 and not force:
            report.unchanged.append(doc_id)
            continue
        item = stored_document(store, doc_id)
        if item is None:
            report.without_extraction.append(doc_id)
            continue
        _, doc_report = curate_extraction(item.extraction, curation, doc_id)
        report.redirects.update(doc_report.redirects)
        for line, n in doc_report.matched.items():
            report.matched[line] = report.matched.get(line, 0) + n
        if not write:
            continue
        quads = document_graph_quads(item.doc, item.extraction, curation, item.ingested_at)
        graph_store.replace_graph(store, vocab.graph_iri(doc_id), quads)
        report.replaced.append(doc_id)
    if not write:
        return report
    texts = {}
    for fact in curation.asserts:
        if fact.doc and fact.quote and fact.doc in doc_ids:
            text = _value(store, vocab.document_iri(fact.doc), NamedNode(SCHEMA + "text"), vocab.graph_iri(fact.doc))
            texts[fact.doc] = text or ""
    quads = curation_graph_quads(curation, texts)
    report.curation_quads = graph_store.replace_graph(store, NamedNode(vocab.CURATION_GRAPH), quads)
    return report








def resolve_id(store: Store, entity_id: str) -> str:
    """The id that stands for ``entity_id`` now: itself, or the id it was merged into (chains followed).

    >>> from pyoxigraph import Store
    >>> resolve_id(Store(), "org-itc")
    'org-itc'
    """
    current, seen = entity_id, {entity_id}
    while True:
        try:
            iri = vocab.entity_iri(current)
        except ValueError:  # not an id at all: nothing to redirect
            return current
        target = _value(store, iri, MERGED_INTO, None)
        if target is None or vocab.short_id(target) in seen:
            return current
        current = vocab.short_id(target)
        seen.add(current)
