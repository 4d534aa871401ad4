"""The default graph is the set union of the document graphs, kept by every write (graph.store.union)."""

from __future__ import annotations

import random

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from graph import vocab
from graph.store.core import (
    bulk_load_quads,
    open_store,
    remove_graph,
    replace_graph,
    run_query,
)
from graph.store.oxigraph import has_union_default_graph

LABEL = NamedNode(vocab.RDFS + "label")
X = vocab.entity_iri("person-x")


def _doc(doc_id: str, *triples: tuple[NamedNode, NamedNode, Literal | NamedNode]) -> tuple[NamedNode, list[Quad]]:
    g = vocab.graph_iri(doc_id)
    return g, [Quad(s, p, o, g) for s, p, o in triples]


def _labels(store) -> list[str]:
    return [r["l"].value for r in run_query(store, "SELECT ?s ?l WHERE { ?s rdfs:label ?l }", {"s": X})]


def test_a_triple_stated_by_many_documents_is_seen_once_until_the_last_one_goes():
    store = open_store(None)
    for doc_id in ("a", "b", "c"):
        replace_graph(store, *_doc(doc_id, (X, LABEL, Literal("Ann Lee"))))
    assert _labels(store) == ["Ann Lee"]  # a bag union would give it three times
    replace_graph(store, *_doc("a", (X, LABEL, Literal("A. Lee"))))
    assert sorted(_labels(store)) == ["A. Lee", "Ann Lee"]
    remove_graph(store, vocab.graph_iri("b"))
    assert sorted(_labels(store)) == ["A. Lee", "Ann Lee"]  # still stated by c
    remove_graph(store, vocab.graph_iri("c"))
    assert _labels(store) == ["A. Lee"]


def test_a_store_written_before_the_union_is_filled_on_its_first_write():
    store = open_store(None)
    _, quads = _doc("old", (X, LABEL, Literal("Ann Lee")))
    store.extend(quads)  # as an older msme-kg wrote it: named graphs only
    assert not has_union_default_graph(store)
    assert _labels(store) == ["Ann Lee"]  # the bag union still answers
    replace_graph(store, *_doc("new", (vocab.entity_iri("org-y"), LABEL, Literal("Y"))))
    assert has_union_default_graph(store)
    assert _labels(store) == ["Ann Lee"]


def test_bulk_load_fills_the_union_too():
    store = open_store(None)
    bulk_load_quads(store, _doc("a", (X, LABEL, Literal("Ann Lee")))[1] + _doc("b", (X, LABEL, Literal("Ann Lee")))[1])
    assert _labels(store) == ["Ann Lee"]


def test_bulk_load_in_batches_stores_every_quad_once():
    """The loader is fed in batches (bounded memory); batch edges must lose or double nothing."""
    quads = [q for k in range(7) for q in _doc(f"d{k}", *[(vocab.entity_iri(f"e{i}"), LABEL, Literal(f"n{k}"))
                                                           for i in range(k + 1)])[1]]
    whole, batched = open_store(None), open_store(None)
    bulk_load_quads(whole, quads)
    bulk_load_quads(batched, iter(quads), batch=3)
    assert set(batched.quads_for_pattern(None, None, None)) == set(whole.quads_for_pattern(None, None, None))
    assert len(batched) == len(whole) == len(quads) + len({q.triple for q in quads})


def test_the_default_graph_stays_the_union_through_random_rewrites():
    rng = random.Random(5)
    store = open_store(None)
    subjects = [vocab.entity_iri(f"e{i}") for i in range(6)]
    for _ in range(40):
        doc_id = f"d{rng.randrange(5)}"
        if rng.random() < 0.2:
            remove_graph(store, vocab.graph_iri(doc_id))
            continue
        triples = [(rng.choice(subjects), LABEL, Literal(f"n{rng.randrange(4)}")) for _ in range(rng.randrange(5))]
        replace_graph(store, *_doc(doc_id, *triples))
        named = {q.triple for q in store.quads_for_pattern(None, None, None)
                 if not isinstance(q.graph_name, DefaultGraph)}
        default = {q.triple for q in store.quads_for_pattern(None, None, None, DefaultGraph())}
        assert default == named
