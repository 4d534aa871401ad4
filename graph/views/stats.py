"""Counts for ``msme-kg stats`` and ``/health``: documents, entities by class, facts, quads."""

from __future__ import annotations

from graph.sparql.queries import get_query
from graph.store.core import count_quads, run_select
from graph.store.protocol import Store

PLURALS = {
    "Document": "documents",
    "Person": "persons",
    "Organisation": "organisations",
    "Economy": "economies",
    "Initiative": "initiatives",
    "Event": "events",
    "Statement": "facts",
}


def store_stats(store: Store) -> dict[str, int]:
    stats = {"quads": count_quads(store)}
    for row in run_select(store, get_query("stats").text):
        name = row["class"].value.rsplit("#", 1)[-1]
        stats[PLURALS[name]] = int(row["count"].value)
    return stats
