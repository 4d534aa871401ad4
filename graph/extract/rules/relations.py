"""Relations between the entities found: who spoke at, moderated, chaired or reported on what.

Why per-mention rules: a relation is read from the sentence of a mention (its apposition,
the verb after it, a cue such as "moderated by" before it) and the event it happens in
(the section's session, else the document's main event).  CONVENTIONS.md's exclusions are
applied at the end: moderators and chairs are not also speakers, presenters not both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc as SpacyDoc

from graph.extract.builder import Builder
from graph.extract.mentions.events import EventMention, MainEvent, Section
from graph.extract.mentions.orgs import OrgBook, org_kind, phrase_type
from graph.extract.mentions.people import Mention, PersonMention
from graph.extract.textspan import evidence, find_sentence
from graph.nlp.gazetteer import Gazetteer, alternation


@dataclass
class Context:
    text: str
    parsed: SpacyDoc
    gaz: Gazetteer
    book: OrgBook
    b: Builder
    persons: list[PersonMention]
    main: MainEvent | None
    sections: list[Section]
    events: list[EventMention]
    year: int | None
    ents: list[tuple[str, int, int, str, str]]
    sents: list[tuple[int, int]]
    roles: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def event_at(self, pos: int) -> str | None:
        """The session a position belongs to, else the main event."""
        for sec in self.sections:
            if sec.start <= pos < sec.end:
                return sec.session
        return self.main.name if self.main else None

    def sentence(self, pos: int) -> tuple[int, int]:
        return find_sentence(self.sents, pos)

    def ev(self, start: int, end: int, rule: str, confidence: float = 0.8):
        return evidence(self.text, start, end, rule, confidence)


def relation_rules(ctx: Context) -> None:
    """Run every rule in order (events first: relations refer to their names)."""
    from graph.extract.rules.context import context_rules
    from graph.extract.rules.events import event_rules
    from graph.extract.rules.orgs import entity_rules, org_rules

    entity_rules(ctx)
    event_rules(ctx)
    context_rules(ctx)
    apposition_relations(ctx)
    speaking_roles(ctx)
    org_rules(ctx)


# --------------------------------------------------------------------------- appositions


def _entity_for(ctx: Context, target: Mention, pos: int) -> str:
    b = ctx.b
    if target.kind == "economy":
        rec = b.add("economy", target.name, pos, iso3=target.iso3)
    elif target.kind == "initiative":
        rec = b.add("initiative", target.name, pos)
    else:
        canonical = ctx.book.canonical(target.name)
        rec = b.add("organisation", canonical or target.name, pos, kind=org_kind(canonical or target.name, ctx.gaz))
        b.alias(rec, target.name)
    return rec.name


_OF_ECONOMY = re.compile(r"^[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+)?(?P<eco>[A-Z][\w ’'-]+?)(?=[,.;]|$| to )")


_PRE_TITLE = re.compile(
    r"(?:(?P<org>[A-Z][\w&’'.-]*(?:[ \u00a0]+[A-Z][\w&’'.-]*){0,5}?)(?:['’]s)?[ \u00a0]+)?"
    r"(?P<role>(?:(?:Deputy|Vice|Assistant|Executive|Senior|Chief|Permanent|Trade|Foreign|Prime|Special)[ \u00a0-]+)?"
    r"(?:Director-General|Director General|Secretary-General|Secretary General|Minister|President|Chair|Chairman|"
    r"Chairperson|Director|Ambassador|CEO|Head|Commissioner|Governor|Coordinator|Economist|Adviser|Advisor|"
    r"Representative|Spokesperson|Founder))"
    r"(?:[ \u00a0]+(?:of|for)[ \u00a0]+(?P<of>[A-Z][\w&’'-]*(?:[ \u00a0]+[A-Z][\w&’'-]*){0,3}))?[ \u00a0,]+$"
)


def _pre_title(ctx: Context, m: PersonMention, rec) -> None:
    """'UNCTAD Secretary-General X said', 'Trade Minister of Kenya Y': a role written before the name."""
    lead = m.start
    hm = _HONORIFIC_TAIL.search(ctx.text[max(0, m.start - 30) : m.start])
    if hm:
        lead = m.start - 30 + hm.start() if m.start >= 30 else hm.start()
    window_start = max(0, lead - 90)
    pm = _PRE_TITLE.search(ctx.text[window_start:lead])
    if not pm:
        return
    role = " ".join(pm.group("role").split())
    ctx.b._append(rec, "titles", role)
    for group in ("of", "org"):
        surface = pm.group(group)
        if not surface:
            continue
        surface = " ".join(surface.split())
        ok, iso3 = ctx.gaz.economy(surface)
        canonical = ctx.book.canonical(surface)
        if not ok and not canonical:
            continue
        target = (
            ctx.b.add("economy", surface, lead, iso3=iso3)
            if ok
            else ctx.b.add("organisation", canonical or surface, lead, kind=org_kind(canonical or surface, ctx.gaz))
        )
        if not ok:
            ctx.b.alias(target, surface)
        ctx.b._append(rec, "affiliations", target.name)
        q = ctx.ev(window_start + pm.start(), m.end, "title-before-name", 0.7)
        ctx.b.relate(rec.name, "holds_role_at", target.name, q, role=role)
        return


def apposition_relations(ctx: Context) -> None:  # noqa: PLR0915 - one pass, a rule per phrasing
    """holds_role_at / affiliated_with / located_in read from each person's apposition."""
    for m in ctx.persons:
        if m.honorific == "surname":
            continue
        rec = ctx.b.find(m.name)
        if rec is None:
            continue
        if not m.links and not m.clause_end:
            _pre_title(ctx, m, rec)
        end = max(m.end, m.clause_end)
        ambassador = "Ambassador" in m.honorific
        if ambassador:
            ctx.b._append(rec, "titles", "Ambassador")
        om = _OF_ECONOMY.match(ctx.text[m.end : m.end + 60])
        om2 = _OF_ORG.match(ctx.text[m.end : m.end + 100])
        if om2 and not ctx.gaz.economy(om2.group("org"))[0] and not m.clause_end:
            om = om2
            org_name = om2.group("org").strip()
            if ctx.book.canonical(org_name) or phrase_type(org_name, ctx.gaz) == "organisation":
                org = ctx.b.add(
                    "organisation", ctx.book.canonical(org_name) or org_name, m.end, kind=org_kind(org_name, ctx.gaz)
                )
                ctx.b._append(rec, "affiliations", org.name)
                ctx.b.relate(rec.name, "affiliated_with", org.name, ctx.ev(m.start, m.end + om2.end(), "person-of-org"))
                m.clause_end = max(m.clause_end, m.end + om2.end())
            om = None
        paren = re.match(r"^[ \u00a0]*\((?P<eco>[A-Z][^()]{1,40})\)", ctx.text[m.end : m.end + 50])
        if paren and not ctx.gaz.economy(paren.group("eco"))[0] and ctx.book.canonical(paren.group("eco")):
            org = ctx.b.add("organisation", ctx.book.canonical(paren.group("eco")) or "", m.end)
            ctx.b.alias(org, paren.group("eco"))
            ctx.b._append(rec, "affiliations", org.name)
            ctx.b.relate(rec.name, "affiliated_with", org.name, ctx.ev(m.start, m.end + paren.end(), "person-(org)"))
        if paren and ctx.gaz.economy(paren.group("eco"))[0]:
            eco = ctx.b.add("economy", paren.group("eco"), m.end, iso3=ctx.gaz.economy(paren.group("eco"))[1])
            ctx.b._append(rec, "affiliations", eco.name)
            ctx.b.relate(
                rec.name, "affiliated_with", eco.name, ctx.ev(m.start, m.end + paren.end(), "person-(economy)")
            )
        if om and ctx.gaz.economy(om.group("eco"))[0]:
            eco = ctx.b.add("economy", om.group("eco"), m.end, iso3=ctx.gaz.economy(om.group("eco"))[1])
            ctx.b._append(rec, "affiliations", eco.name)
            quote_start = m.start - len(m.honorific) - 1 if m.honorific else m.start
            q = ctx.ev(max(0, quote_start), m.end + om.end(), "person-of-economy")
            if ambassador:
                ctx.b.relate(rec.name, "holds_role_at", eco.name, q, role="Ambassador")
            else:
                ctx.b.relate(rec.name, "affiliated_with", eco.name, q)
        for predicate, target, role in m.links:
            q = ctx.ev(m.start, end, "apposition", 0.85)
            if predicate == "alias":
                org = ctx.b.find(_entity_for(ctx, target, m.start))
                if org is not None and role:
                    ctx.b.alias(org, role)
                continue
            if predicate == "located_in":
                ctx.b.relate(_entity_for(ctx, target, m.start), "located_in", role or "", q)
                continue
            name = _entity_for(ctx, target, m.start)
            if predicate == "affiliated_with" and ambassador and target.kind == "economy":
                ctx.b.relate(rec.name, "holds_role_at", name, q, role="Ambassador")
            else:
                ctx.b.relate(rec.name, predicate, name, q, role=role)


