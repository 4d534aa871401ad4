"""IRIs of the graph: namespaces, entity/graph/document IRIs and the predicate table.

Kept apart from :mod:`graph.rdf.map` so that the store, the API and the exports name things
the same way without importing the mapper.
"""

from __future__ import annotations

import re

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

BASE = "https://w3id.org/msme-kg/"
MSME = BASE + "ns#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
DOC = BASE + "doc/"
ONTOLOGY_GRAPH = GRAPH + "_ontology"
CURATION_GRAPH = GRAPH + "_curation"  # merge links, asserted facts and the record of every curation
CURATION_SOURCE = BASE + "curation"  # the curation file, as the source of asserted facts

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {
    "msme": MSME,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "oa": OA,
}

# extraction predicate (SCHEMA.md) -> ontology property local name
PREDICATE_PROPERTY = {
    "attended": "attended",
    "spoke_at": "spokeAt",
    "chaired": "chaired",
    "moderated": "moderated",
    "organised": "organised",
    "sponsored": "sponsored",
    "reported_on": "reportedOn",
    "partner_of": "partnerOf",
    "member_of": "memberOf",
    "affiliated_with": "affiliatedWith",
    "holds_role_at": "holdsRoleAt",
    "launched": "launched",
    "presented_at": "presentedAt",
    "part_of": "partOf",
    "located_in": "locatedIn",
}
PROPERTY_PREDICATE = {v: k for k, v in PREDICATE_PROPERTY.items()}

# entity type -> ontology class local name
TYPE_CLASS = {
    "person": "Person",
    "organisation": "Organisation",
    "economy": "Economy",
    "initiative": "Initiative",
    "event": "Event",
}
CLASS_TYPE = {v: k for k, v in TYPE_CLASS.items()}

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def term_value(term: NamedNode | BlankNode | Literal | Triple) -> str:
    """The string of a term: an IRI, a blank node's id or a literal's lexical form (a quoted triple as written).

    >>> term_value(NamedNode("http://ex.org/a")), term_value(Literal("1.0"))
    ('http://ex.org/a', '1.0')
    """
    return str(term) if isinstance(term, Triple) else term.value


def msme(local: str) -> NamedNode:
    return NamedNode(MSME + local)


def entity_iri(entity_id: str) -> NamedNode:
    """The IRI of an entity from its short id.

    >>> entity_iri("org-world-trade-organization").value
    'https://w3id.org/msme-kg/id/org-world-trade-organization'
    """
    if not _ID_RE.match(entity_id):
        raise ValueError(f"not a valid entity id: {entity_id!r}")
    return NamedNode(ID + entity_id)


def short_id(iri: str) -> str:
    """The short id of one of our IRIs (the last path segment); other IRIs unchanged."""
    for base in (ID, DOC, GRAPH):
        if iri.startswith(base):
            return iri[len(base) :]
    return iri


def graph_iri(doc_id: str) -> NamedNode:
    """The named graph holding one document's facts and provenance."""
    return NamedNode(GRAPH + doc_id)


def document_iri(doc_id: str) -> NamedNode:
    return NamedNode(DOC + doc_id)
