"""The Linked-Data face of the graph: what an IRI of ours describes, the ontology's documentation, VoID.

Every IRI the graph mints starts with ``https://w3id.org/msme-kg/`` (:data:`graph.vocab.BASE`);
the rest of it is the path the server answers it under (``id/...`` entities and statements,
``doc/...`` documents, ``graph/...`` document graphs, ``ns#...`` classes and properties), so a
w3id redirect of that prefix to the server (or the ``public_base`` setting, for a server that
mints its own) makes every IRI resolve.

The descriptions are read with pattern look-ups by IRI (no query text is built from input):
an entity's own triples, the triples that point at it, and the qualified statements about it
with their evidence and its selectors — where each fact comes from travels with it.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions, Triple

from graph import vocab
from graph.settings import ONTOLOGY_DIR
from graph.store.core import backend, default_graph_as_union
from graph.store.protocol import Store

RDF_TYPE = NamedNode(vocab.RDF + "type")
_SUBJECT = NamedNode(vocab.RDF + "subject")
_OBJECT = NamedNode(vocab.RDF + "object")
_EVIDENCE = vocab.msme("evidence")
_SELECTOR = NamedNode(vocab.OA + "hasSelector")
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
ONTOLOGY_IRI = vocab.BASE + "ns"


def local_path(iri: str, public_base: str = vocab.BASE) -> str | None:
    """The server path an IRI of ours is answered under, or None for someone else's IRI.

    >>> local_path("https://w3id.org/msme-kg/id/org-itc")
    '/id/org-itc'
    >>> local_path("https://w3id.org/msme-kg/ns#Person")
    '/ns'
    """
    if not iri.startswith(public_base):
        return None
    return "/" + iri[len(public_base):].split("#", maxsplit=1)[0]


def _in_default(store: Store, s: NamedNode | None = None, p: NamedNode | None = None,
                o: NamedNode | None = None) -> Iterable[Triple]:
    """Triples of "all documents": the stored union, or (an older store without it) every graph, once each."""
    if default_graph_as_union(store):
        yield from dict.fromkeys(q.triple for q in store.quads_for_pattern(s, p, o, None))
        return
    for quad in store.quads_for_pattern(s, p, o, backend(store).union_graph):
        yield quad.triple


def exists(store: Store, iri: NamedNode) -> bool:
    return any(True for _ in _in_default(store, iri)) or any(True for _ in _in_default(store, None, None, iri))


def graph_exists(store: Store, iri: NamedNode) -> bool:
    """Whether the store holds a named graph of that name with any triple in it."""
    return any(True for _ in store.quads_for_pattern(None, None, None, iri))


def describe(store: Store, iri: NamedNode, *, limit: int = 100_000) -> list[Triple]:
    """The triples about ``iri``: its own, those pointing at it, its statements with their evidence.

    At most ``limit`` triples (a hub of a very large graph is cut, its own triples first).
    """
    seen: set[Triple] = set()
    out: list[Triple] = []

    def add(triples: Iterable[Triple]) -> None:
        for t in triples:
            if len(out) >= limit:
                return
            if t not in seen:
                seen.add(t)
                out.append(t)

    def evidence_of(node: NamedNode) -> None:
        own = list(_in_default(store, node))
        add(own)
        for t in own:
            if t.predicate == _EVIDENCE and isinstance(t.object, NamedNode):
                ev = list(_in_default(store, t.object))
                add(ev)
                for e in ev:
                    if e.predicate == _SELECTOR and isinstance(e.object, NamedNode):
                        add(_in_default(store, e.object))

    evidence_of(iri)
    incoming = list(_in_default(store, None, None, iri))
    add(incoming)
    for t in incoming:
        if t.predicate in (_SUBJECT, _OBJECT) and isinstance(t.subject, NamedNode):
            evidence_of(t.subject)
    return out


def types_of(store: Store, iri: NamedNode) -> set[str]:
    return {t.object.value for t in _in_default(store, iri, RDF_TYPE) if isinstance(t.object, NamedNode)}


# -- VoID ---------------------------------------------------------------------------------------

def _rows(store: Store, query: str) -> list[tuple[Any, ...]]:
    """All rows of a SELECT as tuples of terms (the result iterator is let go here, on this thread)."""
    results = store.query(query, use_default_graph_as_union=default_graph_as_union(store))
    if not isinstance(results, QuerySolutions):
        raise TypeError("a SELECT query was expected")
    rows = [tuple(row) for row in results]
    del results
    return rows


def void_triples(store: Store, dataset: str, sparql: str, lookup: str, ontology: str) -> list[Triple]:
    """A VoID description of the default graph: sizes, and counts per class and per property."""
    d = NamedNode(dataset)
    base = dataset.split("#", maxsplit=1)[0]
    v = lambda local: NamedNode(VOID + local)  # noqa: E731
    count = lambda n: Literal(str(n), datatype=NamedNode(vocab.XSD + "integer"))  # noqa: E731
    total, subjects, objects = _rows(store, "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) "
                                            "(COUNT(DISTINCT ?o) AS ?o_) WHERE { ?s ?p ?o }")[0]
    triples = [
        Triple(d, RDF_TYPE, v("Dataset")),
        Triple(d, NamedNode(DCTERMS + "title"), Literal("msme-kg: MSME trade policy knowledge graph", language="en")),
        Triple(d, v("sparqlEndpoint"), NamedNode(sparql)),
        Triple(d, v("uriLookupEndpoint"), NamedNode(lookup)),
        Triple(d, v("uriSpace"), Literal(vocab.BASE)),
        Triple(d, v("vocabulary"), NamedNode(ontology)),
        Triple(d, v("triples"), count(total.value)),
        Triple(d, v("distinctSubjects"), count(subjects.value)),
        Triple(d, v("distinctObjects"), count(objects.value)),
    ]
    partitions: list[Triple] = []
    classes = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c")
    properties = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")
    for kind, rows, key, size in (("classPartition", classes, "class", "entities"),
                                  ("propertyPartition", properties, "property", "triples")):
        for term, n in rows:
            if not isinstance(term, NamedNode):
                continue
            part = NamedNode(f"{base}#{key}-{hashlib.sha1(term.value.encode()).hexdigest()[:12]}")
            triples.append(Triple(d, v(kind), part))
            partitions += [Triple(part, v(key), term), Triple(part, v(size), count(n.value))]
    return triples + partitions  # the dataset's triples first, then each partition's: grouped in Turtle


# -- the ontology's documentation -----------------------------------------------------------------

@dataclass
class Term:
    iri: str
    label: str = ""
    comment: str = ""
    kinds: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # our own super-classes / super-properties
    alignments: list[str] = field(default_factory=list)  # the same, in other vocabularies
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)


@dataclass
class Shape:
    iri: str
    targets: list[str]
    properties: list[dict[str, str]]


@dataclass
class OntologyDoc:
    title: str
    description: str
    version: str
    classes: list[Term]
    properties: list[Term]
    shapes: list[Shape]
    prefixes: dict[str, str]


@cache
def ontology_doc(directory: Path = ONTOLOGY_DIR) -> OntologyDoc:
    """Classes, properties (domains, ranges, alignments) and SHACL shapes of ontology/ (read once)."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    g = rdflib.Graph()
    g.parse(directory / "msme.ttl", format="turtle")
    shapes_graph = rdflib.Graph()
    if (directory / "shapes.ttl").exists():
        shapes_graph.parse(directory / "shapes.ttl", format="turtle")
    ours = vocab.MSME
    onto = rdflib.URIRef(ONTOLOGY_IRI)

    def text(s: rdflib.term.Node, p: rdflib.term.Node) -> str:
        values = [str(o) for o in g.objects(s, p)]
        return values[0] if values else ""

    def term(s: rdflib.term.Node) -> Term:
        t = Term(str(s), text(s, RDFS.label), text(s, RDFS.comment))
        t.kinds = sorted(str(o).split("#")[-1] for o in g.objects(s, RDF.type))
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty):
            for o in g.objects(s, p):
                (t.parents if str(o).startswith(ours) else t.alignments).append(str(o))
        t.domains = sorted(str(o) for o in g.objects(s, RDFS.domain))
        t.ranges = sorted(str(o) for o in g.objects(s, RDFS.range))
        t.inverse = sorted(str(o) for o in g.objects(s, OWL.inverseOf))
        return t

    classes = sorted({s for s in g.subjects(RDF.type, OWL.Class) if str(s).startswith(ours)}, key=str)
    props = sorted({s for k in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
                    for s in g.subjects(RDF.type, k) if str(s).startswith(ours)}, key=str)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = []
    for s in sorted(set(shapes_graph.subjects(RDF.type, sh.NodeShape)), key=str):
        rows = []
        for bnode in shapes_graph.objects(s, sh.property):
            row = {str(p).split("#")[-1]: str(o) for p, o in shapes_graph.predicate_objects(bnode)}
            rows.append(row)
        shapes.append(Shape(str(s), sorted(str(o) for o in shapes_graph.objects(s, sh.targetClass)),
                            sorted(rows, key=lambda r: r.get("path", ""))))
    return OntologyDoc(
        title=str(g.value(onto, RDFS.label) or "msme-kg ontology"),
        description=str(g.value(onto, rdflib.URIRef(DCTERMS + "description")) or ""),
        version=str(g.value(onto, OWL.versionInfo) or ""),
        classes=[term(s) for s in classes],
        properties=[term(s) for s in props],
        shapes=shapes,
        prefixes={prefix: str(ns) for prefix, ns in g.namespaces() if prefix},
    )


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """``msme:Person`` for an IRI under a known prefix (the longest namespace wins), else the IRI."""
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def _link(iri: str, prefixes: dict[str, str]) -> str:
    name = html.escape(curie(iri, prefixes))
    if iri.startswith(vocab.MSME):
        return f'<a href="#{html.escape(iri[len(vocab.MSME):])}"><code>{name}</code></a>'
    return f'<a href="{html.escape(iri)}" rel="external"><code>{name}</code></a>'


