"""The SPARQL-server backend against a tiny SPARQL 1.1 server on 127.0.0.1 (pyoxigraph behind http.server).

The same store functions run on both backends; Virtuoso itself is tested in tests/integration.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Variable,
    parse,
)

from graph import vocab
from graph.errors import QueryError, StoreError
from graph.rdf.map import extraction_quads
from graph.settings import Settings
from graph.sparql.execute import SparqlRequest, execute
from graph.sparql.queries import load_queries
from graph.store.core import (
    count_quads,
    document_graphs,
    graph_sha256,
    load_ontology,
    open_backend,
    remove_graph,
    replace_graph,
    run_query,
)
from graph.store.sparql_server import SparqlStore, bind_values
from graph.tools.synth import SYNTH_TIME, synth_documents


class _Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol (POST form) and Graph Store Protocol (PUT/POST ?graph=) over one Store."""

    store: Store

    def log_message(self, *args) -> None:
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _send(self, code: int, body: bytes = b"", media: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        url = urllib.parse.urlparse(self.path)
        if url.path == "/gsp":
            return self._graph_store(url, replace=False)
        form = urllib.parse.parse_qs(self._body().decode())
        try:
            if "update" in form:
                self.store.update(form["update"][0])
                return self._send(204)
            dataset: dict = ({"default_graph": [NamedNode(g) for g in form["default-graph-uri"]]}
                             if "default-graph-uri" in form else {"use_default_graph_as_union": True})
            if "named-graph-uri" in form:
                dataset["named_graphs"] = [NamedNode(g) for g in form["named-graph-uri"]]
            result = self.store.query(form["query"][0], **dataset)
        except SyntaxError as err:
            return self._send(400, str(err).encode())
        if isinstance(result, QuerySolutions | QueryBoolean):
            return self._send(200, result.serialize(format=QueryResultsFormat.JSON), "application/sparql-results+json")
        return self._send(200, result.serialize(format=RdfFormat.N_TRIPLES), "application/n-triples")

    def do_PUT(self) -> None:
        self._graph_store(urllib.parse.urlparse(self.path), replace=True)

    def _graph_store(self, url, *, replace: bool) -> None:
        graph = NamedNode(urllib.parse.parse_qs(url.query)["graph"][0])
        triples = list(parse(self._body(), format=RdfFormat.N_TRIPLES))
        if replace:
            self.store.remove_graph(graph) if self.store.contains_named_graph(graph) else None
        self.store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        self._send(201 if replace else 204)


@pytest.fixture
def server() -> Iterator[tuple[str, Store]]:
    store = Store()
    handler = type("Handler", (_Handler,), {"store": store})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", store
    httpd.shutdown()
    httpd.server_close()


def _load_both(remote: SparqlStore, n: int = 4) -> tuple[Store, list]:
    local = Store()
    docs = list(synth_documents(n, seed=11))
    for doc, extraction in docs:
        quads = extraction_quads(doc, extraction, SYNTH_TIME)
        replace_graph(local, vocab.graph_iri(doc.id), quads)
        replace_graph(remote, vocab.graph_iri(doc.id), quads)
    load_ontology(local)
    load_ontology(remote)
    return local, docs


def _rows(results) -> list[tuple]:
    names = [v.value for v in results.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in results)


@pytest.mark.server
@pytest.mark.parametrize("use_gsp", [True, False])
def test_same_answers_as_the_embedded_store(server, use_gsp):
    url, _ = server
    remote = SparqlStore(url + "/sparql", url + "/sparql", url + "/gsp" if use_gsp else None, chunk=50)
    local, docs = _load_both(remote)
    assert count_quads(remote) == count_quads(local) > 4 * 500
    assert document_graphs(remote) == document_graphs(local) == sorted(d.id for d, _ in docs)
    assert graph_sha256(remote, docs[1][0].id) == docs[1][0].sha256
    assert graph_sha256(remote, "no-such-doc") is None
    event = vocab.entity_iri(docs[0][1].events[0].id)
    for name, query in load_queries().items():
        bindings = {"event": event} if any(p.name == "event" for p in query.params) else {}
        if any(p.name not in bindings and not p.optional for p in query.params):
            continue
        assert _rows(run_query(remote, query.text, bindings)) == _rows(run_query(local, query.text, bindings)), name


@pytest.mark.server
def test_replacing_a_document_replaces_its_graph_whole(server):
    url, _ = server
    remote = SparqlStore(url + "/sparql", url + "/sparql", None, chunk=3)
    g = vocab.graph_iri("doc-x")
    p = NamedNode("http://ex.org/p")
    replace_graph(remote, g, [Quad(NamedNode(f"http://ex.org/s{i}"), p, Literal(str(i)), g) for i in range(10)])
    replace_graph(remote, g, [Quad(NamedNode("http://ex.org/s"), p, Literal("new"), g)])
    assert count_quads(remote, g) == 1


@pytest.mark.server
def test_bound_values_are_data_never_query_text(server):
    url, store = server
    remote = SparqlStore(url + "/sparql", url + "/sparql")
    g = vocab.graph_iri("doc-y")
    s, p = NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p")
    nasty = '" } } ; DROP ALL ; INSERT DATA { <http://ex.org/a> <http://ex.org/b> "c" } #\n\\'
    replace_graph(remote, g, [Quad(s, p, Literal(nasty), g)])
    before = len(store)
    rows = list(run_query(remote, "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": Literal(nasty)}))
    assert [r["s"] for r in rows] == [s]
    assert list(run_query(remote, "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": Literal(nasty + "x")})) == []
    assert len(store) == before


