"""The search index (graph.store.search): folding, acronyms, typos, ranking, types, edits and the file."""

from __future__ import annotations

import pytest

from graph.store.search import SearchEntry, SearchIndex, entries_from_store, rebuild_index

ENTRIES = [
    SearchEntry("person-jose-nunez", "person", "José Núñez"),
    SearchEntry("person-ann-lee", "person", "Ann Lee"),
    SearchEntry("person-ann-lee", "person", "Dr Ann Lee", "alias"),
    SearchEntry("org-wto", "organisation", "World Trade Organization"),
    SearchEntry("org-wto", "organisation", "WTO", "alias"),
    SearchEntry("org-itc", "organisation", "International Trade Centre"),
    SearchEntry("org-itc", "organisation", "ITC", "alias"),
    SearchEntry("org-oecd", "organisation", "Organisation for Economic Co-operation and Development"),
    SearchEntry("org-wto-secretariat", "organisation", "WTO Secretariat"),
    SearchEntry("economy-cote-divoire", "economy", "Côte d'Ivoire"),
    SearchEntry("initiative-trade4msmes", "initiative", "Trade4MSMEs"),
    SearchEntry("initiative-trade4msmes-network", "initiative", "Trade4MSMEs Network"),
    SearchEntry("event-trade-forum", "event", "Trade Forum"),
]


@pytest.fixture
def index():
    idx = SearchIndex.open(None)
    idx.replace_document("d1", ENTRIES, "sha-1")
    return idx


def _ids(index, q, **kw):
    return [hit.id for hit in index.search(q, **kw)]


def test_case_and_accents_are_folded(index):
    assert _ids(index, "jose nunez")[0] == "person-jose-nunez"
    assert _ids(index, "JOSÉ NÚÑEZ")[0] == "person-jose-nunez"
    assert _ids(index, "cote d ivoire")[0] == "economy-cote-divoire"
    assert _ids(index, "Côte d’Ivoire")[0] == "economy-cote-divoire"


def test_aliases_and_acronyms(index):
    assert _ids(index, "itc")[0] == "org-itc"
    assert _ids(index, "W.T.O.")[0] == "org-wto"
    assert _ids(index, "oecd")[0] == "org-oecd"  # initials of the name, no alias needed
    hit = index.search("dr ann lee")[0]
    assert (hit.id, hit.label) == ("person-ann-lee", "Ann Lee")


def test_small_typos(index):
    assert _ids(index, "Internatonal Trade Center")[0] == "org-itc"
    assert _ids(index, "Jose Nunes")[0] == "person-jose-nunez"
    assert _ids(index, "Trade4MSME Netwrk")[0] == "initiative-trade4msmes-network"


def test_ranking_exact_then_prefix_then_substring(index):
    ids = _ids(index, "trade4msmes")
    assert ids[:2] == ["initiative-trade4msmes", "initiative-trade4msmes-network"]
    ids = _ids(index, "wto")
    assert ids[0] == "org-wto" and "org-wto-secretariat" in ids
    trade = _ids(index, "trade")
    assert trade[0] == "event-trade-forum"  # the name that starts with the word ranks first
    assert {"org-wto", "org-itc"} <= set(trade)


def test_type_filter_and_limit(index):
    assert set(_ids(index, "trade", types=["organisation"])) == {"org-wto", "org-itc"}
    assert len(index.search("trade", limit=2)) == 2
    assert index.search("zzzzqqq") == []
    assert index.search("   ") == []


def test_replace_document_is_a_small_edit_and_rebuild_from_store(index, hand_store):
    index.replace_document("d2", [SearchEntry("org-wto", "organisation", "Organisation mondiale du commerce", "alias")])
    assert _ids(index, "organisation mondiale du commerce")[0] == "org-wto"
    index.replace_document("d2", [])
    assert "org-wto" not in _ids(index, "organisation mondiale du commerce")
    assert _ids(index, "wto")[0] == "org-wto"  # d1's names untouched
    rebuilt = rebuild_index(hand_store, None)
    assert set(rebuilt.documents()) == {"doc-hand"}
    assert _ids(rebuilt, "eta")[0] == "org-example-trade-agency"
    assert _ids(rebuilt, "Lisbon") == []  # places are not entities
    assert {e.entity for e in entries_from_store(hand_store, "doc-hand")} >= {"person-ann-lee", "event-opening-session"}


def test_sync_reindexes_only_changed_documents(hand_store):
    idx = SearchIndex.open(None)
    assert idx.sync(hand_store) == 1
    assert idx.sync(hand_store) == 0
    idx.replace_document("doc-gone", [SearchEntry("org-x", "organisation", "Gone Org")], "old")
    assert idx.sync(hand_store) == 1
    assert _ids(idx, "gone org") == []


def test_sync_notices_names_changed_without_a_new_file():
    """Curation rewrites a document's graph (same checksum, other names): sync still sees it."""
    from datetime import UTC, datetime

    from graph import vocab
    from graph.rdf.map import extraction_quads
    from graph.store.core import replace_graph
    from tests.helpers.hand_graph import build_hand_store, hand_extraction

    store = build_hand_store()
    idx = SearchIndex.open(None)
    idx.sync(store)
    doc, extraction = hand_extraction()
    renamed = extraction.__class__(**{**extraction.__dict__, "organisations": tuple(
        o.__class__(**{**o.__dict__, "aliases": ("ETA", "Agence d'exemple")}) for o in extraction.organisations)})
    replace_graph(store, vocab.graph_iri(doc.id), extraction_quads(doc, renamed, datetime(2024, 1, 1, tzinfo=UTC)))
    assert _ids(idx, "agence d exemple") == []
    assert idx.sync(store) == 1
    assert _ids(idx, "agence d exemple")[0] == "org-example-trade-agency"
    assert idx.sync(store) == 0


def test_index_file_persists(tmp_path):
    path = tmp_path / "search.sqlite"
    idx = SearchIndex.open(path)
    idx.replace_document("d1", ENTRIES, "sha")
    idx.close()
    assert _ids(SearchIndex.open(path), "itc")[0] == "org-itc"
