"""A server's read-only handle sees every write of ``msme-kg ingest``: StoreWatch notices each kind of write."""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from graph.sparql.workers import RefreshingStore, StoreWatch
from graph.store.core import open_store

EX = "https://example.org/"


def _quad(n: int) -> Quad:
    return Quad(NamedNode(f"{EX}s{n}"), NamedNode(f"{EX}p"), NamedNode(f"{EX}o{n}"), NamedNode(f"{EX}g"))


def test_a_write_to_the_log_a_flush_and_nothing_at_all(tmp_path):
    path = tmp_path / "store"
    writer = open_store(path)
    writer.add(_quad(0))
    writer.flush()
    watch = StoreWatch(path)
    before = watch.signature()
    assert watch.signature() == before  # nothing written: nothing changed

    writer.add(_quad(1))  # appended to the write-ahead log only
    after_log = watch.signature()
    assert after_log != before

    writer.flush()  # a new table file: the folder changes
    after_flush = watch.signature()
    assert after_flush != after_log
    assert watch.signature() == after_flush


def test_a_refreshing_store_shows_each_write_on_the_next_get(tmp_path):
    path = tmp_path / "store"
    writer = open_store(path)
    writer.add(_quad(0))
    writer.flush()
    reader = RefreshingStore(path)
    first = reader.get()
    assert len(first) == 1
    assert reader.get() is first  # unchanged: the same handle, no reopening
    for n in range(1, 4):
        writer.add(_quad(n))
        assert len(reader.get()) == n + 1
    writer.flush()
    assert len(reader.get()) == 4
