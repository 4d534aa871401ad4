"""Linked Data: the graph's IRIs resolve by content negotiation; the ontology documents itself; VoID counts."""

from __future__ import annotations

import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse

from graph import vocab
from graph.settings import ONTOLOGY_DIR

ANN = "person-ann-lee"
EVENT = "event-example-forum-2023"
RDF_ACCEPT = {"text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD,
              "application/n-triples": RdfFormat.N_TRIPLES, "application/rdf+xml": RdfFormat.RDF_XML}


def test_an_entity_iri_sends_a_browser_to_its_page(hand_client):
    response = hand_client.get(f"/id/{ANN}", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                               follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/web/entity/{ANN}"
    event = hand_client.get(f"/id/{EVENT}", headers={"accept": "text/html"}, follow_redirects=False)
    assert event.headers["location"] == f"/web/event/{EVENT}"


@pytest.mark.parametrize(("accept", "fmt"), list(RDF_ACCEPT.items()))
def test_an_entity_iri_sends_a_machine_to_its_description(hand_client, accept, fmt):
    response = hand_client.get(f"/id/{ANN}", headers={"accept": accept}, follow_redirects=False)
    assert response.status_code == 303
    described = hand_client.get(response.headers["location"])
    assert described.status_code == 200
    assert described.headers["content-type"].startswith(accept)
    triples = list(parse(described.content, format=fmt))
    ann = NamedNode(vocab.ID + ANN)
    assert any(t.subject == ann and t.predicate.value.endswith("label") for t in triples)
    # the statements about her, with their evidence: quote and source document
    statements = {t.subject for t in triples if t.predicate.value == vocab.RDF + "subject" and t.object == ann}
    assert statements
    evidence = {t.object for t in triples if t.subject in statements and t.predicate == vocab.msme("evidence")}
    assert evidence
    assert any(t.subject in evidence and t.predicate.value == vocab.OA + "hasSource" for t in triples)


def test_descriptions_by_extension_and_the_format_parameter(hand_client):
    ttl = hand_client.get(f"/data/id/{ANN}.ttl")
    assert ttl.headers["content-type"].startswith("text/turtle")
    nt = hand_client.get(f"/id/{ANN}", params={"format": "nt"}, follow_redirects=True)
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert {t for t in parse(nt.content, format=RdfFormat.N_TRIPLES)} == set(parse(ttl.content,
                                                                                   format=RdfFormat.TURTLE))


def test_unknown_iris_are_404(hand_client):
    assert hand_client.get("/id/person-nobody", headers={"accept": "text/turtle"}).status_code == 404
    assert hand_client.get("/data/id/person-nobody.ttl").status_code == 404
    assert hand_client.get("/data/other/x.ttl").status_code == 404
    assert hand_client.get("/graph/no-such-document", headers={"accept": "text/turtle"}).status_code == 404


def test_document_and_graph_iris(hand_client):
    doc = hand_client.get("/doc/doc-hand", headers={"accept": "text/html"}, follow_redirects=False)
    assert doc.status_code == 303 and doc.headers["location"] == "/web/document/doc-hand"
    data = hand_client.get("/doc/doc-hand", headers={"accept": "text/turtle"})
    assert data.status_code == 200 and b"Example Forum report" in data.content
    graph = hand_client.get("/graph/doc-hand", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert graph.status_code == 303 and graph.headers["location"].startswith("/store?graph=")
    held = hand_client.get(graph.headers["location"], headers={"accept": "text/turtle"})
    assert held.status_code == 200 and b"person-ann-lee" in held.content


def test_the_ontology_page_documents_classes_properties_alignments_and_shapes(hand_client):
    page = hand_client.get("/ns", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    g = rdflib.Graph().parse(ONTOLOGY_DIR / "msme.ttl", format="turtle")
    classes = {str(s) for s in g.subjects(rdflib.RDF.type, rdflib.OWL.Class) if str(s).startswith(vocab.MSME)}
    assert classes and all(f'id="{c[len(vocab.MSME):]}"' in html for c in classes)
    assert 'id="attended"' in html and "domain" in html and "range" in html
    assert "schema:Person" in html and "org:Organization" in html and "prov:" in html  # alignments
    assert "LabelledShape" in html and "minCount" in html  # the SHACL shapes
    assert hand_client.get("/ontology", headers={"accept": "text/html"}).text == html


def test_the_ontology_as_rdf(hand_client):
    ttl = hand_client.get("/ns", headers={"accept": "text/turtle"})
    assert ttl.content == (ONTOLOGY_DIR / "msme.ttl").read_bytes()
    jsonld = hand_client.get("/ns", params={"format": "jsonld"})
    assert len(list(parse(jsonld.content, format=RdfFormat.JSON_LD))) == len(list(parse(ttl.content,
                                                                                        format=RdfFormat.TURTLE)))


def test_void_counts_per_class_and_property(hand_client):
    response = hand_client.get("/.well-known/void", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    g = rdflib.Graph().parse(data=response.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = next(g.subjects(rdflib.RDF.type, void.Dataset))
    assert str(g.value(dataset, void.sparqlEndpoint)) == "http://testserver/sparql"
    classes = {str(g.value(p, void["class"])): int(g.value(p, void.entities))
               for p in g.objects(dataset, void.classPartition)}
    assert classes[vocab.MSME + "Person"] == 2
    properties = {str(g.value(p, void.property)): int(g.value(p, void.triples))
                  for p in g.objects(dataset, void.propertyPartition)}
    counted = hand_client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?o }"})
    assert properties[vocab.RDFS + "label"] == int(counted.json()["results"]["bindings"][0]["n"]["value"])
    assert int(g.value(dataset, void.triples)) == sum(properties.values())
