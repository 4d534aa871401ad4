"""Run one SPARQL request against a store and return the serialised answer as bytes.

This is the code a query worker process runs (see :mod:`graph.sparql.workers`), so it knows
nothing about HTTP: the caller passes the result formats it may answer in, in order of
preference, and gets back bytes and the media type chosen. Answers are capped at
``max_rows`` rows (or triples) and ``max_bytes`` bytes; the answer says which cap cut it.

Every request is first read by :func:`graph.sparql.guard.check` (here, in the worker, never on
the server's event loop): its size and nesting depth are bounded before pyoxigraph's parser
sees it, and SERVICE (federation) and LOAD, which make pyoxigraph fetch URLs from the server,
are refused unless enabled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    serialize,
)
from pyoxigraph import Store as OxigraphStore

from graph import vocab
from graph.errors import NotAcceptable, QueryError, StoreError
from graph.sparql.guard import DEFAULT_MAX_CHARS, DEFAULT_MAX_DEPTH, check, with_using
from graph.sparql.results import serialise_solutions
from graph.store.core import default_graph_as_union
from graph.store.protocol import Store

# media type -> format, in the order offered when the client accepts anything
RESULT_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
# other names clients use for the same formats
MEDIA_TYPE_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/n-triples": "application/n-triples",
}
_BOOLEAN_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
DEFAULT_MAX_BYTES = 32_000_000


@dataclass(frozen=True)
class Limits:
    """What one request may cost: answer rows and bytes, request size and nesting, SERVICE / LOAD."""

    max_rows: int = 10_000
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_chars: int = DEFAULT_MAX_CHARS
    allow_service: bool = False
    allow_load: bool = False


@dataclass(frozen=True)
class SparqlRequest:
    """One query, the formats the client accepts (best first) and the dataset it asked for.

    ``default_graphs`` / ``named_graphs`` are the Protocol's default-graph-uri / named-graph-uri:
    when either is given, they are the whole dataset (the other part is empty if not given).
    """

    query: str
    result_types: tuple[str, ...] = tuple(RESULT_MEDIA_TYPES)
    graph_types: tuple[str, ...] = tuple(GRAPH_MEDIA_TYPES)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    base_iri: str | None = None
    limits: Limits | None = None

    def bounds(self) -> Limits:
        return self.limits or Limits(max_rows=self.max_rows)


@dataclass(frozen=True)
class SparqlUpdate:
    """One update, with the Protocol's using-graph-uri / using-named-graph-uri."""

    update: str
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class SparqlAnswer:
    body: bytes
    media_type: str
    rows: int = 0
    truncated: bool = False
    cap: str | None = None  # "max_rows=N" or "max_bytes=N" when truncated


def _graphs(iris: tuple[str, ...]) -> list[NamedNode]:
    try:
        return [NamedNode(g) for g in iris]
    except ValueError as err:
        raise QueryError(f"bad graph IRI: {err}") from err


def _dataset(req: SparqlRequest, store: Store) -> dict[str, Any]:
    """The query's dataset: the graphs the Protocol's parameters name, else "all documents" (graph.store.union)."""
    if req.default_graphs or req.named_graphs:
        default: list[NamedNode | BlankNode | DefaultGraph] = list(_graphs(req.default_graphs))
        named: list[NamedNode | BlankNode] = list(_graphs(req.named_graphs))
        return {"default_graph": default, "named_graphs": named}
    return {"use_default_graph_as_union": default_graph_as_union(store)}


def _term_size(term: Any) -> int:
    return 0 if term is None else len(term.value) + 24


def capped(items: Iterable[Any], size: Callable[[Any], int], max_rows: int, max_bytes: int
           ) -> tuple[list[Any], str | None]:
    """The first items within both caps, read lazily, and the cap that cut them (None if none did).

    >>> capped(range(10), lambda i: 10, max_rows=5, max_bytes=1000)
    ([0, 1, 2, 3, 4], 'max_rows=5')
    >>> capped(range(10), lambda i: 10, max_rows=50, max_bytes=35)
    ([0, 1, 2], 'max_bytes=35')
    """
    kept: list[Any] = []
    total = 0
    iterator: Iterator[Any] = iter(items)
    for item in islice(iterator, max_rows):
        total += size(item)
        if total > max_bytes:
            return kept, f"max_bytes={max_bytes}"
        kept.append(item)
    if next(iterator, None) is not None:
        return kept, f"max_rows={max_rows}"
    return kept, None


def fit(items: list[Any], render: Callable[[list[Any]], bytes], max_bytes: int, cap: str | None
        ) -> tuple[bytes, int, str | None]:
    """``render(items)``, with items dropped from the end until it fits ``max_bytes``."""
    while True:
        body = render(items)
        if len(body) <= max_bytes:
            return body, len(items), cap
        cap = f"max_bytes={max_bytes}"
        items = items[: int(len(items) * max_bytes / len(body) * 0.9)]


