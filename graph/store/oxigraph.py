"""The embedded backend: a pyoxigraph ``Store`` in a folder on disk (or in memory for tests).

A thin layer over pyoxigraph, used as it is. One named graph per document; replacing a
document is a single SPARQL update (one transaction), so readers see a document's facts all or
none, and a crash mid-ingest leaves the previous version whole. The union of the documents
(:mod:`graph.store.union`) is the default graph, kept in the same transaction. A store written
before the union was kept (named graphs, empty default graph) is filled on its first write;
until then queries use Oxigraph's bag union.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, serialize

from graph.errors import StoreError
from graph.store.union import NO_BLANK, in_union, unionable, unshare

BULK_BATCH = 250_000  # quads per call of the bulk loader: bounds its memory (see Embedded.bulk_load)


def is_store(path: Path) -> bool:
    """Whether ``path`` is an embedded store's folder (RocksDB keeps its ``CURRENT`` file there)."""
    return (path / "CURRENT").is_file()


def open_store(path: Path | None, *, read_only: bool = False) -> Store:
    """Open (creating if needed) the store at ``path``; in memory when ``path`` is None.

    A store is created only in a new or empty folder: a folder holding other files (a typo'd
    ``--store seeds``) is refused rather than filled with database files.

    >>> len(open_store(None))
    0
    """
    if path is None:
        return Store()
    try:
        if read_only:
            if not path.exists():
                raise StoreError(f"no store at {path}: run `msme-kg ingest` first")
            return Store.read_only(str(path))
        if path.exists() and not is_store(path) and (not path.is_dir() or any(path.iterdir())):
            raise StoreError(f"{path} is not a store: a store is created only in a new or empty folder")
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(path))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(
                f"the store at {path} is in use by another msme-kg process (a running server?): {err}"
            ) from err
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def has_union_default_graph(store: Store) -> bool:
    """Whether the default graph holds the set union of the document graphs (it is never empty then)."""
    return any(True for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))


def _insert_data(graph: NamedNode | DefaultGraph, quads: Iterable[Quad]) -> str:
    """An INSERT DATA from pyoxigraph terms: N-Triples syntax, so every value is escaped."""
    triples = [q.triple for q in quads]
    body = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
    where = f"GRAPH {graph} {{\n{body}\n}}" if isinstance(graph, NamedNode) else f"\n{body}\n"
    return f"INSERT DATA {{ {where} }}"


class Embedded:
    """The :class:`~graph.store.protocol.Backend` of a pyoxigraph ``Store``."""

    union_graph = DefaultGraph()
    embedded = True

    def __init__(self, store: Store) -> None:
        self.store = store

    def _backfill(self) -> str:
        """An update filling the default graph, for a store written before it was kept (else nothing)."""
        if has_union_default_graph(self.store) or not any(True for _ in self.store.named_graphs()):
            return ""
        return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {NO_BLANK} }} ;\n"

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> int:
        """Drop ``graph``, write ``quads`` into it and keep the union, in one transaction."""
        kept = [q for q in quads if q.graph_name == graph]
        union = [Quad(t.subject, t.predicate, t.object) for t in unionable(q.triple for q in kept)]
        update = (self._backfill() + unshare(graph, self.union_graph) + f" ;\nDROP SILENT GRAPH {graph} ;\n"
                  + _insert_data(graph, kept) + " ;\n" + _insert_data(self.union_graph, union))
        try:
            self.store.update(update)
        except OSError as err:
            raise StoreError(f"cannot write {graph.value}: {err}") from err
        return len(set(kept))

    def add_quads(self, graph: NamedNode, quads: Iterable[Quad]) -> int:
        """Add ``quads`` to ``graph`` (what it held is kept) and to the union, in one transaction."""
        kept = [q for q in quads if q.graph_name == graph]
        union = [Quad(t.subject, t.predicate, t.object) for t in unionable(q.triple for q in kept)]
        try:
            self.store.update(self._backfill() + _insert_data(graph, kept) + " ;\n"
                              + _insert_data(self.union_graph, union))
        except OSError as err:
            raise StoreError(f"cannot write {graph.value}: {err}") from err
        return len(set(kept))

    def remove_graph(self, graph: NamedNode) -> None:
        self.store.update(self._backfill() + unshare(graph, self.union_graph) + f" ;\nDROP SILENT GRAPH {graph}")

    def bulk_load(self, quads: Iterable[Quad], *, batch: int | None = None) -> None:
        """pyoxigraph's bulk loader, each quad also given to the union.

        The loader skips transactions and writes sorted runs straight to disk: many times faster
        than updates, but not atomic, and it must not run beside other writers. The quads go to it
        ``batch`` at a time: it holds a whole call's input in memory (about 2 KB per quad given,
        with its default-graph copy), so one call for 1M triples peaked at 2.0 GB where
        250,000-quad batches peak at 0.67 GB, at any size, for 15 % more load time
        (bench/RESULTS.md, section 4).
        """
        backfill = self._backfill()
        if backfill:
            self.store.update(backfill)  # an older store: fill its default graph first

        def with_union(part: Iterable[Quad]) -> Iterator[Quad]:
            for quad in part:
                yield quad
                if in_union(quad.triple):
                    yield Quad(quad.subject, quad.predicate, quad.object, DefaultGraph())

        batch = batch or BULK_BATCH
        source = iter(quads)
        try:
            while (first := next(source, None)) is not None:
                self.store.bulk_extend(with_union(chain([first], islice(source, batch - 1))))
            # Each batch lands as its own overlapping files; until they are compacted every look-up
            # searches all of them (a by-id look-up 2-4x slower at 1M triples): compact once, now.
            self.store.optimize()
        except OSError as err:
            raise StoreError(f"bulk load failed: {err}") from err

    def default_graph_as_union(self) -> bool:
        """The stored set union when there is one (the default graph), else Oxigraph's bag union of the named graphs."""
        return not has_union_default_graph(self.store)
