"""Organisations, economies and initiatives as actors: speakers, attendees, partners, launches.

Why separate from persons: delegations and organisations act through different phrasings
("Japan informed the Group", "a representative from Morocco commented", footnoted attendance
lists, "in partnership with A, B and C", "UNCTAD's eTrade for all initiative").
"""

from __future__ import annotations

import functools
import re

from graph.extract.mentions.orgs import org_kind, phrase_type
from graph.extract.rules.relations import Context
from graph.extract.textspan import footnotes
from graph.nlp.gazetteer import alternation

_INIT_HEADS = (
    r"platform|programme|program|initiative|network|helpdesk|help desk|toolkit|course|guide|website|portal|"
    r"package|agreement|convention|directive|decision|strategy|survey|database|marketplace|assessment|facility"
)
_NAMEWORD = r"(?=[\w@+\-]*[A-Z0-9])[\w@+\-]++(?:\.[\w@+\-]++)*+(?:[ \u00a0]\([A-Z][A-Za-z]+\))?"
INITIATIVE = re.compile(
    rf"(?<![\w’'])(?P<name>{_NAMEWORD}"
    rf"(?:[ \u00a0]+(?:(?:for|of|on|and|the|to|all|&|in)[ \u00a0]+)*(?:{_NAMEWORD}|all))*"
    rf"(?:[ \u00a0]+[a-z][a-z\-]+)?[ \u00a0]+(?:online[ \u00a0]+)?(?P<head>(?i:{_INIT_HEADS})s?))\b"
    rf"(?![ \u00a0]+(?:on|for|of)[ \u00a0]+[A-Z])",
)
QUOTED_HEAD = re.compile(
    rf"['‘](?P<name>[\w@+\-.]{{3,40}})['’][ \u00a0]+(?:online[ \u00a0]+)?(?P<head>{_INIT_HEADS})\b"
)
INITIATIVE_ON = re.compile(
    rf"(?P<name>(?:{_NAMEWORD}[ \u00a0]+)*"
    rf"(?:[Cc]ourse|[Gg]uide|[Pp]rogramme|[Pp]latform|[Rr]eport|[Ss]urvey|[Ii]nitiative)"
    rf"[ \u00a0]+(?:on|for|of)[ \u00a0]+{_NAMEWORD}(?:[ \u00a0]+(?:(?:of|and|for|on)[ \u00a0]+)?{_NAMEWORD})*)"
)
QUOTED_WORK = re.compile(
    r"(?:report|study|case study|course|publication|guide|toolkit)(?: called| entitled| titled)?,?\s+"
    r"(?:‘(?P<name>[^\n]{4,120}?)['’](?=[\s,.;:)])|“(?P<name2>[^”\n]{4,120})”|"
    r"'(?P<name3>[^\n]{4,120}?)'(?=[\s,.;:)])|\"(?P<name4>[^\"\n]{4,120})\")"
)
NUMBERED_INSTRUMENT = re.compile(
    r"\b(?P<name>(?:Convention|Protocol|Resolution|Decision|Recommendation) No\.? ?\d+|"
    r"(?:Convention|Protocol|Resolution|Decision|Recommendation) \d{2,4})\b"
)
DOC_SYMBOL = re.compile(r"(?<![\w/])(?P<name>(?:[A-Z]{1,6}/){2,}[\w.()/-]*[\w)])")
URL_PLATFORM = re.compile(
    r"\b(?:portal|platform|website|database|hub)\b[^.\n]{0,80}?\b(?:at|on|via)[ \u00a0]+"
    r"(?P<name>(?:https?://)?www\.[\w\-.]+\.[a-z]{2,}(?:/[\w\-./]*)?)"
)
_ORG_RUN = re.compile(
    r"(?<![\w’'])(?P<name>(?:[A-Z][\w&’'\-]*[ \u00a0]+(?:(?:of|for|and|on|&)[ \u00a0]+)?)*[A-Z][\w&’'\-]*)"
)
_SPEAK_VERBS = {
    "inform",
    "update",
    "comment",
    "brief",
    "present",
    "state",
    "note",
    "say",
    "explain",
    "highlight",
    "stress",
    "ask",
    "suggest",
    "propose",
    "report",
    "welcome",
    "thank",
    "share",
    "emphasise",
    "emphasize",
    "raise",
    "express",
    "give",
    "argue",
    "mention",
    "announce",
}
_REPRESENTATIVE = re.compile(
    r"(?:representatives?|delegates?|delegation)[ \u00a0]+(?:of|from)[ \u00a0]+(?:the[ \u00a0]+)?"
    r"(?P<x>[A-Z][\w’'\-]*(?:[ \u00a0]+(?:(?:of|for|and|&)[ \u00a0]+)?[A-Z][\w’'\-]*)*)"
    r"(?=,|[ \u00a0]+(?:\w+ed|said|says|asks|spoke|made|gave|took|drew)\b)|"
    r"\b(?:an?|the)[ \u00a0]+(?P<y>[A-Z][\w’'\-]*(?:[ \u00a0]+[A-Z][\w’'\-]*)*)[ \u00a0]+"
    r"(?:government[ \u00a0]+)?representatives?\b"
)
_LAUNCHED = re.compile(r"\b(?:launched|kicked off)\b")


