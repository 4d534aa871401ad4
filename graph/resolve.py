"""One entity per real thing within a document, and ids that are the same in every document.

Why here and not in the extractor: rules find the same thing under several names ("ITC" and
"International Trade Centre", "Okafor" and "Ngozi Okafor"); this stage merges them (keeping
aliases), points every relation at the merged name, and gives each entity a deterministic id
built from its canonical name (the gazetteer's when it has one), so that the graph joins the
same organisation across documents.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from typing import Any

from graph.model import Event, Extraction, Initiative, Person, Relation, normalise
from graph.nlp.gazetteer import load_gazetteer

MAX_ID = 90
PREFIX = {"person": "person", "organisation": "org", "economy": "economy", "initiative": "initiative", "event": "event"}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; any Unicode input gives a valid slug.

    >>> slug("Zoë Ångström-Núñez")
    'zoe-angstrom-nunez'
    >>> slug("東京")[:2]
    'x-'
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
    if not out:
        out = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return out


def make_id(prefix: str, name: str, scope: str = "") -> str:
    """``prefix-slug``, with the document scope for generic names; long ones cut and hashed.

    >>> make_id("org", "International Trade Centre")
    'org-international-trade-centre'
    >>> len(make_id("event", "x" * 300)) <= 90
    True
    """
    body = slug(name)
    if scope:
        body = f"{slug(scope)}-{body}"
    full = f"{prefix}-{body}"
    if len(full) > MAX_ID:
        digest = hashlib.sha1(full.encode("utf-8")).hexdigest()[:8]
        full = full[: MAX_ID - 9].rstrip("-") + "-" + digest
    return full


_FILLER = frozenset(("the", "of", "on", "for", "and", "online", "a", "an"))
_ATTACHED = re.compile(
    r"^(?:executive |permanent |joint )?(?:secretariat|steering committee|board|council|office) "
    r"(?:for|of) (?:the )?(?P<org>.+)$"
)


def place_id(name: str) -> str:
    """Places are kept as written; the id is a slug plus a short hash for uniqueness."""
    digest = hashlib.sha1(name.strip().casefold().encode()).hexdigest()[:8]
    slug = "".join(c if c.isalnum() else "-" for c in name.casefold())
    slug = "-".join(filter(None, slug.split("-")))[:60].encode("ascii", "ignore").decode()
    return f"place-{slug or 'x'}-{digest}"


def _bag(name: str) -> tuple[str, ...]:
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in normalise(name).split()]
    return tuple(sorted(w for w in words if w not in _FILLER))


def _strip_parens(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name).strip()


def _keys(e: Any, kind: str) -> set[str]:
    """Every key under which two records are the same thing."""
    names = [n for n in (e.name, *e.aliases) if n]
    keys = {normalise(n) for n in names} | {normalise(_strip_parens(n)) for n in names}
    if kind in ("organisation", "initiative"):
        keys |= {"bag:" + " ".join(_bag(n)) for n in names if len(_bag(n)) >= 2}
    if kind == "organisation":
        gaz = load_gazetteer()
        for n in names:
            m = _ATTACHED.match(normalise(n))
            if m:
                keys.add(m.group("org"))
            entry = gaz.org(n) or _fuzzy_gazetteer(n)
            if entry:
                keys.add("gaz:" + entry.name)
    if kind == "economy" and e.iso3:
        keys.add("iso3:" + e.iso3)
    keys.discard("")
    return keys


def _fuzzy_gazetteer(name: str) -> Any:
    """A misspelt known organisation ('Word Bank', 'DipoFoundation')."""
    from rapidfuzz import fuzz, process

    key = normalise(name)
    if len(key) < 8:
        return None
    gaz = load_gazetteer()
    hit = process.extractOne(key, list(gaz.orgs), scorer=fuzz.ratio, score_cutoff=90)
    return gaz.orgs[hit[0]] if hit else None


def _same_person(a: str, b: str) -> bool:
    ta, tb = normalise(a).split(), normalise(b).split()
    if len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0] and ta[-1] == tb[-1]:
        return True
    short, long = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return len(short) >= 2 and long[-len(short) :] == short


def _merge_group(entities: list[Any], kind: str) -> list[list[Any]]:
    """Union-find over shared names/aliases (and the type's own sameness rule)."""
    parent = list(range(len(entities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, e in enumerate(entities):
        keys = _keys(e, kind)
        for k in keys:
            if k in owner:
                parent[find(i)] = find(owner[k])
            else:
                owner[k] = i
    if kind == "person":
        for i in range(len(entities)):
            for j in range(i):
                if _same_person(entities[i].name, entities[j].name):
                    parent[find(i)] = find(j)
    if kind == "initiative":
        words = [normalise(e.name).split() for e in entities]
        for i in range(len(entities)):
            for j in range(len(entities)):
                a, b = words[i], words[j]
                if i != j and 2 <= len(a) < len(b) and (b[: len(a)] == a or b[-len(a) :] == a):
                    parent[find(i)] = find(j)  # 'Policy Guide' ~ 'Policy Guide on Youth Entrepreneurship'
    if kind == "organisation":
        from rapidfuzz import fuzz

        names = [normalise(e.name) for e in entities]
        for i in range(len(entities)):
            for j in range(i):
                if min(len(names[i]), len(names[j])) >= 8 and fuzz.ratio(names[i], names[j]) >= 92:
                    parent[find(i)] = find(j)
    groups: dict[int, list[Any]] = {}
    for i, e in enumerate(entities):
        groups.setdefault(find(i), []).append(e)
    return list(groups.values())


def _combine(group: list[Any]) -> Any:
    first = group[0]
    if isinstance(first, (Person, Initiative)):
        name = max((p.name for p in group), key=lambda n: (len(n.split()), len(n)))
    else:
        name = first.name
    aliases: list[str] = []
    for e in group:
        for n in (e.name, *e.aliases):
            if normalise(n) != normalise(name) and normalise(n) not in {normalise(a) for a in aliases}:
                aliases.append(n)
    merged = replace(first, name=name, aliases=tuple(aliases))
    if isinstance(first, Person):
        titles = tuple(dict.fromkeys(t for p in group for t in p.titles))
        affs = tuple(dict.fromkeys(a for p in group for a in p.affiliations))
        merged = replace(merged, titles=titles, affiliations=affs)
    return merged


def _entity_id(kind: str, e: Any, doc: str) -> str:
    gaz = load_gazetteer()
    prefix = PREFIX[kind]
    if kind == "economy":
        return (
            f"economy-{e.iso3.lower()}"
            if e.iso3
            else make_id(prefix, "european-union" if normalise(e.name) in ("eu", "european union") else e.name)
        )
    if kind == "organisation":
        for n in (e.name, *e.aliases):
            entry = gaz.org(n)
            if entry:
                return make_id(prefix, entry.name)
    if kind == "event" and _generic_event(e):
        return make_id(prefix, e.name, scope=re.sub(r"\.[a-z0-9]+$", "", doc))
    return make_id(prefix, e.name)


def _generic_event(e: Event) -> bool:
    return e.kind == "session" or not re.search(r"[A-Z0-9]", e.name[1:])


def resolve(extraction: Extraction) -> Extraction:
    """Merge duplicates, fill ids, and point every relation at an entity of this extraction."""
    fields: dict[str, tuple[str, list[Any]]] = {
        "persons": ("person", list(extraction.persons)),
        "organisations": ("organisation", list(extraction.organisations)),
        "countries": ("economy", list(extraction.countries)),
        "initiatives": ("initiative", list(extraction.initiatives)),
        "events": ("event", list(extraction.events)),
    }
    out: dict[str, tuple[Any, ...]] = {}
    rename: dict[str, str] = {}
    for attr, (kind, entities) in fields.items():
        merged = []
        for group in _merge_group(entities, kind):
            e = _combine(group)
            e = replace(e, id=_entity_id(kind, e, extraction.doc))
            for member in group:
                for n in (member.name, *member.aliases):
                    rename.setdefault(normalise(n), e.name)
            merged.append(e)
        out[attr] = tuple(merged)
    events = tuple(
        replace(e, part_of=rename.get(normalise(e.part_of), e.part_of) if e.part_of else None) for e in out["events"]
    )
    relations: dict[tuple[str, str, str], Relation] = {}
    for r in extraction.relations:
        s = rename.get(normalise(r.subject))
        o = rename.get(normalise(r.object), r.object if r.predicate == "located_in" else None)
        if s is None or o is None or normalise(s) == normalise(o):
            continue
        key = (normalise(s), r.predicate, normalise(o))
        relations.setdefault(key, replace(r, subject=s, object=o))
    return Extraction(
        extraction.doc,
        out["persons"],
        out["organisations"],
        out["countries"],
        out["initiatives"],
        events,
        tuple(relations.values()),
    )


__all__ = ["make_id", "resolve", "slug"]
