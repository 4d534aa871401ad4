"""Partnerships and structure between organisations and initiatives.

partner_of from lists ("in partnership with A, B and C", "conducted by ..."), accepted
invitations, partners who speak in turn, possessives are read in extract_org_rules; part_of
between initiatives ("which is part of ..."), and organisations "based in" a place.
"""

from __future__ import annotations

import functools
import re

from graph.extract.rules.orgs import _actor, _first_initiative, _nearest_initiative, _split_list
from graph.extract.rules.relations import Context
from graph.nlp.gazetteer import alternation

_PARTNER_LIST = re.compile(
    r"\b(?:in partnership with|in collaboration with|developed (?:in partnership )?with|held together with|"
    r"conducted by|spearheaded by|offered by|delivered by|jointly (?:organi[sz]ed|developed) by)\s+"
    r"(?=(?P<list>[^.;\n]+))"
)


def partner_rules(ctx: Context) -> None:
    _partners(ctx)
    _partnership_with(ctx)
    _accepted_partners(ctx)
    _partner_speakers(ctx)
    _components(ctx)
    _based_in(ctx)


def _partners(ctx: Context) -> None:
    for m in _PARTNER_LIST.finditer(ctx.text):
        s, _e = ctx.sentence(m.start())
        prev_s = ctx.sentence(max(0, s - 2))[0]
        target = _nearest_initiative(ctx, m.start(), s) or _nearest_initiative(ctx, m.start(), prev_s)
        if target is None:
            continue
        for listed in _split_list(m.group("list")):
            item = re.sub(r"\s*\([^)]*\)$", "", re.sub(r"^the\s+", "", listed))
            if not item[:1].isupper():
                continue
            actor = _actor(ctx, item, m.start("list"))
            if actor:
                ctx.b.relate(actor, "partner_of", target, ctx.ev(m.start(), m.end(), "partner-list", 0.6))


_ACCEPTED = re.compile(
    r"(?:[Pp]ositive responses were received from|accepted the invitation[^.]*?:"
    r"|agreed to (?:join|become partners)[^.]*?:)"
    r"\s+(?P<list>[^.;]+)"
)


def _accepted_partners(ctx: Context) -> None:
    """'Invitations ... to join X and become partners ... Positive responses were received from A, B.'"""
    for m in _ACCEPTED.finditer(ctx.text):
        s, e = ctx.sentence(m.start())
        ps, pe = ctx.sentence(max(0, s - 2))
        prev = ctx.text[ps:pe]
        if "partner" not in prev and "join" not in prev:
            continue
        targets = [
            r.name
            for r in ctx.b.recs
            if r.type == "initiative" and any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", prev) for n in r.names())
        ]
        for item in _split_list(m.group("list")):
            actor = _actor(ctx, item, m.start("list"))
            for target in targets:
                if actor:
                    ctx.b.relate(actor, "partner_of", target, ctx.ev(s, e, "accepted-partnership", 0.6))


_PARTNERS_MARK = re.compile(r"\b(?:partners|project['’]s partners)\b")


def _partner_speakers(ctx: Context) -> None:
    """'A number of the X partners went on to talk ...': the speakers that follow speak for partners of X."""
    for m in re.finditer(
        r"(?:interventions|statements|remarks) by the (?:project|initiative|programme)['’]s partners|"
        r"\b(?:the )?(?P<init>[\w ]+?) partners went on to",
        ctx.text,
    ):
        s, e = ctx.sentence(m.start())
        target = None
        if m.group("init"):
            rec = ctx.b.find(m.group("init").replace("A number of the ", "").strip())
            target = rec.name if rec is not None and rec.type == "initiative" else None
        if target is None:
            target = _main_programme(ctx, m.start())
        if target is None:
            continue
        stop = _scope_end(ctx, e, _section_end(ctx, m.start()))
        for p in ctx.persons:
            if e <= p.start < stop and p.honorific not in ("", "surname"):
                if re.match(
                    r"[^.]{0,200}on behalf of",
                    ctx.text[p.clause_end or p.end : p.clause_end + 200] if p.clause_end else "",
                ):
                    continue
                for predicate, tgt, _role in p.links:
                    if predicate in ("holds_role_at", "affiliated_with"):
                        actor = ctx.b.canonical(ctx.book.canonical(tgt.name) or tgt.name)
                        if ctx.b.find(actor) is not None:
                            ctx.b.relate(actor, "partner_of", target, ctx.ev(s, e, "partners-speak", 0.5))


