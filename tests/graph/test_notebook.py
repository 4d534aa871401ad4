"""The notebook API answers as the CLI and the server do: named queries as rows (or a DataFrame),
networks as the export writes them."""

from __future__ import annotations

import sys
import types

import networkx as nx
import pytest

from graph.errors import QueryError
from graph.notebook import KnowledgeGraph, Rows
from graph.views.lookups import run_named
from graph.views.network import NetworkSpec, build_network, select
from tests.sample_graph import FORUM, PEOPLE, SESSION, WORKSHOP, build_sample_store

ANA, BO, CLEO, DMITRI, EVA = PEOPLE


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph(build_sample_store())


def test_a_named_query_gives_the_rows_the_cli_gets(kg):
    rows = kg.query("events", frame=False)
    assert isinstance(rows, Rows) and rows.columns == ["event", "name", "start", "end", "place", "parent"]
    expected = run_named(kg.store, "events")
    assert [r["name"] for r in rows] == [r["name"] for r in expected]
    assert {r["event"] for r in rows} == {WORKSHOP, SESSION, FORUM}  # short ids, as the networks' node keys
    session = next(r for r in rows if r["event"] == SESSION)
    assert session["parent"] == "Harbour Workshop on Small Exporters" and session["start"] == "2024-03-12"


def test_parameters_are_bound_by_name(kg):
    rows = kg.query("event-participants", event=WORKSHOP, frame=False)
    assert {r["agent"] for r in rows} >= {ANA, BO, CLEO}
    with pytest.raises(QueryError, match="needs"):
        kg.query("event-participants", frame=False)
    with pytest.raises(QueryError, match="no parameter"):
        kg.query("events", colour="red", frame=False)


def test_numbers_are_numbers(kg):
    documents = kg.query("documents", frame=False)
    assert all(isinstance(d["facts"], int) and d["facts"] > 0 for d in documents)


def test_a_dataframe_when_pandas_is_there(kg, monkeypatch):
    made = []

    class DataFrame:
        def __init__(self, data, columns):
            made.append((data, columns))

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=DataFrame))
    frame = kg.query("events")
    assert isinstance(frame, DataFrame)
    data, columns = made[0]
    assert columns[:2] == ["event", "name"] and len(data) == 3 and data[0]["event"] in {WORKSHOP, SESSION, FORUM}
    assert isinstance(kg.query("events", frame=False), Rows)


def test_rows_without_pandas_and_a_clear_error_when_a_frame_is_asked(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` fails
    assert isinstance(kg.query("events"), Rows)
    with pytest.raises(ImportError, match="pip install pandas"):
        kg.query("events", frame=True)


def test_networks_are_the_views_the_export_writes(kg):
    whole = kg.network()
    expected = select(build_network(kg.store), NetworkSpec())
    assert set(whole) == set(expected) and whole.number_of_edges() == expected.number_of_edges()
    assert whole.nodes[ANA]["community"] == expected.nodes[ANA]["community"]
    ego = kg.network(focus=DMITRI, depth=1)
    assert set(ego) == {DMITRI, SESSION}
    people = kg.network("coattendance", kind="person", since="2024")
    assert isinstance(people, nx.Graph) and EVA not in people  # she only attended the 2023 forum
    with pytest.raises(QueryError):
        kg.network("sideways")


def test_any_sparql(kg):
    assert kg.sparql("ASK { ?p a msme:Person }") is True
    rows = kg.sparql("SELECT ?p WHERE { ?p msme:moderated ?e }", frame=False)
    assert [r["p"] for r in rows] == [DMITRI]
    triples = kg.sparql("CONSTRUCT { ?p msme:moderated ?e } WHERE { ?p msme:moderated ?e }")
    assert triples == [(DMITRI, "https://w3id.org/msme-kg/ns#moderated", SESSION)]


def test_open_a_store_on_disk_read_only(tmp_path):
    build_sample_store(tmp_path / "store")
    with KnowledgeGraph.open(tmp_path / "store") as kg:
        assert len(kg.query("people", frame=False)) == len(PEOPLE)
        assert {q.name for q in kg.queries()} >= {"people", "events", "agent-events"}
        with pytest.raises(RuntimeError, match="read-write"):
            kg.store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_rows_show_as_an_escaped_table_in_a_notebook():
    rows = Rows(["name"], [{"name": "<b>Ana</b>"}, {"name": None}])
    html = rows._repr_html_()
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html and "<b>" not in html and html.count("<tr>") == 3
