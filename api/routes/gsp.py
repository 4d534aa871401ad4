"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``, as Oxigraph server has it.

- ``/store?default`` and ``/store?graph=IRI`` (indirect identification); ``/store/anything``
  names the graph whose IRI is that URL itself (direct identification);
- GET / HEAD read a graph (content negotiation over the graph formats of ``/sparql``; 404 for a
  named graph the store does not hold), in a query worker, cut at ``max_answer_bytes`` (header
  ``X-Result-Truncated``);
- PUT replaces, POST adds (``multipart/form-data`` too), DELETE removes: only with the update token
  (401 + WWW-Authenticate without it; 403 on a server without one), in the writer process with
  ``update_timeout``; PUT and POST answer 201 when they created the graph, else 204;
- POST to ``/store`` itself creates a new graph and answers 201 with its IRI in ``Location``.

Writes to a named graph keep the default graph (the union of the documents) up to date.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from api.deps import RunnerDep, SettingsDep
from api.negotiation import preferred
from api.routes.sparql import check_token, limits_of, media_type_of, run_bounded, url_fields
from graph.errors import NotAcceptable
from graph.settings import Settings
from graph.sparql.execute import GRAPH_MEDIA_TYPES
from graph.sparql.graph_store import GraphRead, GraphWrite
from graph.sparql.workers import QueryRunner

router = APIRouter(tags=["graph store"])
PATH = "/store"
ALLOW = "GET, HEAD, PUT, POST, DELETE, OPTIONS"


def _target(request: Request, rest: str | None) -> tuple[str | None, bool]:
    """(graph IRI or None for the default graph, whether the request named no graph at all)."""
    fields = url_fields(request)
    if rest:
        if fields:
            raise HTTPException(400, "a directly identified graph takes no 'graph' or 'default' parameter")
        return str(request.url.replace(query="", fragment="")), False
    if "default" in fields and "graph" in fields:
        raise HTTPException(400, "give 'default' or 'graph', not both")
    if "default" in fields:
        return None, False
    graphs = fields.get("graph", [])
    if len(graphs) > 1:
        raise HTTPException(400, "more than one 'graph' parameter")
    if graphs:
        return graphs[0], False
    return None, True


async def _read(request: Request, settings: Settings, runner: QueryRunner, graph: str | None) -> Response:
    media = preferred(request.headers.get("accept"), tuple(GRAPH_MEDIA_TYPES))
    if not media:
        raise NotAcceptable("a graph is given in " + ", ".join(GRAPH_MEDIA_TYPES))
    req = GraphRead(graph, media, limits_of(settings), head=request.method == "HEAD")
    answer = await run_bounded(request, runner, req, settings.query_timeout, request.app.state.sparql_limiter)
    headers = {"X-Result-Truncated": answer.cap or ""} if answer.truncated else {}
    if request.method == "HEAD":
        return Response(status_code=200, media_type=answer.media_type, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


async def _write(request: Request, settings: Settings, graph: str | None, *,
                 created_location: str | None = None) -> Response:
    check_token(request, settings)
    content_type = request.headers.get("content-type", "")
    if request.method != "DELETE":
        media_type_of(request)  # a charset other than UTF-8 is refused
    body = await request.body() if request.method != "DELETE" else b""
    req = GraphWrite(request.method, graph, body, content_type, base_iri=graph or str(request.url))
    state = request.app.state
    answer = await run_bounded(request, state.writer, req, settings.update_timeout, state.writer_limiter)
    if created_location:
        return Response(status_code=201, headers={"Location": created_location})
    return Response(status_code=201 if answer.media_type == "created" else 204)


async def _handle(request: Request, settings: Settings, runner: QueryRunner, rest: str | None) -> Response:
    graph, bare = _target(request, rest)
    if request.method in ("GET", "HEAD"):
        if bare:
            raise HTTPException(400, "name a graph: ?default or ?graph=IRI")
        return await _read(request, settings, runner, graph)
    if bare:
        if request.method != "POST":
            raise HTTPException(400, "name a graph: ?default or ?graph=IRI")
        new = str(request.url.replace(query="", fragment="")).rstrip("/") + "/" + uuid.uuid4().hex
        return await _write(request, settings, new, created_location=new)
    return await _write(request, settings, graph)


@router.options(PATH, include_in_schema=False)
@router.options(PATH + "/{rest:path}", include_in_schema=False)
async def store_options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOW})


async def graph_store(request: Request, settings: SettingsDep, runner: RunnerDep) -> Response:
    """Graph Store Protocol: ``?default`` or ``?graph=IRI``; writes with the update token."""
    return await _handle(request, settings, runner, None)


async def graph_store_direct(request: Request, rest: str, settings: SettingsDep, runner: RunnerDep) -> Response:
    """Graph Store Protocol, direct identification: the graph named by this URL."""
    return await _handle(request, settings, runner, rest)


RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "graph created"}, 204: {"description": "graph written"},
    401: {"description": "write without the right token"}, 404: {"description": "no such graph"},
    415: {"description": "unreadable format"},
}
for _method in ("GET", "HEAD", "PUT", "POST", "DELETE"):
    router.add_api_route(PATH, graph_store, methods=[_method], response_class=Response, responses=RESPONSES,
                         operation_id=f"graph_store_{_method.lower()}", include_in_schema=_method != "HEAD",
                         summary=f"Graph Store Protocol {_method}: ?default or ?graph=IRI")
    router.add_api_route(PATH + "/{rest:path}", graph_store_direct, methods=[_method], response_class=Response,
                         responses=RESPONSES, operation_id=f"graph_store_direct_{_method.lower()}",
                         include_in_schema=_method != "HEAD",
                         summary=f"Graph Store Protocol {_method}, direct identification: the graph named by this URL")