# --------------------------------------------------------------------------- speaking


_SPEECH = re.compile(
    r"\b(?:said|says|spoke|speaks|began|begun|gave|made|took|closed|opened|"
    r"(?:stress|highlight|emphasi[sz]|underlin|affirm|mention|explain|discuss|add|not|recall|argu|open|introduc|"
    r"conclud|report|summari[sz]|illustrat|outlin|comment|ask|repl|shar|prais|reflect|start|finish|clos|provid|"
    r"focus|express|point|remark|consider|describ|specif|urg|push|remind|call|rais|cit|continu|underscor|regard|"
    r"defend|address|present|inform|updat|brief|welcom|thank|observ|suggest|propos|indicat|acknowledg|warn|claim|"
    r"talk|deliver|kick|walk|answer|respond|invit|elaborat|showcas|demonstrat|encourag|recommend|identif|insist|"
    r"announc|reaffirm|contribut|interven|stat|declar|explor|reiterat|shar|echo|detail|emphas|review|"
    r"summar|introduc)(?:ed|d|ied|es|s|ing))\b"
)
_CUE_BEFORE = re.compile(
    r"(remarks|introduction|address|intervention|speech|presentation|interventions|statement)\b[^.]*?\bby\s*$|"
    r"[Aa]ccording to\s*$|\b(?:dialogue|conversation|discussion|interview|exchange)\b[^.]*\bwith\s*$|"
    r"\bintroduce\s*$|\b(?:introduced|opened|closed|started|concluded|chaired) by\s*$|\band\s*$|"
    r"\b(?:featured|featuring|panellists?|panelists?|speakers?(?: included)?|keynote(?: speaker)?)\b[^.]*$",
)
_MODERATOR_BEFORE = re.compile(r"(moderated by|facilitated by|the moderator,?|moderator)\s*$", re.IGNORECASE)
_MODERATOR_AFTER = re.compile(
    r"^[^.]{0,40}?\b(moderated|was the moderator|as (?:the )?moderator|facilitated the)", re.IGNORECASE
)


