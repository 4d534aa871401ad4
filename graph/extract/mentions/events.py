"""Events: the document's main event, its sessions, named meetings and calendar entries.

Why structure first: a conference report is a header (name, dates, place) followed by
session reports, each under its author's byline; the session a sentence belongs to decides
what its speakers spoke at, so sections are cut before any relation is read.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from graph.extract.textspan import line_spans, parse_dates
from graph.nlp.gazetteer import Gazetteer, alternation, capitalised

_CAP = r"(?:\d+(?:st|nd|rd|th)|[A-Z][\w’'\-+&]*|\d{4})"
_ONCAP = rf"{_CAP}(?:[ \u00a0]+(?:(?:to|in|the|by|of|for|and|through|across|with|on|a|from|into|&)[ \u00a0]+)*{_CAP})*"


# lexicon kinds, in the order of EventWords' fields
_KINDS = ("event_head", "event_reference", "event_part", "event_part_modifier", "numbered_event_acronym")


@dataclass(frozen=True)
class EventWords:
    """The lexicon kinds the event rules read (``ontology/gazetteers/lexicon.jsonl``).

    head: capitalised heads of proper names ('Week'); reference: nouns for a whole event
    ('workshop'); part: nouns for a part of one ('session'); part_modifier: 'opening', 'final' …;
    numbered: acronyms that take a number to name an event ('MC' in 'MC12').
    """

    head: frozenset[str]
    reference: frozenset[str]
    part: frozenset[str]
    part_modifier: frozenset[str]
    numbered: frozenset[str]

    @classmethod
    def of(cls, gaz: Gazetteer) -> EventWords:
        return cls(*(gaz.union(kind) for kind in _KINDS))


@dataclass(frozen=True)
class EventPatterns:
    """The event rules' regular expressions, built from the lexicon's words (see :func:`event_patterns`)."""

    proper: re.Pattern[str]  # '17th Conference on Good Regulatory Practices', 'APEC Digital Week (ADW)'
    generic_on: re.Pattern[str]  # 'workshop on Trade Facilitation'
    quoted: re.Pattern[str]  # "the session 'Finance for Exporters'"
    numbered: re.Pattern[str]  # 'MC12'
    year: re.Pattern[str]  # '2019 E-commerce week'
    ordinal: re.Pattern[str]  # 'the opening session'
    generic: re.Pattern[str]  # 'The workshop was held on 5 May 2031 ...'
    heading: re.Pattern[str]  # 'Session 1: Title' on a line of its own
    session_on: re.Pattern[str]  # 'The session on X provided ...'
    title_heads: frozenset[str]  # lowercase words that make a title line name an event


def event_patterns(gaz: Gazetteer) -> EventPatterns:
    """The patterns for this gazetteer's words (compiled once per distinct word set)."""
    return _compile(EventWords.of(gaz), gaz.union("event"))


