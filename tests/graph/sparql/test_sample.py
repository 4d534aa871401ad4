"""Real parameter values for the named queries (graph.sparql.sample), picked from the graph at hand."""

from __future__ import annotations

from graph.sparql.queries import Param, load_queries
from graph.sparql.sample import ParamSampler, guess_class
from graph.store.core import run_select
from tests.helpers.hand_graph import build_hand_store


def test_the_class_is_guessed_from_the_name_then_the_description():
    assert guess_class(Param("person", "entity")) == "Person"
    assert guess_class(Param("id", "entity", "the initiative (short id or IRI)")) == "Initiative"
    assert guess_class(Param("x", "entity", "anything at all")) is None


def test_every_named_query_gets_values_that_give_rows_on_the_graph():
    store = build_hand_store()
    sampler = ParamSampler(store, seed=3)
    queries = load_queries()
    answered = 0
    for name in ("event-participants", "agent-events", "initiative-partners", "entity-facts", "person-affiliations"):
        query = queries[name]
        [values] = sampler.bindings(query, n=1)
        bindings = query.bind(values)
        answered += bool(list(run_select(store, query.text, bindings)))
    assert answered == 5


def test_the_same_seed_gives_the_same_values():
    store = build_hand_store()
    query = load_queries()["agent-events"]
    assert ParamSampler(store, seed=7).bindings(query, n=4) == ParamSampler(store, seed=7).bindings(query, n=4)
