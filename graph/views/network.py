"""The graph as a network: one SPARQL query into a networkx MultiDiGraph, then views over it.

Nodes are keyed by the entity's short id (``person-…``, ``event-…``) and carry ``label``,
``type`` (person, organisation, economy, initiative, event, place), ``iri`` and, for events,
``date``. Edges are keyed by their predicate (``attended``, ``partner_of`` …) and carry
``predicate``, ``date`` (the date of the event at either end, if any) and ``weight`` (how many
documents state the fact). Every view is a plain function from a graph to a new graph, so
views compose: ``ego(filter_types(g, {"person", "event"}), "event-x", 2)``.

>>> g = nx.MultiDiGraph()
>>> g.add_node("p1", type="person", label="P1"); g.add_node("p2", type="person", label="P2")
>>> g.add_node("e1", type="event", label="E1", date="2024-03-01")
>>> g.add_edge("p1", "e1", key="attended", predicate="attended", weight=1, date="2024-03-01")
'attended'
>>> g.add_edge("p2", "e1", key="spoke_at", predicate="spoke_at", weight=1, date="2024-03-01")
'spoke_at'
>>> c = coattendance(g, "person")
>>> c.edges["p1", "p2"]["weight"], c.edges["p1", "p2"]["events"]
(1, 'e1')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as calendar_date
from itertools import combinations

import networkx as nx

from graph import vocab
from graph.errors import NotFound, QueryError
from graph.model import PARTICIPATION
from graph.sparql.queries import get_query
from graph.store.core import run_select
from graph.store.protocol import Store

TYPES = ("person", "organisation", "economy", "initiative", "event", "place")
VIEWS = ("whole", "ego", "coattendance", "partnership", "copartnership")
SIZE_METRICS = ("degree", "strength", "betweenness")

# ways a person belongs to an organisation (person -> organisation)
MEMBERSHIP = ("affiliated_with", "holds_role_at", "member_of")
# ways an organisation or economy takes part in an initiative
PARTNERSHIP = ("partner_of", "launched", "member_of")

COMMUNITY_SEED = 42
BETWEENNESS_EXACT_MAX = 300
BETWEENNESS_SAMPLE = 64
BETWEENNESS_BUDGET = 200_000  # sources x edges: about a second of networkx on this machine


def _type_name(cls: str | None) -> str:
    return vocab.CLASS_TYPE.get(cls or "", (cls or "").lower())


def build_network(store: Store) -> nx.MultiDiGraph:
    """The whole graph, from the named query ``network-edges`` (one query, bounded by the store).

    Entities that take part in no relation are not in the network; nor are relations to
    things that are not typed entities.
    """
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, str, int]] = []
    results = run_select(store, get_query("network-edges").text)
    names = [v.value for v in results.variables]
    for solution in results:
        row = dict(zip(names, solution, strict=True))  # by position: cheaper than a name look-up per value
        iri = row["s"].value
        if row["p"] is not None:
            edges.append((iri, row["p"].value, row["o"].value, int(row["documents"].value)))
        elif row["type"] is not None and row["label"] is not None:
            node = {"iri": iri, "label": row["label"].value, "type": _type_name(row["type"].value)}
            if row["date"] is not None:
                node["date"] = row["date"].value
            nodes[iri] = node
    g = nx.MultiDiGraph()
    for s, p, o, documents in sorted(edges):
        if s not in nodes or o not in nodes:
            continue
        predicate = vocab.PROPERTY_PREDICATE.get(p.rsplit("#", 1)[-1], p)
        attrs: dict[str, object] = {"predicate": predicate, "weight": documents}
        date = nodes[o].get("date") or nodes[s].get("date")
        if date:
            attrs["date"] = date
        for iri in (s, o):
            key = vocab.short_id(iri)
            if key not in g:
                g.add_node(key, **nodes[iri])
        g.add_edge(vocab.short_id(s), vocab.short_id(o), key=predicate, **attrs)
    return g


# ---------------------------------------------------------------- views over the whole graph


def ego(g: nx.Graph, focus: str, depth: int = 1) -> nx.Graph:
    """The neighbourhood of ``focus`` up to ``depth`` steps, whatever the edges' direction.

    A breadth-first walk over successors and predecessors: it touches the neighbourhood only,
    not the whole graph (networkx's ``ego_graph(undirected=True)`` copies the whole graph first).
    """
    if focus not in g:
        raise NotFound(f"no entity {focus!r} in the network (it takes part in no relation, or does not exist)")
    if depth < 0:
        raise QueryError(f"depth must be 0 or more, got {depth}")
    seen, frontier = {focus}, [focus]
    for _ in range(depth):
        step = set()
        for node in frontier:
            step.update(g.successors(node) if g.is_directed() else g.neighbors(node))
            if g.is_directed():
                step.update(g.predecessors(node))
        frontier = list(step - seen)
        seen |= step
    return g.subgraph(seen).copy()


def filter_types(g: nx.Graph, types: Iterable[str], *, keep: Iterable[str] = (), copy: bool = True) -> nx.Graph:
    """Only the nodes of the given types (and the nodes in ``keep``, e.g. an ego's focus).

    ``copy=False`` gives a read-only view of ``g`` (cheap on a big graph)."""
    wanted = set(types)
    unknown = wanted - set(TYPES)
    if unknown:
        raise QueryError(f"unknown type(s) {', '.join(sorted(unknown))}; known: {', '.join(TYPES)}")
    kept = set(keep)
    view = g.subgraph(n for n, t in g.nodes(data="type") if t in wanted or n in kept)
    return view.copy() if copy else view


def check_date(value: str) -> str:
    """``value`` if it is a real YYYY, YYYY-MM or YYYY-MM-DD date; else a QueryError saying why.

    >>> check_date("2024-02-29")
    '2024-02-29'
    >>> check_date("2017-13-01")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: bad date '2017-13-01': month must be in 1..12
    """
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise QueryError(f"bad date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) for part in (value + "-01-01").split("-")[:3])
    try:
        calendar_date(year, month, day)
    except ValueError as err:
        raise QueryError(f"bad date {value!r}: {err}") from err
    return value


def _interval(date: str) -> tuple[str, str]:
    """A full or partial ISO date as the first and last day it covers (as comparable strings)."""
    if len(date) >= 10:
        return date[:10], date[:10]
    if len(date) == 7:
        return date + "-01", date + "-31"
    return date[:4] + "-01-01", date[:4] + "-12-31"


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a (possibly partial) date overlaps [since, until]; an unknown date never does.

    >>> in_range("2024", "2024-06-01", None), in_range("2023-12", "2024-01-01", None), in_range(None, "2020", None)
    (True, False, False)
    """
    if not date:
        return False
    first, last = _interval(date)
    return (since is None or last >= _interval(since)[0]) and (until is None or first <= _interval(until)[1])


def filter_dates(g: nx.Graph, since: str | None = None, until: str | None = None) -> nx.Graph:
    """Drop the events outside [since, until] — undated events too, since they cannot be placed —
    and the facts dated outside it; then the nodes left with no edge that had one before.

    Without dates, ``g`` itself is returned (not a copy): the views never change their input."""
    if since is None and until is None:
        return g
    for value in (since, until):
        if value is not None:
            check_date(value)
    h = g.copy()
    h.remove_nodes_from(
        [n for n, d in g.nodes(data=True) if d.get("type") == "event" and not in_range(d.get("date"), since, until)]
    )
    dated_out = [e for e in h.edges(keys=True, data="date") if e[-1] and not in_range(e[-1], since, until)]
    h.remove_edges_from(e[:-1] for e in dated_out)
    h.remove_nodes_from([n for n in list(h) if h.degree(n) == 0 and g.degree(n) > 0])
    return h


def _project(g: nx.Graph, members: dict[str, set[str]], label: str, link: str) -> nx.Graph:
    """Agents linked when they share hubs (events, initiatives): weight = how many they share."""
    p = nx.Graph()
    for agent in members:
        p.add_node(agent, **g.nodes[agent])
    by_hub: dict[str, set[str]] = defaultdict(set)
    for agent, hubs in members.items():
        for hub in hubs:
            by_hub[hub].add(agent)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for hub, agents in by_hub.items():
        for a, b in combinations(sorted(agents), 2):
            shared[a, b].add(hub)
    for (a, b), hubs in shared.items():
        dates = sorted(d for h in hubs if (d := g.nodes[h].get("date")))
        attrs = {"predicate": label, "weight": len(hubs), link: ";".join(sorted(hubs))}
        if dates:
            attrs["date"] = dates[-1]
        p.add_edge(a, b, **attrs)
    return p


def coattendance(g: nx.Graph, kind: str = "person", *, via_members: bool = True) -> nx.Graph:
    """People (or organisations, or economies) linked by the events they took part in together.

    An organisation takes part in an event directly (organised, sponsored, attended …) and,
    with ``via_members``, through the people affiliated with it.
    """
    if kind not in ("person", "organisation", "economy"):
        raise QueryError(f"co-attendance is for person, organisation or economy, not {kind!r}")
    types = nx.get_node_attributes(g, "type")
    events: dict[str, set[str]] = defaultdict(set)
    for s, o, pred in g.edges(data="predicate"):
        if pred in PARTICIPATION and types.get(o) == "event":
            events[s].add(o)
    members = {n: set(events.get(n, ())) for n, t in types.items() if t == kind}
    if kind != "person" and via_members:
        for s, o, pred in g.edges(data="predicate"):
            if pred in MEMBERSHIP and types.get(s) == "person" and o in members:
                members[o] |= events.get(s, set())
    return _project(g, {n: ev for n, ev in members.items() if ev}, "co_attended", "events")


def partnership(g: nx.Graph) -> nx.Graph:
    """Organisations and economies with the initiatives they partner on, launch or belong to."""
    types = nx.get_node_attributes(g, "type")
    b = nx.Graph()
    for s, o, data in g.edges(data=True):
        agent = types.get(s) in ("organisation", "economy")
        if data.get("predicate") in PARTNERSHIP and agent and types.get(o) == "initiative":
            for n, side in ((s, 0), (o, 1)):
                b.add_node(n, **g.nodes[n], bipartite=side)
            if b.has_edge(s, o):
                b.edges[s, o]["weight"] += data.get("weight", 1)
            else:
                b.add_edge(s, o, predicate=data["predicate"], weight=data.get("weight", 1))
    return b


def copartnership(g: nx.Graph) -> nx.Graph:
    """Organisations and economies linked by the initiatives they share (weight = how many)."""
    b = partnership(g)
    members = {n: set(b[n]) for n, side in b.nodes(data="bipartite") if side == 0}
    return _project(b, members, "co_partner", "initiatives")


# ---------------------------------------------------------------- measures as node attributes


def add_measures(g: nx.Graph, size_by: str = "degree") -> nx.Graph:
    """Degree, weighted degree (strength), betweenness, community and a drawing ``size`` on every node (in place).

    Communities are networkx's Louvain with a fixed seed, so the same graph always gets the
    same communities; community 0 is the largest.
    """
    if size_by not in SIZE_METRICS:
        raise QueryError(f"size_by must be one of {', '.join(SIZE_METRICS)}, not {size_by!r}")
    simple = nx.Graph()
    simple.add_nodes_from(g)
    for a, b, w in g.edges(data="weight", default=1):
        if a != b:
            simple.add_edge(a, b, weight=simple.get_edge_data(a, b, {"weight": 0})["weight"] + (w or 1))
    n = simple.number_of_nodes()
    # exact betweenness on small graphs; on big ones an estimate from a seeded sample of sources
    # (O(k·edges) instead of O(nodes·edges)), enough to rank nodes for drawing
    sample = max(8, min(BETWEENNESS_SAMPLE, BETWEENNESS_BUDGET // max(1, simple.number_of_edges())))
    k = None if n <= BETWEENNESS_EXACT_MAX else sample
    between = nx.betweenness_centrality(simple, k=k, seed=COMMUNITY_SEED) if n else {}
    strength = dict(simple.degree(weight="weight"))
    communities = nx.community.louvain_communities(simple, weight="weight", seed=COMMUNITY_SEED) if n else []
    community = {}
    for index, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
        community.update(dict.fromkeys(members, index))
    values = {"degree": dict(simple.degree()), "strength": strength, "betweenness": between}[size_by]
    top = max(values.values(), default=0) or 1
    for node in g:
        g.nodes[node].update(
            degree=simple.degree(node),
            betweenness=round(between.get(node, 0.0), 6),
            strength=strength.get(node, 0),
            community=community.get(node, 0),
            size=round(12 + 48 * (values.get(node, 0) / top) ** 0.5, 2),
        )
    return g


@dataclass(frozen=True)
class NetworkSpec:
    """What to show: a view, optional focus, type and date filters, and the size measure."""

    view: str = "whole"
    focus: str | None = None
    depth: int = 1
    types: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    kind: str = "person"
    size_by: str = "degree"

    def title(self) -> str:
        view = "ego" if self.focus and self.view == "whole" else self.view
        parts = [view if not self.focus else f"{view} of {self.focus} (depth {self.depth})"]
        if self.view == "coattendance":
            parts.append(self.kind)
        if self.types:
            parts.append("types " + ",".join(self.types))
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        return "msme-kg: " + ", ".join(parts)


def select(g: nx.MultiDiGraph, spec: NetworkSpec) -> nx.Graph:
    """Apply a spec to the whole graph: dates, then the view, then types, then the ego, then measures."""
    view = spec.view if not (spec.focus and spec.view == "whole") else "ego"
    if view not in VIEWS:
        raise QueryError(f"unknown view {spec.view!r}; known: {', '.join(VIEWS)}")
    if view == "ego" and not spec.focus:
        raise QueryError("the ego view needs a focus entity (--focus ID)")
    h = filter_dates(g, spec.since, spec.until)
    if view == "coattendance":
        h = coattendance(h, spec.kind)
    elif view == "partnership":
        h = partnership(h)
    elif view == "copartnership":
        h = copartnership(h)
    if spec.focus and spec.focus not in h and spec.focus not in g:
        raise NotFound(f"no entity {spec.focus!r} in the network")
    if spec.types:
        h = filter_types(h, spec.types, keep=[spec.focus] if spec.focus else [], copy=False)
    if spec.focus:
        if spec.focus not in h:
            raise NotFound(f"{spec.focus!r} is not in the {view} view with these filters")
        h = ego(h, spec.focus, spec.depth)
    if h is g or nx.is_frozen(h):  # never write measures into the caller's graph or a view of it
        h = h.copy()
    return add_measures(h, spec.size_by)