@functools.cache
def _chair_before(events: frozenset[str]) -> re.Pattern[str]:
    """'chair of the panel' / 'chaired by' / 'The Chair' before a name; ``events``: the lexicon's event words."""
    return re.compile(
        rf"(chair(?:person|ed)? (?:of|by) the (?:{alternation(events)})|chaired by|\b[Tt]he Chair(?:person)?),?\s*$",
        re.IGNORECASE,
    )


_PRESENTED_AFTER = re.compile(r"^[,\s]*(?:[^\s.]+\s+){0,4}?(presented|gave an? (?:\w+ )?presentation)")
_OF_ORG = re.compile(
    r"^[ \u00a0]+(?:of|from)[ \u00a0]+(?:the[ \u00a0]+)?"
    r"(?P<org>[A-Z][\w’'&-]*(?:[ \u00a0]+(?:(?:of|for|and)[ \u00a0]+)?[A-Z][\w’'&-]*)*)"
)


@functools.cache
def _reported(parts: frozenset[str]) -> re.Pattern[str]:
    """'..., reported from the session on X': ``parts`` are the lexicon's words for a part of an event."""
    return re.compile(
        r"^[,\s]*(?:reported (?:from|on) |summari[sz]ed the main outcomes of |illustrated the main points of )"
        rf"(?P<name>the (?:{alternation(parts)})[^.;]*?)(?=[.;]|, (?:and|which|where)\b|$)"
    )


_HONORIFIC_TAIL = re.compile(r"((H\.\s?E\.?|Mr|Ms|Mrs|Dr|Prof\.?|Ambassador)\s*)+$")


def _role(ctx: Context, person: str, event: str, role: str, q) -> None:
    slot = ctx.roles.setdefault((person, event), {})
    slot.setdefault(role, q)