@functools.cache
def _turn_away(parts: frozenset[str]) -> re.Pattern[str]:
    """A paragraph opening that moves on in time or to another part of the event ('The panel ...')."""
    return re.compile(rf"(?:After|Following|Then|Next|Finally|In the|During|The (?:{alternation(parts)}))\b")


def _scope_end(ctx: Context, start: int, limit: int) -> int:
    """End of the paragraphs a 'partners' remark covers: its own, and the next unless that one turns away."""
    text = ctx.text
    para_end = text.find("\n\n", start)
    para_end = limit if para_end == -1 or para_end > limit else para_end
    nxt = _PARTNERS_MARK.search(text, start, para_end)
    if nxt:
        return nxt.start()
    follow = text[para_end:limit].lstrip()
    follow_start = limit - len(follow)
    if not follow or _turn_away(ctx.gaz.union("event_part")).match(follow):
        return para_end
    end2 = text.find("\n\n", follow_start)
    end2 = limit if end2 == -1 or end2 > limit else end2
    nxt = _PARTNERS_MARK.search(text, follow_start, end2)
    return nxt.start() if nxt else end2


def _main_programme(ctx: Context, pos: int) -> str | None:
    best = None
    for rec in ctx.b.recs:
        if rec.type == "initiative" and rec.kind == "programme":
            for name in rec.names():
                for mm in re.finditer(re.escape(name), ctx.text[:pos]):
                    if best is None or mm.start() > best[1]:
                        best = (rec.name, mm.start())
    return best[0] if best else None


def _section_end(ctx: Context, pos: int) -> int:
    for sec in ctx.sections:
        if sec.start <= pos < sec.end:
            return sec.end
    return len(ctx.text)


def _components(ctx: Context) -> None:
    """'X, which is (a central component|part) of the Y initiative' -> X part_of Y."""
    for m in re.finditer(r"\bwhich is (?:a |an |the )?(?:[\w-]+ )?(?:component|part|pillar|element) of\b", ctx.text):
        s, e = ctx.sentence(m.start())
        before = _nearest_initiative(ctx, m.start(), s)
        after = _first_initiative(ctx, m.end(), e)
        if before and after and before != after:
            ctx.b.relate(before, "part_of", after, ctx.ev(s, e, "component-of", 0.6))


def _based_in(ctx: Context) -> None:
    """'the ITC, a joint UN-WTO agency based in Geneva' -> located_in."""
    for m in re.finditer(
        r"(?P<org>[A-Z][\w&\-]*(?: [A-Z][\w&\-]*)*)(?: \([A-Z]+\))?, (?:a|an|the) [^,.;]{0,60}?"
        r"(?:based|headquartered|located) in (?P<place>[A-Z][\w\-]+(?: [A-Z][\w\-]+)?)",
        ctx.text,
    ):
        org = ctx.book.canonical(m.group("org")) or m.group("org")
        rec = ctx.b.find(org)
        if rec is not None and rec.type == "organisation":
            ctx.b.relate(rec.name, "located_in", m.group("place"), ctx.ev(m.start(), m.end(), "based-in", 0.7))


_PARTNERSHIP_WITH = re.compile(
    r"\b(?:PPP|public[- ]private[- ]partnership|partnership|memorandum of understanding|MoU|cooperation agreement)"
    r"[ \u00a0]+with[ \u00a0]+(?:the[ \u00a0]+)?(?P<org>[A-Z][\w&\-]*(?:[ \u00a0]+[A-Z][\w&\-]*)*)"
)


def _partnership_with(ctx: Context) -> None:
    """'The Pakistani government celebrated a PPP with Microsoft': a stated bilateral partnership."""
    for m in _PARTNERSHIP_WITH.finditer(ctx.text):
        s, _e = ctx.sentence(m.start())
        head = ctx.text[s : m.start()]
        subject = None
        dm = re.search(r"\b(?:The|the)?[ \u00a0]*(?P<dem>[A-Z][a-z]+)[ \u00a0]+[Gg]overnment\b", head)
        if dm and dm.group("dem") in ctx.gaz.demonyms:
            subject = _actor(ctx, dm.group("dem"), s + dm.start("dem"))
        if subject is None:
            lead = re.match(r"\s*(?:The[ \u00a0]+)?(?P<x>[A-Z][\w&\-]*(?:[ \u00a0]+[A-Z][\w&\-]*)*)", head)
            subject = _actor(ctx, lead.group("x"), s) if lead else None
        partner = _actor(ctx, m.group("org"), m.start("org"))
        if subject and partner and subject != partner:
            ctx.b.relate(partner, "partner_of", subject, ctx.ev(s, m.end(), "partnership-with", 0.5))
