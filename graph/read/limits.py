"""How much a reader may take from one file, checked while it reads (never after).

A hostile or broken file must cost bounded time and memory before it is refused: a DOCX whose
800 MB ``document.xml`` hides in 1 MB of zip, a PDF of 100,000 pages sharing one page object,
HTML nested 20,000 deep, a text that expands past the character limit. Each reader counts as it
goes and stops at the first limit passed, with a message that names the limit and the setting
that raises it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.errors import DocumentTooLarge, LimitExceeded

if TYPE_CHECKING:
    from graph.settings import Settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """The limits of one read; defaults fit any real report of the genre with room to spare."""

    max_chars: int = 1_000_000
    """Characters of text (spaCy's own ``max_length``): MSME_KG_MAX_DOCUMENT_CHARS / ``--max-chars``."""
    max_part_bytes: int = 64 * MIB
    """Bytes one DOCX part may inflate to (an XML part is ~20x its text): MSME_KG_MAX_PART_BYTES."""
    max_inflated_bytes: int = 128 * MIB
    """Bytes all the DOCX parts read may inflate to together."""
    max_pages: int = 2_000
    """Pages of a PDF: MSME_KG_MAX_PDF_PAGES."""
    max_elements: int = 500_000
    """Elements of an HTML page or of one DOCX XML part: MSME_KG_MAX_ELEMENTS."""
    max_depth: int = 200
    """Nesting of elements in HTML and XML (real pages stay under 60; libxml2 stops at 256)."""
    max_pdf_nesting: int = 64
    """Nesting of arrays and dictionaries in a PDF content stream (real ones stay under 5)."""
    follow_symlinks: bool = False
    """Follow links inside the folders given to files or folders outside them: MSME_KG_FOLLOW_SYMLINKS."""

    @classmethod
    def from_settings(cls, settings: Settings, max_chars: int | None = None) -> ReadLimits:
        """The limits a :class:`~graph.settings.Settings` asks for (``max_chars`` overrides its own)."""
        return cls(
            max_chars=max_chars or settings.max_document_chars,
            max_part_bytes=settings.max_part_bytes,
            max_inflated_bytes=2 * settings.max_part_bytes,
            max_pages=settings.max_pdf_pages,
            max_elements=settings.max_elements,
            follow_symlinks=settings.follow_symlinks,
        )


class TextBudget:
    """Text gathered piece by piece, refused as soon as it passes ``max_chars``.

    >>> budget = TextBudget(10, "x.pdf")
    >>> budget.add("12345")
    >>> budget.add("123456")
    Traceback (most recent call last):
    ...
    graph.errors.DocumentTooLarge: x.pdf: too large (more than 10 characters of text; the limit is 10)
    """

    def __init__(self, max_chars: int, source: str) -> None:
        self.max_chars = max_chars
        self.source = source
        self.used = 0

    def add(self, text: str) -> None:
        self.used += len(text)
        if self.used > self.max_chars:
            raise DocumentTooLarge(
                f"{self.source}: too large (more than {self.max_chars:,} characters of text; "
                f"the limit is {self.max_chars:,})"
            )


class ElementCounter:
    """Elements and nesting depth of a tree read as a stream of start/end events.

    >>> counter = ElementCounter(max_elements=3, max_depth=2, source="p.html")
    >>> counter.start(); counter.start(); counter.end(); counter.start()
    >>> counter.start()
    Traceback (most recent call last):
    ...
    graph.errors.LimitExceeded: p.html: more than 3 elements (the limit is 3; MSME_KG_MAX_ELEMENTS)
    """

    def __init__(self, max_elements: int, max_depth: int, source: str) -> None:
        self.max_elements, self.max_depth, self.source = max_elements, max_depth, source
        self.count = 0
        self.depth = 0

    def start(self) -> None:
        self.count += 1
        self.depth += 1
        if self.count > self.max_elements:
            raise LimitExceeded(
                f"{self.source}: more than {self.max_elements:,} elements "
                f"(the limit is {self.max_elements:,}; MSME_KG_MAX_ELEMENTS)"
            )
        if self.depth > self.max_depth:
            raise LimitExceeded(f"{self.source}: elements nested more than {self.max_depth} deep "
                                f"(the limit is {self.max_depth})")

    def end(self) -> None:
        self.depth -= 1
