"""What the web pages show, as plain dicts: the home page's counts and lists, search hits, an
entity with its facts and evidence, an event's participants by role, a document's text. Each
function runs named queries of ``queries/`` with their parameters bound as terms.

The REST API (api/routes, another module) answers similar questions for programs; these
functions are shaped for the pages, so the two can change independently.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import PurePath
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, parse

from graph import vocab
from graph.errors import NotFound, QueryError
from graph.settings import ONTOLOGY_DIR
from graph.sparql.queries import get_query, load_queries
from graph.store.core import run_query
from graph.store.search import SearchIndex
from graph.views.lookups import documents as document_list
from graph.views.lookups import run_named
from graph.views.network import PARTICIPATION

MAX_QUERY_LENGTH = 200
BROWSE_TYPES = ("person", "organisation", "economy", "initiative", "event", "document")
HOME_LIST_LENGTH = 8
# the order in which an event page lists participants
ROLE_ORDER = ("chaired", "moderated", "spoke_at", "presented_at", "organised", "sponsored", "attended", "reported_on")


def _value(row: Any, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def page_for(entity_id: str, entity_type: str | None) -> str:
    """The web page of an entity: events have their own page.

    >>> page_for("event-x", "event"), page_for("person-y", "person")
    ('/web/event/event-x', '/web/entity/person-y')
    """
    return f"/web/{'event' if entity_type == 'event' else 'entity'}/{entity_id}"


def _type(cls: str | None) -> str:
    return vocab.CLASS_TYPE.get(cls or "", (cls or "").lower())


def search(index: SearchIndex, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Entities by name or alias from the search index (accents, case, acronyms, small typos), best first."""
    text = text.strip()
    if not text:
        return []
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"search text longer than {MAX_QUERY_LENGTH} characters")
    return [
        {"id": hit.id, "label": hit.label, "type": hit.type, "matched": hit.matched, "page": page_for(hit.id, hit.type)}
        for hit in index.search(text, limit=limit)
    ]


def _doc_ref(iri: str | None, titles: dict[str, str]) -> dict[str, str] | None:
    """The document a piece of evidence points into, with its page; None for none — and for the
    curation file, which states asserted facts and has no page (its entry says who and why)."""
    if not iri or iri == vocab.CURATION_SOURCE:
        return None
    doc_id = vocab.short_id(iri)
    return {"id": doc_id, "title": titles.get(doc_id, doc_id), "page": f"/web/document/{doc_id}"}


