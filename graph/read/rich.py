"""Text out of HTML, PDF and DOCX files, for :func:`graph.read.reader.read_document`.

Each format has its own module, because each needs its own library and its own notion of "the
text" (page chrome stripped from HTML: :mod:`graph.read.html`; pages rebuilt into paragraphs
in PDF: :mod:`graph.read.pdf`; footnotes appended to DOCX: :mod:`graph.read.docx`), and each
checks the limits of :class:`~graph.read.limits.ReadLimits` while it reads. Every failure
becomes one clear :class:`UnreadableDocument` line rather than a traceback.
"""

from __future__ import annotations

from graph.errors import UnreadableDocument
from graph.read.limits import ReadLimits


def read_rich(data: bytes, suffix: str, source: str, limits: ReadLimits | None = None) -> tuple[str, str]:
    """(text, title) of an HTML, PDF or DOCX file."""
    limits = limits or ReadLimits()
    if not data.strip():
        raise UnreadableDocument(f"{source}: empty file")
    if suffix in (".html", ".htm"):
        from graph.read.html import read_html

        return read_html(data, source, limits)
    if suffix == ".pdf":
        from graph.read.pdf import read_pdf

        return read_pdf(data, source, limits), ""
    if suffix == ".docx":
        from graph.read.docx import read_docx

        return read_docx(data, source, limits), ""
    raise UnreadableDocument(f"{source}: unsupported file type {suffix}")
