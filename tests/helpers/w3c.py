"""Read the W3C SPARQL 1.1 test manifests (tests/data/w3c, unchanged copies) and play their HTTP requests.

The Protocol and Graph Store Protocol manifests describe each test as a list of HTTP requests
(W3C HTTP-in-RDF vocabulary: method, path, headers, body) and what each response must be
(status class or code, result format, ASK value, Location header, an RDF body). :func:`play`
sends them, in order, to a live server and returns the first mismatch, or None.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic

W3C = Path(__file__).resolve().parents[1] / "data" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
# the named status codes the manifests use
STATUS_CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}


@dataclass
class Expected:
    statuses: list[str]
    format: str | None = None
    boolean: bool | None = None
    location_variable: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass
class ManifestTest:
    name: str
    local: str
    requests: list[HttpRequest]
    graph_data: list[tuple[Path, str]]  # (file, graph IRI) loaded before the requests


def _list(g: rdflib.Graph, head) -> list:
    return list(Collection(g, head)) if head is not None else []


def _body(g: rdflib.Graph, node) -> tuple[str | None, str]:
    body = g.value(node, HT.body)
    if body is None:
        return None, "UTF-8"
    return str(g.value(body, CNT.chars)), str(g.value(body, CNT.characterEncoding) or "UTF-8")


def _headers(g: rdflib.Graph, node) -> dict[str, str]:
    return {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
            for h in _list(g, g.value(node, HT.headers))}


def load(manifest: Path, *, unlisted: bool = False) -> list[ManifestTest]:
    """The tests of a manifest (and of the manifests it includes), in the manifest's order.

    ``unlisted``: also the tests a manifest describes but leaves out of its ``mf:entries`` list
    (manifest-direct.ttl describes head_non_existing_direct without listing it), after the listed ones.
    """
    g = rdflib.Graph()
    g.parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = next(g.subjects(RDF.type, MF.Manifest))
    tests: list[ManifestTest] = []
    for included in _list(g, g.value(root, MF.include)):
        tests += load(Path(str(included).removeprefix("file://")), unlisted=unlisted)
    listed = _list(g, g.value(root, MF.entries))
    if unlisted:
        described = {s for s in g.subjects(MF.action, None) if (s, RDF.type, None) in g}
        listed += sorted(described - set(listed), key=str)
    for test in listed:
        action = g.value(test, MF.action)
        requests = []
        for req in _list(g, g.value(action, HT.requests)):
            chars, encoding = _body(g, req)
            resp = g.value(req, HT.resp)
            resp_chars, _ = _body(g, resp)
            location = g.value(resp, MF.expectedLocation)
            requests.append(HttpRequest(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=_headers(g, req),
                body=None if chars is None else chars.encode(encoding),
                expected=Expected(
                    statuses=sorted(str(s).split("#")[-1] for s in g.objects(resp, MF.expectedStatus)),
                    format=str(g.value(resp, MF.expectedFormat)) if g.value(resp, MF.expectedFormat) else None,
                    boolean=g.value(resp, MF.expectedBoolean).toPython() if g.value(resp, MF.expectedBoolean)
                    is not None else None,
                    location_variable=str(location) if location is not None else None,
                    headers=_headers(g, resp),
                    body=resp_chars,
                ),
            ))
        data = [(Path(str(g.value(d, UT.graph)).removeprefix("file://")), str(g.value(d, RDFS.label)))
                for d in g.objects(test, UT.graphData)]
        tests.append(ManifestTest(str(g.value(test, MF.name)), str(test).split("#")[-1], requests, data))
    return tests


def status_ok(code: int, expected: list[str]) -> bool:
    for name in expected:
        m = re.fullmatch(r"StatusCode(\d)xx", name)
        if (m and code // 100 == int(m.group(1))) or STATUS_CODES.get(name) == code:
            return True
    return False


def _boolean(response: httpx.Response) -> bool | None:
    media = response.headers.get("content-type", "").split(";")[0]
    if media == "application/sparql-results+json":
        return response.json().get("boolean")
    if media == "application/sparql-results+xml":
        found = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if found is None else found.text.strip() == "true"
    if media in ("text/csv", "text/tab-separated-values"):
        return response.text.strip().splitlines()[-1].strip() == "true"
    return None


def _graph(text: str | bytes, media: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=text, format=RDF_TYPES[media])
    return g


def check_response(response: httpx.Response, expected: Expected) -> str | None:
    """What differs between a response and what the manifest expects (None: nothing)."""
    if not status_ok(response.status_code, expected.statuses):
        return f"status {response.status_code}, expected {expected.statuses}: {response.text[:300]}"
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if expected.format == "boolean" or expected.boolean is not None:
        if media not in RESULT_TYPES[:2] + RESULT_TYPES[2:]:
            return f"a boolean result in {media!r}"
        value = _boolean(response)
        if expected.boolean is not None and value is not expected.boolean:
            return f"ASK answered {value}, expected {expected.boolean}"
    elif expected.format == "tabular":
        if media not in RESULT_TYPES:
            return f"a SELECT result in {media!r}"
        if media == "application/sparql-results+json":
            json.loads(response.content)
    elif expected.format == "RDF":
        if media not in RDF_TYPES:
            return f"an RDF result in {media!r}"
        _graph(response.content, media)
    for name, value in expected.headers.items():
        got = response.headers.get(name, "")
        if [p.strip().lower() for p in got.split(";")] != [p.strip().lower() for p in value.split(";")]:
            return f"header {name}: {got!r}, expected {value!r}"
    if expected.body is not None:
        want = _graph(expected.body, expected.headers.get("content-type", "text/turtle").split(";")[0].strip())
        got_graph = _graph(response.content, media)
        if not isomorphic(want, got_graph):
            return f"graph not isomorphic to the expected one:\n{response.text[:500]}"
    return None


def play(client: httpx.Client, test: ManifestTest, *, prefix: str, endpoint: str, token: str) -> str | None:
    """Send a test's requests in order; the first mismatch as text, or None when all answered as expected.

    ``prefix`` is the manifest's path prefix (``/sparql/`` or ``/gsp``), replaced by ``endpoint``;
    every request carries the update token (the manifests assume a server that takes updates).
    """
    variables: dict[str, str] = {}
    for i, req in enumerate(test.requests, 1):
        path = req.path
        body = req.body
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name.encode(), value.encode()) if body is not None else None
        path = endpoint + path[len(prefix):] if path.startswith(prefix) else path
        headers = {**req.headers, "authorization": f"Bearer {token}"}
        response = client.request(req.method, path, headers=headers, content=body)
        problem = check_response(response, req.expected)
        if problem:
            return f"request {i} ({req.method} {path}): {problem}"
        if req.expected.location_variable:
            if "location" not in response.headers:
                return f"request {i}: no Location header"
            variables[req.expected.location_variable] = response.headers["location"]
    return None
