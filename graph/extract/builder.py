"""Collects entities and relations while the rules run, then freezes them into an Extraction.

Why a builder: many rules find the same thing (an organisation met in an apposition, in the
gazetteer and in an acronym definition); the builder keeps one record per name key, merges
aliases and titles, and drops duplicate relations, so rules can stay small and independent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import Economy, Event, Evidence, Extraction, Initiative, Organisation, Person, Relation, normalise


@dataclass
class _Rec:
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    kind: str = "other"
    iso3: str | None = None
    start: str | None = None
    end: str | None = None
    location: str | None = None
    part_of: str | None = None
    first: int = 10**9

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Builder:
    """Entities keyed by normalised name or alias; relations keyed by (subject, predicate, object)."""

    def __init__(self, doc: str) -> None:
        self.doc = doc
        self.recs: list[_Rec] = []
        self.index: dict[str, _Rec] = {}
        self.relations: dict[tuple[str, str, str], Relation] = {}

    # ------------------------------------------------------------------ entities
    def find(self, name: str) -> _Rec | None:
        return self.index.get(normalise(name))

    def add(self, type_: str, name: str, pos: int = 10**9, **attrs: object) -> _Rec:
        """Add or update the entity called ``name`` (an existing one of the same name wins)."""
        name = " ".join(name.split())
        rec = self.find(name)
        if rec is None or type_ not in (rec.type, "any"):
            if rec is not None and rec.type != type_:
                return rec  # a name is never typed as two kinds of entity in one file
            rec = _Rec(type_, name)
            self.recs.append(rec)
            self.index[normalise(name)] = rec
        rec.first = min(rec.first, pos)
        for key, value in attrs.items():
            if value is None:
                continue
            if key in ("titles", "affiliations", "aliases"):
                for v in value:  # type: ignore[attr-defined]
                    self._append(rec, key, v)
            elif getattr(rec, key) in (None, "other", ""):
                setattr(rec, key, value)
        return rec

    def _append(self, rec: _Rec, key: str, value: str) -> None:
        value = " ".join(str(value).split())
        if not value:
            return
        existing = getattr(rec, key)
        if key == "aliases":
            k = normalise(value)
            if not k or k == normalise(rec.name) or any(normalise(a) == k for a in existing):
                return
            other = self.index.get(k)
            if other is not None and other is not rec:
                return
            self.index[k] = rec
        if value not in existing:
            existing.append(value)

    def alias(self, rec: _Rec, alias: str) -> None:
        self._append(rec, "aliases", alias)

    # ------------------------------------------------------------------ relations
    def relate(self, subject: str, predicate: str, obj: str, ev: Evidence, role: str | None = None) -> None:
        s, o = self.canonical(subject), self.canonical(obj) if predicate != "located_in" else obj
        if predicate == "located_in" and self.find(obj) is None:
            o = " ".join(obj.split())
        if normalise(s) == normalise(o):
            return
        key = (normalise(s), predicate, normalise(o))
        if key not in self.relations:
            self.relations[key] = Relation(s, predicate, o, ev, role)

    def canonical(self, name: str) -> str:
        rec = self.find(name)
        return rec.name if rec else " ".join(name.split())

    def drop(self, predicate: str, subject: str, obj: str) -> None:
        self.relations.pop((normalise(self.canonical(subject)), predicate, normalise(self.canonical(obj))), None)

    def has(self, subject: str, predicate: str, obj: str) -> bool:
        return (normalise(self.canonical(subject)), predicate, normalise(self.canonical(obj))) in self.relations

    # ------------------------------------------------------------------ freeze
    _OUTRANKS = (
        ("moderated", "spoke_at"),
        ("chaired", "spoke_at"),
        ("moderated", "presented_at"),
        ("chaired", "presented_at"),
        ("presented_at", "spoke_at"),
        ("spoke_at", "attended"),
        ("presented_at", "attended"),
        ("moderated", "attended"),
        ("chaired", "attended"),
    )

    def _apply_conventions(self) -> None:
        """CONVENTIONS.md: moderators/chairs are not also speakers; speakers are not also attendees."""
        for strong, weak in self._OUTRANKS:
            for s, p, o in list(self.relations):
                if p != strong:
                    continue
                weak_rel = self.relations.get((s, weak, o))
                if weak_rel is not None and weak_rel.evidence.rule == "attendance":
                    continue  # every delegation of a participants list attended, speakers too (CONVENTIONS)
                self.relations.pop((s, weak, o), None)

    def build(self) -> Extraction:
        self._apply_conventions()
        used = {normalise(r.subject) for r in self.relations.values()} | {
            normalise(r.object) for r in self.relations.values()
        }
        persons, orgs, countries, initiatives, events = [], [], [], [], []
        for rec in sorted(self.recs, key=lambda r: r.first):
            if rec.type == "economy_candidate" and normalise(rec.name) not in used:
                continue
            if rec.type == "person":
                persons.append(Person(rec.name, tuple(rec.aliases), tuple(rec.titles), tuple(rec.affiliations)))
            elif rec.type == "organisation":
                orgs.append(Organisation(rec.name, tuple(rec.aliases), rec.kind))
            elif rec.type in ("economy", "economy_candidate"):
                countries.append(Economy(rec.name, rec.iso3, tuple(rec.aliases)))
            elif rec.type == "initiative":
                initiatives.append(Initiative(rec.name, tuple(rec.aliases), rec.kind))
            elif rec.type == "event":
                events.append(
                    Event(
                        rec.name,
                        rec.start,
                        rec.end,
                        rec.location,
                        rec.part_of,
                        tuple(rec.aliases),
                        rec.kind if rec.kind != "other" else "event",
                    )
                )
        return Extraction(
            self.doc,
            tuple(persons),
            tuple(orgs),
            tuple(countries),
            tuple(initiatives),
            tuple(events),
            tuple(self.relations.values()),
        )
