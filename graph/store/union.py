"""The union of the documents: every triple of every document graph, once, kept beside them by each write.

Queries ask for "all documents" as their default graph. Oxigraph's ``use_default_graph_as_union``
is a *bag* union: an entity named in k documents has its label k times, and a pattern of n such
triples yields k**n rows (people.rq went 535x slower for 10x the data). So each backend keeps the
*set* union itself, in the same transaction as the write where it can: the embedded store in
its default graph, a SPARQL server in the named graph :data:`UNION_GRAPH`. Triples holding a
blank node (only the SHACL shapes have any) stay in their named graph alone.

The SPARQL texts that keep it are here, written once for both backends.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Triple

from graph import vocab

UNION_GRAPH = NamedNode(vocab.BASE + "union")  # where a SPARQL server keeps the union
NO_BLANK = "FILTER(!isBlank(?s) && !isBlank(?o))"


def in_union(triple: Triple) -> bool:
    """Whether a triple goes into the union: it holds no blank node."""
    return not isinstance(triple.subject, BlankNode) and not isinstance(triple.object, BlankNode)


def unionable(triples: Iterable[Triple]) -> list[Triple]:
    """The triples that go into the union."""
    return [t for t in triples if in_union(t)]


def unshare(graph: NamedNode, union: NamedNode | DefaultGraph) -> str:
    """An update removing from ``union`` the triples of ``graph`` that no other document graph holds.

    >>> unshare(NamedNode("http://g"), DefaultGraph()).startswith("DELETE { ?s ?p ?o } WHERE { GRAPH <http://g>")
    True
    >>> "DELETE { GRAPH <http://u> { ?s ?p ?o } }" in unshare(NamedNode("http://g"), NamedNode("http://u"))
    True
    """
    if isinstance(union, DefaultGraph):
        target, others = "?s ?p ?o", f"FILTER(?other != {graph})"
    else:
        target, others = f"GRAPH {union} {{ ?s ?p ?o }}", f"FILTER(?other != {graph} && ?other != {union})"
    return (f"DELETE {{ {target} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} {others} }} }}")
