"""Run one SPARQL request against a store and return the serialised answer as bytes.

This is the code a query worker process runs (see :mod:`graph.sparql.workers`), so it knows
nothing about HTTP: the caller passes the result formats it may answer in, in order of
preference, and gets back bytes and the media type chosen. Rows are capped at
``max_rows`` (the answer says when it was cut).

Federation (SERVICE) and LOAD make pyoxigraph fetch arbitrary URLs from the server, so
:func:`check_features` refuses them unless enabled. pyoxigraph exposes no query algebra,
so the check is lexical, but over the query as the parser sees it: ``\\u`` escapes decoded,
strings, IRIs and comments removed, then the keywords looked for as bare words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

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

from graph import vocab
from graph.errors import FeatureDisabled, NotAcceptable, QueryError, StoreError
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


@dataclass(frozen=True)
class SparqlRequest:
    """One query, the formats the client accepts (best first) and the dataset it asked for."""

    query: str
    result_types: tuple[str, ...] = tuple(RESULT_MEDIA_TYPES)
    graph_types: tuple[str, ...] = tuple(GRAPH_MEDIA_TYPES)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000


@dataclass(frozen=True)
class SparqlAnswer:
    body: bytes
    media_type: str
    rows: int = 0
    truncated: bool = False


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_KEYWORDS = re.compile(r"(?<![\w?$:])(SERVICE|LOAD)(?![\w:])", re.IGNORECASE)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def features_used(text: str) -> set[str]:
    """The guarded keywords (SERVICE, LOAD) used as keywords in a query or update.

    >>> sorted(features_used('SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }'))
    ['SERVICE']
    >>> features_used('SELECT ?service WHERE { ?s <http://x/#LOAD> "SERVICE" } # LOAD')
    set()
    >>> sorted(features_used(r'LO\\u0041D <http://x/>'))
    ['LOAD']
    """
    try:
        decoded = _unescape(text)
    except (ValueError, OverflowError):
        decoded = text
    return {m.group(1).upper() for m in _KEYWORDS.finditer(_NOISE.sub(" ", decoded))}


def check_features(text: str, *, allow_service: bool = False, allow_load: bool = False) -> None:
    """Raise :class:`FeatureDisabled` if ``text`` uses SERVICE or LOAD while not allowed."""
    used = features_used(text)
    if "SERVICE" in used and not allow_service:
        raise FeatureDisabled("SERVICE (federated query) is disabled on this server")
    if "LOAD" in used and not allow_load:
        raise FeatureDisabled("LOAD is disabled on this server")


def _graphs(iris: tuple[str, ...] | list[str]) -> list[NamedNode]:
    try:
        return [NamedNode(g) for g in iris]
    except ValueError as err:
        raise QueryError(f"bad graph IRI: {err}") from err


def execute(store: Store, req: SparqlRequest) -> SparqlAnswer:
    """Run ``req`` on ``store``; the answer is serialised by pyoxigraph except capped SELECT rows.

    >>> from pyoxigraph import Store
    >>> store = Store()
    >>> store.update('INSERT DATA { GRAPH <http://g> { <http://a> <http://p> 1, 2, 3 } }')
    >>> answer = execute(store, SparqlRequest("SELECT ?o WHERE { ?s ?p ?o }", max_rows=2))
    >>> answer.media_type, answer.rows, answer.truncated
    ('application/sparql-results+json', 2, True)
    """
    try:
        default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = None
        named_graphs: list[NamedNode | BlankNode] | None = None
        if req.default_graphs:
            default_graph = list(_graphs(req.default_graphs))
        if req.named_graphs:
            named_graphs = list(_graphs(req.named_graphs))
        # the default graph: the graphs named, else the stored set union of the documents (graph.store.union)
        union = not req.default_graphs and default_graph_as_union(store)
        results = store.query(req.query, prefixes=vocab.PREFIXES, default_graph=default_graph,
                              named_graphs=named_graphs, use_default_graph_as_union=union)
        if isinstance(results, QuerySolutions):
            if not req.result_types:
                raise NotAcceptable("a SELECT query answers in " + ", ".join(RESULT_MEDIA_TYPES))
            media = req.result_types[0]
            variables = [v.value for v in results.variables]
            rows = list(islice(results, req.max_rows + 1))
            truncated = len(rows) > req.max_rows
            rows = rows[: req.max_rows]
            return SparqlAnswer(serialise_solutions(variables, rows, RESULT_MEDIA_TYPES[media]), media, len(rows),
                                truncated)
        if isinstance(results, QueryBoolean):
            if not req.result_types:
                raise NotAcceptable("an ASK query answers in " + ", ".join(RESULT_MEDIA_TYPES))
            media = req.result_types[0]
            body = results.serialize(format=_BOOLEAN_FORMATS[RESULT_MEDIA_TYPES[media]]) or b""
            return SparqlAnswer(body, media, 1)
        if not req.graph_types:
            raise NotAcceptable("a CONSTRUCT or DESCRIBE query answers in " + ", ".join(GRAPH_MEDIA_TYPES))
        media = req.graph_types[0]
        triples = list(islice(results, req.max_rows + 1))
        truncated = len(triples) > req.max_rows
        triples = triples[: req.max_rows]
        fmt = GRAPH_MEDIA_TYPES[media]
        prefixes = vocab.PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
        body = serialize(triples, format=fmt, prefixes=prefixes) or b""
        return SparqlAnswer(body, media, len(triples), truncated)
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    except OSError as err:
        if "io error" in str(err).lower() or "rocksdb" in str(err).lower():
            raise StoreError(f"cannot read the store: {err}") from err
        raise QueryError(str(err)) from err
    except RuntimeError as err:
        raise QueryError(str(err)) from err
