"""Read a file into a :class:`Document`: its text, id and checksum.

Only this module and the store touch disk. Offsets of every later stage refer to
``Document.text``, so the reader is the one place that decides what the text is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import UnreadableDocument
from graph.model import Document

TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown"}
RICH_SUFFIXES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MEDIA_TYPES = {**TEXT_SUFFIXES, **RICH_SUFFIXES}
SUPPORTED_SUFFIXES = tuple(MEDIA_TYPES)


def doc_id_for(path: Path) -> str:
    """A stable, IRI-safe id from the file name (re-ingesting the same name replaces it).

    >>> doc_id_for(Path("seeds/000_ccb6c9cf5474de64.txt"))
    '000_ccb6c9cf5474de64'
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-.")
    return stem or "document"


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else latin-1.

    Windows-1252 comes before latin-1 because text saved on Windows uses 0x80-0x9F for curly
    quotes and dashes, which latin-1 would turn into control characters. Text that is mostly
    control characters is binary whatever its bytes decode to.

    >>> decode("“Trade” – MSMEs".encode("cp1252"), "x.txt")
    '“Trade” – MSMEs'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:4096]:
        raise UnreadableDocument(f"{source}: looks like a binary file, not text")
    else:
        text = _decode_8bit(data)
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if sample and controls > 0.3 * len(sample):
        raise UnreadableDocument(f"{source}: looks like a binary file, not text")
    return text


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_document(path: Path) -> Document:
    """Read one supported file; raise :class:`UnreadableDocument` with the reason otherwise."""
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise UnreadableDocument(f"{path}: unsupported file type {suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableDocument(f"{path}: cannot read ({err.strerror})") from err
    if suffix in TEXT_SUFFIXES:
        text = decode(data, str(path))
        title = ""
    else:
        from graph.read.rich import read_rich

        text, title = read_rich(data, suffix, str(path))
    if not text.strip():
        raise UnreadableDocument(f"{path}: empty document (no text)")
    title = title or next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    return Document(
        id=doc_id_for(path),
        title=title[:300],
        text=text,
        source=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=MEDIA_TYPES[suffix],
    )


def find_documents(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files inside folders named (recursively, sorted), skipping hidden ones."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    yield child
        else:
            yield path
