"""What follows a person's name: "Name, Role of Org, Org, Economy, verb ...".

Why its own module: the apposition is where titles, ``holds_role_at``, ``affiliated_with`` and a
company's ``located_in`` come from; reading it is a small grammar of its own (segments split on
commas outside parentheses, each classified as role, organisation, economy or sub-unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extract.mentions.orgs import OrgBook, head_word, org_kind, phrase_type
from graph.extract.mentions.people import Mention, PersonMention

_MINISTRY = re.compile(
    r"(?:Federal\s+)?Ministry\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w&]*(?:,\s+[A-Z][\w&]*)+\s+and\s+[A-Z][\w&]*"
)
_DIPLOMATIC = re.compile(r"\b(Ambassador|Representative|Counsellor|Counselor|Mission|Envoy|Delegate|Attach)")
_MISSION_OF = re.compile(r"\bMission\s+of\s+(?:the\s+)?(?P<eco>[A-Z][\w ,’'.-]+?)(?:\s+to\s+|$)")
_POSSESSIVE = re.compile(r"^(?P<eco>[A-Z][\w .-]+?)['’]s\s+(?P<org>\S.*)$")
_LEGAL_SUFFIX = re.compile(r"^(LLC|LLP|Inc\.?|Ltd\.?|GmbH|AG|S\.A\.|SA|plc|Co\.)$")
_PORTFOLIO = {
    "Commerce",
    "Trade",
    "Finance",
    "Innovation",
    "Innovations",
    "Policy",
    "Research",
    "Operations",
    "Marketing",
    "Communications",
    "Strategy",
    "Development",
    "Economics",
    "Technology",
    "Investment",
    "Enterprise",
    "Customs",
    "Compliance",
    "Facilitation",
    "Legal",
    "Industry",
    "Affairs",
    "Africa",
    "Asia",
    "Europe",
    "Programmes",
    "Partnerships",
}
MAX_SEGMENTS = 6
_LIST_TAIL = re.compile(r"^[A-Z][\w-]*(?:,\s+[A-Z][\w-]*)*\s+and\s+[A-Z]")


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    end: int


def segments(text: str, pos: int) -> list[Segment]:
    """Comma-separated segments after ``pos`` (which must be at a comma), up to the clause's end."""
    out: list[Segment] = []
    i = pos
    while i < len(text) and text[i] == "," and len(out) < MAX_SEGMENTS:
        i += 1
        while i < len(text) and text[i] in " \u00a0\t":
            i += 1
        m = _MINISTRY.match(text, i)
        if m:
            out.append(Segment(m.group(), m.start(), m.end()))
            i = m.end()
            continue
        depth, j = 0, i
        while j < len(text):
            c = text[j]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and (c in ",;\n" or (c == "." and _sentence_end(text, j))):
                break
            j += 1
        seg = text[i:j].rstrip()
        if not seg:
            break
        if out and _LIST_TAIL.match(seg) and re.search(r"[A-Z][\w-]*$", out[-1].text):
            prev = out.pop()  # "Director of the Trade, Investment and Innovation Division"
            seg = text[prev.start : i + len(seg)]
            i = prev.start
        out.append(Segment(seg, i, i + len(seg)))
        i = j
    return out


def _sentence_end(text: str, j: int) -> bool:
    before = text[max(0, j - 4) : j]
    if re.search(r"(Ltd|Inc|Co|Corp|plc)$", before) and re.match(r"\.[ \u00a0]+[A-Z]", text[j : j + 3]):
        return True  # 'Acme Capital Ltd. Prof. X ...': the name ends with its legal form
    if re.search(r"(\b[A-Z]|Inc|Ltd|Co|St|Dr|Mr|Ms|No)$", before):
        return False
    return j + 1 >= len(text) or text[j + 1] in " \n\u00a0"


def classify(seg: str, book: OrgBook) -> str:
    """role | organisation | economy | subunit | from | stop."""
    s = " ".join(seg.split())
    first = s.split()[0]
    if first in ("from", "at") and re.search(r"[A-Z]", s):
        return "from"
    if first == "the":
        return classify(s[4:], book) if len(s) > 4 else "stop"
    if " and other " in s:
        return "stop"
    if first[0].islower() and book.gaz.is_word("role", first.capitalize()) and " of " in s:
        return "role"
    if first[0].islower() or first[0] in "'‘\"“":
        return "stop"
    if book.gaz.economy(s)[0]:
        return "economy"
    if _MISSION_OF.search(s) and not book.gaz.is_word("role", first):
        return "economy-mission"
    if book.canonical(s) or book.known_prefix(s) == _strip(s):
        return "organisation"
    words = s.replace("-", " - ").split()
    if any(book.gaz.is_word("role", w) for w in words) or _DIPLOMATIC.search(s):
        return "role"
    kind = phrase_type(s, book.gaz)
    if kind == "subunit":
        return "initiative" if head_word(s).lower() in book.gaz.words.get("initiative", ()) else "subunit"
    if kind == "initiative":
        return "initiative"
    return "organisation"


