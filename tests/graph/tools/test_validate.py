"""SHACL validation of the stored graph (graph.tools.validate) against ontology/shapes.ttl."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from pyoxigraph import Store

from graph import vocab
from graph.rdf.map import extraction_quads
from graph.store.core import load_ontology, replace_graph
from graph.tools.validate import data_graph, validate_store
from tests.helpers.hand_graph import hand_extraction


def _store() -> Store:
    store = Store()
    load_ontology(store)
    doc, extraction = hand_extraction()
    doc = dataclasses.replace(doc, sha256="0" * 64)
    replace_graph(store, vocab.graph_iri(doc.id), extraction_quads(doc, extraction, datetime(2024, 1, 1, tzinfo=UTC)))
    return store


def test_a_graph_made_by_the_mapper_conforms():
    report = validate_store(_store())
    assert report.conforms and report.violations == 0


def test_each_broken_constraint_is_one_violation_naming_its_path():
    store = _store()
    g = vocab.graph_iri("doc-hand")
    store.update(f"INSERT DATA {{ GRAPH {g} {{ {vocab.entity_iri('person-unnamed')} a "
                 f"<{vocab.MSME}Person> ; <{vocab.MSME}mentionedIn> {vocab.document_iri('doc-hand')} }} }}")
    store.update(f'INSERT DATA {{ GRAPH {g} {{ {vocab.entity_iri("economy-ruritania")} <{vocab.MSME}iso3> "ru" }} }}')
    report = validate_store(store)
    assert not report.conforms and report.violations == 3  # no label; a second iso3, and not three capitals
    assert "rdfs:label" in report.text and "msme:iso3" in report.text


def test_the_data_graph_holds_the_documents_and_not_the_ontology():
    graph = data_graph(_store())
    subjects = {str(s) for s in graph.subjects()}
    assert vocab.entity_iri("person-ann-lee").value in subjects
    assert vocab.MSME + "Person" not in subjects
