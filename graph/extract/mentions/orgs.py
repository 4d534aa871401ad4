"""Organisations, economies and acronyms: what a capitalised phrase names, and of which kind.

Why heuristics on head words: an unseen report names organisations no gazetteer holds
("Hungarian National Trading House", "Ringier Africa"); the last noun of the phrase (House,
Board, Ministry, University, LLP ...) tells an organisation from a sub-unit (Division,
Section) or a programme, and the gazetteer gives canonical names and kinds where it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.mentions.people import TOKEN, UPPER, Mention
from graph.nlp.gazetteer import Gazetteer

_CONNECT = r"(?:of|for|and|the|on|&|de|des|du|der|la|in|to)"
ACRONYM_DEF = re.compile(
    rf"(?P<long>(?:{TOKEN}|\d+\w*)(?:[ \u00a0]+(?:{_CONNECT}[ \u00a0]+)*(?:{TOKEN}|\d+\w*)){{0,10}})"
    rf"[ \u00a0]*\((?P<acr>[{UPPER}a-z][\w&\-]*[{UPPER}\d][\w&\-]*(?:[ \u00a0][A-Z][a-z]+)?)\)"
)
_TRAILING_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_GOV = {"Ministry", "Government", "Mission", "Embassy", "Department", "Agency", "Authority", "Chancellor"}
_ACADEMIC = {"University", "College", "School", "Academy", "Institute of Technology"}
_COMPANY = {
    "LLP",
    "LLC",
    "Ltd",
    "Ltd.",
    "Inc",
    "Inc.",
    "GmbH",
    "AG",
    "SA",
    "Holdings",
    "Enterprises",
    "Company",
    "Corporation",
    "Shop",
    "Market",
    "Consulting",
    "Solutions",
    "Technologies",
    "Express",
}
_NGO = {"Foundation", "Society", "Association", "Forum", "Alliance", "Network", "Trust", "Coalition", "Federation"}


@dataclass
class OrgBook:
    """Organisations known in one document: gazetteer hits and acronyms learnt from its text."""

    gaz: Gazetteer
    acronyms: dict[str, str] = field(default_factory=dict)  # acronym -> long name (orgs)
    subunits: set[str] = field(default_factory=set)  # acronyms / names of sub-units
    kinds: dict[str, str] = field(default_factory=dict)  # long name -> entity type

    def canonical(self, surface: str) -> str | None:
        """The organisation a surface names, if known: learnt acronym, gazetteer entry."""
        s = _strip_the(surface)
        if s in self.acronyms:
            return self.acronyms[s]
        entry = self.gaz.org(s)
        return entry.name if entry else None

    def known_prefix(self, phrase: str) -> str | None:
        """The longest known organisation surface the phrase starts with ('the EIF Initiative' -> EIF)."""
        s = _strip_the(phrase)
        if s in self.subunits:
            return None
        words = s.split()
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            cand_np = _TRAILING_PAREN.sub("", cand)
            if self.canonical(cand) or self.canonical(cand_np):
                return cand if self.canonical(cand) else cand_np
        return None


def _strip_the(s: str) -> str:
    s = " ".join(s.split())
    return s[4:] if s.lower().startswith("the ") else s


def head_word(phrase: str) -> str:
    """The head noun: last word before the first preposition, parentheses removed."""
    s = _TRAILING_PAREN.sub("", _strip_the(phrase))
    s = re.split(r"\s+(?:of|for|on|to|in|at)\s+", s, maxsplit=1)[0]
    words = s.split()
    return words[-1].strip(",.;:") if words else ""


def phrase_type(phrase: str, gaz: Gazetteer) -> str | None:
    """'organisation', 'subunit', 'initiative', 'event' or None from the head word."""
    head = head_word(phrase)
    lower = head.lower()
    if gaz.is_word("subunit_head", head) or gaz.is_word("subunit_head", head.capitalize()):
        return "subunit"
    if lower in gaz.words.get("event", ()):
        return "event"
    initiative_words = gaz.words.get("initiative", ())
    if (lower in initiative_words or lower.rstrip("s") in initiative_words) and not gaz.is_word("org_head", head):
        return "initiative"
    if gaz.is_word("org_head", head) or gaz.is_word("org_head", head.capitalize()) or head == "Force":
        return "organisation"
    return None


def org_kind(name: str, gaz: Gazetteer) -> str:
    """intergovernmental | government | company | ngo | academic | other."""
    entry = gaz.org(name)
    if entry:
        return entry.kind
    words = set(name.replace(",", " ").split())
    if words & _GOV or name.startswith("Federal "):
        return "government"
    if words & _ACADEMIC:
        return "academic"
    if words & _COMPANY:
        return "company"
    if words & _NGO:
        return "ngo"
    if re.search(r"\b(United Nations|UN|World|International|Inter-)\b", name) and re.search(
        r"\b(Organi[sz]ation|Commission|Union|Bank|Fund|Conference)\b", name
    ):
        return "intergovernmental"
    return "other"


def _initials_fit(long: str, acr: str) -> bool:
    letters = [c.lower() for c in acr if c.isalpha()]
    words = [w for w in re.split(r"[\s\-]+", long) if w]
    initials = "".join(w[0].lower() for w in words if w[0].isalnum())
    it = iter(initials)
    return bool(letters) and letters[0] == initials[:1] and all(c in it for c in letters[1:])


def acronym_definitions(text: str, gaz: Gazetteer) -> list[tuple[Mention, str]]:
    """'Long Name (ACR)' definitions: (mention of the long name typed by its head word, acronym)."""
    out = []
    for m in ACRONYM_DEF.finditer(text):
        long, acr = m.group("long"), m.group("acr")
        if acr.endswith("s") and acr[:-1].isupper():
            continue  # plural concept: SMEs, LDCs, SDGs
        words = long.split()
        # trim the long form to the words the acronym's initials cover
        best, first = None, len(words)
        acr_words = {w.lower() for w in acr.split()}
        for i in range(len(words) - 1, -1, -1):
            cand = " ".join(words[i:])
            if (words[i][0].isupper() or words[i][0].isdigit()) and words[i] not in ("The", "A", "An"):
                fits = _initials_fit(cand, acr.split()[0])
                if len(acr_words) > 1:
                    fits = acr_words <= {w.lower() for w in cand.split()} and len(cand.split()) > len(acr_words)
                if fits or gaz.org(cand):
                    best, first = cand, i
                    break
        if not best:
            continue
        while first > 0 and re.fullmatch(
            r"(?!\d+(?:st|nd|rd|th)$)(?:[A-Z0-9][\w-]*\d[\w-]*|[A-Z]{2,}[\w-]*)", words[first - 1]
        ):
            first -= 1  # 'G20 Digital Economy Task Force (DETF)'
            best = " ".join(words[first:])
        if re.match(r"\)[ \u00a0]+[A-Z]", text[m.end() - 1 : m.end() + 2]) and phrase_type(best, gaz) != "organisation":
            continue  # 'National Cybersecurity Strategy (NCS) Guide': the name goes on
        start = m.start("long") + long.index(best)
        kind = "organisation" if gaz.org(best) else phrase_type(best, gaz)
        out.append((Mention(kind or "unknown", best, start, start + len(best)), acr))
    return out


def economy_mentions(doc_ents: list[tuple[str, int, int, str, str]], gaz: Gazetteer) -> list[Mention]:
    """Economies from the entity ruler's GPE hits (their ids are iso3 codes)."""
    out = []
    for text, start, end, label, ent_id in doc_ents:
        if label == "GPE" and ent_id:
            iso3 = None if ent_id == "EU" else ent_id
            out.append(Mention("economy", " ".join(text.split()), start, end, iso3=iso3))
    return out
