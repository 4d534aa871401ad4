"""The SPARQL 1.1 Protocol endpoint, as users of Fuseki or Oxigraph server expect it.

- query by GET / HEAD ``?query=``, POST form (``query=``) or POST ``application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri`` give the dataset (either alone leaves the other
  part empty, as the Protocol says; neither: the union of the document graphs);
- answers in the format the Accept header prefers (406 when none fits), or the one a
  ``format=`` / ``output=`` parameter names (json, xml, csv, tsv, ttl, nt, jsonld, rdfxml: plain
  download links, as Fuseki takes them);
- the request is read, checked (size, nesting, SERVICE / LOAD) and run in a worker process that
  is killed when it outlives ``query_timeout`` (503), grows past its memory limit (503), or its
  client goes away; answers are capped at ``max_rows`` rows and ``max_answer_bytes`` bytes
  (header ``X-Result-Truncated``); at most ``max_queue`` requests wait for a worker, the next
  ones get 503 + Retry-After at once;
- relative IRIs resolve against the endpoint's URL (the Protocol's "service-defined BASE");
- updates (POST form ``update=`` or ``application/sparql-update``, with ``using-graph-uri`` /
  ``using-named-graph-uri``) only with the server's update token as ``Authorization: Bearer``,
  compared in constant time (401 + WWW-Authenticate otherwise; 403 on a server without one),
  run by the writer process with ``update_timeout``;
- bodies are UTF-8: another charset is refused (415);
- GET without ``query``: the service description; OPTIONS: the methods (and CORS, when enabled).
"""

from __future__ import annotations

import asyncio
import hmac
import threading
import time
from functools import partial
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, HTTPException, Request, Response
from pyoxigraph import BlankNode, NamedNode, Quad, serialize

from api.deps import RunnerDep, SettingsDep
from api.negotiation import preferred
from graph.errors import NotAcceptable, ServerBusy, Unauthorized, UnsupportedMediaType, UpdateRefused
from graph.settings import Settings
from graph.sparql.execute import (
    GRAPH_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    Limits,
    SparqlAnswer,
    SparqlRequest,
    SparqlUpdate,
)
from graph.sparql.workers import QueryRunner
from graph.sparql.workers import Request as Request_

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
ALLOW = "GET, HEAD, POST, OPTIONS"
WATCH_AFTER = 0.1  # seconds a request runs before it watches for its client going away
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}
# format= / output= values -> (media type for SELECT/ASK, media type for CONSTRUCT/DESCRIBE)
FORMAT_PARAMETER: dict[str, tuple[str | None, str | None]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "ttl": (None, "text/turtle"),
    "turtle": (None, "text/turtle"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
}


def media_type_of(request: Request) -> str:
    """The request's media type; a charset other than UTF-8 is refused (415)."""
    header = request.headers.get("content-type", "")
    media, *params = [part.strip() for part in header.split(";")]
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"the request body must be UTF-8, not {value.strip()!r}")
    return media.lower()


def _fields(body: bytes) -> dict[str, list[str]]:
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as err:
        raise HTTPException(400, "the form body is not UTF-8") from err


def _one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise HTTPException(400, f"more than one {name!r} parameter")
    return values[0]


def url_fields(request: Request) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        fields.setdefault(key, []).append(value)
    return fields


async def _read(request: Request) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, parameters) from any of the Protocol's request forms."""
    fields = url_fields(request)
    if request.method in ("GET", "HEAD"):
        if "update" in fields:
            raise HTTPException(400, "updates must be sent by POST")
        return _one(fields, "query"), None, fields
    content_type = media_type_of(request)
    body = await request.body()
    if content_type == FORM:
        form = _fields(body)
        for key in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            form.setdefault(key, []).extend(fields.get(key, []))
        for key in ("format", "output"):
            form.setdefault(key, fields.get(key, []))
        return _one(form, "query"), _one(form, "update"), form
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HTTPException(400, "the request body is not UTF-8") from err
    if content_type == QUERY:
        return text, None, fields
    if content_type == UPDATE:
        return None, text, fields
    raise HTTPException(415, f"unsupported content type {content_type or '(none)'!r}; "
                             f"use {FORM}, {QUERY} or {UPDATE}")


