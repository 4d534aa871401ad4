"""graph.sparql.guard: the reader that bounds a request and finds SERVICE / LOAD the way the grammar places them."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Store

from graph.errors import FeatureDisabled, QueryError
from graph.sparql.guard import _rdflib_keywords, check, inspect, with_using
from graph.sparql.queries import load_queries


@pytest.mark.parametrize(("text", "keywords"), [
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
    ("SELECT * WHERE { BIND(1<'a>' AS ?x) SERVICE <http://x/> { } }", {"SERVICE"}),
    ("SELECT * WHERE { FILTER(?a<?b#>\n) SERVICE <http://x/> { } }", {"SERVICE"}),
    ("SELECT * WHERE { FILTER ex:f(?a<'x>') service <http://x/> { } }", {"SERVICE"}),
    ("LOAD <http://x/>", {"LOAD"}),
    ("CLEAR ALL ; load SILENT <http://x/> INTO GRAPH <http://g/>", {"LOAD"}),
    ('SELECT ?service WHERE { ?s <http://x/#LOAD> "SERVICE" } # LOAD', set()),
    ("PREFIX service: <http://x/> SELECT * WHERE { ?s service:load _:service . ?s ?p 'x'@service }", set()),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < <http://x/a>) }", set()),
    ("SELECT * WHERE { ?s <http://x/p> ( 1 <http://x/a> ) }", set()),
])
def test_keywords_are_found_where_the_grammar_puts_them(text, keywords):
    assert set(inspect(text).keywords) == keywords


def test_less_than_and_iris_are_read_as_pyoxigraph_reads_them():
    """After an operand inside an expression '<' is an operator; elsewhere it opens an IRI."""
    store = Store()
    for text in ("SELECT * WHERE { ?s ?p ?o FILTER(?o<'a>') }", "SELECT * WHERE { FILTER(1<<http://a>) }",
                 "SELECT (1<2 AS ?b) WHERE { }", "SELECT * WHERE { ?s ?p ?o } ORDER BY (?o<'x>')"):
        assert inspect(text).keywords == frozenset()
        list(store.query(text))  # and pyoxigraph agrees it is a query


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o ",  # a group never closed
    "SELECT * WHERE { ?s ?p 'x }",  # a string never closed
    "SELECT * WHERE { ?s ?p ?o ] }",  # closed by the wrong bracket
    "SELECT * WHERE { ?s ?p ?o } ¤",  # a character no token starts with
    "SELECT * WHERE { SERV\\u0049CE <http://x/> { } }",  # pyoxigraph: no keyword, no query
])
def test_what_cannot_be_read_is_refused(text):
    with pytest.raises(QueryError):
        inspect(text)


@pytest.mark.parametrize("opener", ["(", "{", "[ ?p ", "FILTER EXISTS { "])
def test_depth_is_counted_for_every_bracket_and_bounded(opener):
    closer = {"(": ")", "{": "}", "[ ?p ": "]", "FILTER EXISTS { ": "}"}[opener]
    text = "ASK { ?s ?p " + opener * 70 + "1" + closer * 70 + " }"
    assert inspect(text, max_depth=100).depth >= 70
    with pytest.raises(QueryError, match="nests brackets more than 64 deep"):
        inspect(text)


def _read_time(text: str) -> float:
    """CPU seconds (not wall time: a busy machine does not make the reader look slower)."""
    started = time.process_time()
    with contextlib.suppress(QueryError):
        inspect(text)
    return time.process_time() - started


@pytest.mark.parametrize("unit", ['\\"', "<", "#", "'", "(", "?", "\\", "<a", "?s ?p 'v' . ", "<a> ", "{ "])
def test_any_text_is_read_in_linear_time(unit):
    """Time grows with the text, not its square (the old scan: 12.5 s for 60 KB).

    900 KB of the worst unit (``<a``: 900k tokens) takes about 1.2 s of CPU. It runs in a query
    worker, never on the event loop.
    """
    small = _read_time(unit * (100_000 // len(unit)))
    large = _read_time(unit * (400_000 // len(unit)))
    assert large < max(8 * small, 0.05), (small, large)  # 4x the text: a quadratic reader takes 16x
    assert _read_time(unit * (900_000 // len(unit))) < 4


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SELCTWHR{}()[]<>'\"#?$:._-\\ \n1aAé")), max_size=200))
def test_the_reader_only_ever_refuses_with_a_query_error(text):
    with contextlib.suppress(QueryError):
        inspect(text)


def test_the_second_opinion_is_asked_when_a_refused_word_is_spelled_anywhere():
    assert _rdflib_keywords("SELECT * WHERE { SERVICE <http://x/> { } }", False) == frozenset({"SERVICE"})
    assert _rdflib_keywords('SELECT ("SERVICE" AS ?x) WHERE { }', False) == frozenset()
    # spelled in a string: both readers agree it is no keyword, so it runs
    assert check('SELECT ?x WHERE { BIND("trade in services" AS ?x) }').keywords == frozenset()
    # a text rdflib cannot read and that spells "service": refused rather than guessed
    with pytest.raises(QueryError, match="second parser"):
        check('SELECT * WHERE { VALUES ?t { <<( <http://a> <http://b> "service" )>> } }')


def test_refused_unless_allowed():
    with pytest.raises(FeatureDisabled):
        check("LOAD <http://x/>", update=True)
    assert check("LOAD <http://x/>", update=True, allow_load=True).keywords == {"LOAD"}


def test_every_named_query_passes_the_guard():
    for query in load_queries().values():
        check(query.text)


def test_using_is_added_to_each_where_and_refused_beside_with():
    text = ("PREFIX ex: <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; INSERT DATA { ex:a ex:b 1 } ;\n"
            "DELETE WHERE { ?a ex:b ?c }")
    out = with_using(inspect(text), ("http://g/1",), ("http://g/2",))
    assert out.count("USING <http://g/1> USING NAMED <http://g/2>") == 2
    store = Store()
    store.update(out)  # still an update pyoxigraph takes
    for own in ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                "DELETE { ?s ?p ?o } USING <http://g/> WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="using-graph-uri"):
            with_using(inspect(own), ("http://g/1",), ())
    with pytest.raises(QueryError, match="bad graph IRI"):
        with_using(inspect(text), ("not an iri",), ())
