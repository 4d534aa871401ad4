"""The curators' corrections as plain records: what ``graph.curation.file`` reads and ``graph.curation.apply`` applies.

Each record remembers the line of the curation file it came from, so every error and every
``msme-kg curate list`` row can point at it. Ids are entity ids (``person-…``, ``org-…``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Alias:
    """Other names of one entity: every entity so named becomes ``id`` (or the first name's id)."""

    names: tuple[str, ...]
    id: str | None = None
    type: str | None = None
    reason: str | None = None
    by: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Merge:
    """The entities ``drop`` are ``keep``: their facts move to it, their ids redirect to it."""

    keep: str
    drop: tuple[str, ...]
    name: str | None = None
    reason: str | None = None
    by: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Split:
    """The mentions of ``id`` in ``docs`` (or in facts whose quote holds ``context``) are ``as_id``."""

    id: str
    as_id: str
    name: str | None = None
    docs: tuple[str, ...] = ()
    context: str | None = None
    reason: str | None = None
    by: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Reject:
    """A wrong fact, by ids; only in ``doc`` when given."""

    subject: str
    predicate: str
    object: str
    doc: str | None = None
    reason: str | None = None
    by: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Assert:
    """A fact a person adds; who and why are its evidence (with a quote and document if given)."""

    subject: str
    predicate: str
    object: str
    by: str
    reason: str
    quote: str | None = None
    doc: str | None = None
    role: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Retype:
    """Correct an entity's type and/or kind (an organisation's or initiative's kind, an event's kind)."""

    id: str
    type: str | None = None
    kind: str | None = None
    reason: str | None = None
    by: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Curation:
    """Every correction of the curation file, in file order per section."""

    aliases: tuple[Alias, ...] = ()
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()
    rejects: tuple[Reject, ...] = ()
    asserts: tuple[Assert, ...] = ()
    types: tuple[Retype, ...] = ()
    source: str = "curation.yaml"
    sha256: str = ""

    def redirects(self) -> dict[str, str]:
        """Merged-away id -> kept id, chains followed (a merged into b merged into c: a -> c)."""
        table = {d: m.keep for m in self.merges for d in m.drop if d != m.keep}
        out = {}
        for start, first in table.items():
            target, seen = first, {start}
            while target in table and target not in seen:
                seen.add(target)
                target = table[target]
            out[start] = target
        return out
