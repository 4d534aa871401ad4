"""The look-ups behind the REST API, each one a named query of ``queries/`` with bound values.

Every function takes the store and plain strings (ids as the user typed them) and returns
plain dicts with short ids; nothing here knows HTTP. Values reach SPARQL only through
:meth:`graph.sparql.queries.NamedQuery.bind` (RDF terms, never query text), so quotes, braces or
keywords in an id are just characters of a term that matches nothing, or a
:class:`~graph.errors.QueryError` for an id that is not a valid IRI.

>>> from pyoxigraph import Store
>>> entity(Store(), "person-nobody")
Traceback (most recent call last):
...
graph.errors.NotFound: no entity 'person-nobody' in the graph
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode

from graph import vocab
from graph.errors import NotFound, QueryError
from graph.model import PARTICIPATION
from graph.sparql.queries import Param, load_queries, to_term
from graph.store.core import default_graph_as_union, is_embedded, run_select
from graph.store.protocol import Store

Row = dict[str, Any]
_INTEGER = {vocab.XSD + t for t in ("integer", "int", "long", "nonNegativeInteger")}
_DECIMAL = {vocab.XSD + t for t in ("decimal", "double", "float")}


def _value(term: object) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype.value in _INTEGER:
            return int(term.value)
        if term.datatype.value in _DECIMAL:
            return float(term.value)
        return term.value
    if isinstance(term, NamedNode | BlankNode):
        return term.value
    return str(term)


def run_named(store: Store, name: str, **params: str | None) -> list[Row]:
    """Rows of the named query ``name`` with ``params`` bound (None = optional, not bound)."""
    query = load_queries()[name]
    bindings = query.bind({k: v for k, v in params.items() if v is not None})
    results = run_select(store, query.text, bindings)
    names = [v.value for v in results.variables]
    try:
        # by position, not solution[name]: a name look-up per value cost as much as the query
        # itself on a list of 2,000 events (bench/RESULTS.md, section 5)
        return [dict(zip(names, map(_value, solution), strict=True)) for solution in results]
    except (OSError, RuntimeError) as err:
        raise QueryError(f"query {name!r} failed: {err}") from err


def sid(iri: str | None) -> str | None:
    """The short id of one of our IRIs."""
    return vocab.short_id(iri) if iri else None


def _unique(rows: list[Row], *keys: str) -> Iterator[Row]:
    seen: set[tuple] = set()
    for row in rows:
        key = tuple(row.get(k) for k in keys)
        if key not in seen:
            seen.add(key)
            yield row


# what links an entity to a place, a parent event or a document (rows of `entity` with ?valueName)
LINKS = frozenset(vocab.MSME + p for p in ("locatedIn", "partOf", "mentionedIn"))


def entity_rows(store: Store, entity_id: str) -> list[Row]:
    """The rows of the named query ``entity``: one per property and value (links with their names).

    Read by :func:`entity` for the REST API and by :func:`graph.views.browse.entity` for the web page.
    """
    return run_named(store, "entity", entity=entity_id)


def fact_rows(store: Store, entity_id: str) -> list[list[Row]]:
    """The rows of the named query ``entity-facts``, one list per statement, statements in the query's order.

    Read by :func:`entity_facts` for the REST API and by :func:`graph.views.browse.facts` for the web page.
    """
    statements: dict[str, list[Row]] = {}
    for row in run_named(store, "entity-facts", entity=entity_id):
        statements.setdefault(row["statement"], []).append(row)
    return list(statements.values())


def entity(store: Store, entity_id: str) -> Row:
    """Type, names, aliases and attributes of one entity; :class:`NotFound` if the graph lacks it."""
    rows = [row for row in entity_rows(store, entity_id) if row["property"] not in LINKS]
    if not rows:
        raise NotFound(f"no entity {entity_id!r} in the graph")
    iri = rows[0]["entity"]
    by_prop: dict[str, list[Any]] = {}
    for row in rows:
        by_prop.setdefault(row["property"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(row["value"])
    ours = [c.rsplit("#", 1)[-1] for c in by_prop.get("type", []) if c.startswith(vocab.MSME)]
    labels = by_prop.get("label", [])
    return {
        "id": vocab.short_id(iri), "iri": iri, "type": main_type(ours), "classes": ours,
        "name": labels[0] if labels else vocab.short_id(iri), "names": labels,
        "aliases": [a for a in by_prop.get("altLabel", []) if a not in labels],
        "kind": (by_prop.get("kind") or [None])[0], "iso3": (by_prop.get("iso3") or [None])[0],
        "titles": by_prop.get("title", []), "start": (by_prop.get("startDate") or [None])[0],
        "end": (by_prop.get("endDate") or [None])[0],
    }


_CLASSES = "SELECT ?entity ?class WHERE { ?entity a ?class }"
_RDF_TYPE = NamedNode(vocab.RDF + "type")


def classes(store: Store, entity_id: str) -> list[str]:
    """The entity's classes of our ontology (local names), read alone.

    The look-ups by id check the type of what they are given with this: the whole :func:`entity`
    query cost more than most of the look-ups it guarded (bench/bench_http.py).
    """
    term = to_term(Param("entity", "entity"), entity_id)
    if is_embedded(store):  # one index look-up, no SPARQL to parse and plan (0.07 ms less at 1M)
        graph = None if default_graph_as_union(store) else DefaultGraph()
        found = [q.object.value for q in store.quads_for_pattern(term, _RDF_TYPE, None, graph)  # type: ignore[arg-type]
                 if isinstance(q.object, NamedNode)]
    else:
        found = [s["class"].value for s in run_select(store, _CLASSES, {"entity": term})]
    return [c.rsplit("#", 1)[-1] for c in dict.fromkeys(found) if c.startswith(vocab.MSME)]


def main_type(own_classes: list[str]) -> str | None:
    """The API's type of an entity ("person", "event" ...) from its classes of our ontology."""
    main = next((vocab.CLASS_TYPE[c] for c in own_classes if c in vocab.CLASS_TYPE), None)
    return main or (own_classes[0].lower() if own_classes else None)


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def require(store: Store, entity_id: str, *types: str) -> None:
    """:class:`NotFound` unless the entity is in the graph as one of ``types``."""
    found = classes(store, entity_id)
    if not found:
        entity(store, entity_id)  # NotFound when the graph lacks it; an entity without a class of ours is rare
    kind = main_type(found)
    if types and kind not in types:
        raise NotFound(f"{entity_id!r} is {_a(kind or 'thing')}, not {_a(' or '.join(types))}")