def _strip(s: str) -> str:
    s = " ".join(s.split())
    return s[4:] if s.startswith("the ") else s


def _mk(kind: str, name: str, book: OrgBook) -> Mention:
    name = _strip(name).strip(" ,.;")
    if kind != "economy":
        name = re.sub(r"\s*\([^)]*\)$", "", name)
    if kind == "economy":
        return Mention("economy", name, -1, -1, iso3=book.gaz.economy(name)[1])
    canonical = book.canonical(name)
    return Mention(kind, name, -1, -1, org_kind=org_kind(canonical or name, book.gaz))


def split_role(role: str, book: OrgBook) -> tuple[str, Mention | None, list[Mention]]:
    """Title, the organisation or economy it is held at (if named inside), and places met on the way."""
    role = " ".join(role.split())
    extra: list[Mention] = []
    known = book.known_prefix(role)
    if known and known != role and all(book.gaz.is_word("role", w) for w in role[len(known) :].split()):
        return role, _mk("organisation", known, book), extra  # 'UNCTAD Secretary-General', 'B20 Sherpa'
    diplomatic = bool(_DIPLOMATIC.search(role))
    m = _MISSION_OF.search(role)
    if m and book.gaz.economy(m.group("eco").strip())[0]:
        return role, _mk("economy", m.group("eco").strip(), book), extra
    if " at " in role:
        left, right = role.split(" at ", 1)
        target = _target(right, book, allow_fallback=True, any_caps=True)
        if target:
            target, more = target
            return left, target, extra + more
    for sep in re.finditer(r"\s+(?:of|to)\s+", role):
        left, right = role[: sep.start()], role[sep.end() :]
        is_to = sep.group().strip() == "to"
        right_s = _strip(right)
        eco = _economy_prefix(right_s, book)
        if eco:
            return (role if diplomatic else left), _mk("economy", eco, book), extra
        found = _target(right, book, allow_fallback=not is_to and not left.split()[-1].startswith("Minist"))
        if found:
            target, more = found
            return (role if diplomatic else left), target, extra + more
        if phrase_type(right_s, book.gaz) == "subunit":
            continue
    return role, None, extra


def _economy_prefix(s: str, book: OrgBook) -> str | None:
    words = s.split()
    for n in range(min(len(words), 6), 0, -1):
        cand = " ".join(words[:n]).rstrip(",")
        rest = words[n:]
        if book.gaz.economy(cand)[0] and (not rest or rest[0] in ("to", "and", "in", "at")):
            return cand
    return None


def _target(
    right: str, book: OrgBook, allow_fallback: bool, any_caps: bool = False
) -> tuple[Mention, list[Mention]] | None:
    right_s = _strip(right)
    if right_s in book.subunits:
        return None
    pm = _POSSESSIVE.match(right_s)
    if pm and book.gaz.economy(pm.group("eco"))[0]:
        org = _mk("organisation", pm.group("org"), book)
        return org, [Mention("located_in", pm.group("eco"), -1, -1, iso3=org.name)]
    known = book.known_prefix(right_s)
    if known:
        rest = right_s[len(known) :]
        rest_words = rest.split()
        if (
            len(rest_words) == 1
            and rest_words[0][:1].isupper()
            and not book.gaz.economy(rest_words[0])[0]
            and not book.gaz.is_word("city", rest_words[0])
            and not book.gaz.is_word("role", rest_words[0])
        ):
            return _mk("organisation", right_s, book), []  # 'Alibaba Security'

        if rest and not rest.lstrip().startswith("(") and phrase_type(right_s, book.gaz) == "organisation":
            return _mk("organisation", right_s, book), []  # 'WTO MSMEs informal working group'
        return _mk("organisation", known, book), []
    kind = phrase_type(right_s, book.gaz)
    if kind == "subunit":
        return None
    if kind == "organisation":
        return _mk("organisation", right_s, book), []
    if kind == "initiative":
        if head_word(right_s).lower() in ("programme", "program", "initiative", "project"):
            return _mk("initiative", right_s, book), []
        return _mk("organisation", right_s, book), []  # someone works at it: 'Lagos Trade Hub'
    words = right_s.split()
    if allow_fallback and len(words) == 1 and words[0][0].isupper() and words[0] not in _PORTFOLIO:
        return _mk("organisation", right_s, book), []
    if any_caps and words and words[0][0].isupper():
        return _mk("organisation", right_s, book), []
    if (allow_fallback and 1 < len(words) <= 5 and "and" not in words and all(w[0].isupper() for w in words)
            and words[-1] not in _PORTFOLIO and head_word(right_s) not in _PORTFOLIO):
        return _mk("organisation", right_s, book), []
    return None