def check_token(request: Request, settings: Settings) -> None:
    """Writes need the server's update token: 403 on a server without one, 401 for a missing or wrong one."""
    if not settings.update_token:
        raise UpdateRefused("updates are disabled: the server was started without an update token")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    ok = hmac.compare_digest(given.strip().encode(), settings.update_token.encode())
    if scheme.lower() != "bearer" or not ok:
        raise Unauthorized("updates need the server's update token (Authorization: Bearer ...)")


def endpoint_iri(request: Request) -> str:
    """This endpoint's URL without parameters: the base IRI of relative IRIs in requests."""
    return str(request.url.replace(query="", fragment=""))


def limits_of(settings: Settings) -> Limits:
    return Limits(max_rows=settings.max_rows, max_bytes=settings.max_answer_bytes,
                  max_depth=settings.max_query_depth, max_chars=settings.max_body_bytes,
                  allow_service=settings.allow_service, allow_load=settings.allow_load)


def service_description(endpoint: str, settings: Settings) -> list[Quad]:
    """The SPARQL 1.1 Service Description of this endpoint, as quads (default graph)."""
    s = NamedNode(endpoint)
    sd = lambda local: NamedNode(SD + local)  # noqa: E731
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    dataset, default = BlankNode(), BlankNode()
    quads = [
        Quad(s, rdf_type, sd("Service")),
        Quad(s, sd("endpoint"), s),
        Quad(s, sd("supportedLanguage"), sd("SPARQL11Query")),
        Quad(s, sd("feature"), sd("UnionDefaultGraph")),
        Quad(s, sd("defaultDataset"), dataset),
        Quad(dataset, rdf_type, sd("Dataset")),
        Quad(dataset, sd("defaultGraph"), default),
        Quad(default, rdf_type, sd("Graph")),
    ]
    if settings.update_token:
        quads.append(Quad(s, sd("supportedLanguage"), sd("SPARQL11Update")))
    quads += [Quad(s, sd("resultFormat"), NamedNode(FORMATS + name)) for name in _FORMAT_IRIS.values()]
    return quads


async def _watch_disconnect(request: Request, cancel: threading.Event) -> None:
    """Set ``cancel`` when the client closes the connection (the request body has been read)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            cancel.set()
            return


async def _until_done_or_gone(request: Request, answer: asyncio.Future, cancel: threading.Event) -> None:
    """Wait for ``answer``; if the client goes away first, set ``cancel`` (the worker is stopped) and wait on."""
    watcher = asyncio.ensure_future(_watch_disconnect(request, cancel))
    try:
        await asyncio.wait({answer, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            await asyncio.wait({answer})  # the runner sees ``cancel`` within a poll and stops the worker
    finally:
        watcher.cancel()


async def run_bounded(request: Request, runner: QueryRunner, req: Request_, timeout: float,
                      limiter: anyio.CapacityLimiter) -> SparqlAnswer:
    """Run ``req`` on ``runner`` with the server's bounds.

    At most ``max_queue`` requests wait for a worker (503 + Retry-After beyond), in the event loop,
    not in threads, so a burst of slow queries never takes the thread pool that /health and the
    REST routes use; the wait counts against the timeout. A request still running after
    :data:`WATCH_AFTER` seconds watches its connection: a client that goes away has its worker
    stopped. (Watching from the start cost 0.4 ms of CPU per request, a quarter of a small
    query's whole cost: bench/bench_sparql_endpoint.py.) A request the server cancels (shutdown)
    stops its worker too.
    """
    waiting = limiter.statistics().tasks_waiting
    if waiting >= request.app.state.settings.max_queue:
        raise ServerBusy(f"{waiting} requests are already waiting for a worker; try again shortly")
    deadline = time.monotonic() + timeout
    try:
        limiter.acquire_nowait()
    except anyio.WouldBlock:
        try:
            with anyio.fail_after(timeout):
                await limiter.acquire()
        except TimeoutError as err:
            raise ServerBusy(f"every worker stayed busy for {timeout:.3g} s") from err
    cancel = threading.Event()
    try:
        remaining = max(0.01, deadline - time.monotonic())
        answer = asyncio.get_running_loop().run_in_executor(None, partial(runner.run, req, remaining, cancel))
        done, _ = await asyncio.wait({answer}, timeout=WATCH_AFTER)
        if not done:
            await _until_done_or_gone(request, answer, cancel)
        return answer.result()
    except asyncio.CancelledError:
        cancel.set()  # the server is stopping this request: so does its worker
        raise
    finally:
        limiter.release()


def negotiated(request: Request, fields: dict[str, list[str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(result media types, graph media types) the client accepts, best first: format= first, else Accept."""
    name = _one(fields, "format") or _one(fields, "output")
    if name:
        if name.lower() not in FORMAT_PARAMETER:
            raise HTTPException(400, f"unknown format {name!r}; one of {', '.join(FORMAT_PARAMETER)}")
        results, graphs = FORMAT_PARAMETER[name.lower()]
        return ((results,) if results else ()), ((graphs,) if graphs else ())
    accept = request.headers.get("accept")
    return preferred(accept, tuple(RESULT_MEDIA_TYPES)), preferred(accept, tuple(GRAPH_MEDIA_TYPES))


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOW})