@functools.cache
def _compile(words: EventWords, event_words: frozenset[str]) -> EventPatterns:
    head = alternation(words.head)
    ref = alternation(words.reference)
    part = alternation(words.part)
    ref_or_part = alternation(words.reference | words.part)
    heading = alternation(capitalised(words.part | words.reference) | {"Part"})  # 'Part II': a document division
    return EventPatterns(
        proper=re.compile(
            rf"(?<![\w’'])(?P<name>{_CAP}(?:[ \u00a0]+(?:(?:and|of|for|&)[ \u00a0]+)?{_CAP})*[ \u00a0]+"
            rf"(?:\([A-Z][\w\-]*\)[ \u00a0]+)?(?:{head})(?:[ \u00a0]+\((?P<acr>[A-Z][\w\-]*)\))?"
            rf"(?:[ \u00a0]+(?:on|for)[ \u00a0]+{_ONCAP})?(?:[ \u00a0]+(?:19|20)\d\d)?)(?![\w])"
        ),
        generic_on=re.compile(rf"\b(?P<name>(?:{ref_or_part})[ \u00a0]+on[ \u00a0]+{_ONCAP})"),
        quoted=re.compile(
            rf"(?P<pre>\b(?:[\w-]+[ \u00a0]+)?(?:{ref_or_part}))"
            r"(?:[ \u00a0]+on)?[ \u00a0]+['‘\"“](?P<name>[^'’\"”\n]{4,160})['’\"”]"
        ),
        numbered=re.compile(rf"\b(?:{alternation(words.numbered)})\d{{1,2}}\b"),
        year=re.compile(
            r"\b(?P<name>(?:19|20)\d\d[ \u00a0]+(?:[A-Z][\w-]*[ \u00a0]+){1,4}(?:[a-z][\w-]*[ \u00a0]+)?"
            rf"(?:{ref}))\b"
        ),
        ordinal=re.compile(
            rf"\b[Tt]he (?P<name>(?:{alternation(words.part_modifier)}) (?:{part}))\b(?![ \u00a0]+['‘\"“])"
        ),
        generic=re.compile(
            rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts)[ \u00a0]+(?:[\w-]+[ \u00a0]+){{0,3}}?(?P<head>{ref})\b"
            r"(?P<rest>[^.\n]{0,160})"
        ),
        heading=re.compile(
            rf"^[ \t]*(?P<line>(?:{heading})[ \u00a0]+(?:\d{{1,2}}|[IVX]{{1,4}})\b"
            r"[ \u00a0]*(?:[:.\-–—][ \u00a0]*(?P<title>[^\n]{3,160}))?)[ \t]*$",
            re.MULTILINE,
        ),
        session_on=re.compile(
            rf"\b[Tt]he[ \u00a0]+(?P<part>{part})[ \u00a0]+on[ \u00a0]+(?P<name>[A-Z][^.,;]*?)"
            r"(?=[ \u00a0]+(?:provided|was|is|focused|addressed|discussed|explored|highlighted|looked|examined|"
            r"considered|presented)\b|[.,;])"
        ),
        title_heads=frozenset(w.lower() for w in words.head) | event_words,
    )


_LEAD_STOP = {
    "The",
    "During",
    "At",
    "In",
    "This",
    "A",
    "An",
    "From",
    "With",
    "Of",
    "Following",
    "For",
    "After",
    "Before",
    "Under",
    "Both",
    "Since",
    "On",
    "Plans",
    "Related",
    "Pertaining",
    "Concerning",
    "Members",
}


@dataclass(frozen=True)
class EventMention:
    name: str
    start: int
    end: int
    acronym: str | None = None
    alias: str | None = None
    quoted: bool = False


@dataclass
class Section:
    """One part of a multi-part report: its byline and its text span."""

    byline: str
    byline_start: int
    byline_end: int
    start: int
    end: int
    session: str = ""
    session_start: int = 0
    session_end: int = 0
    titled: bool = False


@dataclass
class MainEvent:
    name: str
    start: int
    end: int
    date_start: str | None = None
    date_end: str | None = None
    location: str | None = None
    location_span: tuple[int, int] | None = None
    aliases: list[str] = field(default_factory=list)


def _trim(name: str, start: int) -> tuple[str, int]:
    words = name.split()
    cut = 0
    while words and (words[0] in _LEAD_STOP or (cut and words[0] in ("and", "of", "for", "&", "on"))):
        cut += 1
        words.pop(0)
    if not cut:
        return name, start
    offset = 0
    for _ in range(cut):
        offset = name.index(" ", offset) + 1 if " " in name[offset:] else offset
        while offset < len(name) and name[offset] in " \u00a0":
            offset += 1
    return name[offset:], start + offset


def event_mentions(text: str, gaz: Gazetteer) -> list[EventMention]:
    """Proper-named events ('17th Conference on Good Regulatory Practices', 'MC12', 'APEC Digital Week')."""
    rx = event_patterns(gaz)
    out: list[EventMention] = []
    for m in rx.proper.finditer(text):
        name, start = _trim(m.group("name"), m.start("name"))
        if len(name.split()) < 2 or "\n" in name:
            continue
        out.append(EventMention(" ".join(name.split()), start, start + len(name), m.group("acr")))
    for m in rx.generic_on.finditer(text):
        out.append(EventMention(" ".join(m.group("name").split()), m.start("name"), m.end("name")))
    for m in rx.quoted.finditer(text):
        pre = " ".join(m.group("pre").split())
        alias = pre if pre.split()[0].lower() not in ("the", "a", "an", "this") else ""
        name = " ".join(m.group("name").split())
        out.append(EventMention(name, m.start("name"), m.end("name"), alias=alias, quoted=True))
    for m in rx.numbered.finditer(text):
        out.append(EventMention(m.group(), m.start(), m.end()))
    for m in rx.year.finditer(text):
        out.append(EventMention(" ".join(m.group("name").split()), m.start("name"), m.end("name")))
    for m in rx.ordinal.finditer(text):
        out.append(EventMention(m.group("name"), m.start("name"), m.end("name"), alias=""))
    out.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[EventMention] = []
    for e in out:
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return kept


