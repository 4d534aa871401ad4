"""The text of a PDF, read under limits and rebuilt into paragraphs (:mod:`graph.read.pdf_layout`).

Limits are checked before the costly part: the page count before any page is read (a 600 KB file
of 99,000 pages sharing one page object took 127 s and 5 GB), the nesting of each page's content
before pypdf parses it (100,000 nested ``[`` made pypdf recurse until RecursionError), the text
gathered page by page against the character limit, and pypdf's own limits on inflated streams
tightened to what one document may hold. Every failure is one :class:`UnreadableDocument` line.
"""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING

from graph.errors import LimitExceeded, UnreadableDocument
from graph.read.limits import ReadLimits, TextBudget
from graph.read.pdf_layout import Line, rebuild

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

_NESTING_TOKENS = re.compile(rb"\\.|[()\[\]]|<<|>>|%[^\r\n]*", re.S)


def content_nesting(data: bytes, limit: int) -> int:
    """The deepest nesting of arrays and dictionaries in a content stream, counted up to ``limit + 1``.

    Strings (which may hold unbalanced brackets) and comments are skipped.

    >>> content_nesting(b"[(a[) 1 <</K [2]>>] TJ", 10)
    3
    """
    depth = deepest = in_string = 0
    for token in _NESTING_TOKENS.finditer(data):
        t = token.group()
        if in_string:
            in_string += {b"(": 1, b")": -1}.get(t, 0)
        elif t == b"(":
            in_string = 1
        elif t in (b"[", b"<<"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif t in (b"]", b">>"):
            depth = max(depth - 1, 0)
    return deepest


def read_pdf(data: bytes, source: str, limits: ReadLimits | None = None) -> str:
    """The text of every page, rebuilt into paragraphs; running headers, footers and page numbers dropped."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    limits = limits or ReadLimits()
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise UnreadableDocument(f"{source}: not a PDF file (corrupt or mislabelled)")
    stream_cap = min(75_000_000, 16 * 4 * limits.max_chars)
    try:
        with apply_configuration(
            zlib_maximum_output_length=stream_cap,
            lzw_maximum_output_length=stream_cap,
            run_length_maximum_output_length=stream_cap,
            page_tree_maximum_entries=2 * limits.max_pages + 1000,
            page_tree_maximum_page_entries=200 * limits.max_pages,
        ):
            reader = PdfReader(io.BytesIO(data), strict=False)
            _decrypt(reader, source)
            count = len(reader.pages)
            if count > limits.max_pages:
                raise LimitExceeded(f"{source}: {count:,} pages (the limit is {limits.max_pages:,}; "
                                    "MSME_KG_MAX_PDF_PAGES)")
            budget = TextBudget(limits.max_chars, source)
            pages, heights = [], []
            for number, page in enumerate(reader.pages):
                _check_nesting(page, source, number, limits)
                lines = page_lines(page, number)
                budget.add(" ".join(line.text for line in lines))
                pages.append(lines)
                heights.append(_height(page))
    except UnreadableDocument:
        raise
    except LimitReachedError as err:
        raise LimitExceeded(f"{source}: past a safety limit of the PDF reader ({err})") from err
    except RecursionError as err:
        raise LimitExceeded(f"{source}: objects nested too deeply to read") from err
    except MemoryError as err:
        raise LimitExceeded(f"{source}: too large to read in memory") from err
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, ArithmeticError,
            AssertionError, UnicodeError) as err:
        raise UnreadableDocument(f"{source}: corrupt or damaged PDF ({type(err).__name__})") from err
    return rebuild(pages, heights)


def _decrypt(reader: PdfReader, source: str) -> None:
    """Open a PDF encrypted with the empty password (restrictions only); refuse one that needs a password."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception as err:  # pypdf raises many kinds here (missing crypto module, bad keys)
        raise UnreadableDocument(f"{source}: encrypted PDF, cannot read") from err
    if not opened:
        raise UnreadableDocument(f"{source}: encrypted PDF, cannot read")


def _check_nesting(page: PageObject, source: str, number: int, limits: ReadLimits) -> None:
    contents = page.get_contents()
    if contents is None:
        return
    if content_nesting(contents.get_data(), limits.max_pdf_nesting) > limits.max_pdf_nesting:
        raise LimitExceeded(f"{source}: page {number + 1} nests its content more than {limits.max_pdf_nesting} "
                            "deep (a real page nests a few levels)")


def _height(page: PageObject) -> float:
    box = page.mediabox
    return float(box.top) - float(box.bottom) if box else 792.0


def page_lines(page: PageObject, number: int) -> list[Line]:
    """The page's printed lines in pypdf's reading order, each with its position and font size."""
    lines: list[Line] = []
    pieces: list[tuple[str, float, float, float]] = []  # text, x, y, size of the current line
    bottom = float(page.mediabox.bottom) if page.mediabox else 0.0
    left = float(page.mediabox.left) if page.mediabox else 0.0

    def close() -> None:
        text = "".join(p[0] for p in pieces)
        if text.strip():
            first = next(p for p in pieces if p[0].strip())
            # the right edge: where the producer moved the pen after the text (Chromium, Word), else an
            # estimate from the characters shown (half an em each, Helvetica's average)
            advanced = max(p[1] for p in pieces)
            estimated = first[1] + 0.5 * first[3] * len(text.strip())
            x1 = advanced if advanced > first[1] + first[3] else estimated
            lines.append(Line(text, first[1] - left, x1 - left, first[2] - bottom, first[3], number))
        pieces.clear()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]) * abs(cm[0] * cm[3] - cm[1] * cm[2]))
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                close()
            pieces.append((part, x, y, (size or 0) * (scale or 1)))

    page.extract_text(visitor_text=visit)
    close()
    return lines
