"""Query results on the terminal (graph.sparql.output): a table with short ids, CSV/JSON, ASK, CONSTRUCT."""

from __future__ import annotations

import io
import json

from pyoxigraph import Store

from graph import vocab
from graph.sparql.output import write_results


def _store() -> Store:
    store = Store()
    ann, eta = vocab.entity_iri("person-ann-lee"), vocab.entity_iri("org-eta")
    store.update(f'INSERT DATA {{ {ann} <http://ex.org/name> "Ann Lee" . {ann} <http://ex.org/at> {eta} }}')
    return store


def _written(results, fmt: str) -> str:
    out = io.StringIO()
    write_results(results, fmt, out)
    return out.getvalue()


def test_a_table_shows_short_ids_and_counts_the_rows():
    text = _written(_store().query("SELECT ?s ?o WHERE { ?s <http://ex.org/at> ?o }"), "table")
    header, rule, row, count = text.splitlines()
    assert header.split() == ["s", "o"] and set(rule.replace(" ", "")) == {"-"}
    assert row.split() == ["person-ann-lee", "org-eta"] and count == "(1 row)"


def test_csv_and_json_are_the_standard_result_formats():
    query = "SELECT ?n WHERE { ?s <http://ex.org/name> ?n }"
    assert _written(_store().query(query), "csv").splitlines() == ["n", "Ann Lee"]
    doc = json.loads(_written(_store().query(query), "json"))
    assert doc["results"]["bindings"][0]["n"]["value"] == "Ann Lee"


def test_ask_prints_a_boolean_and_construct_prints_turtle():
    assert _written(_store().query("ASK { ?s ?p ?o }"), "table") == "True\n"
    turtle = _written(_store().query("CONSTRUCT WHERE { ?s <http://ex.org/at> ?o }"), "csv")
    assert "<http://ex.org/at>" in turtle and vocab.ID + "org-eta" in turtle
