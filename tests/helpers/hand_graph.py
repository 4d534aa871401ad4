"""A small hand-made graph (made-up names) whose every fact the tests know.

Built with the pipeline's own stages (graph.model records -> graph.rdf.map.extraction_quads ->
graph.store.core.replace_graph), so it has exactly the shape ingest gives, without depending on
what the extractor finds in the seeds. Test modules import the fixtures they use
(``from tests.helpers.hand_graph import hand_client``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pyoxigraph import Store

from graph import vocab
from graph.model import Document, Economy, Event, Evidence, Extraction, Initiative, Organisation, Person, Relation
from graph.rdf.map import extraction_quads
from graph.store.core import load_ontology, replace_graph

SENTENCES = [
    "The Example Forum 2023 took place in Lisbon on 2 May 2023.",
    "Delegations of Ruritania and Freedonia attended the forum.",
    "Dr Ann Lee, Director of the Example Trade Agency (ETA), moderated the forum.",
    "Ann Lee spoke at the Opening Session.",
    "The ETA organised the forum.",
    "The ETA and Ruritania are partners of the Small Business Network.",
    "José Núñez of the Ministry of Commerce chaired the Opening Session.",
]
TEXT = " ".join(SENTENCES)


def _ev(sentence: int, rule: str = "hand") -> Evidence:
    quote = SENTENCES[sentence]
    start = TEXT.index(quote)
    return Evidence(quote, start, start + len(quote), rule, 0.9)


def hand_extraction() -> tuple[Document, Extraction]:
    doc = Document(id="doc-hand", title="Example Forum report", text=TEXT, source="tests/hand", sha256="hand-1")
    forum = Event("Example Forum 2023", start="2023-05-02", end="2023-05-02", location="Lisbon", kind="forum",
                  id="event-example-forum-2023")
    opening = Event("Opening Session", start="2023-05-02", part_of="Example Forum 2023", kind="session",
                    id="event-opening-session")
    ann = Person("Ann Lee", aliases=("Dr Ann Lee",), titles=("Director",), id="person-ann-lee")
    jose = Person("José Núñez", id="person-jose-nunez")
    eta = Organisation("Example Trade Agency", aliases=("ETA",), kind="government", id="org-example-trade-agency")
    ministry = Organisation("Ministry of Commerce", kind="government", id="org-ministry-of-commerce")
    rur = Economy("Ruritania", iso3="RUR", id="economy-ruritania")
    fre = Economy("Freedonia", id="economy-freedonia")
    sbn = Initiative("Small Business Network", aliases=("SBN",), kind="network", id="initiative-small-business-network")
    relations = (
        Relation("Ruritania", "attended", "Example Forum 2023", _ev(1)),
        Relation("Freedonia", "attended", "Example Forum 2023", _ev(1)),
        Relation("Ann Lee", "moderated", "Example Forum 2023", _ev(2)),
        Relation("Ann Lee", "affiliated_with", "Example Trade Agency", _ev(2), role="Director"),
        Relation("Ann Lee", "spoke_at", "Opening Session", _ev(3)),
        Relation("Example Trade Agency", "organised", "Example Forum 2023", _ev(4)),
        Relation("Example Trade Agency", "partner_of", "Small Business Network", _ev(5)),
        Relation("Ruritania", "partner_of", "Small Business Network", _ev(5)),
        Relation("José Núñez", "chaired", "Opening Session", _ev(6)),
        Relation("José Núñez", "affiliated_with", "Ministry of Commerce", _ev(6)),
    )
    extraction = Extraction(
        doc=doc.id, persons=(ann, jose), organisations=(eta, ministry), countries=(rur, fre), initiatives=(sbn,),
        events=(forum, opening), relations=relations,
    )
    return doc, extraction


def build_hand_store() -> Store:
    store = Store()
    load_ontology(store)
    doc, extraction = hand_extraction()
    quads = extraction_quads(doc, extraction, datetime(2024, 1, 1, tzinfo=UTC))
    replace_graph(store, vocab.graph_iri(doc.id), quads)
    return store


@pytest.fixture(scope="session")
def hand_store() -> Store:
    """An in-memory store holding the hand-made document (read it, do not write it)."""
    return build_hand_store()


@pytest.fixture(scope="module")
def hand_client(hand_store):
    from fastapi.testclient import TestClient

    from api.main import create_app

    with TestClient(create_app(store=hand_store)) as client:
        yield client


@pytest.fixture(scope="session")
def hand_store_path(tmp_path_factory, hand_store):
    """The hand-made graph in a store on disk (for the CLI and the worker processes)."""
    from graph.store.core import open_store

    path = tmp_path_factory.mktemp("hand-store") / "store"
    disk = open_store(path)
    disk.bulk_extend(hand_store)
    disk.flush()
    del disk
    return path
