"""IRIs of the graph (graph.vocab): ids become IRIs and back, every predicate has one property."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from graph import vocab
from graph.model import PREDICATES


def test_an_id_becomes_an_iri_and_back():
    iri = vocab.entity_iri("person-ann-lee")
    assert iri.value == vocab.ID + "person-ann-lee"
    assert vocab.short_id(iri.value) == "person-ann-lee"
    assert vocab.graph_iri("d1").value.startswith(vocab.GRAPH) and vocab.document_iri("d1").value.startswith(vocab.DOC)


@pytest.mark.parametrize("bad", ["", "a b", "<x>", "a/b", "-lead", 'q"uote'])
def test_an_id_that_would_break_an_iri_is_refused(bad):
    with pytest.raises(ValueError):
        vocab.entity_iri(bad)


def test_every_predicate_has_one_property_and_back():
    assert set(vocab.PREDICATE_PROPERTY) == set(PREDICATES)
    assert all(vocab.PROPERTY_PREDICATE[vocab.PREDICATE_PROPERTY[p]] == p for p in PREDICATES)
    assert vocab.msme("spokeAt").value == vocab.MSME + "spokeAt"


def test_term_value_reads_every_kind_of_term():
    a, p = NamedNode("http://ex.org/a"), NamedNode("http://ex.org/p")
    assert vocab.term_value(a) == "http://ex.org/a"
    assert vocab.term_value(Literal("3", datatype=NamedNode(vocab.XSD + "integer"))) == "3"
    assert vocab.term_value(BlankNode("b1")) == "b1"
    assert vocab.term_value(Triple(a, p, Literal("x"))) == str(Triple(a, p, Literal("x")))
