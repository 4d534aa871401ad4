"""Turtle and JSON-LD of a network view: the RDF triples behind its nodes and edges.

The subgraph is read with pattern look-ups by IRI (no query text is built from input):
each node's literals, types and document links; every direct relation between two nodes of
the view; and the qualified statements of those relations with their evidence (quote and
position selectors), so the exported file still says where each fact comes from. For
projections (co-attendance, co-partnership) the shared events or initiatives are included.

JSON-LD is compacted with the project's context (``ontology/context.jsonld``, inlined so the file
stands alone): ``{"@id": "id:person-…", "@type": "Person", "attended": "id:event-…"}`` rather
than expanded IRIs everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

import networkx as nx
import rdflib
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from graph import vocab
from graph.errors import ExportError
from graph.settings import ONTOLOGY_DIR
from graph.store.protocol import Store

_RDF_TYPE = NamedNode(vocab.RDF + "type")
_SUBJECT = NamedNode(vocab.RDF + "subject")
_PREDICATE = NamedNode(vocab.RDF + "predicate")
_OBJECT = NamedNode(vocab.RDF + "object")
_EVIDENCE = vocab.msme("evidence")
_SELECTOR = NamedNode(vocab.OA + "hasSelector")
_MENTIONED = vocab.msme("mentionedIn")
RELATIONS = {vocab.msme(p) for p in vocab.PREDICATE_PROPERTY.values()}
HUB_ATTRIBUTES = ("events", "initiatives")

RDF_FORMATS = {"ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD}
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"


@cache
def jsonld_context() -> dict[str, Any]:
    """The project's JSON-LD context: the prefixes of :data:`graph.vocab.PREFIXES` and a short term
    for each class and property the graph uses.

    >>> ctx = jsonld_context()
    >>> ctx["msme"] == vocab.MSME, ctx["attended"]
    (True, {'@id': 'msme:attended', '@type': '@id'})
    """
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def compact_jsonld(triples: list[Triple]) -> bytes:
    """Triples as JSON-LD compacted with the project's context (rdflib's serialiser; pyoxigraph
    writes expanded JSON-LD only)."""
    graph = rdflib.Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, indent=1)
    return text.encode("utf-8")


def view_iris(g: nx.Graph) -> set[NamedNode]:
    """The entities of a view, with the hubs a projection's edges stand for."""
    iris = {NamedNode(d["iri"]) if d.get("iri") else vocab.entity_iri(str(n)) for n, d in g.nodes(data=True)}
    for *_, data in g.edges(data=True):
        for attr in HUB_ATTRIBUTES:
            iris |= {vocab.entity_iri(h) for h in str(data.get(attr) or "").split(";") if h}
    return iris


def _describe(store: Store, subject: NamedNode) -> Iterable[Triple]:
    for quad in store.quads_for_pattern(subject, None, None, None):
        yield quad.triple


def subgraph_triples(store: Store, g: nx.Graph) -> list[Triple]:
    """Every triple of the view, deduplicated across document graphs, in a stable order."""
    nodes = view_iris(g)
    triples: set[Triple] = set()
    for node in nodes:
        for t in _describe(store, node):
            if isinstance(t.object, Literal) or t.predicate in (_RDF_TYPE, _MENTIONED) or t.object in nodes:
                triples.add(t)
            if t.predicate in RELATIONS and t.object in nodes:
                triples |= _statements(store, t)
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _statements(store: Store, relation: Triple) -> set[Triple]:
    """The qualified statements of one direct relation, with evidence and selectors."""
    out: set[Triple] = set()
    for quad in store.quads_for_pattern(None, _SUBJECT, relation.subject, None):
        st = quad.subject
        if not isinstance(st, NamedNode):
            continue
        if not any(store.quads_for_pattern(st, _PREDICATE, relation.predicate, None)):
            continue
        if not any(store.quads_for_pattern(st, _OBJECT, relation.object, None)):
            continue
        for t in _describe(store, st):
            out.add(t)
            if t.predicate == _EVIDENCE and isinstance(t.object, NamedNode):
                for e in _describe(store, t.object):
                    out.add(e)
                    if e.predicate == _SELECTOR and isinstance(e.object, NamedNode):
                        out.update(_describe(store, e.object))
    return out


def write_rdf(store: Store, g: nx.Graph, fmt: str) -> bytes:
    """Turtle (with the project's prefixes) or compact JSON-LD (with its context) of the view."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}; known: {', '.join(RDF_FORMATS)}")
    triples = subgraph_triples(store, g)
    if fmt == "jsonld":
        return compact_jsonld(triples)
    return serialize(triples, format=RDF_FORMATS[fmt], prefixes=vocab.PREFIXES) or b""
