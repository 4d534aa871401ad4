"""Map one document's resolved extraction to RDF quads in the document's named graph.

The only stage that knows RDF. Each relation becomes a direct triple (so that simple SPARQL
stays simple) and a qualified ``msme:Statement`` carrying role, rule, confidence and a Web
Annotation target with quote and position selectors (so that every fact can be traced to
the sentence it came from). IRIs are derived from ids and offsets only, so mapping the same
extraction twice gives the same quads.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad

from graph import vocab
from graph.model import Document, Entity, Event, Extraction, Relation, normalise
from graph.resolve import place_id
from graph.vocab import OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, msme

_TYPE = NamedNode(RDF + "type")
_LABEL = NamedNode(RDFS + "label")
_ALT = NamedNode(SKOS + "altLabel")
_NAME = NamedNode(SCHEMA + "name")
_MENTIONED = msme("mentionedIn")

EVENT_KIND_CLASS = {
    "meeting": "Meeting",
    "workshop": "Workshop",
    "session": "Session",
    "conference": "Conference",
    "forum": "Forum",
    "webinar": "Webinar",
    "ministerial": "Ministerial",
}


def _lit(value: str | float, datatype: str | None = None) -> Literal:
    if datatype:
        return Literal(str(value), datatype=NamedNode(XSD + datatype))
    return Literal(str(value))


def _date(value: str) -> Literal:
    """An ISO date as xsd:date, a partial one (year, year-month) as xsd:gYear/gYearMonth."""
    kinds = {10: "date", 7: "gYearMonth", 4: "gYear"}
    return _lit(value, kinds.get(len(value), "string"))


def statement_id(doc_id: str, rel: Relation, subject_id: str, object_id: str) -> str:
    key = "|".join((doc_id, subject_id, rel.predicate, object_id, str(rel.evidence.start), str(rel.evidence.end)))
    return "stmt-" + hashlib.sha1(key.encode()).hexdigest()[:20]


def document_quads(doc: Document, ingested_at: datetime) -> list[Quad]:
    """Provenance of the document itself, inside its own graph."""
    g = vocab.graph_iri(doc.id)
    d = vocab.document_iri(doc.id)
    return [
        Quad(d, _TYPE, msme("Document"), g),
        Quad(d, _NAME, _lit(doc.title), g),
        Quad(d, _LABEL, _lit(doc.title), g),
        Quad(d, msme("docId"), _lit(doc.id), g),
        Quad(d, msme("sourcePath"), _lit(doc.source), g),
        Quad(d, msme("sha256"), _lit(doc.sha256), g),
        Quad(d, NamedNode(SCHEMA + "encodingFormat"), _lit(doc.media_type), g),
        Quad(d, NamedNode(SCHEMA + "text"), _lit(doc.text), g),
        Quad(d, NamedNode(PROV + "generatedAtTime"), _lit(ingested_at.isoformat(), "dateTime"), g),
    ]


def _entity_quads(kind: str, entity: Entity, doc_id: str, g: NamedNode) -> list[Quad]:
    if not entity.id:
        raise ValueError(f"entity {entity.name!r} has no id: run graph.resolve first")
    s = vocab.entity_iri(entity.id)
    quads = [
        Quad(s, _TYPE, msme(vocab.TYPE_CLASS[kind]), g),
        Quad(s, _LABEL, _lit(entity.name), g),
        Quad(s, _NAME, _lit(entity.name), g),
        Quad(s, _MENTIONED, vocab.document_iri(doc_id), g),
    ]
    quads += [Quad(s, _ALT, _lit(alias), g) for alias in entity.aliases if alias != entity.name]
    kind_value = getattr(entity, "kind", None)
    if kind_value and kind != "event":
        quads.append(Quad(s, msme("kind"), _lit(kind_value), g))
    iso3 = getattr(entity, "iso3", None)
    if iso3:
        quads.append(Quad(s, msme("iso3"), _lit(iso3), g))
    quads += [Quad(s, msme("title"), _lit(t), g) for t in getattr(entity, "titles", ())]
    if isinstance(entity, Event):
        quads += _event_quads(entity, s, g)
    return quads


def _event_quads(event: Event, s: NamedNode, g: NamedNode) -> list[Quad]:
    quads: list[Quad] = []
    cls = EVENT_KIND_CLASS.get(event.kind)
    if cls:
        quads.append(Quad(s, _TYPE, msme(cls), g))
    if event.start:
        quads.append(Quad(s, NamedNode(SCHEMA + "startDate"), _date(event.start), g))
    if event.end:
        quads.append(Quad(s, NamedNode(SCHEMA + "endDate"), _date(event.end), g))
    if event.location:
        place, place_quads = _place(event.location, g)
        quads += [*place_quads, Quad(s, msme("locatedIn"), place, g)]
    return quads


def _place(name: str, g: NamedNode) -> tuple[NamedNode, list[Quad]]:
    """A place kept as written: its IRI and the quads that type and name it."""
    iri = vocab.entity_iri(place_id(name))
    return iri, [Quad(iri, _TYPE, msme("Place"), g), Quad(iri, _LABEL, _lit(name), g)]


def _resolve_term(name: str, lookup: dict, predicate: str, g: NamedNode) -> tuple[str, NamedNode, list[Quad]] | None:
    """Entity id and IRI for a relation end; a plain place for located_in objects."""
    found = lookup.get(normalise(name))
    if found:
        return found[1].id, vocab.entity_iri(found[1].id), []
    if predicate == "located_in":
        iri, quads = _place(name, g)
        return vocab.short_id(iri.value), iri, quads
    return None


def _relation_quads(rel: Relation, doc: Document, lookup: dict, g: NamedNode) -> list[Quad]:
    subject = _resolve_term(rel.subject, lookup, rel.predicate, g)
    obj = _resolve_term(rel.object, lookup, rel.predicate, g)
    if subject is None or obj is None:
        return []
    (sid, s, _), (oid, o, extra) = subject, obj
    prop = msme(vocab.PREDICATE_PROPERTY[rel.predicate])
    st = vocab.entity_iri(statement_id(doc.id, rel, sid, oid))
    ev = NamedNode(st.value + "-evidence")
    quote_sel = NamedNode(st.value + "-quote")
    pos_sel = NamedNode(st.value + "-position")
    text = doc.text
    quads = [
        *extra,
        Quad(s, prop, o, g),
        Quad(st, _TYPE, msme("Statement"), g),
        Quad(st, NamedNode(RDF + "subject"), s, g),
        Quad(st, NamedNode(RDF + "predicate"), prop, g),
        Quad(st, NamedNode(RDF + "object"), o, g),
        Quad(st, msme("rule"), _lit(rel.evidence.rule), g),
        Quad(st, msme("confidence"), _lit(f"{rel.evidence.confidence:.3f}", "decimal"), g),
        Quad(st, msme("status"), _lit(rel.status), g),
        Quad(st, NamedNode(PROV + "wasDerivedFrom"), vocab.document_iri(doc.id), g),
        Quad(st, msme("evidence"), ev, g),
        Quad(ev, _TYPE, msme("Evidence"), g),
        Quad(ev, NamedNode(OA + "hasSource"), vocab.document_iri(doc.id), g),
        Quad(ev, NamedNode(OA + "hasSelector"), quote_sel, g),
        Quad(ev, NamedNode(OA + "hasSelector"), pos_sel, g),
        Quad(quote_sel, _TYPE, NamedNode(OA + "TextQuoteSelector"), g),
        Quad(quote_sel, NamedNode(OA + "exact"), _lit(rel.evidence.quote), g),
        Quad(quote_sel, NamedNode(OA + "prefix"), _lit(text[max(0, rel.evidence.start - 32) : rel.evidence.start]), g),
        Quad(quote_sel, NamedNode(OA + "suffix"), _lit(text[rel.evidence.end : rel.evidence.end + 32]), g),
        Quad(pos_sel, _TYPE, NamedNode(OA + "TextPositionSelector"), g),
        Quad(pos_sel, NamedNode(OA + "start"), _lit(rel.evidence.start, "integer"), g),
        Quad(pos_sel, NamedNode(OA + "end"), _lit(rel.evidence.end, "integer"), g),
    ]
    if rel.role:
        quads.append(Quad(st, msme("role"), _lit(rel.role), g))
    if rel.reason:
        quads.append(Quad(st, msme("reason"), _lit(rel.reason), g))
    if rel.predicate in ("holds_role_at", "affiliated_with", "member_of"):
        quads += [
            Quad(st, _TYPE, NamedNode(ORG + "Membership"), g),
            Quad(st, NamedNode(ORG + "member"), s, g),
            Quad(st, NamedNode(ORG + "organization"), o, g),
        ]
        if rel.role:
            quads.append(Quad(st, NamedNode(ORG + "role"), _lit(rel.role), g))
    if rel.predicate == "part_of":
        quads += [
            Quad(s, NamedNode(SCHEMA + "superEvent"), o, g),
            Quad(o, NamedNode(SCHEMA + "subEvent"), s, g),
        ]
    return quads


def extraction_quads(doc: Document, extraction: Extraction, ingested_at: datetime) -> list[Quad]:
    """Every quad of one document: its provenance, its entities and its relations.

    Duplicates are removed while keeping the first-seen order (deterministic output).
    """
    g = vocab.graph_iri(doc.id)
    quads = document_quads(doc, ingested_at)
    for kind, entity in extraction.entities():
        quads += _entity_quads(kind, entity, doc.id, g)
    lookup = extraction.lookup()
    for event in extraction.events:
        parent = lookup.get(normalise(event.part_of)) if event.part_of else None
        if parent and parent[1].id != event.id:
            child, sup = vocab.entity_iri(event.id), vocab.entity_iri(parent[1].id)
            quads += [
                Quad(child, msme("partOf"), sup, g),
                Quad(child, NamedNode(SCHEMA + "superEvent"), sup, g),
                Quad(sup, NamedNode(SCHEMA + "subEvent"), child, g),
            ]
    for rel in extraction.relations:
        quads += _relation_quads(rel, doc, lookup, g)
    return list(dict.fromkeys(quads))