def main_event(text: str, default_year: int | None, gaz: Gazetteer, mentions: list[EventMention]) -> MainEvent | None:
    """The event the document reports on: a title line naming an event, else the first named event."""
    lines = [(s, e) for s, e in line_spans(text) if text[s:e].strip()][:3]
    rx = event_patterns(gaz)
    heads = rx.title_heads
    for idx, (s, e) in enumerate(lines):
        raw = text[s:e]
        words = raw.split()
        if not words or len(words) > 14:
            continue
        hit = next((i for i, w in enumerate(words) if w.lower().strip(":,.") in heads), None)
        if hit is None or hit > 6:
            continue
        tail = words[hit + 1 :]
        complement = bool(tail) and tail[0].lower() in ("on", "for", "of", "about", "in", "to", "and")
        if not complement and any(w[0].islower() for w in tail if w not in ("of", "and", "on", "for", "to", "the")):
            stop = hit + 2 if len(words) > hit + 1 and re.fullmatch(r"(?:19|20)\d\d", words[hit + 1]) else hit + 1
            name = " ".join(words[:stop])  # headline: 'X workshop examines ...'
        else:
            name = " ".join(words)
        if len(name.split()) < 2 or name.lower().rstrip("s") in heads:
            continue  # a bare heading such as 'Events' or 'Meeting report'
        lead = len(raw) - len(raw.lstrip())
        ev = MainEvent(name=name, start=s + lead, end=s + lead + len(name))
        _fill_header(text, ev, lines[idx + 1 :] + line_spans(text)[:0], default_year, gaz)
        if ev.date_start is None:
            _date_from_body(text, ev, words[hit].lower().strip(":,."), default_year)
        if ev.date_start is None:
            generic = _generic_main_event(text, default_year, lines, rx.generic)
            if generic is not None:
                ev.date_start, ev.date_end = generic.date_start, generic.date_end
                ev.location, ev.location_span = (
                    ev.location or generic.location,
                    ev.location_span or generic.location_span,
                )
        return ev
    first_sentence_end = text.find(".", lines[0][0]) if lines else -1
    for m in mentions:
        if first_sentence_end != -1 and m.start < first_sentence_end and not rx.numbered.fullmatch(m.name):
            ev = MainEvent(name=m.name, start=m.start, end=m.end)
            if m.acronym:
                ev.aliases.append(m.acronym)
            return ev
    return _generic_main_event(text, default_year, lines, rx.generic)


def _generic_main_event(
    text: str, year: int | None, lines: list[tuple[int, int]], generic: re.Pattern[str]
) -> MainEvent | None:
    """'The workshop was held on 5 May 2031 in Bangkok': a dated event the report is about, named by its title."""
    window = text[: min(len(text), 1500)]
    for m in generic.finditer(window):
        ds, de = parse_dates(m.group("rest"), year)
        if not ds:
            continue
        title_s, title_e = lines[0] if lines else (m.start("head"), m.end("head"))
        title = " ".join(text[title_s:title_e].split())
        if lines and 1 <= len(title.split()) <= 12 and not re.search(r"[.!?]$", title):
            ev = MainEvent(
                name=title,
                start=title_s + (len(text[title_s:title_e]) - len(text[title_s:title_e].lstrip())),
                end=title_e,
            )
        else:
            ev = MainEvent(name=m.group("head"), start=m.start("head"), end=m.end("head"))
        ev.date_start, ev.date_end = ds, de
        pm = _AT_PLACE.search(m.group("rest")) or _IN_PLACE_AFTER_DATE.search(m.group("rest"))
        if pm:
            ev.location = f"{pm.group('venue')}, {pm.group('city')}"
            first = m.start("rest") + (pm.start() if pm.re is _AT_PLACE else pm.start("venue"))
            ev.location_span = (first, m.start("rest") + pm.end())
        return ev
    return None


