"""Plain records passed between the stages of the pipeline.

Every stage (read, nlp, extract, resolve, map, store) takes and returns these frozen
dataclasses, so each can be tested alone and documents can be processed in parallel.
Nothing here knows about RDF, spaCy or disk.

The extraction records mirror the JSON schema of ``shared/gold/SCHEMA.md`` so that
``msme-kg extract`` prints exactly what ``msme-kg eval`` scores.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["person", "organisation", "economy", "initiative", "event"]

PREDICATES: tuple[str, ...] = (
    "attended",
    "spoke_at",
    "chaired",
    "moderated",
    "organised",
    "sponsored",
    "reported_on",
    "partner_of",
    "member_of",
    "affiliated_with",
    "holds_role_at",
    "launched",
    "presented_at",
    "part_of",
    "located_in",
)

# The roles an agent takes part in an event in (agent -> event), subproperties of msme:participatedIn in the
# ontology: the one list the look-ups, the REST role filter and the network's views read.
PARTICIPATION: tuple[str, ...] = (
    "attended", "spoke_at", "presented_at", "moderated", "chaired", "organised", "sponsored", "reported_on",
)

ORGANISATION_KINDS = ("intergovernmental", "government", "company", "ngo", "academic", "other")
INITIATIVE_KINDS = (
    "platform",
    "programme",
    "network",
    "agreement",
    "package",
    "course",
    "report",
    "other",
)


@dataclass(frozen=True)
class Document:
    """A source document as read from disk: the text every offset refers to."""

    id: str
    title: str
    text: str
    source: str
    sha256: str
    media_type: str = "text/plain"


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: ``text[start:end] == quote`` in its document."""

    quote: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"
    id: str = ""


@dataclass(frozen=True)
class Economy:
    name: str
    iso3: str | None = None
    aliases: tuple[str, ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Initiative:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"
    id: str = ""


@dataclass(frozen=True)
class Event:
    name: str
    start: str | None = None
    end: str | None = None
    location: str | None = None
    part_of: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "event"
    id: str = ""


@dataclass(frozen=True)
class Relation:
    subject: str
    predicate: str
    object: str
    evidence: Evidence
    role: str | None = None
    status: str = "extracted"  # "extracted", or "curated" when a curation changed one of its ends
    reason: str | None = None  # the curation's reason, when status is not "extracted"


Entity = Person | Organisation | Economy | Initiative | Event

ENTITY_FIELDS: dict[str, EntityType] = {
    "persons": "person",
    "organisations": "organisation",
    "countries": "economy",
    "initiatives": "initiative",
    "events": "event",
}


@dataclass(frozen=True)
class Extraction:
    """Everything found in one document, in the shape of the gold files."""

    doc: str
    persons: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    countries: tuple[Economy, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()

    def entities(self) -> list[tuple[EntityType, Entity]]:
        """All entities with their type, in a stable order."""
        return [(kind, e) for attr, kind in ENTITY_FIELDS.items() for e in getattr(self, attr)]

    def lookup(self) -> dict[str, tuple[EntityType, Entity]]:
        """Normalised name or alias -> (type, entity); the first entity wins on a clash."""
        table: dict[str, tuple[EntityType, Entity]] = {}
        for kind, entity in self.entities():
            for name in (entity.name, *entity.aliases):
                table.setdefault(normalise(name), (kind, entity))
        return table

    def to_json(self) -> dict[str, Any]:
        """The JSON object of SCHEMA.md, with start/end/rule/confidence on each relation."""
        out: dict[str, Any] = {"doc": self.doc}
        for attr in ENTITY_FIELDS:
            out[attr] = [_entity_json(e) for e in getattr(self, attr)]
        out["relations"] = [_relation_json(r) for r in self.relations]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        """The inverse of :meth:`to_json` (ids included); unknown keys are ignored.

        >>> ex = Extraction("d.txt", persons=(Person("Ann Lee", id="person-ann-lee"),))
        >>> Extraction.from_json(ex.to_json()) == ex
        True
        """
        entity_class = {"persons": Person, "organisations": Organisation, "countries": Economy,
                        "initiatives": Initiative, "events": Event}
        fields: dict[str, Any] = {}
        for attr, kind in entity_class.items():
            fields[attr] = tuple(_entity_from_json(kind, e) for e in data.get(attr, ()))
        fields["relations"] = tuple(_relation_from_json(r) for r in data.get("relations", ()))
        return cls(doc=data.get("doc", ""), **fields)


def _entity_json(entity: Entity) -> dict[str, Any]:
    data = asdict(entity)
    if not data.get("id"):
        data.pop("id", None)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _relation_json(rel: Relation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "subject": rel.subject,
        "predicate": rel.predicate,
        "object": rel.object,
        "evidence": rel.evidence.quote,
        "start": rel.evidence.start,
        "end": rel.evidence.end,
        "rule": rel.evidence.rule,
        "confidence": rel.evidence.confidence,
    }
    if rel.role:
        out["role"] = rel.role
    if rel.status != "extracted":
        out["status"] = rel.status
    if rel.reason:
        out["reason"] = rel.reason
    return out


def _entity_from_json(kind: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in dataclasses.fields(kind)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
    return kind(**values)


def _relation_from_json(data: dict[str, Any]) -> Relation:
    evidence = Evidence(
        quote=data.get("evidence", ""),
        start=int(data.get("start", 0)),
        end=int(data.get("end", 0)),
        rule=data.get("rule", ""),
        confidence=float(data.get("confidence", 0.0)),
    )
    return Relation(
        data["subject"], data["predicate"], data["object"], evidence, role=data.get("role"),
        status=data.get("status", "extracted"), reason=data.get("reason"),
    )


_HONORIFICS = re.compile(
    r"\b(h\.?\s?e\.?|mr|mrs|ms|dr|prof|professor|his excellency|her excellency|sir|dame)\b\.?",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """The matching key of SCHEMA.md: no accents, case-folded, no punctuation or honorifics.

    >>> normalise("H.E. Ms  José-Luis Pérez")
    'jose luis perez'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _HONORIFICS.sub(" ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one file did, for the CLI's summary."""

    source: str
    doc_id: str
    status: Literal["added", "replaced", "unchanged", "failed"]
    triples: int = 0
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)
