"""The text of a Word (DOCX) file, read part by part under a size cap: a zip bomb is refused, not inflated.

Why not python-docx: it inflates every part of the package into memory before it looks at any
(a 1 MB file holding an 800 MB ``document.xml`` took 3.2 GB before it was refused) and parses
it into one tree. Here each zip member is inflated in chunks and refused the moment it passes
:attr:`~graph.read.limits.ReadLimits.max_part_bytes`, whatever its header claims; the XML is
read as a stream of events with its elements counted and its nesting measured, entities left
unexpanded, and no DOCTYPE accepted (Word never writes one; entity tricks need one).

The text: paragraphs and tables in document order (a table row as its cells joined by `` | ``),
then footnotes as ``[N: text]`` lines.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from graph.errors import LimitExceeded, UnreadableDocument
from graph.read.limits import ElementCounter, ReadLimits, TextBudget

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"
_CHUNK = 1 << 20
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


class _Inflater:
    """Zip members inflated under a per-part and a total cap."""

    def __init__(self, archive: zipfile.ZipFile, source: str, limits: ReadLimits) -> None:
        self.archive, self.source, self.limits = archive, source, limits
        self.total = 0

    def read(self, name: str) -> bytes | None:
        """The inflated member ``name``, or None when the package has none."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        cap = self.limits.max_part_bytes
        if info.file_size > cap:
            self._refuse(name, f"says it inflates to {info.file_size:,} bytes")
        chunks, size = [], 0
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > cap:
                        self._refuse(name, f"inflates to more than {cap:,} bytes")
                    if self.total > self.limits.max_inflated_bytes:
                        self._refuse(name, f"takes the package past {self.limits.max_inflated_bytes:,} bytes inflated")
                    chunks.append(chunk)
        except _ZIP_ERRORS as err:
            raise UnreadableDocument(f"{self.source}: corrupt or invalid DOCX ({type(err).__name__})") from err
        return b"".join(chunks)

    def _refuse(self, name: str, what: str) -> None:
        raise LimitExceeded(
            f"{self.source}: part {name} {what} (the limit is {self.limits.max_part_bytes:,} bytes a part; "
            "MSME_KG_MAX_PART_BYTES); a zip bomb or not a real Word file"
        )


def read_docx(data: bytes, source: str, limits: ReadLimits | None = None) -> str:
    """Paragraphs and table rows in order, then footnotes as '[N: text]' lines."""
    limits = limits or ReadLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as err:
        raise UnreadableDocument(f"{source}: corrupt or invalid DOCX ({type(err).__name__})") from err
    with archive:
        parts = _Inflater(archive, source, limits)
        name = _main_part(parts) or "word/document.xml"
        body = parts.read(name)
        if body is None:
            raise UnreadableDocument(f"{source}: corrupt or invalid DOCX (no document part {name})")
        budget = TextBudget(limits.max_chars, source)
        lines = _body_lines(body, source, limits, budget)
        notes = parts.read(posixpath.join(posixpath.dirname(name), "footnotes.xml"))
        if notes is not None:
            lines += _footnote_lines(notes, source, limits, budget)
    return "\n".join(lines)


def _main_part(parts: _Inflater) -> str | None:
    """The document part the package's relationships name (``word/document.xml`` in files Word writes)."""
    rels = parts.read("_rels/.rels")
    if rels is None:
        return None
    for event, element in _events(rels, parts.source, parts.limits, "_rels/.rels"):
        if event == "end" and element.tag == REL + "Relationship" and (element.get("Type") or "").endswith(
            OFFICE_DOCUMENT
        ):
            return posixpath.normpath((element.get("Target") or "").lstrip("/")) or None
    return None


def _events(xml: bytes, source: str, limits: ReadLimits, part: str) -> Iterator[tuple[str, Any]]:
    """(event, element) of one XML part, refused past the element and nesting limits or with a DOCTYPE."""
    counter = ElementCounter(limits.max_elements, limits.max_depth, f"{source}: part {part}")
    events = etree.iterparse(
        io.BytesIO(xml), events=("start", "end"), resolve_entities=False, load_dtd=False, no_network=True,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )
    try:
        for event, element in events:
            if event == "start":
                if counter.count == 0 and element.getroottree().docinfo.doctype:
                    raise UnreadableDocument(f"{source}: part {part} has a DOCTYPE, which Word never writes; refused")
                counter.start()
            else:
                counter.end()
            yield event, element
    except etree.XMLSyntaxError as err:
        raise UnreadableDocument(f"{source}: corrupt or invalid DOCX (part {part}: {err})") from err


_RUN_TEXT = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def _body_lines(xml: bytes, source: str, limits: ReadLimits, budget: TextBudget) -> list[str]:
    """Paragraphs and table rows of the document part, in document order."""
    lines: list[str] = []
    paragraphs: list[list[str]] = []  # text of each open paragraph (a text box nests one in another)
    tables: list[list[list[list[str]]]] = []  # open tables: rows of cells of paragraph texts
    for event, element in _events(xml, source, limits, "document"):
        tag = element.tag
        if event == "start":
            if tag == W + "p":
                paragraphs.append([])
            elif tag == W + "tbl":
                tables.append([])
            elif tag == W + "tr" and tables:
                tables[-1].append([])
            elif tag == W + "tc" and tables and tables[-1]:
                tables[-1][-1].append([])
            continue
        if tag == W + "t" and paragraphs:
            paragraphs[-1].append(element.text or "")
        elif tag in _RUN_TEXT and paragraphs:
            paragraphs[-1].append(_RUN_TEXT[tag])
        elif tag == W + "p" and paragraphs:
            text = "".join(paragraphs.pop())
            budget.add(text)
            _place(text, tables, lines)
            element.clear()
        elif tag == W + "tr" and tables and tables[-1]:
            cells = tables[-1].pop()
            _place(" | ".join("\n".join(cell).strip() for cell in cells), tables[:-1], lines)
        elif tag == W + "tbl" and tables:
            tables.pop()
            element.clear()
    return lines


def _place(text: str, tables: list, lines: list[str]) -> None:
    """A finished paragraph or row goes into the open table cell, else becomes a line of the text.

    A paragraph of a text box ends before the paragraph that anchors the box: it becomes a line
    of its own just before it.
    """
    if tables and tables[-1] and tables[-1][-1]:
        tables[-1][-1][-1].append(text)
    else:
        lines.append(text)


def _footnote_lines(xml: bytes, source: str, limits: ReadLimits, budget: TextBudget) -> list[str]:
    """Footnotes as '[N: text]' (python-docx has no API for them); separators and odd ids skipped."""
    out: list[str] = []
    texts: list[str] | None = None
    for event, element in _events(xml, source, limits, "footnotes"):
        if element.tag == W + "footnote":
            if event == "start":
                texts = []
                continue
            number = element.get(W + "id") or ""
            text = "".join(texts or []).strip()
            texts = None
            element.clear()
            if number.strip().isdigit() and int(number) >= 1 and text:
                line = f"[{int(number)}: {text}]"
                budget.add(line)
                out.append(line)
        elif event == "end" and element.tag == W + "t" and texts is not None:
            texts.append(element.text or "")
    return out
