"""Event entities and the relations that concern events as such.

Main event (dates, place, located_in), sessions (part_of, bylines' reported_on), other named
events (aliases of the main event, calendar dates), and organised / sponsored / launched.
"""

from __future__ import annotations

import functools
import re

from graph.extract.rules.relations import Context
from graph.extract.textspan import line_spans, parse_dates
from graph.model import normalise
from graph.nlp.gazetteer import alternation

_BULLET = re.compile(r"^[ \t]*[-•*–][ \t]+(?P<body>.+?)[ \t]*$", re.MULTILINE)
_CAL_ITEM = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<aside>[^)]*)\))?\s*\((?P<when>[^)]*\d[^)]*)\)\s*$")
_IN_PLACE = re.compile(r"\bin (?P<place>[A-Z][\w’'-]+(?:[ ,]+[A-Z][\w’'-]+)*)")
_DURING = re.compile(r"(?:[Dd]uring|[Aa]t|drawn from|[Ff]rom) (?:the )?$")


def _key(name: str) -> str:
    return re.sub(r"\b(19|20)\d\d\b", "", normalise(name)).strip()


def _years(name: str) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d\d\b", name))


def event_rules(ctx: Context) -> None:
    b, text = ctx.b, ctx.text
    main = ctx.main
    if main:
        rec = b.add("event", main.name, main.start, start=main.date_start, end=main.date_end, location=main.location)
        for alias in main.aliases:
            b.alias(rec, alias)
        if main.location and main.location_span:
            b.relate(main.name, "located_in", main.location, ctx.ev(*main.location_span, "header-place", 0.8))
    for sec in ctx.sections:
        rec = b.add("event", sec.session, sec.session_start, part_of=main.name if main else None, kind="session")
        if main:
            b.relate(sec.session, "part_of", main.name, ctx.ev(sec.session_start, sec.session_end, "section", 0.7))
        person = b.find(sec.byline)
        if person is not None:
            b.relate(person.name, "reported_on", sec.session, ctx.ev(sec.byline_start, sec.byline_end, "byline", 0.8))
    if main and not ctx.sections:
        _single_byline(ctx, main.name)
    main_key = _key(main.name) if main else ""
    for m in ctx.events:
        other_year = _years(m.name) and _years(main.name if main else "") and _years(m.name) != _years(main.name)
        if main and (m.start == main.start or (_key(m.name) and _key(m.name) in main_key and not other_year)):
            b.alias(b.find(main.name), m.name)  # type: ignore[arg-type]
            if m.acronym:
                b.alias(b.find(main.name), m.acronym)  # type: ignore[arg-type]
            continue
        if any(sec.session == m.name for sec in ctx.sections):
            rec = b.find(m.name)
            if rec and m.alias:
                b.alias(rec, m.alias)
            continue
        if m.alias == "" and m.quoted and main is None:
            continue
        start, end = _date_after(text, m.end, ctx.year)
        rec = b.add("event", m.name, m.start, start=start, end=end)
        if m.acronym:
            b.alias(rec, m.acronym)
        if main and not ctx.sections and _DURING.search(text[max(0, m.start - 20) : m.start]):
            rec.part_of = rec.part_of or main.name
            b.relate(rec.name, "part_of", main.name, ctx.ev(max(0, m.start - 12), m.end, "during-event", 0.6))
        elif main and m.alias is not None:
            rec.part_of = rec.part_of or main.name
            b.relate(
                rec.name,
                "part_of",
                main.name,
                ctx.ev(ctx.sentence(m.start)[0], ctx.sentence(m.start)[1], "quoted-event", 0.6),
            )
    _calendar(ctx)
    _organised(ctx)


def _single_byline(ctx: Context, event: str) -> None:
    """A one-report page: its byline ('By X', or a name under 'Event report:') reported on the main event."""
    text = ctx.text
    for p in ctx.persons:
        if p.honorific:
            continue
        line_start = text.rfind("\n", 0, p.start) + 1
        line_end = text.find("\n", p.end)
        line = text[line_start : len(text) if line_end == -1 else line_end]
        prefix = text[line_start : p.start]
        previous = text[:line_start].rstrip().rsplit("\n", 1)[-1].lower()
        if line.strip() != (prefix + text[p.start : p.end]).strip():
            continue
        if re.match(r"\s*(?:by|authors?:|written by|reported by|report by|rapporteur:)\s", prefix.lower()) or (
            not prefix.strip() and re.search(r"\b(?:report|author|rapporteur|written by)", previous)
        ):
            ctx.b.relate(p.name, "reported_on", event, ctx.ev(p.start, p.end, "byline", 0.7))


