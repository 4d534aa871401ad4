"""Backup and restore: the whole store as N-Quads (named graphs kept), optionally gzipped.

A dump is the store's own serialisation (``Store.dump``), so every quad, every named graph
and every literal's datatype or language survives. Blank-node labels are kept as written on
load (``rename_blank_nodes=False``), so dump -> load -> dump gives the same quads, byte for
byte once sorted.

Loading refuses a non-empty store unless ``replace`` is given: merging a backup into a live
store would put two versions of the same document into one named graph (two checksums, the
facts of both), which is never what a restore means. The file is parsed once in full before
anything is cleared, so a truncated or corrupted backup is refused with the store untouched.

>>> from pyoxigraph import Literal, NamedNode, Quad, Store
>>> source = Store()
>>> source.add(Quad(NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p"), Literal("é"), NamedNode("http://ex.org/g")))
>>> import io
>>> buffer = io.BytesIO()
>>> dump_store(source, buffer)
1
>>> target = Store()
>>> load_store(target, io.BytesIO(buffer.getvalue()))
1
>>> list(target) == list(source)
True
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, cast

from pyoxigraph import RdfFormat, Store, parse

from graph.errors import BackupError

FORMAT = RdfFormat.N_QUADS
GZIP_MAGIC = b"\x1f\x8b"


HEADER = b"# msme-kg dump: N-Quads, one named graph per document\n"
TRAILER = re.compile(rb"# msme-kg dump end: (\d+) quads\s*$")


class _CountingWriter:
    """Counts the lines written: in N-Quads every quad is one line (newlines in literals are escaped)."""

    def __init__(self, output: BinaryIO) -> None:
        self.output, self.lines = output, 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self.output.write(data)

    def flush(self) -> None:
        self.output.flush()


class _TailReader:
    """Passes reads through, keeping the first and last bytes seen (where header and trailer are)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.head, self.tail = stream, b"", b""

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if len(self.head) < len(HEADER):
            self.head = (self.head + data)[: len(HEADER)]
        self.tail = (self.tail + data)[-200:]
        return data


def dump_store(store: Store, output: BinaryIO) -> int:
    """Write every quad of ``store`` to ``output`` as N-Quads; returns the number written.

    A comment line opens and one closes the dump (with the count), so that ``load`` can tell a
    complete dump from one cut short at a line boundary; other N-Quads tools ignore comments.
    """
    counter = _CountingWriter(output)
    try:
        output.write(HEADER)
        store.dump(cast(IO[bytes], counter), FORMAT)  # pyoxigraph only calls write()
        output.write(b"# msme-kg dump end: %d quads\n" % counter.lines)
    except OSError as err:
        raise BackupError(f"cannot write the dump: {err}") from err
    return counter.lines


def dump_to_path(store: Store, target: Path | None) -> int:
    """Dump to a file (gzip when its name ends in ``.gz``) or to stdout when ``target`` is None.

    The file is written beside its final name and renamed at the end, so an interrupted dump
    never leaves a truncated backup under the name a restore would use.
    """
    if target is None:
        count = dump_store(store, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return count
    partial = target.with_name(f".{target.name}.partial")
    try:
        opener = gzip.open if target.name.endswith(".gz") else open
        with opener(partial, "wb") as output:
            count = dump_store(store, cast(BinaryIO, output))
            output.flush()
            if hasattr(output, "fileno"):
                os.fsync(output.fileno())
        partial.replace(target)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write {target}: {err}") from err
    return count


@contextlib.contextmanager
def _open_source(source: Path | None) -> Iterator[BinaryIO]:
    """A binary reader of the dump: stdin for None, gunzipped when the file starts like gzip."""
    if source is None:
        yield sys.stdin.buffer
        return
    try:
        with source.open("rb") as probe:
            gzipped = probe.read(2) == GZIP_MAGIC
        with (gzip.open(source, "rb") if gzipped else source.open("rb")) as stream:
            yield cast(BinaryIO, stream)
    except FileNotFoundError as err:
        raise BackupError(f"no such file: {source}") from err


def _check(data: BinaryIO) -> int:
    """Parse the whole dump once: the number of quads, or BackupError naming the problem.

    A file that starts with our header must end with our trailer and the count it states.
    """
    reader = _TailReader(data)
    try:
        count = sum(1 for _ in parse(cast(IO[bytes], reader), FORMAT, rename_blank_nodes=False))  # only read()
    except SyntaxError as err:
        raise BackupError(f"not a valid N-Quads dump: {err}") from err
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise BackupError(f"cannot read the dump: {err}") from err
    if reader.head == HEADER:
        trailer = TRAILER.search(reader.tail)
        if trailer is None:
            raise BackupError(f"the dump is incomplete (cut short after {count} quads): its end line is missing")
        if int(trailer.group(1)) != count:
            raise BackupError(f"the dump is damaged: it says {int(trailer.group(1))} quads, {count} were read")
    return count


def load_store(store: Store, data: BinaryIO, *, replace: bool = False) -> int:
    """Load an N-Quads dump into ``store`` with the bulk loader; returns the number of quads loaded.

    ``data`` must be seekable (it is read twice: checked, then loaded). Refuses a store that
    already holds quads unless ``replace`` (which clears it first).
    """
    existing = len(store)
    if existing and not replace:
        raise BackupError(
            f"the store already holds {existing} quads: load into an empty store, or pass --replace to discard them"
        )
    expected = _check(data)
    data.seek(0)
    try:
        if existing:
            store.clear()
        store.bulk_extend(parse(data, FORMAT, rename_blank_nodes=False))
        store.flush()
    except (OSError, SyntaxError) as err:
        raise BackupError(f"the load stopped part-way ({err}); run it again with --replace") from err
    loaded = len(store)
    if loaded > expected or (expected and not loaded):
        raise BackupError(
            f"the dump holds {expected} quads but the store now holds {loaded}; run it again with --replace"
        )
    return loaded


def load_from_path(store: Store, source: Path | None, *, replace: bool = False) -> int:
    """Load a dump file (plain or gzipped N-Quads; stdin for None) into ``store``."""
    if source is None:
        with tempfile.TemporaryFile() as spool:  # stdin cannot be read twice: spool it to disk
            shutil.copyfileobj(sys.stdin.buffer, spool)
            spool.seek(0)
            return load_store(store, spool, replace=replace)
    with _open_source(source) as stream:
        return load_store(store, stream, replace=replace)
