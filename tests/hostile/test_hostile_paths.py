"""Hostile paths and crashing work: FIFOs, devices, links out of the folder, escape codes in names, dying workers.

Each ran forever, leaked a file from outside the folder into the graph, wrote raw terminal escapes,
or stopped the run (issue 18, items 4, 6, 15, 16); each is now one FAILED line (or, where the user
allowed it, a read) and the run goes on.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.ingest import parallel
from graph.ingest.pipeline import ingest_paths
from graph.read.reader import walk_documents
from graph.store.core import document_graphs, open_store
from tests.helpers.bounded import run

GOOD = "Ms Ann Lee of the International Trade Centre attended the workshop in Geneva on 3 May 2022.\n"


@pytest.mark.slow
def test_a_fifo_named_directly_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    outcome = run("ingest", str(fifo), "--store", str(tmp_path / "store"), timeout=60)
    assert outcome.code == 3
    [line] = outcome.lines("FAILED")
    assert line.endswith("fifo.txt: a FIFO (named pipe), not a file; refused")
    assert outcome.seconds < 30  # the CLI loads its modules; the refusal itself takes no time


def test_a_device_behind_a_link_is_refused_without_being_read(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "random.md").symlink_to("/dev/urandom")
    from graph.errors import UnreadableDocument
    from graph.read.reader import read_document

    for name in ("zero.txt", "random.md"):
        with pytest.raises(UnreadableDocument, match="a character device, not a file; refused"):
            read_document(tmp_path / name)


def _links(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Mr Bo Ma of the World Bank spoke at the forum.\n")
    (folder / "report.txt").write_text(GOOD)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "outdir").symlink_to(outside, target_is_directory=True)
    (folder / "sub" / "same.txt").symlink_to(folder / "report.txt")  # inside the folder: read
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)  # a loop: never walked twice
    return folder


@pytest.mark.slow
def test_links_out_of_the_folder_are_not_followed(tmp_path):
    folder = _links(tmp_path)
    found = {f.path.relative_to(folder).as_posix(): f for f in walk_documents([folder])}
    assert sorted(found) == ["outdir", "passwd.txt", "report.txt", "secret.txt", "sub/same.txt"]
    for name in ("outdir", "passwd.txt", "secret.txt"):
        assert "outside the folders given; not followed" in found[name].refusal
    assert found["report.txt"].refusal is None and found["sub/same.txt"].refusal is None

    store_path = tmp_path / "store"
    outcome = run("ingest", str(folder), "--store", str(store_path), timeout=300)
    assert outcome.code == 3
    assert len(outcome.lines("FAILED")) == 3
    store = open_store(store_path, read_only=True)
    assert document_graphs(store) == ["report", "same"]
    assert not any("root:" in q.object.value or "Bo Ma" in q.object.value for q in store)


def test_links_are_followed_when_the_user_allows_it_and_loops_end(tmp_path):
    folder = _links(tmp_path)
    found = [f for f in walk_documents([folder], follow_symlinks=True)]
    names = sorted(f.path.relative_to(folder).as_posix() for f in found)
    assert names == ["outdir/secret.txt", "passwd.txt", "report.txt", "secret.txt", "sub/same.txt"]
    assert all(f.refusal is None for f in found)


def test_a_file_swapped_for_a_link_after_listing_is_not_followed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    [found] = list(walk_documents([folder]))
    (folder / "a.txt").unlink()
    (folder / "a.txt").symlink_to("/etc/passwd")
    from graph.errors import UnreadableDocument
    from graph.ingest.pipeline import read_found
    from graph.read.limits import ReadLimits

    with pytest.raises(UnreadableDocument, match="a symbolic link, not followed"):
        read_found(found, ReadLimits())


@pytest.mark.slow
def test_control_characters_in_file_names_are_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b[2J\x07\u202e.txt").write_bytes(b"")  # clears the screen, rings, reverses the line
    (folder / "fine\x1b]0;title\x07.txt").write_text(GOOD)
    outcome = run("ingest", str(folder), "--store", str(tmp_path / "store"), timeout=300)
    assert outcome.code == 3
    for stream in (outcome.out, outcome.err):
        assert "\x1b[2J" not in stream and "\x07" not in stream and "\u202e" not in stream
    [line] = outcome.lines("FAILED")
    assert "evil\\x1b[2J\\x07\\u202e.txt: empty document" in line
    assert any("fine\\x1b]0;title\\x07.txt" in line for line in outcome.err.splitlines())


@pytest.mark.slow
def test_an_error_of_any_kind_in_one_document_is_one_failed_result(tmp_path, monkeypatch):
    """RecursionError, MemoryError, a library's own error: the file fails alone, the run goes on."""
    from graph.ingest import pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c", "d"):
        (folder / f"{name}.txt").write_text(GOOD)
    real = pipeline.ingest_document
    errors = {"a": RecursionError("maximum recursion depth exceeded"), "b": MemoryError(),
              "c": ValueError("invalid literal for int() with base 10: 'abc'")}

    def ingest_document(store, doc, *args, **kwargs):
        if doc.id in errors:
            raise errors[doc.id]
        return real(store, doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_document", ingest_document)
    from pyoxigraph import Store

    results = ingest_paths(Store(), [folder])
    assert [r.status for r in results] == ["failed", "failed", "failed", "added"]
    assert results[0].error == "could not be processed (RecursionError: maximum recursion depth exceeded)"
    assert results[1].error == "could not be processed (MemoryError)"
    assert "ValueError: invalid literal" in results[2].error


@pytest.mark.server
def test_a_worker_that_dies_fails_its_own_document_only():
    """A worker killed mid-document (out of memory, a crash in C) breaks the pool: the pool is replaced,
    the documents that were in flight are run again one at a time, and only the culprit fails."""
    from concurrent.futures.process import BrokenProcessPool

    from tests.helpers.dying import echo_or_die

    workers = parallel._Workers(2, echo_or_die, None)
    jobs = [(item,) for item in ("a", "b", "die", "c", "raise", "d", "e", "f")]
    outcome = {}
    try:
        for job, future in parallel._as_finished(workers, jobs, window=4):
            error = future.exception()
            outcome[job[0]] = type(error).__name__ if error else future.result()
    finally:
        workers.close()
    assert outcome == {"a": "a", "b": "b", "die": BrokenProcessPool.__name__, "c": "c",
                       "raise": "RecursionError", "d": "d", "e": "e", "f": "f"}
