"""The store's operations, each written once for both backends: open, replace a document, count, query, load.

Callers hold a :class:`~graph.store.protocol.Store` (pyoxigraph's embedded store or a
:class:`~graph.store.sparql_server.SparqlStore`) and call these functions; where the backends
differ, the function asks the store's :func:`backend` (:mod:`graph.store.oxigraph`, or the
``SparqlStore`` itself) to do that part. One named graph per document; the union of the documents
is kept beside them (:mod:`graph.store.union`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Variable, parse
from pyoxigraph import Store as OxigraphStore

from graph import vocab
from graph.errors import QueryError, StoreError
from graph.settings import ONTOLOGY_DIR, Settings
from graph.store.oxigraph import BULK_BATCH, Embedded, open_store
from graph.store.protocol import Backend, QueryResult, Store, Term
from graph.store.sparql_server import SparqlStore

__all__ = ["BULK_BATCH", "QueryResult", "open_store"]  # re-exported: the store's one entry point

_COUNT_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"  # ?g bound
_COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } %s }"
_OURS_ONLY = f"FILTER(STRSTARTS(STR(?g), {Literal(vocab.GRAPH)}))"  # a server holds graphs of its own


def backend(store: Store) -> Backend:
    """How ``store`` carries out the writes that differ between backends (the one place that asks which it is).

    >>> backend(open_store(None)).embedded
    True
    """
    if isinstance(store, SparqlStore):
        return store
    if isinstance(store, OxigraphStore):
        return Embedded(store)
    raise TypeError(f"not a store msme-kg knows: {type(store).__name__}")


def is_embedded(store: Store) -> bool:
    """Whether ``store`` lives in this process: a look-up by id costs no network round trip."""
    return backend(store).embedded


def default_graph_as_union(store: Store) -> bool:
    """The ``use_default_graph_as_union`` of ``store.query`` that makes the default graph "all documents"."""
    return backend(store).default_graph_as_union()


def replace_graph(store: Store, graph: NamedNode, quads: Iterable[Quad]) -> int:
    """Drop ``graph`` and write ``quads`` into it; returns the number written.

    The union of the documents is updated with it (in the same transaction on the embedded store).
    """
    return backend(store).replace_graph(graph, quads)


def add_quads(store: Store, graph: NamedNode, quads: Iterable[Quad]) -> int:
    """Add ``quads`` to ``graph`` (what it held is kept) and to the union; embedded store only (Graph Store POST)."""
    target = backend(store)
    if not isinstance(target, Embedded):
        raise StoreError("adding to a graph is done on the embedded store; a SPARQL server has its own Graph Store")
    return target.add_quads(graph, quads)


def remove_graph(store: Store, graph: NamedNode) -> None:
    backend(store).remove_graph(graph)


def graph_sha256(store: Store, doc_id: str) -> str | None:
    """The checksum recorded for a document's current version, or None if not stored."""
    graph = vocab.graph_iri(doc_id)
    sha = NamedNode(vocab.MSME + "sha256")
    for quad in store.quads_for_pattern(vocab.document_iri(doc_id), sha, None, graph):
        return vocab.term_value(quad.object)
    return None


def count_quads(store: Store, graph: NamedNode | None = None) -> int:
    """Quads in msme-kg's named graphs (the union not counted), or in one graph.

    >>> count_quads(open_store(None))
    0
    """
    if graph is not None:  # a substituted variable must be projected
        rows = store.query(_COUNT_GRAPH, substitutions={Variable("g"): graph}, use_default_graph_as_union=False)
    else:
        rows = store.query(_COUNT_ALL % ("" if is_embedded(store) else _OURS_ONLY), use_default_graph_as_union=False)
    return next((int(row["n"].value) for row in _solutions(rows)), 0)


