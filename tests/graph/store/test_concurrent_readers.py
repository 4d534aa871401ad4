"""Readers that open the store read-only while an ingest writes see each document all or none.

The writer is another process (one writer, any number of read-only readers is the model of
graph/store/core.py); the reader here reopens the store in a loop, as a CLI query or a worker
process would, and checks every document graph against the whole version it must match.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time

import pytest
from pyoxigraph import Store

from graph.store.backup import dump_store, load_store
from graph.store.core import document_graphs, graph_sha256, open_store
from tests.helpers.corpus import graph_quads, make_corpus, reference_quads
from tests.helpers.store_writer import P, graph_name
from tests.paths import ROOT as PROJECT_DIR

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _read_loop(writer: subprocess.Popen, store_path, check) -> tuple[int, int]:
    """Reopen the store read-only and ``check`` it until the writer exits: (snapshots, failed opens or reads)."""
    snapshots = failed_opens = 0
    while writer.poll() is None:
        try:
            store = Store.read_only(str(store_path))
        except OSError:  # e.g. the writer is still creating the store
            failed_opens += 1
            time.sleep(0.01)
            continue
        try:
            check(store)
        except RuntimeError as err:  # a file the snapshot needed was compacted away: an error, not torn data
            assert "No such file" in str(err), err
            failed_opens += 1
            continue
        finally:
            del store
        snapshots += 1
        time.sleep(0.05)  # two cores: leave the writer room to write
    return snapshots, failed_opens


def test_readers_see_whole_graph_versions_while_a_writer_replaces_them(tmp_path):
    graphs, size = 5, 1000
    store_path = tmp_path / "store"
    open_store(store_path)  # created (and closed) before the writer starts
    writer = subprocess.Popen([sys.executable, "-m", "tests.helpers.store_writer", str(store_path),
                               "--graphs", str(graphs), "--size", str(size), "--rounds", "40"],
                              cwd=PROJECT_DIR, stdout=subprocess.DEVNULL)
    seen_versions: set[str] = set()

    def check(store: Store) -> None:
        for k in range(graphs):
            versions = [q.object.value for q in store.quads_for_pattern(None, P, None, graph_name(k))]
            assert len(versions) in (0, size) and len(set(versions)) <= 1, (k, len(versions))
            seen_versions.update(versions)

    snapshots, failed_opens = _read_loop(writer, store_path, check)
    assert writer.wait() == 0
    print(f"{snapshots} read-only snapshots, {len(seen_versions)} versions seen, {failed_opens} failed opens, 0 torn")
    assert snapshots >= 3 and len(seen_versions) >= 3  # the reader really ran beside the writer


def test_readers_during_a_real_ingest_see_each_document_all_or_none(tmp_path, nlp):
    paths = make_corpus(tmp_path / "docs", copies=3)
    reference = reference_quads(paths, nlp)
    store_path = tmp_path / "store"
    open_store(store_path)
    writer = subprocess.Popen([sys.executable, "-m", "graph.cli.main", "ingest", str(tmp_path / "docs"),
                               "--store", str(store_path), "--quiet"],
                              cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial_views: set[int] = set()

    def check(store: Store) -> None:
        present = document_graphs(store)
        for doc_id in present:
            assert graph_sha256(store, doc_id), doc_id
            assert graph_quads(store, doc_id) == reference[doc_id], f"{doc_id} seen half-written"
        if 0 < len(present) < len(reference):
            partial_views.add(len(present))

    snapshots, failed_opens = _read_loop(writer, store_path, check)
    assert writer.wait() == 0
    check(open_store(store_path, read_only=True))
    print(f"{snapshots} snapshots during the ingest, {len(partial_views)} distinct partial states, "
          f"{failed_opens} failed opens, 0 half-written documents")
    assert len(partial_views) >= 2  # readers saw the ingest in progress, not only before or after


def test_a_dump_taken_during_writes_restores_whole_graphs(tmp_path):
    """`msme-kg dump` beside a running writer (a server, an ingest) gives a consistent backup."""
    graphs, size = 5, 1000
    store_path = tmp_path / "store"
    open_store(store_path)
    writer = subprocess.Popen([sys.executable, "-m", "tests.helpers.store_writer", str(store_path),
                               "--graphs", str(graphs), "--size", str(size), "--rounds", "40"],
                              cwd=PROJECT_DIR, stdout=subprocess.DEVNULL)
    dumps = []

    def check(store: Store) -> None:
        buffer = io.BytesIO()
        dump_store(store, buffer)
        dumps.append(buffer.getvalue())

    _read_loop(writer, store_path, check)
    assert writer.wait() == 0 and len(dumps) >= 2
    for data in dumps:
        restored = open_store(None)
        load_store(restored, io.BytesIO(data))
        for k in range(graphs):
            versions = [q.object.value for q in restored.quads_for_pattern(None, P, None, graph_name(k))]
            assert len(versions) in (0, size) and len(set(versions)) <= 1, (k, len(versions))
    print(f"{len(dumps)} dumps taken during writes, each restored whole")
