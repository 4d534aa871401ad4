from datetime import UTC, datetime

from pyoxigraph import NamedNode

from graph import vocab
from graph.model import Document, Event, Evidence, Extraction, Organisation, Person, Relation
from graph.rdf.map import extraction_quads

TEXT = "Ms Ann Lee, Director, ITC, spoke at the Trade Forum in Geneva."
DOC = Document("d1", "Trade Forum", TEXT, "d1.txt", "0" * 64)


def _extraction() -> Extraction:
    quote = "Ms Ann Lee, Director, ITC, spoke at the Trade Forum"
    return Extraction(
        doc="d1.txt",
        persons=(Person("Ann Lee", titles=("Director",), id="person-ann-lee"),),
        organisations=(Organisation("International Trade Centre", ("ITC",), "intergovernmental", id="org-itc"),),
        events=(Event("Trade Forum", "2020-01-02", location="Geneva", kind="forum", id="event-trade-forum"),),
        relations=(
            Relation("Ann Lee", "spoke_at", "Trade Forum", Evidence(quote, 0, len(quote), "test", 0.9)),
            Relation("Ann Lee", "holds_role_at", "ITC", Evidence("Ann Lee, Director, ITC", 3, 25, "test", 0.8),
                     role="Director"),
            Relation("Trade Forum", "located_in", "Geneva", Evidence("in Geneva", 52, 61, "test", 0.7)),
        ),
    )


def test_every_quad_is_in_the_document_graph():
    quads = extraction_quads(DOC, _extraction(), datetime(2024, 1, 1, tzinfo=UTC))
    assert {q.graph_name for q in quads} == {vocab.graph_iri("d1")}


def test_relations_get_a_direct_triple_and_a_statement_with_evidence():
    quads = extraction_quads(DOC, _extraction(), datetime(2024, 1, 1, tzinfo=UTC))
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    person, event = vocab.entity_iri("person-ann-lee"), vocab.entity_iri("event-trade-forum")
    assert (person, vocab.msme("spokeAt"), event) in triples
    exact = [q.object.value for q in quads if q.predicate == NamedNode(vocab.OA + "exact")]
    assert "Ms Ann Lee, Director, ITC, spoke at the Trade Forum" in exact
    roles = [q.object.value for q in quads if q.predicate == vocab.msme("role")]
    assert roles == ["Director"]


def test_mapping_is_deterministic_and_acronyms_resolve():
    a = extraction_quads(DOC, _extraction(), datetime(2024, 1, 1, tzinfo=UTC))
    b = extraction_quads(DOC, _extraction(), datetime(2024, 1, 1, tzinfo=UTC))
    assert a == b
    org = vocab.entity_iri("org-itc")
    assert any(q.predicate == vocab.msme("holdsRoleAt") and q.object == org for q in a)