def entity_facts(store: Store, entity_id: str) -> list[Row]:
    """Every fact with ``entity_id`` as subject or object, one row per statement."""
    return [{
        "predicate": vocab.PROPERTY_PREDICATE.get(r["property"], r["property"]),
        "direction": r["direction"], "other": sid(r["other"]), "other_name": r["otherName"],
        "role": r["role"], "document": sid(r["document"]), "quote": r["quote"], "start": r["start"],
        "end": r["end"], "rule": r["rule"], "confidence": r["confidence"], "statement": sid(r["statement"]),
        "status": r["status"] or "extracted", "reason": r["reason"], "asserted_by": r["assertedBy"],
    } for r in (rows[0] for rows in fact_rows(store, entity_id))]


def events(store: Store) -> list[Row]:
    rows = run_named(store, "events")
    return [{"id": sid(r["event"]), "name": r["name"], "start": r["start"], "end": r["end"], "place": r["place"],
             "parent": r["parent"]} for r in _unique(rows, "event")]


def event(store: Store, event_id: str) -> Row:
    """An event with its dates, place, parent, sub-events and participants."""
    rows = run_named(store, "event", event=event_id)
    if not rows:
        raise NotFound(f"no event {event_id!r} in the graph")
    r = rows[0]
    subs = run_named(store, "event-subevents", event=event_id)
    return {
        "id": sid(r["event"]), "iri": r["event"], "name": r["name"],
        "kinds": sorted({row["kind"] for row in rows if row["kind"]}),
        "start": r["start"], "end": r["end"],
        "place": {"id": sid(r["place"]), "name": r["placeName"]} if r["place"] else None,
        "parent": {"id": sid(r["parent"]), "name": r["parentName"]} if r["parent"] else None,
        "sub_events": [{"id": sid(s["subEvent"]), "name": s["name"], "start": s["start"], "end": s["end"]}
                       for s in _unique(subs, "subEvent")],
        "participants": _participants(store, event_id),
    }


