"""Counts for `msme-kg stats` (graph.views.stats) on the hand-made graph."""

from __future__ import annotations

from pyoxigraph import Store

from graph.store.core import count_quads
from graph.views.stats import store_stats
from tests.helpers.hand_graph import build_hand_store


def test_documents_entities_by_class_facts_and_quads():
    store = build_hand_store()
    stats = store_stats(store)
    assert {k: v for k, v in stats.items() if k != "quads"} == {
        "documents": 1, "persons": 2, "organisations": 2, "economies": 2, "initiatives": 1, "events": 2, "facts": 10}
    assert stats["quads"] == count_quads(store) > 0


def test_an_empty_store_counts_nothing_but_its_quads():
    assert store_stats(Store()) == {"quads": 0}
