"""What the web pages show, as plain dicts: search hits, an entity with its facts and evidence,
an event's participants by role, a document's text. Each function runs one named query of
``queries/web-*.rq`` with its parameters bound as terms.

The REST API (api/routes, another module) answers similar questions for programs; these
functions are shaped for the pages, so the two can change independently.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pyoxigraph import Literal, Store

from graph import vocab
from graph.errors import NotFound, QueryError
from graph.sparql.queries import get_query, load_queries
from graph.store.core import run_query
from graph.store.search import SearchIndex
from graph.views.network import PARTICIPATION

MAX_QUERY_LENGTH = 200
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
    if not iri:
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
        })
    return out


def participants_by_role(event_facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who took part in the event, grouped by how (chaired, spoke at …), each with their evidence."""
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for fact in event_facts:
        if fact["direction"] != "in" or fact["predicate"] not in PARTICIPATION:
            continue
        person = groups[fact["predicate"]].setdefault(fact["other"]["id"], {**fact["other"], "evidence": []})
        person["evidence"].append({k: fact[k] for k in ("quote", "document", "start", "end", "role")})
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    return [
        {"role": role, "participants": sorted(people.values(), key=lambda p: (p["label"] or "").casefold())}
        for role, people in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]


def document(store: Store, doc_id: str) -> dict[str, Any]:
    """A stored document's title and text (the text every evidence offset points into)."""
    rows = list(run_query(store, get_query("web-document").text, {"docId": Literal(doc_id)}))
    if not rows:
        raise NotFound(f"no document {doc_id!r}")
    row = rows[0]
    return {
        "id": doc_id,
        "title": _value(row, "title"),
        "source": _value(row, "source"),
        "mediaType": _value(row, "mediaType"),
        "text": _value(row, "text"),
    }


def example_queries() -> list[dict[str, Any]]:
    """The named queries of queries/, for the SPARQL page's examples."""
    return [
        {"name": q.name, "summary": q.summary, "text": q.text,
         "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params]}
        for q in load_queries().values()
    ]
