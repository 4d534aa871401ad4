"""The curation, in the store: curated document graphs, the curation graph, and re-applying without NLP.

Each document graph keeps the document's resolved extraction (as JSON, ``msme:extraction``)
and the checksum of the curation it was mapped with (``msme:curationSha256``). Re-applying a
changed curation therefore needs no spaCy: every stored extraction goes through
:func:`graph.curation.apply.apply_curation` and :func:`graph.rdf.map.extraction_quads` again, and each
document graph whose curation is out of date is replaced whole (one transaction each).

The curation graph (``vocab.CURATION_GRAPH``) holds what belongs to no document: the facts
people asserted (status "asserted", with who and why as their evidence), ``msme:mergedInto``
(and ``owl:sameAs``) links from merged-away ids to the kept ones — so an old id still
resolves, see :func:`resolve_id` — and one ``msme:Curation`` node per entry, with its reason.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad, Store

from graph import vocab
from graph.curation.apply import Alias, Assert, Curation, Reject, curate_extraction
from graph.curation.file import check_ids
from graph.errors import CurationError
from graph.model import Document, Extraction
from graph.rdf.map import extraction_quads
from graph.store import core as graph_store
from graph.vocab import OA, OWL, PROV, RDF, RDFS, SCHEMA, XSD, msme

EXTRACTION = msme("extraction")
CURATION_SHA = msme("curationSha256")
_MERGED_INTO = msme("mergedInto")
SPLIT_INTO = msme("splitInto")
_TYPE = NamedNode(RDF + "type")
PROV_DERIVED = NamedNode(PROV + "wasDerivedFrom")


def _lit(value: object, datatype: str | None = None) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + datatype)) if datatype else Literal(str(value))


def document_graph_quads(
    doc: Document, extraction: Extraction, curation: Curation | None, ingested_at: datetime
) -> list[Quad]:
    """A document's graph: its curated facts, plus its uncurated extraction and the curation's checksum.

    What the curation did in this document goes with it (one transaction): the ids it absorbed
    point to the kept ones (``msme:mergedInto``, ``owl:sameAs``), the ids split here point to
    the new ones (``msme:splitInto``), and each alias entry is linked to the entity it named.
    """
    g, d = vocab.graph_iri(doc.id), vocab.document_iri(doc.id)
    payload = json.dumps(extraction_to_json(extraction), ensure_ascii=False, separators=(",", ":"))
    if curation is None:
        curated, links = extraction, []
    else:
        curated, report = curate_extraction(extraction, curation, doc.id)
        links = _link_quads(report.redirects, g)
        links += [Quad(vocab.entity_iri(old), SPLIT_INTO, vocab.entity_iri(new), g)
                  for old, new in report.split.items()]
        aliases = {a.line: a for a in curation.aliases}
        links += [Quad(_alias_iri(aliases[line]), msme("about"), vocab.entity_iri(kept), g)
                  for line, ids in report.kept.items() if line in aliases for kept in sorted(ids)]
    return [
        *extraction_quads(doc, curated, ingested_at),
        *links,
        Quad(d, EXTRACTION, _lit(payload), g),
        Quad(d, CURATION_SHA, _lit(curation.sha256 if curation else ""), g),
    ]


def _link_quads(redirects: dict[str, str], g: NamedNode) -> list[Quad]:
    quads = []
    for old, kept in sorted(redirects.items()):
        quads += [
            Quad(vocab.entity_iri(old), _MERGED_INTO, vocab.entity_iri(kept), g),
            Quad(vocab.entity_iri(old), NamedNode(OWL + "sameAs"), vocab.entity_iri(kept), g),
        ]
    return quads


def _alias_iri(alias: Alias) -> NamedNode:
    return _entry_iri("alias", _alias_label(alias))


def _alias_label(alias: Alias) -> str:
    return f"also named {', '.join(alias.names)}"


def extraction_to_json(extraction: Extraction) -> dict:
    """``Extraction.to_json`` keeps ids (what re-applying needs)."""
    return extraction.to_json()


@dataclass
class StoredDocument:
    doc: Document
    ingested_at: datetime
    extraction: Extraction
    curation_sha256: str


def _value(store: Store, subject: NamedNode, predicate: NamedNode, graph: NamedNode) -> str | None:
    for quad in store.quads_for_pattern(subject, predicate, None, graph):
        return quad.object.value
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
        for quad in store.quads_for_pattern(None, _TYPE, msme(local), None):
            if isinstance(quad.subject, NamedNode) and quad.subject.value.startswith(vocab.ID):
                known.setdefault(vocab.short_id(quad.subject.value), kind)
    for link in (_MERGED_INTO, SPLIT_INTO):
        for quad in store.quads_for_pattern(None, link, None, None):
            known.setdefault(vocab.short_id(quad.subject.value), "")
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


def _entry_iri(section: str, *parts: object) -> NamedNode:
    digest = hashlib.sha1("|".join(map(str, (section, *parts))).encode()).hexdigest()[:16]
    return vocab.entity_iri(f"curation-{section}-{digest}")


def curation_graph_quads(curation: Curation, texts: dict[str, str] | None = None) -> list[Quad]:
    """The curation graph, from the file alone: the merge entries' links, one msme:Curation node
    per entry (with its reason), and the asserted facts (``texts``: document id -> text, to place quotes).
    """
    g = NamedNode(vocab.CURATION_GRAPH)
    redirects = curation.redirects()
    quads = _link_quads(redirects, g)
    entries: list[tuple[str, object, str, list[str]]] = []
    entries += [("alias", a, _alias_label(a), [a.id] if a.id else []) for a in curation.aliases]
    entries += [("merge", m, f"{', '.join(m.drop)} merged into {m.keep}", [m.keep, *m.drop]) for m in curation.merges]
    entries += [("split", s, f"{s.id} split: {s.as_id}", [s.id, s.as_id]) for s in curation.splits]
    entries += [("reject", r, f"rejected: {r.subject} {r.predicate} {r.object}", [r.subject, r.object])
                for r in curation.rejects]
    entries += [("type", t, f"{t.id}: type {t.type or '-'}, kind {t.kind or '-'}", [t.id]) for t in curation.types]
    for operation, entry, label, ids in entries:
        node = _entry_iri(operation, label)
        quads += [
            Quad(node, _TYPE, msme("Curation"), g),
            Quad(node, msme("operation"), _lit(operation), g),
            Quad(node, NamedNode(RDFS + "label"), _lit(label), g),
        ]
        reason, by = getattr(entry, "reason", None), getattr(entry, "by", None)
        if reason:
            quads.append(Quad(node, msme("reason"), _lit(reason), g))
        if by:
            quads.append(Quad(node, msme("curatedBy"), _lit(by), g))
        quads += [Quad(node, msme("about"), vocab.entity_iri(redirects.get(i, i)), g) for i in ids]
        if isinstance(entry, Reject) and entry.doc:
            quads.append(Quad(node, PROV_DERIVED, vocab.document_iri(entry.doc), g))
    for fact in curation.asserts:
        quads += _asserted_quads(fact, redirects, (texts or {}).get(fact.doc or ""), g)
    return list(dict.fromkeys(quads))


def _asserted_quads(fact: Assert, redirects: dict[str, str], text: str | None, g: NamedNode) -> list[Quad]:
    """An asserted fact: the direct triple and a Statement whose evidence is who asserted it and why."""
    s = vocab.entity_iri(redirects.get(fact.subject, fact.subject))
    o = vocab.entity_iri(redirects.get(fact.object, fact.object))
    prop = msme(vocab.PREDICATE_PROPERTY[fact.predicate])
    st = _entry_iri("assert", s.value, fact.predicate, o.value, fact.doc or "")
    ev, quote_sel = NamedNode(st.value + "-evidence"), NamedNode(st.value + "-quote")
    source = vocab.document_iri(fact.doc) if fact.doc else NamedNode(vocab.CURATION_SOURCE)
    quads = [
        Quad(s, prop, o, g),
        Quad(st, _TYPE, msme("Statement"), g),
        Quad(st, NamedNode(RDF + "subject"), s, g),
        Quad(st, NamedNode(RDF + "predicate"), prop, g),
        Quad(st, NamedNode(RDF + "object"), o, g),
        Quad(st, msme("rule"), _lit("curation:assert"), g),
        Quad(st, msme("confidence"), _lit("1.000", "decimal"), g),
        Quad(st, msme("status"), _lit("asserted"), g),
        Quad(st, msme("reason"), _lit(fact.reason), g),
        Quad(st, msme("assertedBy"), _lit(fact.by), g),
        Quad(st, PROV_DERIVED, source, g),
        Quad(st, msme("evidence"), ev, g),
        Quad(ev, _TYPE, msme("Evidence"), g),
        Quad(ev, NamedNode(OA + "hasSource"), source, g),
        Quad(ev, NamedNode(OA + "hasSelector"), quote_sel, g),
        Quad(quote_sel, _TYPE, NamedNode(OA + "TextQuoteSelector"), g),
        Quad(quote_sel, NamedNode(OA + "exact"), _lit(fact.quote or f"{fact.by}: {fact.reason}"), g),
    ]
    if fact.role:
        quads.append(Quad(st, msme("role"), _lit(fact.role), g))
    start = text.find(fact.quote) if text and fact.quote else -1
    if start >= 0 and fact.quote:
        pos = NamedNode(st.value + "-position")
        quads += [
            Quad(ev, NamedNode(OA + "hasSelector"), pos, g),
            Quad(pos, _TYPE, NamedNode(OA + "TextPositionSelector"), g),
            Quad(pos, NamedNode(OA + "start"), _lit(start, "integer"), g),
            Quad(pos, NamedNode(OA + "end"), _lit(start + len(fact.quote), "integer"), g),
        ]
    return quads


def resolve_id(store: Store, entity_id: str) -> str:
    """The id that stands for ``entity_id`` now: itself, or the id it was merged into (chains followed).

    >>> resolve_id(Store(), "org-itc")
    'org-itc'
    """
    current, seen = entity_id, {entity_id}
    while True:
        try:
            iri = vocab.entity_iri(current)
        except ValueError:  # not an id at all: nothing to redirect
            return current
        target = _value(store, iri, _MERGED_INTO, None)
        if target is None or vocab.short_id(target) in seen:
            return current
        current = vocab.short_id(target)
        seen.add(current)
