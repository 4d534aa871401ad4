"""Every named query parses, has a summary, and runs on the seed graph."""

import pytest

from graph.queries import load_queries
from graph.store import run_query

QUERIES = load_queries()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_has_summary(name):
    assert QUERIES[name].summary


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_seed_graph(name, seed_store):
    query = QUERIES[name]
    values = {p.name: "event-x" if p.type == "entity" else "x" for p in query.params if not p.optional}
    list(run_query(seed_store, query.text, query.bind(values)))


@pytest.mark.slow
def test_people_query_lists_people_of_the_seeds(seed_store):
    names = {row["name"].value for row in run_query(seed_store, QUERIES["people"].text)}
    assert {"Alicia Greenidge", "Tom Pengelly"} <= names