def entity_rules(ctx: Context) -> None:
    """Entities that later rules relate: initiatives and organisations named by head nouns."""
    _org_runs(ctx)
    _initiatives(ctx)


def org_rules(ctx: Context) -> None:
    _actor_speakers(ctx)
    _lists(ctx)
    _attendance(ctx)
    _launches(ctx)
    from graph.extract.rules.partners import partner_rules

    partner_rules(ctx)


def _group(m: re.Match[str]) -> tuple[str, int]:
    for g in ("name", "name2", "name3", "name4"):
        if g in m.re.groupindex and m.group(g):
            return m.group(g), m.start(g)
    return "", m.start()


_OWNER = re.compile(
    r"(?P<owner>[A-Z][\w&\-]*(?:[ \u00a0]+(?:of[ \u00a0]+)?[A-Z][\w&\-]*)*)['’]s(?:[ \u00a0]+\([A-Z]+\))?[ \u00a0]+$"
)
_DETERMINERS = (
    "the",
    "a",
    "an",
    "this",
    "its",
    "their",
    "and",
    "of",
    "for",
    "on",
    "his",
    "her",
    "our",
    "current",
    "with",
    "to",
    "by",
    "from",
    "in",
    "at",
    "owing",
    "through",
    "via",
    "under",
    "these",
    "that",
)


def _initiatives(ctx: Context) -> None:
    """Named programmes, platforms, courses, reports ... and their owners written as possessives."""
    b, gaz, text = ctx.b, ctx.gaz, ctx.text
    found = []
    for rx in (QUOTED_HEAD, INITIATIVE_ON, INITIATIVE, QUOTED_WORK, NUMBERED_INSTRUMENT, URL_PLATFORM, DOC_SYMBOL):
        for m in rx.finditer(text):
            raw, start = _group(m)
            words = raw.split()
            offset = 0
            strip_common = rx in (INITIATIVE, INITIATIVE_ON)
            while words and (words[0].lower() in _DETERMINERS or (strip_common and _common_word(ctx, start + offset))):
                offset = raw.index(words[1], offset) if len(words) > 1 else len(raw)
                words.pop(0)
            name = " ".join(words)
            start += offset
            head = (m.group("head") if "head" in m.re.groupindex and m.group("head") else "").lower()
            if not words or len(words) > 12 or gaz.org(name) or ctx.book.known_prefix(name) == name:
                continue
            if rx is INITIATIVE and (len(words) < 2 or (head.endswith("s") and head[:-1] in _INIT_HEADS)):
                continue  # a lone head word, or a lowercase plural ('WTO agreements')
            if not any(c.isupper() or c.isdigit() for c in name.replace(words[-1], "")) and rx not in (
                QUOTED_WORK,
                QUOTED_HEAD,
                URL_PLATFORM,
                DOC_SYMBOL,
            ):
                continue
            if rx is INITIATIVE and _modifies_next_noun(ctx, m.end("name")):
                continue  # 'the Internet platform model'
            if rx is INITIATIVE and _words_rx(gaz.union("event_head")).search(name):
                continue  # 'the E-commerce Week dedicated website'
            name = name.rstrip(".") if rx is URL_PLATFORM else name
            if any(gaz.is_word("role", w) for w in words[:2]) or gaz.economy(words[0])[0] or words[0] in gaz.demonyms:
                continue
            known = ctx.book.known_prefix(name)
            if known and len(name.split()) - len(known.split()) <= 1 and rx is INITIATIVE:
                continue  # 'the SLDB platform': an organisation's unnamed tool
            if any(
                name.endswith(" " + r.name) or name.endswith(" " + a)
                for r in b.recs
                if r.type == "organisation"
                for a in r.aliases[:3]
            ):
                continue
            rec = b.find(name)
            if rec is not None and rec.type != "initiative":
                continue
            om = _OWNER.search(text[max(0, start - 80) : start])
            found.append((start, name, om.group("owner") if om else None, head if rx is QUOTED_HEAD else ""))
    from graph.extract.document import _initiative_kind

    for start, name, owner, quoted_head in sorted(found):
        rec = b.add("initiative", name, start, kind=_initiative_kind(name + " " + quoted_head, gaz))
        bare = re.sub(r"\s+(?:online\s+)?(?:initiative|website|marketplace)$", "", name, flags=re.IGNORECASE)
        if bare != name:
            b.alias(rec, bare)
        if owner:
            canonical = ctx.book.canonical(owner)
            if canonical or ctx.gaz.economy(owner)[0]:
                org = b.add("organisation", canonical, start) if canonical else b.add("economy", owner, start)
                b.alias(org, owner)
                b.relate(
                    org.name,
                    "partner_of",
                    rec.name,
                    ctx.ev(text.rfind(owner, 0, start), start + len(name), "possessive", 0.7),
                )