def _date_after(text: str, pos: int, year: int | None) -> tuple[str | None, str | None]:
    window = text[pos : pos + 40]
    m = re.match(r"^\s*(?:\(|on |for |,\s*)(?P<d>[^)\n]{3,35})", window)
    if not m:
        return None, None
    return parse_dates(m.group("d"), year)


def _calendar(ctx: Context) -> None:
    """Bulleted 'Name (date[ in Place])' lines: upcoming events with dates filled from the text's year."""
    text, b = ctx.text, ctx.b
    for m in _BULLET.finditer(text):
        item = _CAL_ITEM.match(m.group("body"))
        if not item:
            continue
        start, end = parse_dates(item.group("when"), ctx.year)
        if not start:
            continue
        name = " ".join(item.group("name").split())
        pos = m.start("body")
        rec = b.find(name) or b.add("event", name, pos)
        rec.start, rec.end = rec.start or start, rec.end or end
        place = _IN_PLACE.search(item.group("when"))
        if place:
            rec.location = rec.location or place.group("place")
            ws = m.start("body") + m.group("body").index(item.group("when")) - 1
            b.relate(
                rec.name,
                "located_in",
                place.group("place"),
                ctx.ev(ws, ws + len(item.group("when")) + 2, "calendar-place", 0.7),
            )


_HOLD = re.compile(
    r"\b(?:will (?:also )?(?:hold|be organi[sz]ing|organi[sz]e|host)|(?:is|are) planning to hold|plans to hold|"
    r"hosted|held|convened|organi[sz]ed|met for)\s+(?:its|a|an|the|their)\s+(?P<ev>[\w’'\- ]+?)"
    r"(?=\s+(?:in|at|with|for|and|of the year)\b|\s+on\s+\d|[.,;])"
)
_OF_ORG = re.compile(r"^\s+of\s+(?P<org>[A-Z][A-Za-z]+)\b")
_SPONSORED = re.compile(r"\bsponsored\s+(?:a|an|the)\s+(?P<ev>\w+)")


@functools.cache
def _meeting_of(words: frozenset[str]) -> re.Pattern[str]:
    """'The annual meeting of the Committee' for any of ``words`` (the lexicon's event references and parts)."""
    return re.compile(
        rf"\b[Tt]he (?P<name>(?:[\w-]+ ){{0,4}}(?:{alternation(words)}) of (?:the )?(?P<org>[A-Z][\w ]+?))"
        r"(?= for| on| in| will| is| was|[.,;])"
    )


def _subject_actor(ctx: Context, s: int, pos: int) -> str | None:
    """The last known organisation or economy named between ``s`` and ``pos``."""
    best = None
    for rec_name, start in _actors_in(ctx, s, pos):
        best = rec_name if best is None or start >= best[1] else best  # type: ignore[index]
    return best


