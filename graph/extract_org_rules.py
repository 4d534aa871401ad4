"""Organisations, economies and initiatives as actors: speakers, attendees, partners, launches.

Why separate from persons: delegations and organisations act through different phrasings
("Japan informed the Group", "a representative from Morocco commented", footnoted attendance
lists, "in partnership with A, B and C", "UNCTAD's eTrade for all initiative").
"""

from __future__ import annotations

import re

from graph.extract_orgs import org_kind, phrase_type
from graph.extract_relations import Context
from graph.textspan import footnotes

_INIT_HEADS = (
    r"platform|programme|program|initiative|network|helpdesk|help desk|toolkit|course|guide|website|portal|"
    r"package|agreement|convention|directive|decision|strategy|survey|database|marketplace"
)
_NAMEWORD = r"(?=[\w@.+\-]*[A-Z0-9])[\w@.+\-]++"
INITIATIVE = re.compile(
    rf"(?<![\w’'])(?P<name>{_NAMEWORD}(?:[ \u00a0]+(?:(?:for|of|on|and|the|to|all|&|in)[ \u00a0]+)*(?:{_NAMEWORD}|all))*"
    rf"[ \u00a0]+(?:online[ \u00a0]+)?(?P<head>(?i:{_INIT_HEADS})s?))\b(?![ \u00a0]+(?:on|for)[ \u00a0]+[A-Z])",
)
INITIATIVE_ON = re.compile(
    rf"(?P<name>(?:{_NAMEWORD}[ \u00a0]+)*(?:[Cc]ourse|[Gg]uide|[Pp]rogramme|[Pp]latform|[Rr]eport|[Ss]urvey|[Ii]nitiative)"
    rf"[ \u00a0]+(?:on|for|of)[ \u00a0]+{_NAMEWORD}(?:[ \u00a0]+(?:(?:of|and|for|on)[ \u00a0]+)?{_NAMEWORD})*)"
)
QUOTED_WORK = re.compile(
    r"(?:report|study|case study|course|publication|guide|toolkit)(?: called| entitled| titled)?,?\s+['‘\"“]"
    r"(?P<name>[^'’\"”\n]{4,120})['’\"”]"
)
_ORG_RUN = re.compile(
    r"(?<![\w’'])(?P<name>(?:[A-Z][\w&’'\-]*[ \u00a0]+(?:(?:of|for|and|on|&)[ \u00a0]+)?)*[A-Z][\w&’'\-]*)"
)
_SPEAK_VERBS = {"inform", "update", "comment", "brief", "present", "state", "note", "say", "explain", "highlight",
                "stress", "ask", "suggest", "propose", "report", "welcome", "thank", "share", "emphasise",
                "emphasize", "raise", "express", "give", "argue", "mention", "announce"}
_REPRESENTATIVE = re.compile(
    r"(?:[Rr]epresentatives?|[Dd]elegates?|[Dd]elegation) (?:of|from) (?:the )?(?P<x>[A-Z][\w’'\- ]*?[\w])(?=[,.;]| \w+ed\b| (?:shared|asked|said|noted|commented|mentioned|argued|raised|stressed)\b)|"
    r"(?:an?|the) (?P<y>[A-Z][\w’'\-]*(?: [A-Z][\w’'\-]*)*) (?:government )?representatives?\b"
)
_PARTNER_LIST = re.compile(
    r"\b(?:in partnership with|in collaboration with|developed (?:in partnership )?with|held together with|"
    r"conducted by|spearheaded by|offered by|delivered by|jointly (?:organi[sz]ed|developed) by)\s+(?P<list>[^.;]+)"
)
_LAUNCHED = re.compile(r"\b(?:launched|kicked off)\b")


def org_rules(ctx: Context) -> None:
    _initiatives(ctx)
    _org_runs(ctx)
    _actor_speakers(ctx)
    _attendance(ctx)
    _partners(ctx)
    _launches(ctx)


