"""What the rest of msme-kg may ask of a store, whichever backend holds the quads.

Two backends exist: pyoxigraph's embedded ``Store`` (a folder on disk, or memory) and
:class:`graph.store.sparql_server.SparqlStore` (any SPARQL 1.1 server over HTTP). Code outside
``graph/store/`` types its store as :class:`Store` and never asks which one it has: the reads it
needs are the methods below, which both have, and the writes that differ between them (replacing
a document's graph, keeping the union of the documents, bulk loading) are functions of
:mod:`graph.store.core`, each written once over a :class:`Backend`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
)

Term = NamedNode | BlankNode | Literal | Triple
# A CONSTRUCT answer is pyoxigraph's QueryTriples from the embedded store, a list of triples from a server.
QueryResult = QuerySolutions | QueryBoolean | QueryTriples | list[Triple]


class Store(Protocol):
    """The part of pyoxigraph's ``Store`` msme-kg uses; :class:`SparqlStore` implements the same over HTTP."""

    def query(
        self,
        query: str,
        /,
        *,
        prefixes: dict[str, str] | None = ...,
        use_default_graph_as_union: bool = ...,
        default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = ...,
        named_graphs: list[NamedNode | BlankNode] | None = ...,
        substitutions: dict[Variable, Term] | None = ...,
    ) -> QueryResult: ...

    def update(self, update: str, /) -> None: ...

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: Term | None,
        graph_name: NamedNode | BlankNode | DefaultGraph | None = ...,
        /,
    ) -> Iterator[Quad]: ...

    def named_graphs(self, /) -> Iterator[NamedNode | BlankNode]: ...

    def bulk_extend(self, quads: Iterable[Quad], /) -> None: ...

    def flush(self, /) -> None: ...


class Backend(Protocol):
    """How one backend carries out the writes that differ between them; see :func:`graph.store.core.backend`.

    Every document graph's triples are also kept, once each, in the union of the documents
    (``union_graph``: the default graph of the embedded store, a named graph on a server), so
    that "all documents" is a set union; each write below keeps it in step.
    """

    @property
    def union_graph(self) -> NamedNode | DefaultGraph:
        """Where the union of the documents is kept."""
        ...

    @property
    def embedded(self) -> bool:
        """The store is msme-kg's alone, in this process: a point look-up costs no network round trip
        (the server answers it on its event loop), and every named graph is msme-kg's."""
        ...

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> int: ...

    def remove_graph(self, graph: NamedNode) -> None: ...

    def bulk_load(self, quads: Iterable[Quad], *, batch: int | None = None) -> None: ...

    def default_graph_as_union(self) -> bool:
        """The ``use_default_graph_as_union`` that makes a query's default graph "all documents"."""
        ...
