"""The embedded backend (graph.store.oxigraph): opening a folder, one-transaction replacement, bulk loads."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from graph import vocab
from graph.errors import StoreError
from graph.store.oxigraph import Embedded, has_union_default_graph, open_store

P = NamedNode("http://ex.org/p")


def test_a_missing_store_is_not_created_by_a_reader(tmp_path):
    with pytest.raises(StoreError, match=r"no store at .*: run `msme-kg ingest` first"):
        open_store(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_a_store_in_use_by_a_writer_is_named_as_such(tmp_path):
    writer = open_store(tmp_path / "s")
    with pytest.raises(StoreError, match="in use by another msme-kg process"):
        open_store(tmp_path / "s")
    del writer


def test_replacing_counts_the_quads_of_that_graph_only_and_keeps_the_union():
    store = open_store(None)
    g = vocab.graph_iri("d1")
    other = vocab.graph_iri("d2")
    quads = [Quad(NamedNode(f"http://ex.org/s{i}"), P, Literal(str(i)), g) for i in range(3)]
    written = Embedded(store).replace_graph(g, [*quads, quads[0], Quad(quads[0].subject, P, Literal("x"), other)])
    assert written == 3
    assert {q.graph_name for q in store} == {g, DefaultGraph()}  # the quad for another graph is not written
    assert has_union_default_graph(store)


def test_the_default_graph_is_used_as_the_union_only_once_it_is_kept():
    store = open_store(None)
    backend = Embedded(store)
    assert backend.default_graph_as_union()  # empty: no stored union yet, Oxigraph's own union
    backend.replace_graph(vocab.graph_iri("d1"), [Quad(NamedNode("http://ex.org/s"), P, Literal("o"),
                                                       vocab.graph_iri("d1"))])
    assert not backend.default_graph_as_union() and backend.embedded
