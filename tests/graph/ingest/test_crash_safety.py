"""An ingest killed with SIGKILL part-way leaves every completed document whole and no partial one.

Two levels: the store's own transaction (``replace_graph``, killed at random points while it
rewrites large graphs in a loop) and the real ``msme-kg ingest`` command (killed after its
first document, restarted, killed again, then run to the end).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph import vocab
from graph.store.core import document_graphs, graph_sha256, open_store
from tests.helpers.corpus import graph_quads, make_corpus, reference_quads
from tests.helpers.store_writer import P, graph_name
from tests.paths import ROOT as PROJECT_DIR

pytestmark = [pytest.mark.slow, pytest.mark.server]

GRAPHS, SIZE = 5, 2000
KILLS = int(os.environ.get("MSME_KG_CRASH_KILLS", "8"))  # e.g. 100 for a long campaign
INGEST_KILLS = int(os.environ.get("MSME_KG_CRASH_INGEST_KILLS", "2"))


def _assert_whole(store, graphs: int = GRAPHS, size: int = SIZE) -> int:
    """Every test graph holds 0 or ``size`` quads, all of one version; returns how many are full."""
    full = 0
    for k in range(graphs):
        quads = list(store.quads_for_pattern(None, P, None, graph_name(k)))
        versions = {q.object.value for q in quads}
        assert len(quads) in (0, size) and len(versions) <= 1, (k, len(quads), sorted(versions)[:5])
        full += bool(quads)
    return full


def _start(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=PROJECT_DIR, text=True, **kwargs)


def test_replace_graph_is_atomic_under_sigkill(tmp_path):
    rng = random.Random(7)
    store_path = tmp_path / "store"
    kills = 0
    for _ in range(KILLS):
        writer = _start(["-m", "tests.helpers.store_writer", str(store_path), "--graphs", str(GRAPHS),
                         "--size", str(SIZE), "--rounds", "100000"], stdout=subprocess.PIPE)
        for _ in range(rng.randint(1, 5)):  # let it commit a few versions, then kill it mid-update
            assert writer.stdout.readline().startswith("wrote"), "the writer stopped on its own"
        time.sleep(rng.uniform(0, 0.2))  # one replacement takes about 0.15 s
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        kills += writer.returncode == -signal.SIGKILL
        store = open_store(store_path)  # reopening recovers from the write-ahead log
        print(f"killed writer: {_assert_whole(store)}/{GRAPHS} graphs whole, 0 torn")
        del store
    assert kills == KILLS


def _ingest(folder: Path, store_path: Path) -> subprocess.Popen:
    return _start(["-m", "graph.cli.main", "ingest", str(folder), "--store", str(store_path)],
                  stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)


def _added_lines(proc: subprocess.Popen, first_added: threading.Event, lines: list[str]) -> None:
    for line in proc.stderr:
        for part in line.split("\r"):
            if part.startswith("added"):
                lines.append(part)
                first_added.set()


def test_a_killed_ingest_keeps_every_completed_document_whole(tmp_path, nlp):
    paths = make_corpus(tmp_path / "docs", copies=3)
    reference = reference_quads(paths, nlp)
    store_path = tmp_path / "store"
    rng = random.Random(11)
    present_before = 0
    killed_mid_ingest = 0
    for _ in range(INGEST_KILLS):
        proc = _ingest(tmp_path / "docs", store_path)
        first, lines = threading.Event(), []
        reader = threading.Thread(target=_added_lines, args=(proc, first, lines), daemon=True)
        reader.start()
        assert first.wait(120), "no document was added"
        time.sleep(rng.uniform(0, 0.4))
        killed_mid_ingest += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(10)

        store = open_store(store_path, read_only=True)
        present = document_graphs(store)
        assert len(present) >= present_before + 1  # what was completed stays; the first `added` line is in
        for doc_id in present:
            assert graph_sha256(store, doc_id), doc_id
            assert graph_quads(store, doc_id) == reference[doc_id], f"{doc_id} is not whole"
        present_before = len(present)
        print(f"killed ingest: {present_before}/{len(paths)} documents whole, 0 partial")
        del store
    assert killed_mid_ingest >= 1, "every ingest finished before the kill: nothing was tested"

    proc = _ingest(tmp_path / "docs", store_path)
    first, lines = threading.Event(), []
    _added_lines(proc, first, lines)
    assert proc.wait(300) == 0
    assert len(lines) == len(paths) - present_before  # completed documents were not redone
    store = open_store(store_path, read_only=True)
    assert document_graphs(store) == sorted(reference)
    for doc_id, quads in reference.items():
        assert graph_quads(store, doc_id) == quads, doc_id
    ontology = list(store.quads_for_pattern(None, None, None, vocab.graph_iri("_ontology")))
    assert len(ontology) > 100
