"""The synthetic graph generator: deterministic, well-formed, domain-shaped, loadable."""

from __future__ import annotations

from collections import Counter

from pyoxigraph import NamedNode

from graph import vocab
from graph.rdf.map import extraction_quads
from graph.store.core import bulk_load_quads, count_quads, document_graphs, load_ontology, open_store, run_query
from graph.tools.synth import SYNTH_TIME, synth_documents, synth_quads
from graph.tools.validate import validate_store


def test_same_seed_same_graph_other_seed_other_graph():
    first = list(synth_quads(5_000, seed=7))
    assert first == list(synth_quads(5_000, seed=7))
    assert first != list(synth_quads(5_000, seed=8))


def test_size_reaches_the_target_by_whole_documents():
    quads = list(synth_quads(20_000, seed=1))
    assert 20_000 <= len(quads) < 20_000 + 6_000  # stops after the document that reaches the target
    graphs = {q.graph_name for q in quads}
    assert all(g.value.startswith(vocab.GRAPH) for g in graphs)


def test_evidence_quotes_the_text_at_its_offsets():
    for doc, extraction in synth_documents(20, seed=2):
        assert extraction.relations
        for rel in extraction.relations:
            assert doc.text[rel.evidence.start : rel.evidence.end] == rel.evidence.quote


def test_documents_have_the_domain_shape():
    predicates: Counter[str] = Counter()
    for _doc, extraction in synth_documents(30, seed=3):
        predicates.update(r.predicate for r in extraction.relations)
        sessions = [e for e in extraction.events if e.part_of]
        assert sessions and all(s.part_of == extraction.events[0].name for s in sessions)
        assert extraction.persons and extraction.organisations and extraction.countries and extraction.initiatives
    expected = {"attended", "spoke_at", "chaired", "moderated", "organised", "holds_role_at", "launched",
                "partner_of", "presented_at", "located_in"}
    assert expected <= set(predicates)


def test_actors_recur_across_documents():
    seen: Counter[str] = Counter()
    for _doc, extraction in synth_documents(40, seed=4):
        seen.update(p.id for p in extraction.persons)
    assert seen.most_common(1)[0][1] >= 5  # popular people attend many meetings
    assert len(seen) > 100  # and a long tail attends few


def test_bulk_loaded_graph_is_queryable_and_conforms_to_the_shapes():
    store = open_store(None)
    load_ontology(store)
    docs = list(synth_documents(6, seed=5))
    bulk_load_quads(store, (q for d, x in docs for q in extraction_quads(d, x, SYNTH_TIME)))
    assert document_graphs(store) == sorted(d.id for d, _ in docs)
    assert count_quads(store) > 6 * 500
    session = docs[0][1].events[1]
    rows = list(run_query(store, "SELECT ?s ?parent WHERE { ?s schema:superEvent ?parent }",
                          {"s": vocab.entity_iri(session.id)}))
    assert [r["parent"] for r in rows] == [NamedNode(vocab.ID + docs[0][1].events[0].id)]
    report = validate_store(store)
    assert report.conforms, report.text[:2000]
