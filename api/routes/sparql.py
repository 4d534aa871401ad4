"""The SPARQL 1.1 Protocol endpoint, as users of Fuseki or Oxigraph server expect it.

- query by GET ``?query=``, POST form (``query=``) or POST ``application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri`` choose the dataset (default: the union of the
  document graphs);
- answers in the format the Accept header prefers (406 when none fits), serialised in a
  worker process that is killed when the query outlives ``query_timeout`` (503), and capped at
  ``max_rows`` rows (header ``X-Result-Truncated``);
- updates (POST form ``update=`` or ``application/sparql-update``) only with the server's
  update token as ``Authorization: Bearer``, compared in constant time; 403 otherwise;
- SERVICE and LOAD refused (403) unless enabled in the settings;
- GET without ``query``: the service description.
"""

from __future__ import annotations

import hmac
import time
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from pyoxigraph import BlankNode, NamedNode, Quad, Store, serialize

from api.deps import RunnerDep, SettingsDep
from api.negotiation import preferred
from graph.errors import NotAcceptable, QueryError, ServerBusy, StoreError, UpdateRefused
from graph.settings import Settings
from graph.sparql.execute import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, SparqlAnswer, SparqlRequest, check_features

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
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


async def _read(request: Request) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, parameters) from any of the Protocol's request forms."""
    url_fields: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        url_fields.setdefault(key, []).append(value)
    if request.method == "GET":
        if "update" in url_fields:
            raise HTTPException(400, "updates must be sent by POST")
        return _one(url_fields, "query"), None, url_fields
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type == FORM:
        fields = _fields(body)
        for key in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            fields.setdefault(key, []).extend(url_fields.get(key, []))
        return _one(fields, "query"), _one(fields, "update"), fields
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HTTPException(400, "the request body is not UTF-8") from err
    if content_type == QUERY:
        return text, None, url_fields
    if content_type == UPDATE:
        return None, text, url_fields
    raise HTTPException(415, f"unsupported content type {content_type or '(none)'!r}; "
                             f"use {FORM}, {QUERY} or {UPDATE}")


def _check_token(request: Request, settings: Settings) -> None:
    if not settings.update_token:
        raise UpdateRefused("updates are disabled: the server was started without an update token")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    ok = hmac.compare_digest(given.strip().encode(), settings.update_token.encode())
    if scheme.lower() != "bearer" or not ok:
        raise UpdateRefused("updates need the server's update token (Authorization: Bearer ...)")


def _update(store: Store, text: str) -> None:
    try:
        store.update(text)
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    except OSError as err:
        raise StoreError(f"cannot write the store: {err}") from err


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


async def _run_limited(request: Request, runner: RunnerDep, req: SparqlRequest, timeout: float) -> SparqlAnswer:
    """Run ``req`` with at most as many SPARQL threads as workers; the wait counts against the timeout.

    Waiting requests wait in the event loop, not in threads, so a burst of slow queries never
    takes the thread pool that /health and the REST routes use.
    """
    deadline = time.monotonic() + timeout
    limiter: anyio.CapacityLimiter = request.app.state.sparql_limiter
    try:
        with anyio.fail_after(timeout):
            await limiter.acquire()
    except TimeoutError as err:
        raise ServerBusy(f"every query worker stayed busy for {timeout:.3g} s") from err
    try:
        remaining = max(0.01, deadline - time.monotonic())
        return await anyio.to_thread.run_sync(runner.run, req, remaining)
    finally:
        limiter.release()


@router.api_route("/sparql", methods=["GET", "POST"], response_class=Response,
                  summary="SPARQL 1.1 Protocol: query (GET/POST), update (POST with token), service description",
                  responses={400: {"description": "malformed query"}, 403: {"description": "update or feature refused"},
                             406: {"description": "no acceptable format"}, 413: {"description": "body too large"},
                             503: {"description": "query timed out or server busy"}})
async def sparql(request: Request, settings: SettingsDep, runner: RunnerDep) -> Response:
    query, update, fields = await _read(request)
    accept = request.headers.get("accept")
    if query is not None and update is not None:
        raise HTTPException(400, "send either 'query' or 'update', not both")
    if update is not None:
        _check_token(request, settings)
        check_features(update, allow_service=settings.allow_service, allow_load=settings.allow_load)
        await run_in_threadpool(_update, request.app.state.store, update)
        return Response(status_code=204)
    if query is None:
        if request.method == "GET":
            graph_types = preferred(accept, tuple(GRAPH_MEDIA_TYPES))
            if not graph_types:
                raise NotAcceptable("the service description is given in " + ", ".join(GRAPH_MEDIA_TYPES))
            endpoint = str(request.url.replace(query=""))
            body = serialize(service_description(endpoint, settings), format=GRAPH_MEDIA_TYPES[graph_types[0]],
                             prefixes={"sd": SD, "formats": FORMATS})
            return Response(body, media_type=graph_types[0])
        raise HTTPException(400, "missing 'query' (or 'update') parameter")
    if not query.strip():
        raise HTTPException(400, "empty query")
    check_features(query, allow_service=settings.allow_service, allow_load=settings.allow_load)
    result_types = preferred(accept, tuple(RESULT_MEDIA_TYPES))
    graph_types = preferred(accept, tuple(GRAPH_MEDIA_TYPES))
    if not result_types and not graph_types:
        raise NotAcceptable(f"cannot answer in {accept!r}; SELECT/ASK: {', '.join(RESULT_MEDIA_TYPES)}; "
                            f"CONSTRUCT/DESCRIBE: {', '.join(GRAPH_MEDIA_TYPES)}")
    req = SparqlRequest(
        query=query,
        result_types=result_types,
        graph_types=graph_types,
        default_graphs=tuple(fields.get("default-graph-uri", [])),
        named_graphs=tuple(fields.get("named-graph-uri", [])),
        max_rows=settings.max_rows,
    )
    answer = await _run_limited(request, runner, req, settings.query_timeout)
    headers = {"X-Result-Truncated": f"max_rows={settings.max_rows}"} if answer.truncated else None
    return Response(answer.body, media_type=answer.media_type, headers=headers)