def _modifies_next_noun(ctx: Context, end: int) -> bool:
    """True when the head word is a compound modifier of a following noun."""
    span = ctx.parsed.char_span(max(0, end - 1), end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[-1].dep_ == "compound"


def _common_word(ctx: Context, pos: int) -> bool:
    """A capitalised common word opening a sentence ('Owing to the X platform')."""
    span = ctx.parsed.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span[0]
    return tok.is_sent_start and tok.pos_ not in ("PROPN", "NUM", "X") and not any(c.isupper() for c in tok.text[1:])


def _org_runs(ctx: Context) -> None:
    """Capitalised phrases headed by an organisation noun ('Hungarian National Trading House')."""
    b, text = ctx.b, ctx.text
    taken = [(p.start, max(p.end, p.clause_end)) for p in ctx.persons]
    taken += [(start, end) for _s, start, end, label, ent_id in ctx.ents if label in ("ORG", "GPE") and ent_id]
    taken += [(ev.start, ev.end) for ev in ctx.events]  # 'WTO Public Forum' names an event here
    if ctx.main:
        taken.append((ctx.main.start, ctx.main.end))
    for m in _ORG_RUN.finditer(text):
        words = m.group("name").split()
        start = m.start()
        while words and words[0] in ("The", "A", "An", "This", "During", "In", "At", "From", "With", "Both"):
            start = text.index(words[1], start) if len(words) > 1 else start
            words.pop(0)
        poss = next((i for i, w in enumerate(words) if re.search(r"['’]s$", w)), None)
        if poss is not None:
            words = words[: poss + 1]
            words[-1] = words[-1][:-2]  # 'Acme Group’s policy team'
        while words and re.search(r"-[a-z]+$", words[-1]):
            words.pop()
        if len(words) < 2:
            continue
        name = " ".join(words)
        end = start + len(name)
        if phrase_type(name, ctx.gaz) != "organisation" or ctx.gaz.economy(name)[0]:
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        if text[max(0, start - 2) : start] in (") ", ")\u00a0", "( ") or (start > 0 and text[start - 1] in "-)("):
            continue
        if re.match(r"\s*\([A-Za-z]+s\)", text[end : end + 12]):
            continue  # a plural concept: 'Small and Medium-Sized Enterprises (SMEs)'
        if any(ctx.gaz.is_word("role", w) for w in words[:2]) or name in ctx.book.subunits:
            continue
        if any(r.type == "organisation" and r.name.startswith(name + " ") for r in b.recs):
            continue
        canonical = ctx.book.canonical(name) or name
        if b.find(canonical) is None:
            b.add("organisation", canonical, start, kind=org_kind(canonical, ctx.gaz))
    for m in re.finditer(r"\b[Tt]he Secretariat\b(?![ \u00a0]+(?:for|of)\b)", text):
        b.add("organisation", "Secretariat", m.start() + 4, kind="intergovernmental")


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
        root = ent.root
        while root.dep_ == "conj" and root.head is not root:
            root = root.head  # 'Kenya and Canada commented'
        if ent.label_ not in ("GPE", "ORG") or root.dep_ not in ("nsubj", "nsubjpass"):
            continue
        head = root.head
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
    for m in re.finditer(
        r"presentation was (?:received|given|made) (?:from|by) (?:the )?(?P<x>[A-Z][^,.;(]*[\w])", ctx.text
    ):
        actor = _actor(ctx, m.group("x"), m.start("x"))
        event = ctx.event_at(m.start())
        if actor and event:
            ctx.b.relate(actor, "presented_at", event, ctx.ev(m.start(), m.end(), "presentation-from", 0.7))


_FROM_LIST = re.compile(
    r"\b(?P<who>[Ss]peakers|[Pp]anellists|[Pp]anelists|[Rr]epresentatives|[Ee]xperts|[Pp]articipants|[Dd]elegates|"
    r"[Dd]elegations)"
    r"[ \u00a0]+from[ \u00a0]+(?=(?P<list>[^.;\n]+))"
)
_ORGANISED_BY = re.compile(
    r"\b(?:jointly[ \u00a0]+)?(?:organi[sz]ed|co-organi[sz]ed|hosted|convened)[ \u00a0]+by[ \u00a0]+"
    r"(?=(?P<list>[^.;\n]+))"
)


_PROGRAMME_OF = re.compile(
    r"(?P<init>[A-Z][^,.;]{2,80}?),[ \u00a0]+(?:a|an|the)[ \u00a0]+(?:\w+[ \u00a0]+)?"
    r"(?P<kind>(?:programme|initiative|project|platform|network|product|publication|report|tool|toolkit|study|course|guide)"
    r"[ \u00a0]+(?:of|by|run by|led by|from))[ \u00a0]+(?=(?P<list>[^.;\n]+))"
)


def _lists(ctx: Context) -> None:
    """'Speakers from A and B also took part'; 'jointly organized by A and B'."""
    for m in _FROM_LIST.finditer(ctx.text):
        event = ctx.event_at(m.start())
        if event is None:
            continue
        predicate = "attended" if m.group("who").lower() == "participants" else "spoke_at"
        s, e = ctx.sentence(m.start())
        for item in _split_list(m.group("list")):
            actor = _actor(ctx, item, m.start("list"))
            if actor:
                ctx.b.relate(actor, predicate, event, ctx.ev(s, e, "from-list", 0.6))
    for m in _ORGANISED_BY.finditer(ctx.text):
        event = ctx.event_at(m.start())
        if event is None:
            continue
        s, e = ctx.sentence(m.start())
        for item in _split_list(m.group("list")):
            actor = _actor(ctx, item, m.start("list"))
            if actor:
                ctx.b.relate(actor, "organised", event, ctx.ev(s, e, "organised-by", 0.6))
    for m in _PROGRAMME_OF.finditer(ctx.text):
        head = " ".join(m.group("init").split()).lower()
        init = next(
            (r for r in ctx.b.recs if r.type == "initiative" for n in r.names() if n and head.endswith(n.lower())), None
        )
        if init is None:
            continue
        for item in _split_list(m.group("list")):
            actor = _actor(ctx, item, m.start("list"))
            if actor:
                ctx.b.relate(actor, "partner_of", init.name, ctx.ev(m.start(), m.end("kind"), "programme-of", 0.6))


def _attendance(ctx: Context) -> None:
    """Economies in a sentence (or its footnote) that says they attended or took part."""
    notes = {n.marker: n for n in footnotes(ctx.text)}
    for s, e in ctx.sents:
        sentence = ctx.text[s:e]
        if not re.search(
            r"\b(attended|attending|participated|participation in|joined the|were represented)\b", sentence
        ):
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
                    ctx.b.relate(name, "attended", event, ctx.ev(start, end, "attendance", 0.7))


_CAPRUN = re.compile(r"[A-Z][\w&’'\-]*(?:[ \u00a0]+(?:(?:of|for|and|on|&|de|the)[ \u00a0]+)*[A-Z][\w&’'\-]*)*")


def _split_list(s: str) -> list[str]:
    """'the ITC, the CUTS (CUTS International), UNCTAD, and DiploFoundation' -> names (stops at a new clause)."""
    s = re.split(r"\b(?:which|that|who|in order)\b", s)[0]
    s = re.sub(r"\([^)]*\)", "", s)
    out = []
    pieces = re.split(r"(,\s*(?:and\s+)?|\s+and\s+(?=(?:the\s+)?[A-Z]))", s)
    for i in range(0, len(pieces), 2):
        part = re.sub(r"^\s*(?:the\s+)", "", pieces[i].strip())
        after_comma = i > 0 and pieces[i - 1].strip() == ","
        m = _CAPRUN.match(part)
        if not m:
            continue
        rest = part[m.end() :].strip()
        if out and after_comma and rest and not rest.startswith(("(", "and ")) and re.match(r"[a-z]", rest):
            break  # 'the ITC, the MSME Group agreed to ...': a new clause, the list has ended
        out.append(m.group())
    return out


def _nearest_initiative(ctx: Context, pos: int, lo: int) -> str | None:
    best = None
    for rec in ctx.b.recs:
        if rec.type != "initiative":
            continue
        for name in rec.names():
            for m in re.finditer(re.escape(name), ctx.text[lo:pos], re.IGNORECASE):
                if best is None or lo + m.start() > best[1]:
                    best = (rec.name, lo + m.start())
    return best[0] if best else None


@functools.cache
def _words_rx(words: frozenset[str]) -> re.Pattern[str]:
    """Any of ``words`` as a whole word, case as written (e.g. the lexicon's proper event heads)."""
    return re.compile(rf"\b(?:{alternation(words)})\b")


@functools.cache
def _launch_cues(events: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """'This session launched' and '... launched at the summit' for the lexicon's event words."""
    this_event = re.compile(rf"\s*(?:This|The) (?:{alternation(events)})\b")
    at_event = re.compile(
        rf"[ \u00a0]+(?:at|during) (?:the[ \u00a0]+)?(?P<ev>[A-Z][^,.;]+|(?:{alternation(events)}))\b"
    )
    return this_event, at_event


def _launches(ctx: Context) -> None:
    """'This session launched X' / 'X was launched at EVENT' / 'were launched during the week, such as ...'."""
    text = ctx.text
    this_event, at_event = _launch_cues(ctx.gaz.union("event_reference", "event_part"))
    for m in _LAUNCHED.finditer(text):
        s, e = ctx.sentence(m.start())
        s = max(s, text.rfind("\n", 0, m.start()) + 1)
        sentence = text[s:e]
        event = ctx.event_at(m.start())
        if this_event.match(sentence) and event:
            target = _first_initiative(ctx, m.end(), e)
            if target:
                ctx.b.relate(event, "launched", target, ctx.ev(s, e, "session-launched", 0.7))
        elif "such as" in text[m.end() : e] and ctx.main:
            for rec in ctx.b.recs:
                if rec.type == "initiative" and any(n in text[m.end() : e] for n in rec.names()):
                    ctx.b.relate(ctx.main.name, "launched", rec.name, ctx.ev(s, e, "launched-such-as", 0.6))
        else:
            at = at_event.match(text[m.end() : e])
            if not at:
                continue
            ev_name = at.group("ev").strip()
            if ev_name[0].islower() and event:
                ev_name = event
            if ctx.b.find(ev_name) is None:
                continue
            before = re.sub(r"[ \u00a0]+(?:was|were|has been|had been)[ \u00a0]*$", "", text[s : m.start()])
            before = re.sub(r"[ \u00a0]*\([^)]*\)$", "", before)
            subject = next(
                (
                    r.name
                    for r in ctx.b.recs
                    if r.type in ("initiative", "organisation")
                    for n in r.names()
                    if n and before.endswith(n)
                ),
                None,
            )
            if subject is None and re.match(r"\s*(?:The|the)?\s*[A-Z]", before):
                subject = _nearest_initiative(ctx, m.start(), s)
            if subject:
                ctx.b.relate(ctx.b.canonical(ev_name), "launched", subject, ctx.ev(s, e, "launched-at", 0.6))


def _first_initiative(ctx: Context, lo: int, hi: int) -> str | None:
    best = None
    for rec in ctx.b.recs:
        if rec.type != "initiative":
            continue
        for name in rec.names():
            mm = re.search(re.escape(name), ctx.text[lo:hi], re.IGNORECASE)
            if mm and (best is None or mm.start() < best[1] or (mm.start() == best[1] and len(name) > best[2])):
                best = (rec.name, mm.start(), len(name))
    return best[0] if best else None