def _alone_on_line(text: str, m: PersonMention) -> bool:
    """A name on a line of its own (a byline, 'By X', a signature) is nobody speaking."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    before = text[line_start : m.start].strip().lower()
    after = text[m.end : len(text) if line_end == -1 else line_end].strip()
    return not after and before in ("", "by", "author:", "authors:", "written by", "reported by", "report by")


def speaking_roles(ctx: Context) -> None:  # noqa: PLR0915 - one pass, a rule per phrasing
    """spoke_at / presented_at / moderated / chaired / reported_on for each person mention."""
    text = ctx.text
    bylines = {(s.byline_start, s.byline_end) for s in ctx.sections}
    order = sorted(ctx.persons, key=lambda m: m.start)
    chair_before = _chair_before(ctx.gaz.union("event_reference", "event_part"))
    reported = _reported(ctx.gaz.union("event_part"))
    for i, m in enumerate(order):
        if (m.start, m.end) in bylines or _alone_on_line(text, m):
            continue
        event = ctx.event_at(m.start)
        s0, _e0 = ctx.sentence(m.start)
        sub = next(
            (
                ev
                for ev in ctx.events
                if s0 <= ev.start < m.start
                and ev.alias is not None
                and ctx.text[s0 : ev.start].strip(" \u00a0\n").lower() in ("", "the")
            ),
            None,
        )
        if sub is not None and ctx.b.find(sub.name) is not None:
            event = ctx.b.canonical(sub.name)  # 'The opening plenary was moderated by ...'
        if event is None:
            continue
        rec = ctx.b.find(m.name)
        if rec is None or rec.type != "person":
            continue
        s, e = ctx.sentence(m.start)
        lead = m.start
        hm = _HONORIFIC_TAIL.search(text[s : m.start])
        if hm:
            lead = s + hm.start()
        pre = text[s:lead]
        after = max(m.end, m.clause_end)
        post = text[after:e]
        q = ctx.ev(s, e, "speaker-sentence", 0.7)
        if _MODERATOR_BEFORE.search(pre) or _MODERATOR_AFTER.search(post):
            _role(ctx, rec.name, event, "moderated", q)
            continue
        if chair_before.search(pre):
            _role(ctx, rec.name, event, "chaired", q)
            continue
        rm = reported.match(post)
        if rm:
            sub = " ".join(rm.group("name").split())
            sub = re.sub(r"^the ", "", sub)
            ev_rec = ctx.b.add("event", sub, after + rm.start("name"), part_of=ctx.main.name if ctx.main else None)
            if ctx.main:
                ctx.b.relate(
                    ev_rec.name,
                    "part_of",
                    ctx.main.name,
                    ctx.ev(after + rm.start("name"), after + rm.end("name"), "reported-session", 0.7),
                )
            ctx.b.relate(
                rec.name, "reported_on", ev_rec.name, ctx.ev(after + rm.start(), after + rm.end(), "reported-from", 0.8)
            )
        nxt = order[i + 1].start if i + 1 < len(order) else len(text)
        turn = text[after : min(nxt, e + 400)]
        if _PRESENTED_AFTER.match(post) or re.search(
            r"(?:^|[.]\s+)(?:(?:He|She) presented|After (?:the|his|her) presentation)\b", turn
        ):
            _role(ctx, rec.name, event, "presented_at", q)
            continue
        if re.match(r"^[,\s]*(?:also[ \u00a0]+)?(?:attended|participated in|took part in|joined)\b", post):
            _role(ctx, rec.name, event, "attended", q)
            continue
        if _SPEECH.search(post) or _CUE_BEFORE.search(pre) or _SPEECH.search(pre[-60:]):
            _role(ctx, rec.name, event, "spoke_at", q)
    for (person, event), roles in ctx.roles.items():
        if person == event:
            continue
        if "moderated" in roles:
            ctx.b.relate(person, "moderated", event, roles["moderated"])
        elif "chaired" in roles:
            ctx.b.relate(person, "chaired", event, roles["chaired"])
        elif "presented_at" in roles:
            ctx.b.relate(person, "presented_at", event, roles["presented_at"])
        elif "spoke_at" in roles:
            ctx.b.relate(person, "spoke_at", event, roles["spoke_at"])
        elif "attended" in roles:
            ctx.b.relate(person, "attended", event, roles["attended"])
