"""The domain vocabulary, read once from ``ontology/gazetteers/``.

Why apart from code: every word list (economies and their WTO spellings, organisations with
acronyms and kinds, honorifics, role, event and initiative words) is data that grows with new
documents, and the extractor must stay free of one-document facts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import srsly

from graph.model import normalise
from graph.settings import GAZETTEER_DIR


@dataclass(frozen=True)
class OrgEntry:
    """One known organisation: canonical name, acronyms, spelling variants and kind."""

    name: str
    acronyms: tuple[str, ...]
    variants: tuple[str, ...]
    kind: str

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.variants, *self.acronyms)


@dataclass(frozen=True)
class Gazetteer:
    """Look-up tables built from the data files."""

    economies: dict[str, str | None]  # normalised surface -> iso3 (None for the EU)
    economy_surfaces: tuple[str, ...]
    demonyms: dict[str, str]  # demonym -> iso3
    iso3_names: dict[str, str]  # iso3 -> ISO short name
    orgs: dict[str, OrgEntry]  # normalised surface (name, variant) -> entry
    org_acronyms: dict[str, OrgEntry]  # exact acronym -> entry
    org_entries: tuple[OrgEntry, ...]
    words: dict[str, frozenset[str]]

    def economy(self, text: str) -> tuple[bool, str | None]:
        """(is an economy, iso3) for a surface form such as 'Korea, Republic of'."""
        key = normalise(text)
        if key in self.economies:
            return True, self.economies[key]
        return False, None

    def org(self, text: str) -> OrgEntry | None:
        """The known organisation a surface names (acronyms are matched case-sensitively)."""
        text = text.strip()
        if text in self.org_acronyms:
            return self.org_acronyms[text]
        key = normalise(text)
        if key.startswith("the "):
            key = key[4:]
        return self.orgs.get(key)

    def is_word(self, kind: str, word: str) -> bool:
        return word in self.words.get(kind, frozenset())

    def union(self, *kinds: str) -> frozenset[str]:
        """Every word of the given lexicon kinds (a rule's vocabulary, e.g. event references and parts)."""
        return frozenset().union(*(self.words.get(kind, ()) for kind in kinds))


def alternation(words: Iterable[str]) -> str:
    r"""A regex alternation of ``words`` matched literally, longest first.

    Why longest first: Python's alternation takes the first branch that fits, so 'Round Table'
    must come before a shorter word it starts with. An empty list is refused: ``(?:)`` would match
    everywhere.

    >>> alternation(["Day", "Round", "Roundtable", "wrap-up"])
    'Roundtable|wrap\\-up|Round|Day'
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    if not ordered:
        raise ValueError("an empty word list makes no pattern (is a lexicon kind missing?)")
    return "|".join(re.escape(w) for w in ordered)


def capitalised(words: Iterable[str]) -> frozenset[str]:
    """Each word with its first letter upper-cased ('roundtable' -> 'Roundtable'), for heading rules."""
    return frozenset(w[:1].upper() + w[1:] for w in words)


def _read(name: str) -> list[dict]:
    return list(srsly.read_jsonl(GAZETTEER_DIR / name))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Read every data file once per process."""
    economies: dict[str, str | None] = {}
    surfaces: list[str] = []
    iso3_names: dict[str, str] = {}
    for row in _read("economies.jsonl"):
        iso3_names[row["iso3"]] = row["name"]
        for name in row["names"]:
            economies.setdefault(normalise(name), row["iso3"])
            surfaces.append(name)
    for row in _read("economy_variants.jsonl"):
        for name in row["names"]:
            economies[normalise(name)] = row["iso3"]
            surfaces.append(name)
    demonyms = {row["demonym"]: row["iso3"] for row in _read("demonyms.jsonl")}
    entries = tuple(
        OrgEntry(r["name"], tuple(r.get("acronyms") or ()), tuple(r.get("variants") or ()), r.get("kind", "other"))
        for r in _read("organisations.jsonl")
    )
    orgs: dict[str, OrgEntry] = {}
    acronyms: dict[str, OrgEntry] = {}
    for entry in entries:
        for surface in (entry.name, *entry.variants):
            orgs.setdefault(normalise(surface), entry)
        for acronym in entry.acronyms:
            acronyms.setdefault(acronym, entry)
    # lexicon.jsonl: one row per kind, {"kind", "words", optional "note" saying what the kind means}
    words = {row["kind"]: frozenset(row["words"]) for row in _read("lexicon.jsonl")}
    return Gazetteer(
        economies=economies,
        economy_surfaces=tuple(dict.fromkeys(surfaces)),
        demonyms=demonyms,
        iso3_names=iso3_names,
        orgs=orgs,
        org_acronyms=acronyms,
        org_entries=entries,
        words=words,
    )
