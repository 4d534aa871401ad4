"""Response models of the REST API (what /docs shows and what clients can rely on)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` from ``offset``, at most ``limit`` of ``total``."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Evidence(BaseModel):
    document: str | None = Field(None, description="id of the source document")
    quote: str | None = Field(None, description="the exact passage the fact was read from")


class Fact(BaseModel):
    """One asserted fact about an entity, with its evidence."""

    predicate: str = Field(description="attended, spoke_at, partner_of, affiliated_with ...")
    direction: str = Field(description="'subject' if the entity is the subject of the fact, else 'object'")
    other: str | None = Field(None, description="id of the other end")
    other_name: str | None = None
    role: str | None = None
    document: str | None = None
    quote: str | None = None
    start: int | None = Field(None, description="character offset of the quote in the document")
    end: int | None = Field(None, description="end offset (exclusive)")
    rule: str | None = None
    confidence: float | None = None
    statement: str | None = None
    status: str = Field("extracted", description="extracted (by a rule), curated (changed by a curator) or asserted "
                        "(added by a person)")
    reason: str | None = Field(None, description="why a curator changed or added the fact")
    asserted_by: str | None = Field(None, description="who asserted the fact (asserted facts only)")


class Entity(BaseModel):
    id: str = Field(description="short stable id (last segment of the IRI)")
    iri: str
    type: str | None = Field(None, description="person, organisation, economy, initiative or event")
    classes: list[str] = []
    name: str
    names: list[str] = []
    aliases: list[str] = []
    kind: str | None = None
    iso3: str | None = None
    titles: list[str] = []
    start: str | None = None
    end: str | None = None
    facts: list[Fact] = []


class SearchResult(BaseModel):
    id: str
    iri: str
    type: str
    label: str = Field(description="the entity's name")
    matched: str = Field(description="the name or alias that matched")
    score: float


class SearchResults(BaseModel):
    query: str
    results: list[SearchResult]


class Ref(BaseModel):
    id: str | None = None
    name: str | None = None


class EventSummary(BaseModel):
    id: str
    name: str
    start: str | None = None
    end: str | None = None
    place: str | None = None
    parent: str | None = None


class SubEvent(BaseModel):
    id: str
    name: str | None = None
    start: str | None = None
    end: str | None = None


class Participant(BaseModel):
    id: str
    name: str
    type: str | None = None
    role: str
    evidence: list[Evidence] = []


class EventDetail(BaseModel):
    id: str
    iri: str
    name: str
    kinds: list[str] = []
    start: str | None = None
    end: str | None = None
    place: Ref | None = None
    parent: Ref | None = None
    sub_events: list[SubEvent] = []
    participants: list[Participant] = []


class AgentEvent(BaseModel):
    event: str
    name: str | None = None
    role: str
    start: str | None = None
    end: str | None = None
    document: str | None = None
    quote: str | None = None


class AgentInitiative(BaseModel):
    initiative: str
    name: str | None = None
    kind: str | None = None
    role: str
    document: str | None = None
    quote: str | None = None


class Affiliation(BaseModel):
    organisation: str
    name: str | None = None
    type: str | None = None
    relation: str
    role: str | None = Field(None, description="title or position held, when the document gives it")
    document: str | None = None
    quote: str | None = None


class InitiativeSummary(BaseModel):
    id: str
    name: str | None = None
    kind: str | None = None
    partners: int = 0


class Partner(BaseModel):
    id: str
    name: str
    type: str | None = None
    evidence: list[Evidence] = []


class DocumentSummary(BaseModel):
    id: str
    iri: str
    title: str | None = None
    source: str | None = None
    media_type: str | None = None
    sha256: str | None = None
    ingested: str | None = None
    facts: int = 0


class DocumentFact(BaseModel):
    subject: str | None = None
    subject_name: str | None = None
    predicate: str
    object: str | None = None
    object_name: str | None = None
    role: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    rule: str | None = None
    confidence: float | None = None
    statement: str | None = None


class DocumentDetail(DocumentSummary):
    fact_list: list[DocumentFact] = []
