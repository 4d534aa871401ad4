"""The curation as RDF: curated document graphs and the curation graph, made from records alone.

Each document graph keeps the document's resolved extraction (as JSON, ``msme:extraction``)
and the checksum of the curation it was mapped with (``msme:curationSha256``), so the curation
can be re-applied without NLP (:func:`graph.ingest.curate_store.apply_to_store`).

The curation graph (``vocab.CURATION_GRAPH``) holds what belongs to no document: the facts
people asserted (status "asserted", with who and why as their evidence), ``msme:mergedInto``
(and ``owl:sameAs``) links from merged-away ids to the kept ones — so an old id still
resolves, see :func:`graph.ingest.curate_store.resolve_id` — and one ``msme:Curation`` node per
entry, with its reason.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad

from graph import vocab
from graph.curation.apply import Alias, Assert, Curation, Reject, curate_extraction
from graph.model import Document, Extraction
from graph.rdf.map import extraction_quads
from graph.vocab import OA, OWL, PROV, RDF, RDFS, XSD, msme

EXTRACTION = msme("extraction")
CURATION_SHA = msme("curationSha256")
MERGED_INTO = msme("mergedInto")
SPLIT_INTO = msme("splitInto")
RDF_TYPE = NamedNode(RDF + "type")
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
            Quad(vocab.entity_iri(old), MERGED_INTO, vocab.entity_iri(kept), g),
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
            Quad(node, RDF_TYPE, msme("Curation"), g),
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
        Quad(st, RDF_TYPE, msme("Statement"), g),
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
        Quad(ev, RDF_TYPE, msme("Evidence"), g),
        Quad(ev, NamedNode(OA + "hasSource"), source, g),
        Quad(ev, NamedNode(OA + "hasSelector"), quote_sel, g),
        Quad(quote_sel, RDF_TYPE, NamedNode(OA + "TextQuoteSelector"), g),
        Quad(quote_sel, NamedNode(OA + "exact"), _lit(fact.quote or f"{fact.by}: {fact.reason}"), g),
    ]
    if fact.role:
        quads.append(Quad(st, msme("role"), _lit(fact.role), g))
    start = text.find(fact.quote) if text and fact.quote else -1
    if start >= 0 and fact.quote:
        pos = NamedNode(st.value + "-position")
        quads += [
            Quad(ev, NamedNode(OA + "hasSelector"), pos, g),
            Quad(pos, RDF_TYPE, NamedNode(OA + "TextPositionSelector"), g),
            Quad(pos, NamedNode(OA + "start"), _lit(start, "integer"), g),
            Quad(pos, NamedNode(OA + "end"), _lit(start + len(fact.quote), "integer"), g),
        ]
    return quads