def _fill_header(text: str, ev: MainEvent, after: list[tuple[int, int]], year: int | None, gaz: Gazetteer) -> None:
    ev.date_start, ev.date_end = parse_dates(ev.name, year)
    for s, e in after[:2]:
        line = text[s:e].strip()
        if ev.date_start is None and len(line) < 60:
            ds, de = parse_dates(line, year)
            if ds:
                ev.date_start, ev.date_end = ds, de
                continue
        parts = [p.strip() for p in line.split(",")]
        if 1 < len(parts) <= 3 and gaz.economy(parts[-1])[0] and len(line) < 60:
            ev.location = " ".join(line.split())
            lead = len(text[s:e]) - len(text[s:e].lstrip())
            ev.location_span = (s + lead, s + lead + len(line))


_AT_PLACE = re.compile(
    r"\bat (?:the )?(?P<venue>[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*) in (?P<city>[A-Z][\w-]+(?:, [A-Z][\w-]+)?)"
)


_IN_PLACE_AFTER_DATE = re.compile(
    r"\d[ \u00a0]+(?:in|at)[ \u00a0]+(?:the[ \u00a0]+)?(?P<venue>[A-Z][\w’'-]*(?:[ \u00a0][A-Z][\w’'-]*)*),"
    r"[ \u00a0]+(?P<city>[A-Z][\w-]+(?:[ \u00a0][A-Z][\w-]+)?)"
)


def _date_from_body(text: str, ev: MainEvent, head: str, year: int | None) -> None:
    """'... sponsored a workshop on 7 March 2019 at the Hotel X in Geneva' gives date and place."""
    for m in re.finditer(rf"\b{re.escape(head)}\b", text[ev.end :], re.IGNORECASE):
        pos = ev.end + m.end()
        window = text[pos : pos + 120].split(".", maxsplit=1)[0]
        ds, de = parse_dates(window, year)
        if ds:
            ev.date_start, ev.date_end = ds, de
            pm = _AT_PLACE.search(window) or _IN_PLACE_AFTER_DATE.search(window)
            if pm and ev.location is None:
                ev.location = f"{pm.group('venue')}, {pm.group('city')}"
                first = pm.start() if pm.re is _AT_PLACE else pm.start("venue")
                ev.location_span = (pos + first, pos + pm.end())
            return


def heading_sections(text: str, gaz: Gazetteer) -> list[Section]:
    """'Session 1: Title' / 'Panel II – Title' heading lines cut a report without bylines into sessions."""
    heads = list(event_patterns(gaz).heading.finditer(text))
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        line = " ".join(m.group("line").split())
        sec = Section("", m.start("line"), m.start("line"), m.end(), end)
        sec.session, sec.session_start, sec.session_end, sec.titled = line, m.start("line"), m.end("line"), True
        out.append(sec)
    return out


def sections(text: str, bylines: list[tuple[str, int, int]], gaz: Gazetteer) -> list[Section]:
    """Cut a multi-part report at its bylines (at least two are needed to call it multi-part)."""
    if len(bylines) < 2:
        return heading_sections(text, gaz)
    out = []
    for i, (name, s, e) in enumerate(bylines):
        end = bylines[i + 1][1] if i + 1 < len(bylines) else len(text)
        if text[e:end].strip():
            out.append(Section(name, s, e, e, end))
    return [sec for sec in out if len(text[sec.start : sec.end].split()) > 8]


def name_sessions(text: str, secs: list[Section], mentions: list[EventMention], gaz: Gazetteer) -> None:
    """Give each section its session's name: a quoted title, 'The session on X', else its topic sentence."""
    for sec in secs:
        if sec.session:
            continue  # named by its heading
        body = text[sec.start : sec.end]
        paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
        q = next((m for m in mentions if sec.start <= m.start < sec.start + 600 and m.quoted), None)
        so = event_patterns(gaz).session_on.search(body)
        if q:
            sec.session, sec.session_start, sec.session_end, sec.titled = q.name, q.start, q.end, True
        elif so:
            name = f"{so.group('part')} on " + " ".join(so.group("name").split())
            sec.session, sec.titled = name, True
            sec.session_start, sec.session_end = sec.start + so.start(), sec.start + so.end()
        else:
            first = paras[1] if len(paras) > 1 and paras[1].strip()[:40] == paras[0].strip()[:40] else paras[0]
            first = first.strip()
            sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
            start = sec.start + body.index(first)
            sec.session = "session: " + " ".join(sentence.split())[:120].rstrip(" .")
            sec.session_start, sec.session_end = start, start + len(sentence)