def _links(iris: list[str], prefixes: dict[str, str]) -> str:
    return ", ".join(_link(i, prefixes) for i in iris) or "—"


def _term_section(t: Term, prefixes: dict[str, str], *, property_: bool) -> str:
    local = html.escape(t.iri[len(vocab.MSME):])
    rows = [("IRI", f"<code>{html.escape(t.iri)}</code>"),
            ("type", html.escape(", ".join(t.kinds)))]
    rows.append(("sub-property of" if property_ else "sub-class of", _links(t.parents, prefixes)))
    rows.append(("aligned to", _links(t.alignments, prefixes)))
    if property_:
        rows += [("domain", _links(t.domains, prefixes)), ("range", _links(t.ranges, prefixes))]
        if t.inverse:
            rows.append(("inverse of", _links(t.inverse, prefixes)))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    comment = f"<p>{html.escape(t.comment)}</p>" if t.comment else ""
    label = html.escape(t.label or local)
    return f'<section class="term" id="{local}"><h3>{label} <small><code>msme:{local}</code></small></h3>' \
           f"{comment}<table>{body}</table></section>"


def _shape_section(s: Shape, prefixes: dict[str, str]) -> str:
    local = html.escape(curie(s.iri, prefixes))
    keys = ("path", "minCount", "maxCount", "datatype", "class", "in", "pattern", "message")
    head = "".join(f"<th>{k}</th>" for k in keys)
    rows = "".join("<tr>" + "".join(
        f"<td>{_link(r[k], prefixes) if k in ('path', 'datatype', 'class') and k in r else html.escape(r.get(k, ''))}"
        "</td>" for k in keys) + "</tr>" for r in s.properties)
    return (f'<section class="shape"><h3><code>{local}</code></h3><p>targets: {_links(s.targets, prefixes)}</p>'
            f"<table><tr>{head}</tr>{rows}</table></section>")


