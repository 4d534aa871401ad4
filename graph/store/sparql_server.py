"""A second store backend: any SPARQL 1.1 server (Query, Update, Graph Store Protocol).

For a graph that outgrows one machine (Virtuoso, Fuseki, GraphDB, Neptune). :class:`SparqlStore`
is a :class:`~graph.store.protocol.Store` — ``query`` (with ``substitutions``), ``update``,
``quads_for_pattern``, ``named_graphs``, ``flush``, ``bulk_extend`` — and its own
:class:`~graph.store.protocol.Backend` (``replace_graph``, ``remove_graph``, ``bulk_load``), so every
function of :mod:`graph.store.core` (and so the pipeline, the CLI and the API) runs unchanged on either backend.
Which one is used is a matter of :class:`graph.settings.Settings` (``MSME_KG_BACKEND=sparql``).

Values are never spliced into query text: bound terms are serialised by pyoxigraph (N-Triples
syntax, escaped; an IRI cannot hold ``>``) into a ``VALUES`` block that opens the WHERE clause
(Virtuoso 7.2 mishandles a trailing one), and each query is
parsed locally first, so a query that does not parse never leaves the process. Results come
back as SPARQL JSON and are parsed by pyoxigraph, so callers get the same ``QuerySolutions``
objects as from the embedded store.

Differences from the embedded store, worth knowing:

- As in the embedded store (see :mod:`graph.store.union`), "all documents" is a *set* union: the
  server keeps it in the named graph :data:`UNION_GRAPH`, updated by every write, and queries
  that want it are sent with ``default-graph-uri`` set to it (SPARQL 1.1 Protocol). Its own
  graphs (Virtuoso's ``virtrdf#`` …) are never counted or listed.
- ``replace_graph`` is one HTTP ``PUT`` of the Graph Store Protocol when a GSP URL is set;
  without one it is ``DROP`` then ``INSERT DATA`` in chunks of at most ``chunk`` triples. With
  the union graph's upkeep around it, a document's replacement is several requests: a reader may
  see it half-written, and a crash in between leaves the union to be repaired by re-ingesting it.
- Servers normalise literals (Virtuoso answers ``0.9`` for ``"0.900"^^xsd:decimal``).
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

from graph import vocab
from graph.errors import QueryError, StoreError
from graph.store.protocol import QueryResult, Term
from graph.store.union import UNION_GRAPH, unionable, unshare

__all__ = ["UNION_GRAPH", "SparqlStore", "bind_values"]
_GRAPH_KEYWORD = re.compile(r"\bGRAPH\b", re.IGNORECASE)
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
BULK_BATCH = 50_000  # quads per request of a bulk load


def values_clause(substitutions: dict[Variable, Term]) -> str:
    """A ``VALUES`` block binding each variable to one term, every term escaped by pyoxigraph.

    >>> values_clause({Variable("x"): Literal('a "b" } DROP ALL')})
    'VALUES (?x) { ("a \\\\"b\\\\" } DROP ALL") }'
    """
    names = " ".join(str(v) for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''  # long strings
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''  # short strings
)
_CONSTRUCT_TEMPLATE = re.compile(r"\bCONSTRUCT\s*$", re.IGNORECASE)


def top_level_groups(text: str) -> list[int]:
    """Offsets of the ``{`` that open top-level groups, skipping IRIs, strings and comments.

    >>> q = 'PREFIX a: <http://x/#a> SELECT ("{" AS ?x) # {\\nWHERE { ?s ?p ?o { } }'
    >>> [q[i:i + 3] for i in top_level_groups(q)]
    ['{ ?']
    """
    found, depth, i = [], 0, 0
    while i < len(text):
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        match = (_IRIREF.match(text, i) if c == "<" else _STRING.match(text, i) if c in "'\"" else None)
        if match:
            i = match.end()
            continue
        if c == "{":
            if depth == 0:
                found.append(i)
            depth += 1
        elif c == "}":
            depth -= 1
        i += 1
    return found


def bind_values(query: str, substitutions: dict[Variable, Term]) -> str:
    """The query with a ``VALUES`` block opening its WHERE clause: bound before anything else runs.

    >>> bind_values("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x", {Variable("o"): Literal("v")})
    'SELECT ?x WHERE { VALUES (?o) { ("v") } ?x ?p ?o } ORDER BY ?x'
    """
    groups = top_level_groups(query)
    if groups and _CONSTRUCT_TEMPLATE.search(query[: groups[0]]):
        groups = groups[1:]  # CONSTRUCT { template } WHERE { ... }
    if not groups:
        raise QueryError("cannot find the WHERE clause to bind values in")
    at = groups[0] + 1
    return query[:at] + " " + values_clause(substitutions) + query[at:]


def _prologue(text: str, prefixes: dict[str, str] | None) -> str:
    """PREFIX lines for the prefixes the query does not declare itself."""
    declared = text.lower()
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in (prefixes or {}).items() if f"prefix {p}:" not in declared]
    return "\n".join(lines) + ("\n" if lines else "")


@dataclass
class SparqlStore:
    """A connection to a SPARQL 1.1 server; cheap to create, holds no socket between calls."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0
    chunk: int = 1000
    _opener: urllib.request.OpenerDirector = field(init=False, repr=False)

    def __post_init__(self) -> None:
        handlers: list[urllib.request.BaseHandler] = []
        if self.user:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in filter(None, (self.query_url, self.update_url, self.gsp_url)):
                manager.add_password(None, url, self.user, self.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))  # Virtuoso's /sparql-auth
        self._opener = urllib.request.build_opener(*handlers)

    # -- HTTP -------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, body: bytes | None, content_type: str | None, accept: str) -> bytes:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        if self.user:  # Basic up front (Fuseki, GraphDB); the digest handler answers a digest challenge
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:500]
            if err.code == 400 or (err.code == 500 and "SP0" in detail):  # SP0xx: Virtuoso's SPARQL compiler
                raise QueryError(f"{url} refused the request ({err.code}): {detail}") from err
            raise StoreError(f"{url} answered {err.code}: {detail}") from err
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {err}") from err

    def _form(self, url: str, key: str, text: str, accept: str, extra: list[tuple[str, str]] | None = None) -> bytes:
        # POST_FORM: Virtuoso spins on a direct application/sparql-query POST (NOTES-stores.md)
        body = urllib.parse.urlencode([(key, text), *(extra or [])]).encode()
        return self._request("POST", url, body, "application/x-www-form-urlencoded", accept)

    # -- graph.store.protocol.Store ----------------------------------------------------------------

    def query(
        self,
        query: str,
        /,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = True,
        default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
        substitutions: dict[Variable, Term] | None = None,
    ) -> QueryResult:
        """Run a query on the server; the answer has the types pyoxigraph's ``Store.query`` returns.

        The query is parsed (and the substitutions checked) on an empty local store first.
        """
        if default_graph or named_graphs:
            raise QueryError("default-graph-uri / named-graph-uri are not supported with a SPARQL server backend")
        dataset: list[tuple[str, str]] = []
        if use_default_graph_as_union:
            dataset.append(("default-graph-uri", UNION_GRAPH.value))
            if _GRAPH_KEYWORD.search(query):  # GRAPH ?g must range over the documents, not the union graph too
                dataset += [("named-graph-uri", g.value) for g in self.named_graphs()]
        try:
            form = Store().query(query, substitutions=substitutions or None, prefixes=prefixes)
        except (SyntaxError, RuntimeError) as err:
            raise QueryError(str(err)) from err
        text = _prologue(query, prefixes) + (bind_values(query, substitutions) if substitutions else query)
        if isinstance(form, QueryTriples):
            data = self._form(self.query_url, "query", text, N_TRIPLES, dataset)
            return list(parse(data, format=RdfFormat.N_TRIPLES))
        data = self._form(self.query_url, "query", text, SPARQL_JSON, dataset)
        try:
            return parse_query_results(data, format=QueryResultsFormat.JSON)
        except SyntaxError as err:
            raise StoreError(f"{self.query_url} sent results that are not SPARQL JSON: {data[:200]!r}") from err

    def update(self, update: str) -> None:
        if not self.update_url:
            raise StoreError("no SPARQL Update URL configured (MSME_KG_SPARQL_UPDATE_URL)")
        self._form(self.update_url, "update", update, "*/*")

    def _select(self, query: str, substitutions: dict[Variable, Term] | None = None) -> QuerySolutions:
        """A SELECT over the named graphs as they are (no union)."""
        rows = self.query(query, substitutions=substitutions, use_default_graph_as_union=False)
        if not isinstance(rows, QuerySolutions):
            raise QueryError("not a SELECT query")
        return rows

    def quads_for_pattern(self, subject: NamedNode | BlankNode | Triple | None, predicate: NamedNode | None,
                          obj: Term | None, graph_name: NamedNode | BlankNode | DefaultGraph | None = None,
                          /) -> Iterator[Quad]:
        if isinstance(graph_name, DefaultGraph):  # the server's default graph is not msme-kg's
            return
        given = (("s", subject), ("p", predicate), ("o", obj), ("g", graph_name))
        subs: dict[Variable, Term] = {Variable(k): v for k, v in given if v is not None}
        for row in self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", subs):
            yield Quad(row["s"], row["p"], row["o"], row["g"])

    def named_graphs(self, /) -> Iterator[NamedNode]:
        """msme-kg's graphs only: the documents', the ontology's and the curation's (a server has graphs of
        its own, e.g. Virtuoso's virtrdf#, and the union is not under vocab.GRAPH)."""
        base = Literal(vocab.GRAPH)  # a constant of ours, serialised by pyoxigraph
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {base})) }}"
        for row in self._select(query):
            yield row["g"]

    def flush(self, /) -> None:
        """Nothing to do: the server commits each request."""

    # -- graph.store.protocol.Backend ----------------------------------------------------------------

    union_graph = UNION_GRAPH
    embedded = False

    def default_graph_as_union(self) -> bool:
        """The union graph is asked for as ``default-graph-uri`` when the flag is set (see :meth:`query`)."""
        return True

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> int:
        """Replace one named graph whole (a GSP PUT, or DROP + chunked INSERT DATA), and the union with it."""
        triples = list(dict.fromkeys(q.triple for q in quads if q.graph_name == graph))
        self.update(unshare(graph, UNION_GRAPH))
        if self.gsp_url:
            self._gsp("PUT", graph, triples)
        else:
            self.update(f"DROP SILENT GRAPH {graph}")
            self._insert(graph, triples)
        self._add_to_union(triples)
        return len(triples)

    def remove_graph(self, graph: NamedNode) -> None:
        self.update(unshare(graph, UNION_GRAPH) + f" ;\nDROP SILENT GRAPH {graph}")

    def bulk_load(self, quads: Iterable[Quad], *, batch: int | None = None) -> None:
        self.bulk_extend(quads, batch=batch or BULK_BATCH)

    def _add_to_union(self, triples: list[Triple]) -> None:
        kept = unionable(triples)
        if not kept:
            return
        if self.gsp_url:
            self._gsp("POST", UNION_GRAPH, kept)
        else:
            self._insert(UNION_GRAPH, kept)

    def _gsp(self, method: str, graph: NamedNode, triples: list[Triple]) -> None:
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph.value})}"
        body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
        self._request(method, url, body, N_TRIPLES, "*/*")

    def _insert(self, graph: NamedNode, triples: list[Triple]) -> None:
        for start in range(0, len(triples), self.chunk):
            body = serialize(triples[start : start + self.chunk], format=RdfFormat.N_TRIPLES) or b""
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode()}\n}} }}")

    def bulk_extend(self, quads: Iterable[Quad], /, *, batch: int = BULK_BATCH) -> None:
        """Append many quads: grouped by graph, sent in batches (GSP POST, or INSERT DATA chunks)."""
        pending: dict[NamedNode, list[Triple]] = defaultdict(list)
        held = 0
        for quad in quads:
            if not isinstance(quad.graph_name, NamedNode):
                raise StoreError("a remote store takes named graphs only")
            pending[quad.graph_name].append(quad.triple)
            held += 1
            if held >= batch:
                self._send(pending)
                pending, held = defaultdict(list), 0
        self._send(pending)

    def _send(self, pending: dict[NamedNode, list[Triple]]) -> None:
        for graph, triples in pending.items():
            if self.gsp_url:
                self._gsp("POST", graph, triples)
            else:
                self._insert(graph, triples)
            self._add_to_union(triples)