@router.head("/sparql", include_in_schema=False)
@router.api_route("/sparql", methods=["GET", "POST"], response_class=Response,
                  summary="SPARQL 1.1 Protocol: query (GET/POST), update (POST with token), service description",
                  responses={400: {"description": "malformed or too deeply nested request"},
                             401: {"description": "update without the right token"},
                             403: {"description": "updates disabled, or SERVICE / LOAD refused"},
                             406: {"description": "no acceptable format"}, 413: {"description": "body too large"},
                             415: {"description": "unsupported media type or charset"},
                             503: {"description": "timed out, out of memory, or server busy (Retry-After)"}})
async def sparql(request: Request, settings: SettingsDep, runner: RunnerDep) -> Response:
    query, update, fields = await _read(request)
    if query is not None and update is not None:
        raise HTTPException(400, "send either 'query' or 'update', not both")
    if update is not None:
        check_token(request, settings)
        req = SparqlUpdate(update, tuple(fields.get("using-graph-uri", [])),
                           tuple(fields.get("using-named-graph-uri", [])), endpoint_iri(request), limits_of(settings))
        state = request.app.state
        await run_bounded(request, state.writer, req, settings.update_timeout, state.writer_limiter)
        return Response(status_code=204)
    if query is None:
        if request.method in ("GET", "HEAD"):
            graph_types = preferred(request.headers.get("accept"), tuple(GRAPH_MEDIA_TYPES))
            if not graph_types:
                raise NotAcceptable("the service description is given in " + ", ".join(GRAPH_MEDIA_TYPES))
            body = serialize(service_description(endpoint_iri(request), settings),
                             format=GRAPH_MEDIA_TYPES[graph_types[0]], prefixes={"sd": SD, "formats": FORMATS})
            return Response(body, media_type=graph_types[0])
        raise HTTPException(400, "missing 'query' (or 'update') parameter")
    if not query.strip():
        raise HTTPException(400, "empty query")
    result_types, graph_types = negotiated(request, fields)
    if not result_types and not graph_types:
        raise NotAcceptable(f"cannot answer in {request.headers.get('accept')!r}; SELECT/ASK: "
                            f"{', '.join(RESULT_MEDIA_TYPES)}; CONSTRUCT/DESCRIBE: {', '.join(GRAPH_MEDIA_TYPES)}")
    select = SparqlRequest(
        query=query,
        result_types=result_types,
        graph_types=graph_types,
        default_graphs=tuple(fields.get("default-graph-uri", [])),
        named_graphs=tuple(fields.get("named-graph-uri", [])),
        max_rows=settings.max_rows,
        base_iri=endpoint_iri(request),
        limits=limits_of(settings),
    )
    answer = await run_bounded(request, runner, select, settings.query_timeout, request.app.state.sparql_limiter)
    headers = {"X-Result-Truncated": answer.cap or ""} if answer.truncated else None
    return Response(answer.body, media_type=answer.media_type, headers=headers)