def _initiatives(ctx: Context) -> None:
    b, gaz = ctx.b, ctx.gaz
    found = []
    for rx in (INITIATIVE_ON, INITIATIVE, QUOTED_WORK):
        for m in rx.finditer(ctx.text):
            name = " ".join(m.group("name").split())
            start = m.start("name")
            owner = None
            if "’s " in name or "'s " in name:
                owner, name = re.split(r"['’]s ", name, maxsplit=1)
                start = m.start("name") + m.group("name").index(name)
            words = name.split()
            while words and words[0].lower() in ("the", "a", "an", "this", "its", "their", "and", "of", "for", "on"):
                words.pop(0)
            name = " ".join(words)
            if len(words) < 1 or len(words) > 12 or gaz.org(name) or ctx.book.known_prefix(name) == name:
                continue
            if rx is INITIATIVE and len(words) < 2:
                continue
            if b.find(name) is not None and b.find(name).type != "initiative":  # type: ignore[union-attr]
                continue
            found.append((start, name, owner))
    from graph.extract import _initiative_kind

    for start, name, owner in sorted(found):
        rec = b.add("initiative", name, start, kind=_initiative_kind(name, gaz))
        bare = re.sub(r"\s+(?:initiative|website)$", "", name, flags=re.IGNORECASE)
        if bare != name:
            b.alias(rec, bare)
        if owner:
            canonical = ctx.book.canonical(owner)
            if canonical or ctx.gaz.economy(owner)[0]:
                org = b.add("organisation", canonical or owner, start) if canonical else b.add("economy", owner, start)
                b.alias(org, owner)
                s, e = ctx.sentence(start)
                b.relate(org.name, "partner_of", rec.name, ctx.ev(start - len(owner) - 2, start + len(name),
                                                                  "possessive", 0.7))


def _org_runs(ctx: Context) -> None:
    """Capitalised phrases headed by an organisation noun ('Hungarian National Trading House')."""
    b = ctx.b
    spans = [(p.start, p.end) for p in ctx.persons]
    for m in _ORG_RUN.finditer(ctx.text):
        name = m.group("name")
        words = name.split()
        while words and words[0] in ("The", "A", "An", "This", "During", "In", "At", "From", "With", "Both"):
            words.pop(0)
        if len(words) < 2:
            continue
        name = " ".join(words)
        if phrase_type(name, ctx.gaz) != "organisation" or name.split()[-1] in ("Group",) and len(words) < 2:
            continue
        if any(s < m.end() and m.start() < e for s, e in spans):
            continue
        if any(ctx.gaz.is_word("role", w) for w in words[:2]) or name in ctx.book.subunits:
            continue
        canonical = ctx.book.canonical(name) or name
        if b.find(canonical) is None:
            b.add("organisation", canonical, m.start(), kind=org_kind(canonical, ctx.gaz))


def _actor(ctx: Context, name: str, pos: int) -> str | None:
    name = " ".join(name.split())
    ok, iso3 = ctx.gaz.economy(name)
    if ok:
        return ctx.b.add("economy", name, pos, iso3=iso3).name
    if name in ctx.gaz.demonyms:
        iso3 = ctx.gaz.demonyms[name]
        return ctx.b.add("economy", ctx.gaz.iso3_names.get(iso3, name), pos, iso3=iso3).name
    canonical = ctx.book.canonical(name)
    if canonical:
        return ctx.b.add("organisation", canonical, pos).name
    rec = ctx.b.find(name)
    if rec is not None and rec.type in ("organisation", "economy"):
        return rec.name
    if name[:1].isupper() and len(name.split()) <= 6 and phrase_type(name, ctx.gaz) == "organisation":
        return ctx.b.add("organisation", name, pos, kind=org_kind(name, ctx.gaz)).name
    return None


def _actor_speakers(ctx: Context) -> None:
    """Delegations and organisations that speak: 'Japan informed ...', 'a representative from X'."""
    for m in _REPRESENTATIVE.finditer(ctx.text):
        raw = m.group("x") or m.group("y")
        start = m.start("x") if m.group("x") else m.start("y")
        event = ctx.event_at(start)
        actor = _actor(ctx, raw, start)
        if actor and event:
            s, e = ctx.sentence(start)
            ctx.b.relate(actor, "spoke_at", event, ctx.ev(s, e, "representative", 0.6))
    if ctx.sections:
        return
    for ent in ctx.parsed.ents:
        if ent.label_ not in ("GPE", "ORG") or ent.root.dep_ not in ("nsubj", "nsubjpass"):
            continue
        head = ent.root.head
        lemma = head.lemma_.lower()
        event = ctx.event_at(ent.start_char)
        if event is None or lemma not in _SPEAK_VERBS:
            continue
        presented = lemma == "present" or any(c.lemma_ == "presentation" for c in head.children)
        actor = _actor(ctx, ent.text, ent.start_char)
        if actor is None:
            continue
        s, e = ctx.sentence(ent.start_char)
        ctx.b.relate(actor, "presented_at" if presented else "spoke_at", event, ctx.ev(s, e, "actor-verb", 0.6))
    for m in re.finditer(r"presentation was (?:received|given|made) (?:from|by) (?:the )?(?P<x>[A-Z][^,.;(]*[\w])",
                         ctx.text):
        actor = _actor(ctx, m.group("x"), m.start("x"))
        event = ctx.event_at(m.start())
        if actor and event:
            ctx.b.relate(actor, "presented_at", event, ctx.ev(m.start(), m.end(), "presentation-from", 0.7))


