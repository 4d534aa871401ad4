"""Persons: mentions with or without honorifics, and the titles and affiliations around them.

Why patterns over the raw text: in this genre a person is almost always introduced as
"Honorific Name, Role of Org, Org, Economy, verb ...", so an honorific regex plus a parse of
the comma-separated apposition that follows gives name, titles and affiliations with exact
offsets.  spaCy's PERSON entities add the names written without honorific (bylines, captions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.nlp.gazetteer import Gazetteer

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
TOKEN = rf"[{UPPER}][\w'’\-]*\.?"
PARTICLE = r"(?:van|von|der|den|de|del|della|do|da|dos|das|di|du|la|le|bin|binti|al|el|ibn)"
SP = r"[ \u00a0]"
NAME = rf"{TOKEN}(?:{SP}+(?:{PARTICLE}{SP}+)*{TOKEN}){{0,4}}"
HONORIFIC = (
    rf"(?:(?:H\.{SP}?E\.?|His{SP}Excellency|Her{SP}Excellency){SP}+)?"
    rf"(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?|Professor|Ambassador|Sir|Dame)"
)
HONORIFIC_NAME = re.compile(rf"(?P<hon>{HONORIFIC}){SP}+(?P<name>{NAME})")
H_E_NAME = re.compile(rf"(?P<hon>H\.{SP}?E\.?){SP}+(?P<name>{NAME})")
BYLINE = re.compile(
    rf"^(?:(?:By|Author:|Authors?:|Written by|Reported by|Report by|Rapporteur:){SP}+)?"
    rf"(?P<name>{TOKEN}(?:{SP}+(?:{PARTICLE}{SP}+)*{TOKEN}){{1,3}}){SP}*$",
    re.MULTILINE,
)

_STOP_NAME_WORDS = {"The", "This", "A", "An", "In", "On", "At", "Of", "And", "From", "For", "To", "With"}


@dataclass(frozen=True)
class Mention:
    """A stretch of text naming something, with the canonical name it stands for."""

    kind: str  # person | organisation | economy | initiative | event | role | place
    name: str
    start: int
    end: int
    iso3: str | None = None
    org_kind: str = "other"


@dataclass
class PersonMention:
    """A person mention with what its apposition says."""

    name: str
    start: int
    end: int
    honorific: str = ""
    clause_end: int = 0  # end of the apposition (where the verb starts)
    titles: list[str] = field(default_factory=list)
    links: list[tuple[str, Mention, str | None]] = field(default_factory=list)  # (predicate, target, role)


def clean_name(name: str) -> str:
    """Strip possessive endings and trailing periods that the token pattern swallowed."""
    name = re.sub(r"['’]s$", "", name.strip())
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
        name = name[:-1]
    return name


def honorific_mentions(text: str) -> list[PersonMention]:
    """Every 'Mr/Ms/Dr/Prof./H.E./Ambassador Name' mention."""
    out = []
    for m in HONORIFIC_NAME.finditer(text):
        words = list(re.finditer(r"\S+", m.group("name")))
        while words and words[-1].group() in _STOP_NAME_WORDS:
            words.pop()
        if not words or words[0].group() in _STOP_NAME_WORDS:
            continue
        start = m.start("name")
        end = start + words[-1].end()
        raw = text[start:end]
        name = clean_name(raw)
        end = start + len(raw.rstrip()) - (len(raw.strip()) - len(name))
        out.append(PersonMention(name=squash_name(name), start=start, end=end, honorific=m.group("hon")))
    return out


def squash_name(name: str) -> str:
    return " ".join(name.split())


def is_name_like(text: str, gaz: Gazetteer) -> bool:
    """A 2-4 word capitalised string that is no known organisation, economy or role phrase."""
    words = text.split()
    if not 2 <= len(words) <= 4:
        return False
    if gaz.org(text) or gaz.economy(text)[0]:
        return False
    vocab = gaz.words
    lowered = {w.lower() for w in words}
    for kind in ("event", "initiative"):
        if lowered & {w.lower() for w in vocab.get(kind, ())}:
            return False
    for w in words:
        if w in vocab.get("org_head", ()) or w in vocab.get("role", ()) or (w.isupper() and len(w) > 1):
            return False
        if w in vocab.get("not_name", ()) or w.lower() in vocab.get("event", ()):
            return False
        if gaz.economy(w)[0]:
            return False
    return True


def byline_mentions(text: str, gaz: Gazetteer) -> list[PersonMention]:
    """Lines that hold only a person's name: the bylines of multi-part reports."""
    out = []
    for m in BYLINE.finditer(text):
        name = squash_name(m.group("name"))
        if is_name_like(name, gaz):
            out.append(PersonMention(name=name, start=m.start("name"), end=m.end("name")))
    return out
