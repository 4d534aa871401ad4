"""Rules that read a document's framing rather than its sentences' subjects.

Photo captions ("A and B from X's team at an Economic Committee Workshop."), organisations
"involved in meetings during" an event, project pages whose breadcrumb names the project, and
joint work ("the work that A and B have been doing to develop a Policy Guide").
"""

from __future__ import annotations

import re

from graph.extract.mentions.people import NAME
from graph.extract.rules.relations import Context

_CAPTION = re.compile(
    rf"(?P<people>{NAME}(?:,?[ \u00a0]+and[ \u00a0]+{NAME})*)[ \u00a0]+from[ \u00a0]+(?:the[ \u00a0]+)?"
    r"(?P<org>[A-Z][\w&\-]*(?:[ \u00a0]+[A-Z][\w&\-]*)*?)(?:['’]s\b[^.\n]*?)?"
    r"(?:[ \u00a0]+at[ \u00a0]+(?:an?|the)[ \u00a0]+(?P<ev>[A-Z][^.\n]*?))?\.?[ \u00a0]*$",
    re.MULTILINE,
)
_INVOLVED = re.compile(
    r"(?P<subj>[A-Z][\w&\-]*(?:[ \u00a0]+[A-Z][\w&\-]*)*)[ \u00a0]+(?:was|were)[ \u00a0]+"
    r"(?:involved|present|represented)"
    r"[ \u00a0]+in[^.]*?(?:during|at)[ \u00a0]+(?:the[ \u00a0]+)?(?P<ev>[A-Z][^.,;]*)"
)
_BREADCRUMB = re.compile(
    r"^.*?(?:»|›|>|/)\s*(?:Projects?|Programmes?|Programs?|Initiatives?)\s*(?:»|›|>|/)\s*(?P<title>.+)$", re.MULTILINE
)
_JOINT_WORK = re.compile(
    r"\b(?:work|efforts?) that (?P<list>[A-Z][^.]*?) (?:have|has) been (?:doing|undertaking|carrying out)"
    r"[^.]*?\b(?:develop|produce|prepare|design|launch)\w*"
)


def context_rules(ctx: Context) -> None:
    _captions(ctx)
    _involved(ctx)
    _project_page(ctx)
    _joint_work(ctx)


def _captions(ctx: Context) -> None:
    """A verbless caption line naming people, their organisation and the event pictured."""
    b, text = ctx.b, ctx.text
    for m in _CAPTION.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start : m.start()].strip():
            continue  # not a whole caption line
        names = re.split(r",?[ \u00a0]+and[ \u00a0]+", m.group("people"))
        people = []
        for listed in names:
            name = " ".join(listed.split())
            rec = b.find(name)
            if rec is None and re.fullmatch(r"[A-Z][a-z]+", name):
                rec = b.add("person", name, m.start())  # a first name only, listed with a full one
            if rec is not None and rec.type == "person":
                people.append(rec.name)
        if not people:
            continue
        org_name = " ".join(m.group("org").split())
        org = b.find(org_name) or b.add("organisation", ctx.book.canonical(org_name) or org_name, m.start("org"))
        q = ctx.ev(m.start("org") - 5, m.end("org") + 2, "caption", 0.6)
        for person in people:
            b.relate(person, "affiliated_with", org.name, q)
            rec = b.find(person)
            if rec is not None:
                b._append(rec, "affiliations", org.name)
        if m.group("ev"):
            ev_name = " ".join(m.group("ev").split()).rstrip(".")
            ev = b.find(ev_name) or b.add("event", ev_name, m.start("ev"))
            for person in people:
                b.relate(person, "attended", ev.name, ctx.ev(m.start(), m.end(), "caption-event", 0.6))


def _involved(ctx: Context) -> None:
    """'X was involved in several meetings during EVENT' -> X attended EVENT."""
    b = ctx.b
    for m in _INVOLVED.finditer(ctx.text):
        subj = b.find(m.group("subj")) or b.find(ctx.book.canonical(m.group("subj")) or "")
        ev = b.find(" ".join(m.group("ev").split()))
        if subj is None or ev is None or subj.type not in ("organisation", "economy") or ev.type != "event":
            continue
        b.relate(subj.name, "attended", ev.name, ctx.ev(m.start(), m.end(), "involved-during", 0.6))


def _project_page(ctx: Context) -> None:
    """A page whose breadcrumb runs 'Home » Projects » Title' describes the programme 'Title'."""
    for m in _BREADCRUMB.finditer(ctx.text[:2000]):
        title = " ".join(m.group("title").split())
        if 3 <= len(title) <= 150 and title in ctx.text[: m.start()]:
            ctx.b.add("initiative", title, ctx.text.find(title), kind="programme")
            return


def _joint_work(ctx: Context) -> None:
    from graph.extract.rules.orgs import _actor, _first_initiative, _split_list

    for m in _JOINT_WORK.finditer(ctx.text):
        _s, e = ctx.sentence(m.start())
        target = _first_initiative(ctx, m.end(), e)
        if target is None:
            continue
        for item in _split_list(m.group("list")):
            actor = _actor(ctx, item, m.start("list"))
            if actor:
                ctx.b.relate(actor, "partner_of", target, ctx.ev(m.start(), e, "joint-work", 0.6))
