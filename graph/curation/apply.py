"""Apply the curators' corrections to one document's resolved extraction.

The extractor and the resolver make mistakes that the people who keep the graph must be able
to correct once and for all: two entities that are one, one name that stands for two, a
wrong fact, a missing fact, a wrong type. The corrections live in a file under version
control (``curation.yaml`` at the project root, read by :mod:`graph.curation.file`) and are applied after
``graph.resolve`` and before ``graph.rdf.map`` on every ingest, so a re-ingest keeps them.

This module is the pure heart: :func:`apply_curation` takes an :class:`Extraction` and a
:class:`Curation` and returns a corrected :class:`Extraction`. Nothing here reads disk or
knows RDF. Asserted facts are not part of any document: :mod:`graph.ingest.curate_store` writes them
into the curation graph.

Order of the operations: split, types, merge, aliases, then rejections (on the final ids).
A fact whose subject or object was moved to another entity keeps its evidence and is marked
``status="curated"`` with the curation's reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from graph.curation.records import Alias, Assert, Curation, Merge, Reject, Retype, Split
from graph.model import (
    ENTITY_FIELDS,
    Economy,
    Entity,
    EntityType,
    Event,
    Extraction,
    Initiative,
    Organisation,
    Person,
    Relation,
    normalise,
)
from graph.resolve import place_id, resolve

__all__ = ["Alias", "Assert", "Curation", "CurationReport", "Merge", "Reject", "Retype", "Split", "apply_curation",
           "curate_extraction", "derived_id"]

_norm = lru_cache(maxsize=1 << 16)(normalise)  # names repeat across entries and documents

TYPE_CLASS: dict[str, type] = {
    "person": Person,
    "organisation": Organisation,
    "economy": Economy,
    "initiative": Initiative,
    "event": Event,
}
FIELD_OF_TYPE = {kind: attr for attr, kind in ENTITY_FIELDS.items()}


@dataclass
class CurationReport:
    """What applying a curation did to one document: for ``msme-kg curate list`` and the curation graph."""

    redirects: dict[str, str] = field(default_factory=dict)  # id absorbed in this document -> kept id
    matched: dict[int, int] = field(default_factory=dict)  # entry line -> entities or facts it changed
    kept: dict[int, set[str]] = field(default_factory=dict)  # entry line -> ids it merged into (alias groups)
    split: dict[str, str] = field(default_factory=dict)  # id whose mentions in this document became another id


@cache
def derived_id(name: str, kind: EntityType) -> str:
    """The id the resolver gives ``name`` as a ``kind``: the kept id of an alias group without ``id``."""
    entity = TYPE_CLASS[kind](name=name)
    alone = Extraction(doc="_curation", **{FIELD_OF_TYPE[kind]: (entity,)})
    resolved = getattr(resolve(alone), FIELD_OF_TYPE[kind])
    if resolved and resolved[0].id:
        return resolved[0].id
    slug = "-".join("".join(c if c.isalnum() else " " for c in normalise(name)).split()).encode("ascii", "ignore")
    return f"{_PREFIX[kind]}-{slug.decode() or 'x'}"


_PREFIX = {"person": "person", "organisation": "org", "economy": "economy", "initiative": "initiative",
           "event": "event"}


def apply_curation(extraction: Extraction, curation: Curation, doc_id: str) -> Extraction:
    """The corrected extraction of document ``doc_id`` (entities must carry ids: run resolve first).

    >>> from graph.model import Evidence
    >>> ex = Extraction("d.txt", organisations=(Organisation("ITC", id="org-itc"),
    ...     Organisation("International Trade Centre", id="org-international-trade-centre")))
    >>> cur = Curation(merges=(Merge("org-international-trade-centre", ("org-itc",), reason="same body"),))
    >>> [(o.id, o.aliases) for o in apply_curation(ex, cur, "d").organisations]
    [('org-international-trade-centre', ('ITC',))]
    """
    return curate_extraction(extraction, curation, doc_id)[0]


def curate_extraction(extraction: Extraction, curation: Curation, doc_id: str) -> tuple[Extraction, CurationReport]:
    """:func:`apply_curation`, with a report of what each entry changed."""
    work = _Work(extraction, doc_id)
    for split in curation.splits:
        work.split(split)
    for retype in curation.types:
        work.retype(retype)
    for merge in curation.merges:
        work.merge(merge.keep, merge.drop, merge.name, merge.reason, merge.line)
    for alias in curation.aliases:
        work.alias(alias)
    work.mark_curated()
    redirects = {**curation.redirects(), **work.report.redirects}
    work.reject(curation.rejects, redirects)
    return work.result(), work.report


class _Work:
    """One document's entities and relations while the curation is applied."""

    def __init__(self, extraction: Extraction, doc_id: str) -> None:
        self.extraction = extraction
        self.doc_names = {doc_id, extraction.doc, extraction.doc.rsplit(".", 1)[0]}
        self.entities: list[tuple[str, Entity]] = list(extraction.entities())
        self.relations: list[Relation] = list(extraction.relations)
        self.report = CurationReport()
        self.moved_reason: dict[str, str | None] = {}
        lookup = self._lookup()
        self.before = [self._ends(rel, lookup) for rel in self.relations]

    # -- helpers ---------------------------------------------------------------------------

    def _index(self, entity_id: str) -> int | None:
        return next((i for i, (_, e) in enumerate(self.entities) if e.id == entity_id), None)

    def _lookup(self) -> dict[str, tuple[str, Entity]]:
        table: dict[str, tuple[str, Entity]] = {}
        for kind, entity in self.entities:
            for name in (entity.name, *entity.aliases):
                table.setdefault(_norm(name), (kind, entity))
        return table

    @staticmethod
    def _ends(rel: Relation, lookup: dict) -> tuple[str | None, str | None]:
        subject, obj = lookup.get(_norm(rel.subject)), lookup.get(_norm(rel.object))
        return (subject[1].id if subject else None, obj[1].id if obj else None)

    def _count(self, line: int, n: int = 1) -> None:
        self.report.matched[line] = self.report.matched.get(line, 0) + n

    # -- operations ------------------------------------------------------------------------

    def split(self, split: Split) -> None:
        if split.docs and not self.doc_names & set(split.docs):
            return
        i = self._index(split.id)
        if i is None:
            return
        kind, entity = self.entities[i]
        if split.context is None:
            renamed = _rename(entity, split.name) if split.name else entity
            self.entities[i] = (kind, dataclasses.replace(renamed, id=split.as_id))
            self.report.split[split.id] = split.as_id
            self.moved_reason[split.id] = split.reason
            self._count(split.line)
            return
        names = {_norm(n) for n in (entity.name, *entity.aliases)}
        new_name = split.name or entity.name
        needle = split.context.casefold()
        for r, rel in enumerate(self.relations):
            if needle not in rel.evidence.quote.casefold():
                continue
            subject = new_name if _norm(rel.subject) in names else rel.subject
            obj = new_name if _norm(rel.object) in names else rel.object
            if (subject, obj) != (rel.subject, rel.object):
                self.relations[r] = dataclasses.replace(rel, subject=subject, object=obj, status="curated",
                                                        reason=split.reason)
                self._count(split.line)
        if self.report.matched.get(split.line) and self._index(split.as_id) is None:
            new = TYPE_CLASS[kind](name=new_name, id=split.as_id)
            self.entities.insert(i, (kind, new))

    def retype(self, retype: Retype) -> None:
        i = self._index(retype.id)
        if i is None:
            return
        kind, entity = self.entities[i]
        new_kind = retype.type or kind
        if new_kind != kind:
            entity = _convert(entity, new_kind)
        if retype.kind and isinstance(entity, Organisation | Initiative | Event):
            entity = dataclasses.replace(entity, kind=retype.kind)
        self.entities[i] = (new_kind, entity)
        self._count(retype.line)

    def merge(self, keep: str, drop: Iterable[str], name: str | None, reason: str | None, line: int) -> None:
        dropped = [j for d in dict.fromkeys(drop) if d != keep and (j := self._index(d)) is not None]
        k = self._index(keep)
        if not dropped:
            if k is not None and name:
                kind, kept = self.entities[k]
                self.entities[k] = (kind, _rename(kept, name))
            return
        if k is None:  # the kept entity is not in this document: the first dropped one takes its id
            k, dropped = dropped[0], dropped[1:]
            kind, first = self.entities[k]
            self.report.redirects[first.id] = keep
            self.moved_reason[first.id] = reason
            self.entities[k] = (kind, dataclasses.replace(first, id=keep))
            self._count(line)
        self.report.kept.setdefault(line, set()).add(keep)
        kind, kept = self.entities[k]
        for j in dropped:
            other = self.entities[j][1]
            kept = _absorb(kept, other)
            self.report.redirects[other.id] = keep
            self.moved_reason[other.id] = reason
            self._count(line)
        if name:
            kept = _rename(kept, name)
        self.entities[k] = (kind, kept)
        gone = {self.entities[j][1].id for j in dropped}
        self.entities = [(t, e) for t, e in self.entities if e.id not in gone or e is kept]

    def alias(self, alias: Alias) -> None:
        keys = {_norm(n) for n in alias.names}
        matches = [e for _, e in self.entities if keys & {_norm(n) for n in (e.name, *e.aliases)}]
        keep = alias.id
        if keep is None:
            if not matches:
                return
            kind = alias.type or next(t for t, e in self.entities if e is matches[0])
            keep = derived_id(alias.names[0], kind)
        if alias.type:
            for i, (kind, entity) in enumerate(self.entities):
                if entity in matches and kind != alias.type:
                    self.entities[i] = (alias.type, _convert(entity, alias.type))
            matches = [e for _, e in self.entities if keys & {_norm(n) for n in (e.name, *e.aliases)}]
        self.merge(keep, [e.id for e in matches], None, alias.reason, alias.line)
        k = self._index(keep)
        if k is not None:
            self.report.kept.setdefault(alias.line, set()).add(keep)
            kind, kept = self.entities[k]
            have = {_norm(x) for x in (kept.name, *kept.aliases)}
            extra = tuple(n for n in alias.names if _norm(n) not in have)
            if extra:
                self.entities[k] = (kind, dataclasses.replace(kept, aliases=(*kept.aliases, *extra)))
                self._count(alias.line)

    def mark_curated(self) -> None:
        """Facts whose subject or object now resolves to another entity carry the curation's reason."""
        lookup = self._lookup()
        for r, (rel, (old_s, old_o)) in enumerate(zip(self.relations, self.before, strict=True)):
            if rel.status != "extracted":
                continue
            new_s, new_o = self._ends(rel, lookup)
            moved = [old for old, new in ((old_s, new_s), (old_o, new_o)) if old and new and old != new]
            if moved:
                self.relations[r] = dataclasses.replace(rel, status="curated", reason=self.moved_reason.get(moved[0]))

    def reject(self, rejects: Iterable[Reject], redirects: dict[str, str]) -> None:
        """Drop the rejected facts (ids after merges), in one pass over the facts."""
        wanted: dict[tuple[str, str, str], list[Reject]] = {}
        for r in rejects:
            if not r.doc or r.doc in self.doc_names:
                key = (redirects.get(r.subject, r.subject), r.predicate, redirects.get(r.object, r.object))
                wanted.setdefault(key, []).append(r)
        if not wanted:
            return
        lookup = self._lookup()
        kept = []
        for rel in self.relations:
            s, o = self._ends(rel, lookup)
            hits = wanted.get((s or "", rel.predicate, o or ""))
            if not hits and rel.predicate == "located_in":
                hits = wanted.get((s or "", rel.predicate, place_id(rel.object)))
            for hit in hits or ():
                self._count(hit.line)
            if not hits:
                kept.append(rel)
        self.relations = kept
        for i, (kind, original) in enumerate(self.entities):
            if not isinstance(original, Event):
                continue
            entity = original
            if entity.part_of:
                parent = lookup.get(_norm(entity.part_of))
                for hit in wanted.get((entity.id, "part_of", parent[1].id if parent else ""), ()):
                    entity = dataclasses.replace(entity, part_of=None)
                    self._count(hit.line)
            if entity.location:
                place = lookup.get(_norm(entity.location))
                ends = {place_id(entity.location), place[1].id if place else ""}
                for hit in [h for end in ends for h in wanted.get((entity.id, "located_in", end), ())]:
                    entity = dataclasses.replace(entity, location=None)
                    self._count(hit.line)
            self.entities[i] = (kind, entity)

    def result(self) -> Extraction:
        fields: dict[str, Any] = {attr: tuple(e for t, e in self.entities if t == kind)
                                  for attr, kind in ENTITY_FIELDS.items()}
        return dataclasses.replace(self.extraction, relations=tuple(self.relations), **fields)