def test_values_bound_in_the_where_clause_match_substitutions():
    local = Store()
    docs = list(synth_documents(3, seed=12))
    for doc, extraction in docs:
        local.extend(extraction_quads(doc, extraction, SYNTH_TIME))
    load_ontology(local)
    query = load_queries()["event-participants"].text
    subs = {Variable("event"): vocab.entity_iri(docs[0][1].events[1].id)}
    expected = _rows(local.query(query, substitutions=subs, use_default_graph_as_union=True))
    assert expected
    assert _rows(local.query(bind_values(query, subs), use_default_graph_as_union=True)) == expected


def test_a_query_that_does_not_parse_never_leaves_the_process():
    remote = SparqlStore("http://127.0.0.1:9/sparql")  # nothing listens there
    with pytest.raises(QueryError):
        run_query(remote, "SELECT ?s WHERE { ?s ")
    with pytest.raises(StoreError):
        run_query(remote, "SELECT ?s WHERE { ?s ?p ?o }")


def test_settings_select_the_backend(tmp_path):
    remote = open_backend(Settings(backend="sparql", sparql_query_url="http://127.0.0.1:9/q",
                                   sparql_update_url="http://127.0.0.1:9/u", sparql_gsp_url="http://127.0.0.1:9/g"))
    assert isinstance(remote, SparqlStore) and remote.update_url.endswith("/u") and remote.gsp_url.endswith("/g")
    reader = open_backend(Settings(backend="sparql", sparql_query_url="http://127.0.0.1:9/q"), read_only=True)
    assert reader.update_url is None
    assert isinstance(open_backend(Settings(store=tmp_path / "s")), Store)
    with pytest.raises(StoreError):
        open_backend(Settings(backend="sparql"))


@pytest.mark.server
def test_the_sparql_endpoint_runs_on_a_server_backend_with_the_union_as_default_graph(server):
    url, _ = server
    remote = SparqlStore(url + "/sparql", url + "/sparql", url + "/gsp")
    local, _ = _load_both(remote, n=2)
    query = "SELECT ?name WHERE { ?e a msme:Person ; rdfs:label ?name } ORDER BY ?name"
    answers = [execute(store, SparqlRequest(query, result_types=("text/csv",))) for store in (remote, local)]
    assert answers[0].body == answers[1].body and answers[0].rows > 0
    with pytest.raises(QueryError, match="not supported with a SPARQL server"):
        execute(remote, SparqlRequest(query, result_types=("text/csv",), default_graphs=(vocab.GRAPH + "x",)))


@pytest.mark.server
def test_removing_a_document_keeps_the_union_of_the_others_on_both_backends(server):
    url, _ = server
    remote = SparqlStore(url + "/sparql", url + "/sparql")
    for store in (remote, Store()):
        shared = Quad(NamedNode("http://ex.org/s"), NamedNode(vocab.RDFS + "label"), Literal("both"))
        own = Quad(NamedNode("http://ex.org/t"), NamedNode(vocab.RDFS + "label"), Literal("one"))
        a, b = vocab.graph_iri("doc-a"), vocab.graph_iri("doc-b")
        replace_graph(store, a, [Quad(*shared.triple, a), Quad(*own.triple, a)])
        replace_graph(store, b, [Quad(*shared.triple, b)])
        remove_graph(store, a)
        labels = sorted(r["l"].value for r in run_query(store, "SELECT ?l WHERE { ?s rdfs:label ?l }"))
        assert labels == ["both"], type(store).__name__
        assert count_quads(store) == 1
