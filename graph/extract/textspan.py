"""Character-level helpers shared by the extractors: footnotes, lines, sentences, dates, names.

Why character offsets everywhere: every fact carries evidence whose quote must be the exact
slice ``text[start:end]`` of the document (double spaces and non-breaking spaces included), so
the extractors work on offsets into the original text and never rebuild strings for quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import Evidence

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WS = r"[ \t\u00a0]+"
_SIMPLE_DATE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:{_WS}(?P<m1>{_MONTH})(?:{_WS}(?P<y1>(?:19|20)\d\d))?)?"
    rf"\s*(?:-|–|—|to|until)?\s*(?:(?P<d2>\d{{1,2}}){_WS}(?P<m2>{_MONTH})(?:{_WS}(?P<y2>(?:19|20)\d\d))?|"
    rf"(?P<d3>\d{{1,2}}))?"
)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
FOOTNOTE_BODY = re.compile(r"\[(\d+):\s")


@dataclass(frozen=True)
class Footnote:
    """A Word-converted footnote: its marker position and the span of its content."""

    number: str
    marker: int
    start: int
    end: int


def footnotes(text: str) -> list[Footnote]:
    """Pair each ``[footnoteRef:N]`` marker with its ``[N: ...]`` content (brackets balanced)."""
    markers = {m.group(1): m.start() for m in FOOTNOTE_REF.finditer(text)}
    out = []
    for m in FOOTNOTE_BODY.finditer(text):
        number = m.group(1)
        if number not in markers:
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            i += 1
        out.append(Footnote(number, markers[number], m.end(), i - 1 if depth == 0 else i))
    return out


def evidence(text: str, start: int, end: int, rule: str, confidence: float) -> Evidence:
    """Evidence whose quote is exactly ``text[start:end]`` (trimmed of outer whitespace)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Evidence(text[start:end], start, end, rule, confidence)


def squash(s: str) -> str:
    """Collapse any run of whitespace (incl. non-breaking spaces) into one space."""
    return " ".join(s.split())


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without the newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def doc_year(text: str) -> int | None:
    """The year the document is about: the most frequent plausible year in its text."""
    years: dict[int, int] = {}
    for m in YEAR.finditer(text):
        years[int(m.group(1))] = years.get(int(m.group(1)), 0) + 1
    if not years:
        return None
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _month(s: str | None) -> int | None:
    return MONTHS.get(s.lower().rstrip(".")) if s else None


_US_DATE = re.compile(
    rf"\b(?P<m1>{_MONTH}){_WS}(?P<d1>\d{{1,2}})(?:\s*(?:-|–|—|to|until)\s*(?:(?P<m2>{_MONTH}){_WS})?(?P<d2>\d{{1,2}}))?"
    rf"(?:,?{_WS}(?P<y>(?:19|20)\d\d))?\b"
)


def _us_dates(s: str, default_year: int | None) -> tuple[str | None, str | None]:
    """'September 3-5, 2024' / 'April 24, 2017' (month first)."""
    m = _US_DATE.search(s)
    if not m:
        return None, None
    year = int(m.group("y")) if m.group("y") else default_year
    m1 = _month(m.group("m1"))
    m2 = _month(m.group("m2")) or m1
    if year is None or m1 is None or m2 is None:
        return None, None
    d1, d2 = int(m.group("d1")), int(m.group("d2") or m.group("d1"))
    if not (1 <= d1 <= 31 and 1 <= d2 <= 31):
        return None, None
    return f"{year:04d}-{m1:02d}-{d1:02d}", f"{year:04d}-{m2:02d}-{d2:02d}"


def parse_dates(s: str, default_year: int | None) -> tuple[str | None, str | None]:
    """ISO start/end of the first day-precise date or range in ``s``; month-only gives (None, None).

    >>> parse_dates("24 Apr 2017 to 28 Apr 2017", None)
    ('2017-04-24', '2017-04-28')
    >>> parse_dates("18-21 October", 2024)
    ('2024-10-18', '2024-10-21')
    >>> parse_dates("on 24-28 April 2017, at", None)
    ('2017-04-24', '2017-04-28')
    >>> parse_dates("11 September", 2024)
    ('2024-09-11', '2024-09-11')
    >>> parse_dates("held on September 3-5, 2024 in Nairobi", None)
    ('2024-09-03', '2024-09-05')
    >>> parse_dates("in July 2022", 2022)
    (None, None)
    """
    for m in _SIMPLE_DATE.finditer(s):
        d1, m1, y1 = m.group("d1"), _month(m.group("m1")), m.group("y1")
        d2, m2, y2 = m.group("d2") or m.group("d3"), _month(m.group("m2")), m.group("y2")
        if m1 is None and m2 is None:
            continue
        end_month = m2 or m1
        start_month = m1 or m2
        year_end = int(y2 or y1 or 0) or default_year
        year_start = int(y1 or 0) or year_end
        if year_start is None or year_end is None:
            return None, None
        try:
            start = f"{year_start:04d}-{start_month:02d}-{int(d1):02d}"
            end = f"{year_end:04d}-{end_month:02d}-{int(d2 or d1):02d}"
        except (TypeError, ValueError):
            continue
        return start, end
    return _us_dates(s, default_year)


def find_sentence(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding character ``pos``."""
    lo, hi = 0, len(sents) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = sents[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return s, e
    return (pos, pos)