def _attendance(ctx: Context) -> None:
    """Economies in a sentence (or its footnote) that says they attended or took part."""
    notes = {n.marker: n for n in footnotes(ctx.text)}
    for s, e in ctx.sents:
        sentence = ctx.text[s:e]
        if not re.search(r"\b(attended|attending|participated|participation in|joined the|were represented)\b", sentence):
            continue
        event = ctx.event_at(s)
        if event is None:
            continue
        zones = [(s, e)] + [(n.start, n.end) for pos, n in notes.items() if s <= pos < e]
        for zs, ze in zones:
            for surface, start, end, label, ent_id in ctx.ents:
                if label == "GPE" and ent_id and zs <= start < ze:
                    iso3 = None if ent_id == "EU" else ent_id
                    name = ctx.b.add("economy", surface, start, iso3=iso3).name
                    if ctx.b.has(name, "spoke_at", event) or ctx.b.has(name, "presented_at", event):
                        continue
                    ctx.b.relate(name, "attended", event, ctx.ev(start, end, "attendance", 0.7))


def _split_list(s: str) -> list[str]:
    s = re.split(r"\b(?:which|that|who|to|on|in order)\b", s)[0]
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", s)
    return [p.strip() for p in parts if p.strip()]


def _nearest_initiative(ctx: Context, pos: int, lo: int) -> str | None:
    best = None
    for rec in ctx.b.recs:
        if rec.type != "initiative":
            continue
        for name in rec.names():
            for m in re.finditer(re.escape(name), ctx.text[lo:pos]):
                if best is None or lo + m.start() > best[1]:
                    best = (rec.name, lo + m.start())
    return best[0] if best else None


def _partners(ctx: Context) -> None:
    for m in _PARTNER_LIST.finditer(ctx.text):
        s, e = ctx.sentence(m.start())
        prev_s = ctx.sentence(max(0, s - 2))[0]
        target = _nearest_initiative(ctx, m.start(), s) or _nearest_initiative(ctx, m.start(), prev_s)
        if target is None:
            continue
        for item in _split_list(m.group("list")):
            item = re.sub(r"^the\s+", "", item)
            item = re.sub(r"\s*\([^)]*\)$", "", item)
            if not item[:1].isupper():
                continue
            actor = _actor(ctx, item, m.start("list"))
            if actor:
                ctx.b.relate(actor, "partner_of", target, ctx.ev(m.start(), m.end(), "partner-list", 0.6))


def _launches(ctx: Context) -> None:
    """'This session launched X' / 'X was launched at EVENT' / 'were launched during the week, such as ...'."""
    for m in _LAUNCHED.finditer(ctx.text):
        s, e = ctx.sentence(m.start())
        sentence = ctx.text[s:e]
        event = ctx.event_at(m.start())
        if re.match(r"\s*(?:This|The) (?:session|event|meeting|workshop)\b", sentence) and event:
            target = _nearest_initiative(ctx, e, m.end())
            if target:
                ctx.b.relate(event, "launched", target, ctx.ev(s, e, "session-launched", 0.7))
        elif "such as" in sentence[m.end() - s :] and ctx.main:
            for rec in ctx.b.recs:
                if rec.type == "initiative" and any(n in sentence[m.end() - s :] for n in rec.names()):
                    ctx.b.relate(ctx.main.name, "launched", rec.name, ctx.ev(s, e, "launched-such-as", 0.6))
        else:
            at = re.search(r"launched (?:at|during) (?:the )?(?P<ev>[A-Z][^,.;]+)", sentence)
            if at and ctx.b.find(at.group("ev")) is not None:
                target = _nearest_initiative(ctx, m.start(), s)
                if target:
                    ctx.b.relate(ctx.b.canonical(at.group("ev")), "launched", target,
                                 ctx.ev(s, e, "launched-at", 0.6))