def _select(results: QuerySolutions, media: str, limits: Limits) -> SparqlAnswer:
    variables = [v.value for v in results.variables]
    rows, cap = capped(results, lambda row: sum(_term_size(t) for t in row), limits.max_rows, limits.max_bytes)
    fmt = RESULT_MEDIA_TYPES[media]
    body, n, cap = fit(rows, lambda part: serialise_solutions(variables, part, fmt), limits.max_bytes, cap)
    return SparqlAnswer(body, media, n, cap is not None, cap)


def serialise_graph(triples: list[Any], media: str) -> bytes:
    fmt = GRAPH_MEDIA_TYPES[media]
    prefixes = vocab.PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    return serialize(triples, format=fmt, prefixes=prefixes) or b""


def graph_answer(triples: Iterable[Any], media: str, limits: Limits) -> SparqlAnswer:
    """Triples in ``media``, within the row (triple) and byte caps."""
    kept, cap = capped(triples, lambda t: _term_size(t.subject) + _term_size(t.predicate) + _term_size(t.object),
                       limits.max_rows, limits.max_bytes)
    body, n, cap = fit(kept, lambda part: serialise_graph(part, media), limits.max_bytes, cap)
    return SparqlAnswer(body, media, n, cap is not None, cap)


def execute(store: Store, req: SparqlRequest) -> SparqlAnswer:
    """Run ``req`` on ``store``, checked first (:func:`graph.sparql.guard.check`), within its limits.

    >>> store = OxigraphStore()
    >>> store.update('INSERT DATA { GRAPH <http://g> { <http://a> <http://p> 1, 2, 3 } }')
    >>> answer = execute(store, SparqlRequest("SELECT ?o WHERE { ?s ?p ?o }", max_rows=2))
    >>> answer.media_type, answer.rows, answer.truncated, answer.cap
    ('application/sparql-results+json', 2, True, 'max_rows=2')
    """
    limits = req.bounds()
    check(req.query, allow_service=limits.allow_service, allow_load=limits.allow_load,
          max_depth=limits.max_depth, max_chars=limits.max_chars)
    try:
        options = _dataset(req, store)
        if req.base_iri and isinstance(store, OxigraphStore):  # a SPARQL server resolves against its own
            options["base_iri"] = req.base_iri
        results = store.query(req.query, prefixes=vocab.PREFIXES, **options)
        if isinstance(results, QuerySolutions):
            if not req.result_types:
                raise NotAcceptable("a SELECT query answers in " + ", ".join(RESULT_MEDIA_TYPES))
            return _select(results, req.result_types[0], limits)
        if isinstance(results, QueryBoolean):
            if not req.result_types:
                raise NotAcceptable("an ASK query answers in " + ", ".join(RESULT_MEDIA_TYPES))
            media = req.result_types[0]
            body = results.serialize(format=_BOOLEAN_FORMATS[RESULT_MEDIA_TYPES[media]]) or b""
            return SparqlAnswer(body, media, 1)
        if not req.graph_types:
            raise NotAcceptable("a CONSTRUCT or DESCRIBE query answers in " + ", ".join(GRAPH_MEDIA_TYPES))
        return graph_answer(results, req.graph_types[0], limits)
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    except OSError as err:
        if "io error" in str(err).lower() or "rocksdb" in str(err).lower():
            raise StoreError(f"cannot read the store: {err}") from err
        raise QueryError(str(err)) from err
    except RuntimeError as err:
        raise QueryError(str(err)) from err
    except MemoryError as err:
        raise QueryError(f"the answer does not fit in this worker's memory (cap it with LIMIT): {err}") from err


def execute_update(store: Store, req: SparqlUpdate) -> SparqlAnswer:
    """Run an update (checked, with the Protocol's USING dataset) on a writable store."""
    limits = req.limits
    found = check(req.update, update=True, allow_service=limits.allow_service, allow_load=limits.allow_load,
                  max_depth=limits.max_depth, max_chars=limits.max_chars)
    text = with_using(found, req.using_graphs, req.using_named_graphs)
    try:
        if req.base_iri and isinstance(store, OxigraphStore):
            store.update(text, base_iri=req.base_iri, prefixes=vocab.PREFIXES)
        else:
            store.update(text)
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    except OSError as err:
        if "io error" in str(err).lower() or "rocksdb" in str(err).lower():
            raise StoreError(f"cannot write the store: {err}") from err
        raise QueryError(str(err)) from err  # e.g. an allowed LOAD that cannot fetch its URL
    except RuntimeError as err:
        raise QueryError(str(err)) from err
    return SparqlAnswer(b"", "", 0)
