"""SHACL validation of the stored graph against ``ontology/shapes.ttl`` (pyshacl).

pyshacl runs on rdflib, so the document graphs are copied out of Oxigraph once as
N-Triples; this is a check for tests and curators, not a hot path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

from graph import vocab
from graph.settings import ONTOLOGY_DIR
from graph.store.protocol import Store

_DATA_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{vocab.ONTOLOGY_GRAPH}>) }}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def data_graph(store: Store) -> rdflib.Graph:
    """Every document graph merged into one rdflib graph."""
    triples = store.query(_DATA_QUERY)
    if isinstance(triples, QuerySolutions | QueryBoolean):
        raise TypeError("the data query is a CONSTRUCT")
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph()
    graph.parse(data=data.decode(), format="nt")
    return graph


def validate_store(store: Store, ontology_dir: Path = ONTOLOGY_DIR) -> ValidationReport:
    shapes = rdflib.Graph().parse(ontology_dir / "shapes.ttl", format="turtle")
    ontology = rdflib.Graph().parse(ontology_dir / "msme.ttl", format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        data_graph(store), shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(set(report_graph.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return ValidationReport(bool(conforms), violations, str(text))