def _split_roles(seg: str, book: OrgBook) -> list[str]:
    """'Director of X and Head of Y' -> two roles; 'Ambassador and Permanent Representative' stays one."""
    parts = re.split(r"\s+and\s+(?=[A-Z])", seg)
    out: list[str] = []
    for part in parts:
        lead = part.split()[:2]
        if out and re.search(r"\s(of|at|to)\s", out[-1]) and any(book.gaz.is_word("role", w) for w in lead):
            out.append(part)
        elif out:
            out[-1] = out[-1] + " and " + part
        else:
            out.append(part)
    return out


def read_apposition(text: str, person: PersonMention, book: OrgBook) -> None:  # noqa: PLR0915 - one segment loop
    """Fill ``person.titles`` and ``person.links`` from the segments after the name."""
    pos = person.end
    of_eco = re.match(r"[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+)?[A-Z][\w ’'-]{1,40}?(?=,)", text[pos : pos + 60])
    if of_eco and book.gaz.economy(of_eco.group().split(" of ", 1)[-1].replace("the ", "", 1))[0]:
        pos += of_eco.end()  # 'Ambassador X of Uruguay, chair of ...'
    if pos >= len(text) or text[pos] != ",":
        return
    pending: list[str] = []  # roles waiting for the organisation of the next segment
    last_org: Mention | None = None
    prev_text = ""
    for seg in segments(text, pos):
        kind = classify(seg.text, book)
        if kind == "stop":
            break
        person.clause_end = seg.end
        restated = prev_text.endswith(")") and last_org is not None and kind == "organisation"
        prev_text = seg.text.strip()
        if restated and not pending:
            assert last_org is not None
            person.links.append(("alias", last_org, " ".join(seg.text.split())))  # 'X (BDI), Federation of ...'
            continue
        if kind == "role":
            for role in _split_roles(" ".join(seg.text.split()), book):
                title, target, extra = split_role(role, book)
                person.titles.append(title)
                if target is None:
                    pending.append(title)
                else:
                    person.links.append(("holds_role_at", target, title))
                    last_org = target if target.kind != "economy" else last_org
                    for e in extra:
                        person.links.append(("located_in", target, e.name))
            continue
        if kind == "subunit":
            continue
        if kind == "from":
            name = re.sub(r"^(from|at)\s+(the\s+)?", "", " ".join(seg.text.split()))
            caps = re.findall(r"[A-Z][\w&.’'\-]*(?:\s+(?:of|and|for|&)?\s*[A-Z][\w&.’'\-]*)*", name)
            if caps:
                org_name = caps[-1]
                pm = _POSSESSIVE.match(org_name)
                if pm:
                    org_name = pm.group("eco")
                target = _mk("organisation", org_name, book)
                person.links.append(("affiliated_with", target, None))
                last_org = target
            break
        if kind == "economy-mission":
            m = _MISSION_OF.search(" ".join(seg.text.split()))
            assert m is not None
            target = _mk("economy", m.group("eco").strip(), book)
        elif kind == "economy":
            target = _mk("economy", seg.text, book)
        elif _LEGAL_SUFFIX.match(seg.text.strip()) and last_org is not None:
            continue
        else:
            target = _mk("initiative" if kind == "initiative" else "organisation", seg.text, book)
        if target.kind == "economy" and last_org is not None and last_org.org_kind == "company":
            person.links.append(("located_in", last_org, target.name))
            continue
        if pending:
            for title in pending:
                person.links.append(("holds_role_at", target, title))
            pending = []
        else:
            person.links.append(("affiliated_with", target, None))
        if target.kind != "economy":
            last_org = target