def load_ontology(store: Store, directory: Path = ONTOLOGY_DIR) -> int:
    """(Re)load the ontology and shapes into their own named graph, so SPARQL can use rdfs:subClassOf."""
    graph = NamedNode(vocab.ONTOLOGY_GRAPH)
    quads: list[Quad] = []
    for name in ("msme.ttl", "shapes.ttl"):
        path = directory / name
        if path.exists():
            triples = parse(path=str(path), format=RdfFormat.TURTLE)
            quads += [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    return replace_graph(store, graph, quads)


def run_query(
    store: Store,
    query: str,
    bindings: dict[str, NamedNode | Literal] | None = None,
    *,
    union: bool = True,
) -> QueryResult:
    """Run SPARQL with values bound as terms (never spliced into the text).

    ``union``: the default graph is the union of all document graphs, so queries need no
    GRAPH clause.
    """
    subs: dict[Variable, Term] = {Variable(k): v for k, v in (bindings or {}).items()}
    try:
        return store.query(query, substitutions=subs or None, prefixes=vocab.PREFIXES,
                           use_default_graph_as_union=union and default_graph_as_union(store))
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    except RuntimeError as err:  # e.g. a bound variable missing from the projection
        raise QueryError(str(err)) from err


def run_select(
    store: Store,
    query: str,
    bindings: dict[str, NamedNode | Literal] | None = None,
    *,
    union: bool = True,
) -> QuerySolutions:
    """:func:`run_query` for a SELECT query: its rows (a query of another form is a :class:`QueryError`)."""
    return _solutions(run_query(store, query, bindings, union=union))


def _solutions(results: QueryResult) -> QuerySolutions:
    if not isinstance(results, QuerySolutions):
        raise QueryError("not a SELECT query")
    return results


def document_graphs(store: Store) -> list[str]:
    """Ids of the documents stored (one named graph each)."""
    ids = []
    for g in store.named_graphs():
        if isinstance(g, NamedNode) and g.value.startswith(vocab.GRAPH) and g.value not in (
            vocab.ONTOLOGY_GRAPH,
            vocab.CURATION_GRAPH,
        ):
            ids.append(g.value[len(vocab.GRAPH) :])
    return sorted(ids)


def open_backend(settings: Settings, *, read_only: bool = False) -> Store:
    """The store the settings name: the embedded Oxigraph folder, or a SPARQL 1.1 server.

    >>> open_backend(Settings(backend="sparql", sparql_query_url="http://127.0.0.1:8890/sparql")).query_url
    'http://127.0.0.1:8890/sparql'
    """
    if settings.backend == "sparql":
        if not settings.sparql_query_url:
            raise StoreError("MSME_KG_BACKEND=sparql needs MSME_KG_SPARQL_QUERY_URL")
        return SparqlStore(
            settings.sparql_query_url,
            None if read_only else (settings.sparql_update_url or settings.sparql_query_url),
            None if read_only else settings.sparql_gsp_url,
            settings.sparql_user,
            settings.sparql_password,
            settings.sparql_timeout,
        )
    return open_store(settings.store, read_only=read_only)


def bulk_load_quads(store: Store, quads: Iterable[Quad], *, batch: int | None = None) -> None:
    """Load many quads at once into a new store (``msme-kg synth``, benchmarks), the union with them.

    Not atomic, and not to be run beside other writers (see :meth:`Embedded.bulk_load`). ``batch``:
    quads per call of the loader or per request (the backend's own default when None).

    >>> store = open_store(None)
    >>> g = vocab.graph_iri("d")
    >>> bulk_load_quads(store, [Quad(NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p"), Literal("o"), g)])
    >>> count_quads(store), len(list(run_select(store, "SELECT * WHERE { ?s <http://ex.org/p> ?o }")))
    (1, 1)
    """
    backend(store).bulk_load(quads, batch=batch)


def bulk_load_file(store: Store, path: Path, rdf_format: RdfFormat = RdfFormat.N_QUADS) -> None:
    """Bulk-load a file of document graphs (N-Quads by default) into a new store: see :func:`bulk_load_quads`."""
    try:
        bulk_load_quads(store, parse(path=str(path), format=rdf_format))
    except SyntaxError as err:
        raise StoreError(f"bulk load of {path} failed: {err}") from err
