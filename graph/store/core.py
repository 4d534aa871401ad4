"""Where the triples live: an embedded Oxigraph store on disk (or in memory for tests).

A thin layer over pyoxigraph, used as it is. One named graph per document; replacing a
document is a single SPARQL update (one transaction), so readers see a document's facts
all or none, and a crash mid-ingest leaves the previous version whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
    parse,
    serialize,
)

from graph import vocab
from graph.errors import QueryError, StoreError
from graph.settings import ONTOLOGY_DIR, Settings
from graph.store.sparql_server import SparqlStore

BULK_BATCH = 250_000  # quads per call of the bulk loader: bounds its memory (see bulk_load_quads)

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


def open_store(path: Path | None, *, read_only: bool = False) -> Store:
    """Open (creating if needed) the store at ``path``; in memory when ``path`` is None.

    >>> store = open_store(None)
    >>> count_quads(store)
    0
    """
    if path is None:
        return Store()
    try:
        if read_only:
            if not path.exists():
                raise StoreError(f"no store at {path}: run `msme-kg ingest` first")
            return Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(path))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(
                f"the store at {path} is in use by another msme-kg process (a running server?): {err}"
            ) from err
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def _insert_data(graph: NamedNode, quads: Iterable[Quad]) -> str:
    """An INSERT DATA body from pyoxigraph terms: N-Triples syntax, so every value is escaped."""
    triples = [q.triple for q in quads]
    body = serialize(triples, format=RdfFormat.N_TRIPLES) if triples else b""
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode()}\n}} }}"


# The default graph holds the set union of the document graphs (each triple once), kept by every write
# below in the same transaction, so queries never pay for triples repeated across documents. (Oxigraph's
# use_default_graph_as_union is a *bag* union: an entity named in k documents has its label k times,
# and a pattern of n such triples yields k**n rows — people.rq went 535x slower for 10x the data.)
# Triples holding a blank node (only the SHACL shapes have any) stay in their named graph alone.
# A store written before this (named graphs, empty default graph) is filled on its first write;
# until then queries use the bag union.
_NO_BLANK = "FILTER(!isBlank(?s) && !isBlank(?o))"


def _unshare(graph: NamedNode) -> str:
    """Remove from the default graph the triples of ``graph`` that no other named graph holds."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }} ;\n")


def _union_prelude(store: Store) -> str:
    """A backfill of the default graph, for a store written before it was kept."""
    if has_union_default_graph(store) or not any(True for _ in store.named_graphs()):
        return ""
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NO_BLANK} }} ;\n"


_UNION_SEEN: list[Store] = []  # the last store found to hold the union (a Store takes no weak reference)