def _rename(entity: Entity, name: str) -> Entity:
    """``name`` becomes the entity's name; the old one stays as an alias (facts still find it)."""
    if _norm(name) == _norm(entity.name):
        return dataclasses.replace(entity, name=name)
    aliases = tuple(a for a in (entity.name, *entity.aliases) if _norm(a) != _norm(name))
    return dataclasses.replace(entity, name=name, aliases=aliases)


def _absorb(kept: Entity, other: Entity) -> Entity:
    """``kept`` with everything ``other`` knows: names as aliases, titles, affiliations, missing details."""
    seen = {_norm(n) for n in (kept.name, *kept.aliases)}
    aliases = list(kept.aliases)
    for name in (other.name, *other.aliases):
        if _norm(name) not in seen:
            seen.add(_norm(name))
            aliases.append(name)
    changes: dict = {"aliases": tuple(aliases)}
    for attr in ("titles", "affiliations"):
        if hasattr(kept, attr) and hasattr(other, attr):
            changes[attr] = tuple(dict.fromkeys((*getattr(kept, attr), *getattr(other, attr))))
    for attr in ("iso3", "start", "end", "location", "part_of"):
        if hasattr(kept, attr) and getattr(kept, attr) is None and getattr(other, attr, None):
            changes[attr] = getattr(other, attr)
    if getattr(kept, "kind", None) == "other" and getattr(other, "kind", "other") not in ("other", "event"):
        changes["kind"] = other.kind  # type: ignore[union-attr]
    return dataclasses.replace(kept, **changes)


def _convert(entity: Entity, kind: str) -> Entity:
    """The same entity (id, names) as another type; details the new type has no field for are dropped."""
    target = TYPE_CLASS[kind]
    names = {f.name for f in dataclasses.fields(target)}
    values = {k: v for k, v in dataclasses.asdict(entity).items() if k in names and k != "kind"}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return target(**values)
