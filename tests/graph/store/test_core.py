from pyoxigraph import Literal, NamedNode, Quad

from graph import vocab
from graph.store.core import count_quads, document_graphs, graph_sha256, open_store, replace_graph, run_query


def _quads(graph: NamedNode, n: int) -> list[Quad]:
    return [Quad(NamedNode(f"http://ex.org/s{i}"), NamedNode("http://ex.org/p"), Literal(f"v{i}"), graph)
            for i in range(n)]


def test_replace_graph_swaps_the_whole_graph():
    store = open_store(None)
    g = vocab.graph_iri("doc-a")
    replace_graph(store, g, _quads(g, 5))
    replace_graph(store, g, _quads(g, 2))
    assert count_quads(store) == 2
    assert document_graphs(store) == ["doc-a"]


def test_replace_graph_escapes_literals():
    store = open_store(None)
    g = vocab.graph_iri("doc-b")
    nasty = 'a "quote" } ; DROP ALL ; \n <x> \\ \u00e9'
    replace_graph(store, g, [Quad(NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p"), Literal(nasty), g)])
    [row] = list(run_query(store, "SELECT ?o WHERE { ?s ?p ?o }"))
    assert row["o"].value == nasty


def test_graph_sha256_reads_the_recorded_checksum():
    store = open_store(None)
    g = vocab.graph_iri("doc-c")
    sha = Quad(vocab.document_iri("doc-c"), NamedNode(vocab.MSME + "sha256"), Literal("ab" * 32), g)
    replace_graph(store, g, [sha])
    assert graph_sha256(store, "doc-c") == "ab" * 32
    assert graph_sha256(store, "other") is None


def test_bindings_are_terms_not_text():
    store = open_store(None)
    g = vocab.graph_iri("d")
    replace_graph(store, g, _quads(g, 3))
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"  # substituted variables must be projected (SEP-0007)
    rows = list(run_query(store, query, {"o": Literal('v1" } UNION { ?s ?p ?o')}))
    assert rows == []
    rows = list(run_query(store, query, {"o": Literal("v1")}))
    assert [r["s"].value for r in rows] == ["http://ex.org/s1"]