def participants(store: Store, event_id: str, role: str | None = None) -> list[Row]:
    """Agents of an event with the role the document states; ``role`` keeps one role only.

    ``role="attended"`` also keeps the agents whose role implies attending (spoke at, presented
    at, moderated, chaired: sub-properties of msme:attended in the ontology).
    """
    if role is not None and role not in PARTICIPATION:
        raise QueryError(f"unknown role {role!r}; one of {', '.join(PARTICIPATION)}")
    require(store, event_id, "event")
    return _participants(store, event_id, role)


def _participants(store: Store, event_id: str, role: str | None = None) -> list[Row]:
    """:func:`participants` of an event its caller has already found."""
    rows = run_named(store, "event-participants", event=event_id, role=role)
    out: dict[tuple[str, str], Row] = {}
    for r in rows:
        key = (r["agent"], r["relation"])
        if key not in out:
            out[key] = {"id": sid(r["agent"]), "name": r["name"], "type": r["type"], "role": r["relation"],
                        "evidence": []}
        if r["quote"] or r["document"]:
            ev = {"document": sid(r["document"]), "quote": r["quote"]}
            if ev not in out[key]["evidence"]:
                out[key]["evidence"].append(ev)
    return list(out.values())


def agent_events(store: Store, agent_id: str) -> list[Row]:
    require(store, agent_id, "person", "organisation", "economy")
    rows = run_named(store, "agent-events", agent=agent_id)
    return [{"event": sid(r["event"]), "name": r["eventName"], "role": r["role"], "start": r["start"],
             "end": r["end"], "document": sid(r["document"]), "quote": r["quote"]}
            for r in _unique(rows, "event", "role", "document", "quote")]


def agent_initiatives(store: Store, agent_id: str) -> list[Row]:
    require(store, agent_id, "person", "organisation", "economy")
    rows = run_named(store, "agent-initiatives", agent=agent_id)
    return [{"initiative": sid(r["initiative"]), "name": r["name"], "kind": r["kind"], "role": r["role"],
             "document": sid(r["document"]), "quote": r["quote"]}
            for r in _unique(rows, "initiative", "role", "document", "quote")]


def person_affiliations(store: Store, person_id: str) -> list[Row]:
    require(store, person_id, "person")
    rows = run_named(store, "person-affiliations", person=person_id)
    return [{"organisation": sid(r["organisation"]), "name": r["name"], "type": r["type"],
             "relation": r["relation"], "role": r["role"], "document": sid(r["document"]), "quote": r["quote"]}
            for r in _unique(rows, "organisation", "relation", "role", "document")]


def initiatives(store: Store) -> list[Row]:
    rows = [{"id": sid(r["initiative"]), "name": r["name"], "kind": r["kind"], "partners": r["partners"]}
            for r in run_named(store, "initiatives")]
    return sorted(rows, key=lambda r: ((r["name"] or "").casefold(), r["id"]))


def initiative_partners(store: Store, initiative_id: str) -> list[Row]:
    require(store, initiative_id, "initiative")
    rows = run_named(store, "initiative-partners", initiative=initiative_id)
    out: dict[str, Row] = {}
    for r in rows:
        row = out.setdefault(r["partner"], {"id": sid(r["partner"]), "name": r["partnerName"], "type": r["type"],
                                            "evidence": []})
        ev = {"document": sid(r["document"]), "quote": r["quote"]}
        if (r["quote"] or r["document"]) and ev not in row["evidence"]:
            row["evidence"].append(ev)
    return list(out.values())


def documents(store: Store, document_id: str | None = None) -> list[Row]:
    rows = run_named(store, "documents", document=document_id)
    return [{"id": r["id"], "iri": r["document"], "title": r["title"], "source": r["source"],
             "media_type": r["mediaType"], "sha256": r["sha256"], "ingested": r["ingested"], "facts": r["facts"]}
            for r in _unique(rows, "document")]


def document(store: Store, document_id: str) -> Row:
    """One document and the facts extracted from it."""
    found = documents(store, document_id)
    if not found:
        raise NotFound(f"no document {document_id!r} in the graph")
    facts = run_named(store, "document-facts", document=document_id)
    return {**found[0], "fact_list": [{
        "subject": sid(r["subject"]), "subject_name": r["subjectName"],
        "predicate": vocab.PROPERTY_PREDICATE.get(r["property"], r["property"]),
        "object": sid(r["object"]), "object_name": r["objectName"], "role": r["role"], "quote": r["quote"],
        "start": r["start"], "end": r["end"], "rule": r["rule"], "confidence": r["confidence"],
        "statement": sid(r["statement"]),
    } for r in _unique(facts, "statement")]}
