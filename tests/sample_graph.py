"""A small, hand-built graph for the network, export and web tests (fictional people and bodies).

Built with the model dataclasses and ``graph.rdf.map.extraction_quads`` — the same path ingest
takes — so the tests do not depend on what any extractor finds in the seeds. Two documents
state overlapping facts, so some edges are stated by two documents (weight 2).

Shape: three events (a workshop in 2024-03 with a session part of it, a forum in 2023-11),
five people, three organisations, two initiatives, one economy, one place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Store

from graph import vocab
from graph.model import Document, Economy, Event, Evidence, Extraction, Initiative, Organisation, Person, Relation
from graph.rdf.map import extraction_quads
from graph.store import core as graph_store

TEXT_A = (
    "Report of the Harbour Workshop on Small Exporters, held in Port Vela on 12 March 2024. "
    "The workshop was organised by the Agency for Trade Support and sponsored by the Coastal Development Bank. "
    "Ana Rivera chaired the workshop. Bo Tanaka spoke at the workshop. Cleo Mbeki attended the workshop. "
    "In the Finance Session, Dmitri Volkov moderated the discussion and Bo Tanaka presented findings. "
    "Ana Rivera is Director at the Agency for Trade Support. Bo Tanaka works for the Small Firms Council. "
    "The Agency for Trade Support and the Small Firms Council are partners of the Export Ready Programme. "
    "The Coastal Development Bank is a partner of the Export Ready Programme and of the Digital Market Hub. "
    "Marovia is a partner of the Digital Market Hub."
)
TEXT_B = (
    "Summary of the Autumn Forum on Trade Finance, 20 November 2023. "
    "Ana Rivera attended the forum. Cleo Mbeki spoke at the forum. Eva Lindqvist attended the forum. "
    "Ana Rivera chaired the workshop. "
    "The Agency for Trade Support organised the forum."
)

PEOPLE = {
    "person-ana-rivera": "Ana Rivera",
    "person-bo-tanaka": "Bo Tanaka",
    "person-cleo-mbeki": "Cleo Mbeki",
    "person-dmitri-volkov": "Dmitri Volkov",
    "person-eva-lindqvist": "Eva Lindqvist",
}
ORGS = {
    "org-agency-for-trade-support": "Agency for Trade Support",
    "org-coastal-development-bank": "Coastal Development Bank",
    "org-small-firms-council": "Small Firms Council",
}
INITIATIVES = {
    "initiative-export-ready-programme": "Export Ready Programme",
    "initiative-digital-market-hub": "Digital Market Hub",
}
PARTNERS = "are partners of the Export Ready Programme"
WORKSHOP, SESSION, FORUM = "event-harbour-workshop", "event-finance-session", "event-autumn-forum"


def _rel(text: str, subject: str, predicate: str, obj: str, quote: str, *, role: str | None = None) -> Relation:
    start = text.index(quote)
    return Relation(subject, predicate, obj, Evidence(quote, start, start + len(quote), "hand", 0.9), role)


def _people(*names: str) -> tuple[Person, ...]:
    ids = {v: k for k, v in PEOPLE.items()}
    return tuple(Person(n, id=ids[n]) for n in names)


def document_a() -> tuple[Document, Extraction]:
    doc = Document("sample-a", "Harbour Workshop report", TEXT_A, "tests/sample-a.txt", "a" * 64)
    t = TEXT_A
    workshop = "Harbour Workshop on Small Exporters"
    ex = Extraction(
        doc="sample-a",
        persons=_people("Ana Rivera", "Bo Tanaka", "Cleo Mbeki", "Dmitri Volkov"),
        organisations=tuple(Organisation(n, id=i) for i, n in ORGS.items()),
        countries=(Economy("Marovia", id="economy-marovia"),),
        initiatives=tuple(Initiative(n, id=i, kind="programme") for i, n in INITIATIVES.items()),
        events=(
            Event(workshop, start="2024-03-12", location="Port Vela", kind="workshop", id=WORKSHOP),
            Event("Finance Session", start="2024-03-12", part_of=workshop, kind="session", id=SESSION),
        ),
        relations=(
            _rel(t, "Agency for Trade Support", "organised", workshop,
                 "The workshop was organised by the Agency for Trade Support"),
            _rel(t, "Coastal Development Bank", "sponsored", workshop, "sponsored by the Coastal Development Bank"),
            _rel(t, "Ana Rivera", "chaired", workshop, "Ana Rivera chaired the workshop"),
            _rel(t, "Bo Tanaka", "spoke_at", workshop, "Bo Tanaka spoke at the workshop"),
            _rel(t, "Cleo Mbeki", "attended", workshop, "Cleo Mbeki attended the workshop"),
            _rel(t, "Dmitri Volkov", "moderated", "Finance Session", "Dmitri Volkov moderated the discussion"),
            _rel(t, "Bo Tanaka", "presented_at", "Finance Session", "Bo Tanaka presented findings"),
            _rel(t, "Ana Rivera", "holds_role_at", "Agency for Trade Support", "Ana Rivera is Director at the Agency",
                 role="Director"),
            _rel(t, "Bo Tanaka", "affiliated_with", "Small Firms Council",
                 "Bo Tanaka works for the Small Firms Council"),
            _rel(t, "Agency for Trade Support", "partner_of", "Export Ready Programme", PARTNERS),
            _rel(t, "Small Firms Council", "partner_of", "Export Ready Programme", PARTNERS),
            _rel(t, "Coastal Development Bank", "partner_of", "Export Ready Programme",
                 "partner of the Export Ready Programme"),
            _rel(t, "Coastal Development Bank", "partner_of", "Digital Market Hub", "of the Digital Market Hub"),
            _rel(t, "Marovia", "partner_of", "Digital Market Hub", "Marovia is a partner of the Digital Market Hub"),
        ),
    )
    return doc, ex


def document_b() -> tuple[Document, Extraction]:
    doc = Document("sample-b", "Autumn Forum summary", TEXT_B, "tests/sample-b.txt", "b" * 64)
    t = TEXT_B
    forum = "Autumn Forum on Trade Finance"
    ex = Extraction(
        doc="sample-b",
        persons=_people("Ana Rivera", "Cleo Mbeki", "Eva Lindqvist"),
        organisations=(Organisation("Agency for Trade Support", id="org-agency-for-trade-support"),),
        events=(
            Event(forum, start="2023-11-20", kind="forum", id=FORUM),
            Event("Harbour Workshop on Small Exporters", start="2024-03-12", kind="workshop", id=WORKSHOP),
        ),
        relations=(
            _rel(t, "Ana Rivera", "attended", forum, "Ana Rivera attended the forum"),
            _rel(t, "Cleo Mbeki", "spoke_at", forum, "Cleo Mbeki spoke at the forum"),
            _rel(t, "Eva Lindqvist", "attended", forum, "Eva Lindqvist attended the forum"),
            _rel(t, "Ana Rivera", "chaired", "Harbour Workshop on Small Exporters", "Ana Rivera chaired the workshop"),
            _rel(t, "Agency for Trade Support", "organised", forum, "The Agency for Trade Support organised the forum"),
        ),
    )
    return doc, ex


def build_sample_store(path: Path | None = None) -> Store:
    """The sample graph in a new store (in memory, or on disk at ``path``), ontology included."""
    store = graph_store.open_store(path)
    graph_store.load_ontology(store)
    when = datetime(2025, 1, 1, tzinfo=UTC)
    for doc, extraction in (document_a(), document_b()):
        graph_store.replace_graph(store, vocab.graph_iri(doc.id), extraction_quads(doc, extraction, when))
    store.flush()
    return store