def ontology_html(doc: OntologyDoc) -> str:
    """The inside of the ontology page: contents, classes, properties, shapes (all from ontology/)."""
    p = doc.prefixes
    toc_classes = ", ".join(_link(t.iri, p) for t in doc.classes)
    toc_props = ", ".join(_link(t.iri, p) for t in doc.properties)
    prefix_rows = "".join(f"<tr><td><code>{html.escape(k)}:</code></td><td><code>{html.escape(v)}</code></td></tr>"
                          for k, v in sorted(p.items()))
    return "\n".join([
        f'<h1>{html.escape(doc.title)}</h1>',
        f"<p>{html.escape(doc.description)}</p>",
        f"<p>IRI <code>{ONTOLOGY_IRI}</code> · version {html.escape(doc.version)} · "
        '<a href="/ns?format=ttl">Turtle</a> · <a href="/ns?format=jsonld">JSON-LD</a> · '
        '<a href="/ns?format=nt">N-Triples</a> · <a href="/.well-known/void">VoID</a></p>',
        f"<nav><p><strong>Classes:</strong> {toc_classes}</p><p><strong>Properties:</strong> {toc_props}</p></nav>",
        f"<h2 id=\"classes\">Classes ({len(doc.classes)})</h2>",
        *[_term_section(t, p, property_=False) for t in doc.classes],
        f"<h2 id=\"properties\">Properties ({len(doc.properties)})</h2>",
        *[_term_section(t, p, property_=True) for t in doc.properties],
        f"<h2 id=\"shapes\">SHACL shapes ({len(doc.shapes)})</h2>",
        *[_shape_section(s, p) for s in doc.shapes],
        f"<h2 id=\"prefixes\">Prefixes</h2><table>{prefix_rows}</table>",
    ])
