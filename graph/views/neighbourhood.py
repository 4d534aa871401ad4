"""An entity's neighbourhood read straight from the store, without building the whole network.

The web page draws an ego network on every entity page; building the whole network for that
costs time in proportion to the store (about 1 s at 210k quads, 3 s at 840k, bench/bench_network.py).
Walking out from the focus with pattern look-ups by IRI costs time in proportion to the
neighbourhood instead. The result is the same graph as ``ego(build_network(store), focus, depth)``
(tests/graph/test_neighbourhood.py checks it node for node and edge for edge).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from pyoxigraph import NamedNode

from graph import vocab
from graph.errors import NotFound, QueryError
from graph.store.protocol import Store

_TYPE = NamedNode(vocab.RDF + "type")
_LABEL = NamedNode(vocab.RDFS + "label")
_START = NamedNode(vocab.SCHEMA + "startDate")
RELATIONS = {vocab.msme(prop): pred for pred, prop in vocab.PREDICATE_PROPERTY.items()}
CLASSES = {vocab.msme(cls): kind for kind, cls in vocab.TYPE_CLASS.items()} | {vocab.msme("Place"): "place"}


def _node(store: Store, iri: NamedNode) -> dict[str, str] | None:
    """Type, label and date of an entity — the same choice as queries/network-edges.rq (the minimum)."""
    types = {CLASSES[q.object] for q in store.quads_for_pattern(iri, _TYPE, None, None)
             if isinstance(q.object, NamedNode) and q.object in CLASSES}
    labels = {vocab.term_value(q.object) for q in store.quads_for_pattern(iri, _LABEL, None, None)}
    if not types or not labels:
        return None
    by_class = {vocab.TYPE_CLASS.get(t, "Place"): t for t in types}
    attrs = {"iri": iri.value, "label": min(labels), "type": by_class[min(by_class)]}
    dates = {vocab.term_value(q.object) for q in store.quads_for_pattern(iri, _START, None, None)}
    if dates:
        attrs["date"] = min(dates)
    return attrs


def _relations(store: Store, iri: NamedNode) -> dict[tuple[NamedNode, str, NamedNode], set]:
    """Every relation touching ``iri``, either way round, with the document graphs stating it."""
    found: dict[tuple[NamedNode, str, NamedNode], set] = defaultdict(set)
    for quad in store.quads_for_pattern(iri, None, None, None):
        if not isinstance(quad.graph_name, NamedNode):
            continue  # the default graph: the union of the documents, not one of them
        if quad.predicate in RELATIONS and isinstance(quad.object, NamedNode):
            found[iri, RELATIONS[quad.predicate], quad.object].add(quad.graph_name)
    for quad in store.quads_for_pattern(None, None, iri, None):
        if not isinstance(quad.graph_name, NamedNode):
            continue
        if quad.predicate in RELATIONS and isinstance(quad.subject, NamedNode):
            found[quad.subject, RELATIONS[quad.predicate], iri].add(quad.graph_name)
    return found


def neighbourhood(store: Store, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The ego network of ``focus`` to ``depth`` steps, with the attributes of :func:`build_network`."""
    if depth < 0:
        raise QueryError(f"depth must be 0 or more, got {depth}")
    try:
        start = vocab.entity_iri(focus)
    except ValueError as err:
        raise NotFound(f"no entity {focus!r}") from err
    info: dict[NamedNode, dict[str, str]] = {}  # the entities of the network, by IRI
    missing: set[NamedNode] = set()

    def node(iri: NamedNode) -> dict[str, str] | None:
        if iri not in info and iri not in missing:
            found = _node(store, iri)
            if found is None:
                missing.add(iri)
            else:
                info[iri] = found
        return info.get(iri)

    edges: dict[tuple[NamedNode, str, NamedNode], set] = {}
    seen, frontier = {start}, [start]
    for _ in range(depth + 1):
        step: set[NamedNode] = set()
        for iri in frontier:
            if node(iri) is None:
                continue
            for (s, pred, o), graphs in _relations(store, iri).items():
                if node(s) is None or node(o) is None:
                    continue
                edges[s, pred, o] = graphs
                step.update((s, o))
        frontier = list(step - seen)
        seen |= step
    if node(start) is None or not any(start in (s, o) for s, _, o in edges):
        raise NotFound(f"no entity {focus!r} in the network (it takes part in no relation, or does not exist)")
    g = nx.MultiDiGraph()
    g.add_node(vocab.short_id(start.value), **info[start])
    keep = _within(start, edges, depth)
    for (s, pred, o), graphs in sorted(edges.items(), key=lambda e: (e[0][0].value, e[0][1], e[0][2].value)):
        if s not in keep or o not in keep:
            continue
        for iri in (s, o):
            key = vocab.short_id(iri.value)
            if key not in g:
                g.add_node(key, **info[iri])
        attrs: dict[str, object] = {"predicate": pred, "weight": len(graphs)}
        date = info[o].get("date") or info[s].get("date")
        if date:
            attrs["date"] = date
        g.add_edge(vocab.short_id(s.value), vocab.short_id(o.value), key=pred, **attrs)
    return g


def _within(start: NamedNode, edges: dict, depth: int) -> set[NamedNode]:
    """The nodes at most ``depth`` steps from the start over the collected edges (either direction)."""
    links: dict[NamedNode, set[NamedNode]] = defaultdict(set)
    for s, _, o in edges:
        links[s].add(o)
        links[o].add(s)
    seen, frontier = {start}, {start}
    for _ in range(depth):
        frontier = {n for f in frontier for n in links[f]} - seen
        seen |= frontier
    return seen
