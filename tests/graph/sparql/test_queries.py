"""Every named query parses, has a summary, and runs on the seed graph."""

import pytest

from graph import vocab
from graph.curation.apply import Curation, Reject
from graph.ingest.curate_store import apply_to_store
from graph.sparql.queries import load_queries
from graph.store.core import run_query
from graph.views import lookups
from tests.helpers.hand_graph import build_hand_store

QUERIES = load_queries()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_has_summary(name):
    assert QUERIES[name].summary


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_seed_graph(name, seed_store):
    query = QUERIES[name]
    examples = {"entity": "event-x", "iri": vocab.MSME + "Person"}
    values = {p.name: examples.get(p.type, "x") for p in query.params if not p.optional}
    list(run_query(seed_store, query.text, query.bind(values)))


@pytest.mark.slow
def test_people_query_lists_people_of_the_seeds(seed_store):
    names = {row["name"].value for row in run_query(seed_store, QUERIES["people"].text)}
    assert {"Alicia Greenidge", "Tom Pengelly"} <= names


def test_document_fact_counts_leave_out_curation_records():
    """documents.rq counts what is derived from a document, minus the curation records naming it."""
    store = build_hand_store()
    apply_to_store(store, Curation(rejects=(
        Reject("person-ann-lee", "spoke_at", "event-opening-session", doc="doc-hand", reason="sent a video"),)))
    doc = vocab.document_iri("doc-hand")
    derived = "SELECT DISTINCT ?s ?d WHERE {{ ?s a msme:{} ; prov:wasDerivedFrom ?d }}"
    counted = len(list(run_query(store, derived.format("Statement"), {"d": doc})))
    records = len(list(run_query(store, derived.format("Curation"), {"d": doc})))
    assert records == 1  # the reject names the document: the count must not include it
    assert lookups.documents(store)[0]["facts"] == counted