def _actor_regex(ctx: Context) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One alternation of every organisation and economy name known so far (rebuilt when they change)."""
    names = {n: rec.name for rec in ctx.b.recs if rec.type in ("organisation", "economy") for n in rec.names()}
    key = len(names)
    cached = getattr(ctx, "_actor_rx", None)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    rx = None
    if names:
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        rx = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    ctx._actor_rx = (key, rx, names)  # type: ignore[attr-defined]
    return rx, names


def _actors_in(ctx: Context, s: int, e: int) -> list[tuple[str, int]]:
    """Organisations and economies named between ``s`` and ``e``, in text order."""
    out = []
    window = ctx.text[s:e]
    for surface, start, _end, label, ent_id in ctx.ents:
        if s <= start < e and label == "GPE" and ent_id:
            rec = ctx.b.add("economy_candidate", surface, start, iso3=None if ent_id == "EU" else ent_id)
            out.append((rec.name, start))
    rx, owner = _actor_regex(ctx)
    if rx is not None:
        for m in rx.finditer(window):
            out.append((owner[m.group()], s + m.start()))
    if not out:
        ref = re.search(r"\b[Tt]he (Committee|Group|Secretariat|Council|Board|Commission|Network|Forum)\b", window)
        if ref:
            head = ref.group(1)
            best = None
            for rec in ctx.b.recs:
                if rec.type == "organisation" and rec.name.split()[-1] == head:
                    for m in re.finditer(re.escape(rec.name), ctx.text[:s]):
                        if best is None or m.start() > best[1]:
                            best = (rec.name, m.start())
            if best:
                out.append((best[0], s + ref.start()))
    return sorted(out, key=lambda t: t[1])


def _first_body_sentence(ctx: Context) -> int:
    """Start of the first sentence after the title lines."""
    lines = [(s, e) for s, e in line_spans(ctx.text) if ctx.text[s:e].strip()]
    return lines[1][0] if len(lines) > 1 else 0


def _organised(ctx: Context) -> None:  # noqa: PLR0915 - one pass, a rule per phrasing
    text, b = ctx.text, ctx.b
    for m in _HOLD.finditer(text):
        s, e = ctx.sentence(m.start())
        actors = [a for a, p in _actors_in(ctx, s, m.start())]
        if not actors:
            continue
        actor = actors[-1]
        ev_name = " ".join(m.group("ev").split())
        if m.group().startswith("met for") and ctx.main:
            target = ctx.main.name
        else:
            target = b.canonical(ev_name) if b.find(ev_name) else ev_name
            main_rec = b.find(ctx.main.name) if ctx.main else None
            if main_rec is not None and ev_name.islower() and s <= _first_body_sentence(ctx):
                target = main_rec.name  # 'X hosted its annual summit ...' in the opening sentence
            elif (
                main_rec is not None
                and _key(ev_name)
                and any(
                    _key(n) and (_key(ev_name).endswith(_key(n)) or _key(n).endswith(_key(ev_name)))
                    for n in main_rec.names()
                )
            ):
                target = main_rec.name
            if b.find(target) is None:
                b.add("event", target, m.start("ev"), start=None)
        b.relate(actor, "organised", target, ctx.ev(s, e, "will-hold", 0.6))
    for m in _meeting_of(ctx.gaz.union("event_reference", "event_part")).finditer(text):
        org = b.find(m.group("org"))
        if org is None:
            head = m.group("org").split()[-1]
            org = next(
                (
                    r
                    for r in reversed(b.recs)
                    if r.type == "organisation" and r.name.split()[-1] == head and r.first < m.start()
                ),
                None,
            )
        if org is None or org.type != "organisation":
            continue
        name = " ".join(m.group("name").split())
        rec = b.find(name) or b.add("event", name, m.start("name"), start=None)
        ds, de = parse_dates(text[m.end() : m.end() + 30], ctx.year)
        rec.start, rec.end = rec.start or ds, rec.end or de
        s, e = ctx.sentence(m.start())
        b.relate(org.name, "organised", rec.name, ctx.ev(m.start(), e, "meeting-of", 0.6))
    for ev in ctx.events:
        om = _OF_ORG.match(text[ev.end : ev.end + 40])
        if om and ctx.book.canonical(om.group("org")):
            org = b.add("organisation", ctx.book.canonical(om.group("org")) or om.group("org"), ev.end)
            b.alias(org, om.group("org"))
            rec = b.find(ev.name)
            if rec is not None and rec.type == "event":
                b.relate(org.name, "organised", rec.name, ctx.ev(ev.start, ev.end + om.end(), "event-of-org", 0.6))
    for m in _SPONSORED.finditer(text):
        lo = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()), m.start() - 60) + 1
        subj = text[lo : m.start()].strip()
        if not subj or not subj[0].isupper() or len(subj.split()) > 6:
            continue
        target = None
        if ctx.main and m.group("ev").lower() in ctx.main.name.lower():
            target = ctx.main.name
        if target is None:
            continue
        canonical = ctx.book.canonical(subj) or subj
        subj_start = text.index(subj, lo)
        org = b.add("organisation", canonical, subj_start)
        b.relate(org.name, "sponsored", target, ctx.ev(subj_start, min(len(text), m.end() + 60), "sponsored", 0.7))