def entity(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity's header, its facts with evidence, and (for events) its participants by role."""
    query = get_query("web-entity")
    bindings = query.bind({"entity": entity_id})
    rows = [r for r in run_query(store, query.text, bindings) if r["name"] is not None]
    if not rows:
        raise NotFound(f"no entity {entity_id!r}")
    row = rows[0]
    kind = _type(_value(row, "type"))
    documents = []
    for line in (_value(row, "documents") or "").splitlines():
        iri, _, title = line.partition("\t")
        documents.append({"id": vocab.short_id(iri), "title": title, "page": f"/web/document/{vocab.short_id(iri)}"})
    titles = {d["id"]: d["title"] for d in documents}
    parent = _value(row, "parentEvent")
    out: dict[str, Any] = {
        "id": vocab.short_id(row["entity"].value),
        "iri": row["entity"].value,
        "label": _value(row, "name"),
        "type": kind,
        "aliases": sorted(filter(None, (_value(row, "aliases") or "").splitlines())),
        "titles": sorted(filter(None, (_value(row, "titles") or "").splitlines())),
        "kind": _value(row, "kindValue"),
        "start": _value(row, "startDate"),
        "end": _value(row, "endDate"),
        "place": _value(row, "place"),
        "parent": {"id": vocab.short_id(parent), "label": _value(row, "parentLabel"),
                   "page": page_for(vocab.short_id(parent), "event")} if parent else None,
        "documents": documents,
        "facts": facts(store, entity_id, titles),
    }
    if kind == "event":
        out["participants"] = participants_by_role(out["facts"])
    return out


def facts(store: Store, entity_id: str, titles: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every fact about the entity, each with the other end and the evidence for it."""
    query = get_query("web-entity-facts")
    out = []
    for row in run_query(store, query.text, query.bind({"entity": entity_id})):
        prop = row["property"].value.rsplit("#", 1)[-1]
        other_id = vocab.short_id(row["other"].value)
        other_type = _type(_value(row, "otherType"))
        start, end = _value(row, "start"), _value(row, "end")
        out.append({
            "direction": _value(row, "direction"),
            "predicate": vocab.PROPERTY_PREDICATE.get(prop, prop),
            "other": {"id": other_id, "label": _value(row, "otherLabel"), "type": other_type,
                      "page": page_for(other_id, other_type)},
            "role": _value(row, "role"),
            "quote": _value(row, "quote"),
            "document": _doc_ref(_value(row, "doc"), titles or {}),
            "start": int(start) if start else None,
            "end": int(end) if end else None,
            "rule": _value(row, "rule"),
            "confidence": float(c) if (c := _value(row, "confidence")) else None,
            "asserted": {"by": _value(row, "assertedBy"), "reason": _value(row, "reason")}
            if _value(row, "statusValue") == "asserted" else None,
        })
    return out


def participants_by_role(event_facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who took part in the event, grouped by how (chaired, spoke at …), each with their evidence."""
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for fact in event_facts:
        if fact["direction"] != "in" or fact["predicate"] not in PARTICIPATION:
            continue
        person = groups[fact["predicate"]].setdefault(fact["other"]["id"], {**fact["other"], "evidence": []})
        person["evidence"].append({k: fact[k] for k in ("quote", "document", "start", "end", "role", "asserted")})
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    return [
        {"role": role, "participants": sorted(people.values(), key=lambda p: (p["label"] or "").casefold())}
        for role, people in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]


def document(store: Store, doc_id: str) -> dict[str, Any]:
    """A stored document's title, file name, text (the text every evidence offset points into) and
    the entities it names. The file's name, not its path: where it lay on the ingesting machine is
    nobody's business on the web."""
    rows = list(run_query(store, get_query("web-document").text, {"docId": Literal(doc_id)}))
    if not rows:
        raise NotFound(f"no document {doc_id!r}")
    row = rows[0]
    source = _value(row, "source")
    named = [
        {"id": vocab.short_id(r["entity"]), "label": r["name"], "type": _type(r["type"]),
         "page": page_for(vocab.short_id(r["entity"]), _type(r["type"]))}
        for r in run_named(store, "web-document-entities", document=row["document"].value)
    ]
    return {
        "id": doc_id,
        "title": _value(row, "title"),
        "name": file_name(source),
        "mediaType": _value(row, "mediaType"),
        "text": _value(row, "text"),
        "entities": named,
    }


def file_name(source: str | None) -> str | None:
    r"""The last part of a stored source path (POSIX or Windows), or of a URL.

    >>> file_name("/srv/ingest/in/report.docx"), file_name("C:\\docs\\a.pdf"), file_name(None)
    ('report.docx', 'a.pdf', None)
    """
    if not source:
        return None
    return PurePath(source.replace("\\", "/").rstrip("/")).name or source


def browse_list(store: Store, entity_type: str) -> list[dict[str, Any]]:
    """Every entity of a type (or every document), most facts first, for the browse pages."""
    if entity_type not in BROWSE_TYPES:
        raise NotFound(f"no list of {entity_type!r}; lists: {', '.join(BROWSE_TYPES)}")
    if entity_type == "document":
        return [
            {"id": d["id"], "label": d["title"] or d["id"], "type": "document", "facts": d["facts"],
             "page": f"/web/document/{d['id']}"}
            for d in sorted(document_list(store), key=lambda d: (-(d["facts"] or 0), d["title"] or d["id"]))
        ]
    cls = vocab.MSME + (vocab.TYPE_CLASS.get(entity_type) or entity_type.capitalize())
    return [
        {"id": vocab.short_id(r["entity"]), "label": r["name"], "type": entity_type, "facts": r["facts"],
         "date": r["date"], "page": page_for(vocab.short_id(r["entity"]), entity_type)}
        for r in run_named(store, "web-browse", **{"class": cls})
    ]


def overview(store: Store) -> dict[str, Any]:
    """The home page: how many of each type, the entities most facts name, the latest events."""
    counts = {_type(r["class"].rsplit("#", 1)[-1]): r["count"] for r in run_named(store, "stats")}
    lists = {t: browse_list(store, t) for t in BROWSE_TYPES}
    dated = sorted((e for e in lists["event"] if e["date"]), key=lambda e: e["date"], reverse=True)
    return {
        "counts": {**{t: counts.get(t, 0) for t in BROWSE_TYPES}, "fact": counts.get("statement", 0)},
        "top": {t: items[:HOME_LIST_LENGTH] for t, items in lists.items()},
        "latest_events": dated[:HOME_LIST_LENGTH],
    }


def example_queries() -> list[dict[str, Any]]:
    """The named queries of queries/, for the SPARQL page's examples."""
    return [
        {"name": q.name, "summary": q.summary, "text": q.text,
         "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params]}
        for q in load_queries().values()
    ]


_SH = "http://www.w3.org/ns/shacl#"
# (file of ontology/, predicate, object or None) -> the subject (or, for SHACL, the object) is a class / property
_TERM_SOURCES = (
    ("msme.ttl", vocab.RDF + "type", vocab.OWL + "Class", "classes"),
    ("msme.ttl", vocab.RDF + "type", vocab.OWL + "ObjectProperty", "properties"),
    ("msme.ttl", vocab.RDF + "type", vocab.OWL + "DatatypeProperty", "properties"),
    ("shapes.ttl", _SH + "path", None, "properties"),
    ("shapes.ttl", _SH + "targetClass", None, "classes"),
    ("shapes.ttl", _SH + "class", None, "classes"),
)


@cache
def ontology_terms() -> dict[str, list[str]]:
    """The IRIs of the classes and properties the graph uses: those ``ontology/msme.ttl`` declares
    and those the SHACL shapes (``ontology/shapes.ttl``) check, such as ``rdfs:label`` or
    ``oa:exact``. The SPARQL editor completes them after ``a`` and in predicate position,
    instead of asking a web service.

    >>> terms = ontology_terms()
    >>> vocab.MSME + "Person" in terms["classes"], vocab.OA + "exact" in terms["properties"]
    (True, True)
    """
    out: dict[str, set[str]] = {"classes": set(), "properties": set()}
    for name in sorted({source[0] for source in _TERM_SOURCES}):
        for t in parse(path=str(ONTOLOGY_DIR / name), format=RdfFormat.TURTLE):
            for file, predicate, obj, kind in _TERM_SOURCES:
                if file != name or t.predicate.value != predicate:
                    continue
                term = t.subject if obj is not None else t.object
                if (obj is None or t.object.value == obj) and isinstance(term, NamedNode):
                    out[kind].add(term.value)
    return {kind: sorted(iris) for kind, iris in out.items()}
