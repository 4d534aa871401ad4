"""The SPARQL 1.1 Graph Store HTTP Protocol's operations on the store: read, replace, add to, delete a graph.

Run where SPARQL runs (a query worker reads, the writer process writes; see :mod:`graph.sparql.workers`),
so a large graph is read and written with the same time, memory and size limits as a query.

The store's default graph is the set union of the document graphs (:mod:`graph.store.core`); a
named graph written here keeps that union up to date as ingest does, so what is PUT into a
graph is visible to the default-graph queries of ``/sparql`` at once. ``?default`` reads and
writes the default graph itself.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass, field

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse, serialize

from graph.errors import NotFound, QueryError, StoreError, UnsupportedMediaType
from graph.sparql.execute import GRAPH_MEDIA_TYPES, Limits, SparqlAnswer, graph_answer
from graph.store.core import add_quads, remove_graph, replace_graph

# media types a graph may be sent in (GRAPH_MEDIA_TYPES, plus the names clients use for them)
UPLOAD_FORMATS: dict[str, RdfFormat] = {
    **GRAPH_MEDIA_TYPES,
    "application/x-turtle": RdfFormat.TURTLE,
    "text/n-triples": RdfFormat.N_TRIPLES,
    "application/xml": RdfFormat.RDF_XML,
    "text/n3": RdfFormat.N3,
}
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class GraphRead:
    """GET/HEAD of a graph (``graph`` None: the default graph), in the first of ``media_types``."""

    graph: str | None
    media_types: tuple[str, ...]
    limits: Limits = field(default_factory=Limits)
    head: bool = False


@dataclass(frozen=True)
class GraphWrite:
    """PUT (replace), POST (add) or DELETE of a graph; ``graph`` None: the default graph."""

    method: str
    graph: str | None
    body: bytes = b""
    content_type: str = ""
    base_iri: str | None = None


def _graph(iri: str | None) -> NamedNode | DefaultGraph:
    if iri is None:
        return DefaultGraph()
    try:
        return NamedNode(iri)
    except ValueError as err:
        raise QueryError(f"bad graph IRI {iri!r}: {err}") from err


def _exists(store: Store, graph: NamedNode | DefaultGraph) -> bool:
    if isinstance(graph, DefaultGraph):
        return True
    return store.contains_named_graph(graph) or any(True for _ in store.quads_for_pattern(None, None, None, graph))


def read_graph(store: Store, req: GraphRead) -> SparqlAnswer:
    """The triples of one graph, within the byte cap (404 for a named graph the store does not hold)."""
    graph = _graph(req.graph)
    if not _exists(store, graph):
        raise NotFound(f"no graph {req.graph}")
    media = req.media_types[0]
    if req.head:
        return SparqlAnswer(b"", media)
    triples = (q.triple for q in store.quads_for_pattern(None, None, None, graph))
    limits = Limits(max_rows=10**12, max_bytes=req.limits.max_bytes)  # a graph is cut by size only
    return graph_answer(triples, media, limits)


def _parts(body: bytes, content_type: str) -> list[tuple[bytes, str]]:
    """(body, media type) of each part of a multipart/form-data upload."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise QueryError("a multipart/form-data body without parts")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append((payload if isinstance(payload, bytes) else b"", part.get_content_type()))
    return parts


def _triples(body: bytes, media: str, base_iri: str | None) -> list:
    fmt = UPLOAD_FORMATS.get(media)
    if fmt is None:
        raise UnsupportedMediaType(f"cannot read a graph in {media or '(no media type)'}; send one of "
                                   + ", ".join(GRAPH_MEDIA_TYPES))
    try:
        return [q.triple for q in parse(body, format=fmt, base_iri=base_iri, without_named_graphs=True,
                                        rename_blank_nodes=True)]
    except (SyntaxError, ValueError) as err:
        raise QueryError(f"the {media} body does not parse: {err}") from err


def write_graph(store: Store, req: GraphWrite) -> SparqlAnswer:
    """Apply a PUT, POST or DELETE; the answer's ``media_type`` says "created" when the graph is new."""
    if not isinstance(store, Store):
        raise StoreError("the Graph Store Protocol writes to the embedded store only; use the SPARQL server's own")
    graph = _graph(req.graph)
    existed = _exists(store, graph)
    if req.method == "DELETE":
        if not existed:
            raise NotFound(f"no graph {req.graph}")
        if isinstance(graph, DefaultGraph):
            store.update("CLEAR DEFAULT")
        else:
            remove_graph(store, graph)
        return SparqlAnswer(b"", "deleted")
    media = req.content_type.split(";")[0].strip().lower()
    if media == MULTIPART:
        triples = [t for body, part_media in _parts(req.body, req.content_type)
                   for t in _triples(body, part_media, req.base_iri)]
    else:
        triples = _triples(req.body, media, req.base_iri)
    try:
        if isinstance(graph, DefaultGraph):
            data = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
            clear = "CLEAR DEFAULT ;\n" if req.method == "PUT" else ""
            store.update(f"{clear}INSERT DATA {{\n{data}\n}}")
        elif req.method == "PUT":
            replace_graph(store, graph, [Quad(t.subject, t.predicate, t.object, graph) for t in triples])
        else:
            add_quads(store, graph, [Quad(t.subject, t.predicate, t.object, graph) for t in triples])
        if not isinstance(graph, DefaultGraph) and not triples:
            store.add_graph(graph)  # an empty graph PUT or POSTed still exists afterwards
    except OSError as err:
        raise StoreError(f"cannot write the store: {err}") from err
    return SparqlAnswer(b"", "updated" if existed else "created", len(triples))