def has_union_default_graph(store: Store) -> bool:
    """Whether the default graph holds the set union of the document graphs (it is never empty then).

    Asked before every query; a store that holds the union keeps it (every write keeps it up to
    date), so the answer for the last such store is remembered rather than probed per query.
    """
    if _UNION_SEEN and _UNION_SEEN[0] is store:
        return True
    found = any(True for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    if found:
        _UNION_SEEN[:] = [store]
    return found


def dataset_options(store: Store) -> dict[str, bool]:
    """How to ask for "all documents" as the default graph: the stored set union, else the bag union."""
    return {} if has_union_default_graph(store) else {"use_default_graph_as_union": True}


def replace_graph(store: Store, graph: NamedNode, quads: Iterable[Quad]) -> int:
    """Drop ``graph`` and write ``quads`` into it, in one transaction. Returns the number written.

    The default graph (the set union of all document graphs) is updated in the same transaction.
    """
    if isinstance(store, SparqlStore):
        return store.replace_graph(graph, quads)
    quads = [q for q in quads if q.graph_name == graph]
    triples = [q.triple for q in quads if not isinstance(q.subject, BlankNode) and not isinstance(q.object, BlankNode)]
    body = serialize(triples, format=RdfFormat.N_TRIPLES).decode() if triples else ""
    update = (_union_prelude(store) + _unshare(graph) + f"DROP SILENT GRAPH {graph} ;\n"
              + _insert_data(graph, quads) + f" ;\nINSERT DATA {{\n{body}\n}}")
    try:
        store.update(update)
    except OSError as err:
        raise StoreError(f"cannot write {graph.value}: {err}") from err
    return len(set(quads))


def remove_graph(store: Store, graph: NamedNode) -> None:
    if isinstance(store, SparqlStore):
        store.remove_graph(graph)
        return
    store.update(_union_prelude(store) + _unshare(graph) + f"DROP SILENT GRAPH {graph}")


def graph_sha256(store: Store, doc_id: str) -> str | None:
    """The checksum recorded for a document's current version, or None if not stored."""
    graph = vocab.graph_iri(doc_id)
    sha = NamedNode(vocab.MSME + "sha256")
    for quad in store.quads_for_pattern(vocab.document_iri(doc_id), sha, None, graph):
        return quad.object.value
    return None


def count_quads(store: Store, graph: NamedNode | None = None) -> int:
    if isinstance(store, SparqlStore):
        return store.count_quads(graph)
    if graph is not None:  # a substituted variable must be projected
        rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                           substitutions={Variable("g"): graph})
        return next((int(row["n"].value) for row in rows), 0)
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(solutions))["n"].value)


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
    subs = {Variable(k): v for k, v in (bindings or {}).items()}
    options = dataset_options(store) if union and isinstance(store, Store) else {"use_default_graph_as_union": union}
    try:
        return store.query(query, substitutions=subs or None, prefixes=vocab.PREFIXES, **options)
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    except RuntimeError as err:  # e.g. a bound variable missing from the projection
        raise QueryError(str(err)) from err


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


def open_backend(settings: Settings, *, read_only: bool = False) -> Store | SparqlStore:
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


def bulk_load_quads(store: Store | SparqlStore, quads: Iterable[Quad], *, batch: int = BULK_BATCH) -> None:
    """Load many quads at once, for a new store (``msme-kg synth``, benchmarks).

    pyoxigraph's bulk loader skips transactions and writes sorted runs straight to disk: many
    times faster than updates, but not atomic, and it must not run beside other writers. Each
    quad is also added to the default graph (the set union of the documents: see above).

    The quads go to the loader ``batch`` at a time: it holds a whole call's input in memory
    (about 2 KB per quad given, with its default-graph copy), so one call for 1M triples peaked at
    2.0 GB where 250,000-quad batches peak at 0.67 GB, at any size, for 15 % more load time
    (bench/RESULTS.md, section 4).

    >>> store = open_store(None)
    >>> g = vocab.graph_iri("d")
    >>> bulk_load_quads(store, [Quad(NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p"), Literal("o"), g)])
    >>> count_quads(store), len(list(run_query(store, "SELECT * WHERE { ?s <http://ex.org/p> ?o }")))
    (1, 1)
    """
    if isinstance(store, SparqlStore):
        store.bulk_extend(quads)
        return
    if not has_union_default_graph(store) and any(True for _ in store.named_graphs()):
        store.update(_union_prelude(store))  # an older store: fill its default graph first

    def with_union(part: Iterable[Quad]) -> Iterator[Quad]:
        for quad in part:
            yield quad
            if not isinstance(quad.subject, BlankNode) and not isinstance(quad.object, BlankNode):
                yield Quad(quad.subject, quad.predicate, quad.object, DefaultGraph())

    source = iter(quads)
    try:
        while (first := next(source, None)) is not None:
            store.bulk_extend(with_union(chain([first], islice(source, batch - 1))))
        # Each batch lands as its own overlapping files; until they are compacted every look-up
        # searches all of them (a by-id look-up 2-4x slower at 1M triples): compact once, now.
        store.optimize()
    except OSError as err:
        raise StoreError(f"bulk load failed: {err}") from err


def bulk_load_file(store: Store, path: Path, rdf_format: RdfFormat = RdfFormat.N_QUADS) -> None:
    """Bulk-load a file of document graphs (N-Quads by default) into a new store: see :func:`bulk_load_quads`."""
    try:
        bulk_load_quads(store, parse(path=str(path), format=rdf_format))
    except SyntaxError as err:
        raise StoreError(f"bulk load of {path} failed: {err}") from err
