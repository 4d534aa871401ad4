"""What the web pages show, as plain dicts: the home page's counts and lists, search hits, an
entity with its facts and evidence, an event's participants by role, a document's text.

One read layer serves the REST API and the pages: the entity and its facts are read by
:func:`graph.views.lookups.entity_rows` and :func:`graph.views.lookups.fact_rows` (the named
queries ``entity`` and ``entity-facts``, values bound as terms) and only shaped here for the
pages — with the pages' links, the names of documents, and the facts a reader is shown.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import PurePath
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, parse

from graph import vocab
from graph.errors import NotFound, QueryError
from graph.model import PARTICIPATION
from graph.settings import ONTOLOGY_DIR
from graph.sparql.queries import load_queries
from graph.store.protocol import Store
from graph.store.search import SearchIndex
from graph.views import lookups

MAX_QUERY_LENGTH = 200
# the classes of the entities the pages show
PAGE_CLASSES = frozenset(vocab.MSME + c for c in ("Person", "Organisation", "Economy", "Initiative", "Event", "Place"))
# the order in which an event page lists participants
ROLE_ORDER = ("chaired", "moderated", "spoke_at", "presented_at", "organised", "sponsored", "attended", "reported_on")
BROWSE_TYPES = ("person", "organisation", "economy", "initiative", "event", "document")
HOME_LIST_LENGTH = 8


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


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def entity(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity's header, its facts with evidence, and (for events) its participants by role.

    Read from the same rows as the REST look-up (:func:`graph.views.lookups.entity_rows`): an
    entity the page shows has a name and a class of :data:`PAGE_CLASSES`.
    """
    values: dict[str, list[Any]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)  # place, parent or document -> its names
    iri = None
    for row in lookups.entity_rows(store, entity_id):
        iri, prop = row["entity"], _local(row["property"].rsplit("/", 1)[-1])
        if row["value"] not in values[prop]:
            values[prop].append(row["value"])
        if row["valueName"] is not None:
            names[row["value"]].append(row["valueName"])
    classes = [_local(c) for c in values["type"] if c in PAGE_CLASSES]
    if iri is None or not classes or not values["label"]:
        raise NotFound(f"no entity {entity_id!r}")
    kind = _type(min(classes))
    documents = [{"id": vocab.short_id(doc), "title": title, "page": f"/web/document/{vocab.short_id(doc)}"}
                 for doc in values["mentionedIn"] for title in dict.fromkeys(names[doc])]
    titles = {d["id"]: d["title"] for d in documents}
    parents = [p for p in values["partOf"] if names[p]]
    places = [name for place in values["locatedIn"] for name in names[place]]
    out: dict[str, Any] = {
        "id": vocab.short_id(iri),
        "iri": iri,
        "label": min(values["label"]),
        "type": kind,
        "aliases": sorted(set(values["altLabel"])),
        "titles": sorted(set(values["title"])),
        "kind": (values["kind"] or [None])[0],
        "start": min(values["startDate"], default=None),
        "end": min(values["endDate"], default=None),
        "place": min(places, default=None),
        "parent": {"id": vocab.short_id(parents[0]), "label": min(n for p in parents for n in names[p]),
                   "page": page_for(vocab.short_id(parents[0]), "event")} if parents else None,
        "documents": documents,
        "facts": facts(store, entity_id, titles),
    }
    if kind == "event":
        out["participants"] = participants_by_role(out["facts"])
    return out


def facts(store: Store, entity_id: str, titles: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every fact about the entity that is not rejected and whose other end is named and typed.

    Read from the same rows as the REST look-up (:func:`graph.views.lookups.fact_rows`), each
    with the other end, its page and the evidence, ordered by predicate and the other end's name.
    """
    out = []
    for rows in lookups.fact_rows(store, entity_id):
        shown = [r for r in rows if r["otherName"] is not None and r["otherClass"] in PAGE_CLASSES]
        if not shown or shown[0]["status"] == "rejected":
            continue
        first, other_id = shown[0], vocab.short_id(shown[0]["other"])
        other_type = _type(min(_local(r["otherClass"]) for r in shown))
        out.append({
            "direction": "out" if first["direction"] == "subject" else "in",
            "predicate": vocab.PROPERTY_PREDICATE.get(first["property"], first["property"]),
            "other": {"id": other_id, "label": min(r["otherName"] for r in shown), "type": other_type,
                      "page": page_for(other_id, other_type)},
            "role": first["role"],
            "quote": first["quote"],
            "document": _doc_ref(first["document"], titles or {}),
            "start": first["start"],
            "end": first["end"],
            "rule": first["rule"],
            "confidence": first["confidence"],
            "asserted": ({"by": first["assertedBy"], "reason": first["reason"]}
                         if first["status"] == "asserted" else None),
        })
    out.sort(key=lambda fact: (fact["predicate"], fact["other"]["label"]))
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
    rows = lookups.run_named(store, "web-document", docId=doc_id)
    if not rows:
        raise NotFound(f"no document {doc_id!r}")
    row = rows[0]
    named = [
        {"id": vocab.short_id(r["entity"]), "label": r["name"], "type": _type(r["type"]),
         "page": page_for(vocab.short_id(r["entity"]), _type(r["type"]))}
        for r in lookups.run_named(store, "web-document-entities", document=row["document"])
    ]
    return {"id": doc_id, "title": row["title"], "name": file_name(row["source"]), "mediaType": row["mediaType"],
            "text": row["text"], "entities": named}


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
            for d in sorted(lookups.documents(store), key=lambda d: (-(d["facts"] or 0), d["title"] or d["id"]))
        ]
    cls = vocab.MSME + (vocab.TYPE_CLASS.get(entity_type) or entity_type.capitalize())
    return [
        {"id": vocab.short_id(r["entity"]), "label": r["name"], "type": entity_type, "facts": r["facts"],
         "date": r["date"], "page": page_for(vocab.short_id(r["entity"]), entity_type)}
        for r in lookups.run_named(store, "web-browse", **{"class": cls})
    ]


def overview(store: Store) -> dict[str, Any]:
    """The home page: how many of each type, the entities most facts name, the latest events."""
    counts = {_type(r["class"].rsplit("#", 1)[-1]): r["count"] for r in lookups.run_named(store, "stats")}
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
