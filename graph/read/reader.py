"""Read a file into a :class:`Document`: its text, id and checksum.

Only this module and the store touch disk. Offsets of every later stage refer to
``Document.text``, so the reader is the one place that decides what the text is.

A file is opened once, without blocking and (unless the caller allows it) without following a
symbolic link, and everything is decided on that open file: a FIFO, a device or a folder is
refused instead of being read (``ingest fifo.txt`` would otherwise wait forever), and a file
swapped for a link after the folder was listed is not followed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from graph.errors import DocumentTooLarge, UnreadableDocument
from graph.model import Document
from graph.read.limits import ReadLimits
from graph.read.text import decode

TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown"}
RICH_SUFFIXES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MEDIA_TYPES = {**TEXT_SUFFIXES, **RICH_SUFFIXES}
SUPPORTED_SUFFIXES = tuple(MEDIA_TYPES)
BYTES_PER_CHAR = 4
"""A character takes at most 4 bytes in any encoding the readers accept: the cap on a file's size."""


def doc_id_for(path: Path) -> str:
    """A stable, IRI-safe id from the file name (re-ingesting the same name replaces it).

    >>> doc_id_for(Path("seeds/000_ccb6c9cf5474de64.txt"))
    '000_ccb6c9cf5474de64'
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.")
    return stem or "document"


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with control and bidi-override characters escaped, safe to print on a terminal.

    A file name may hold any byte but ``/`` and NUL: an escape sequence in one must not reach the
    terminal that prints the ingest report.

    >>> printable("in/evil\\x1b[2J\\u202etxt.exe")
    'in/evil\\\\x1b[2J\\\\u202etxt.exe'
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: Path, max_bytes: int, *, follow_symlinks: bool = True, limit: str = "") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is refused before it is read.

    ``limit`` says the limit in the caller's words for the message (default: ``max_bytes`` bytes).

    The file is checked by name first (so a device is never even opened), then opened without
    blocking and checked again on the open descriptor, which is what is read.
    """
    try:
        mode = (os.stat if follow_symlinks else os.lstat)(path).st_mode
    except OSError as err:
        raise UnreadableDocument(f"{path}: cannot read ({err.strerror})") from err
    if stat.S_ISLNK(mode):
        raise UnreadableDocument(f"{path}: a symbolic link, not followed")
    if kind := _not_regular(mode):
        raise UnreadableDocument(f"{path}: {kind}, not a file; refused")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnreadableDocument(f"{path}: a symbolic link, not followed") from err
        raise UnreadableDocument(f"{path}: cannot read ({err.strerror})") from err
    limit = limit or f"{max_bytes:,} bytes"
    try:
        info = os.fstat(fd)
        if kind := _not_regular(info.st_mode):  # swapped since the check by name
            raise UnreadableDocument(f"{path}: {kind}, not a file; refused")
        if info.st_size > max_bytes:
            raise DocumentTooLarge(f"{path}: too large ({info.st_size:,} bytes; the limit is {limit})")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # the file grew after it was checked
                raise DocumentTooLarge(f"{path}: too large (more than {max_bytes:,} bytes; the limit is {limit})")
        return b"".join(chunks)
    except OSError as err:
        raise UnreadableDocument(f"{path}: cannot read ({err.strerror})") from err
    finally:
        os.close(fd)


def read_document(path: Path, limits: ReadLimits | None = None, *, follow_symlinks: bool = True) -> Document:
    """Read one supported file; raise :class:`UnreadableDocument` with the reason otherwise.

    ``limits`` bound the work (:class:`~graph.read.limits.ReadLimits`); ``follow_symlinks`` False
    refuses a file that is a symbolic link when it is opened.
    """
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise UnreadableDocument(f"{path}: unsupported file type {suffix or '(none)'}")
    data = read_bytes(path, BYTES_PER_CHAR * limits.max_chars, follow_symlinks=follow_symlinks,
                      limit=f"{limits.max_chars:,} characters")
    title = ""
    if suffix == ".txt":
        text = decode(data, str(path))
    elif suffix == ".md":
        from graph.read.markdown import read_markdown

        text, title = read_markdown(decode(data, str(path)))
    else:
        from graph.read.rich import read_rich

        text, title = read_rich(data, suffix, str(path), limits)
    if not text.strip():
        raise UnreadableDocument(f"{path}: empty document (no text)")
    if len(text) > limits.max_chars:
        raise DocumentTooLarge(f"{path}: too large ({len(text):,} characters; the limit is {limits.max_chars:,})")
    title = title or next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    return Document(
        id=doc_id_for(path),
        title=title[:300],
        text=text,
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=MEDIA_TYPES[suffix],
    )


class Found(NamedTuple):
    """A file to ingest: its path, whether it may be opened through a link, or why it is refused."""

    path: Path
    follow: bool = False
    refusal: str | None = None


def walk_documents(paths: Iterable[Path], *, follow_symlinks: bool = False) -> Iterator[Found]:
    """Files named, and files inside folders named (recursively, sorted), skipping hidden ones.

    A file or folder named directly is taken as given, links included. Inside a folder, a link
    whose target lies inside one of the folders given is read (a folder through such a link is
    not walked twice); a link to anything outside them is refused with a reason, unless
    ``follow_symlinks`` allows it (``MSME_KG_FOLLOW_SYMLINKS``): then linked folders are walked too,
    each real folder once, so a link loop ends.
    """
    paths = list(paths)
    roots = [Path(os.path.realpath(p)) for p in paths if p.is_dir()]
    seen_dirs: set[str] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, roots, follow_symlinks, seen_dirs)
        else:
            yield Found(path, follow=True)


def _inside(target: Path, roots: list[Path]) -> bool:
    return any(target == root or target.is_relative_to(root) for root in roots)


def _walk(folder: Path, roots: list[Path], follow: bool, seen: set[str]) -> Iterator[Found]:
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield Found(folder, refusal=f"cannot list the folder ({err.strerror})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            target = Path(os.path.realpath(path))
            if not (follow or _inside(target, roots)):
                yield Found(path, refusal=f"a symbolic link to {target}, outside the folders given; not followed "
                                          "(MSME_KG_FOLLOW_SYMLINKS=1 allows it)")
            elif target.is_dir():
                if follow:
                    yield from _walk(path, roots, follow, seen)
                # else: inside a folder given, walked under its real name
            elif target.exists():
                yield Found(path, follow=True)
            else:
                yield Found(path, refusal="a broken symbolic link")
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(path, roots, follow, seen)
        else:
            yield Found(path)


def find_documents(paths: Iterable[Path], *, follow_symlinks: bool = False) -> Iterator[Path]:
    """The paths :func:`walk_documents` finds (refused links included: ingest reports them)."""
    return (found.path for found in walk_documents(paths, follow_symlinks=follow_symlinks))
