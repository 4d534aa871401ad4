"""The SPARQL endpoint: GET ?query=, POST form and POST application/sparql-query.

Results are serialised by pyoxigraph itself and returned as bytes.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request, Response
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from api.deps import StoreDep
from graph.errors import QueryError
from graph.store import run_query

router = APIRouter(tags=["sparql"])

SPARQL_JSON = "application/sparql-results+json"


async def _query_text(request: Request) -> str:
    if request.method == "GET":
        query = request.query_params.get("query")
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        body = (await request.body()).decode("utf-8", "replace")
        if content_type == "application/sparql-query":
            query = body
        elif content_type == "application/x-www-form-urlencoded":
            query = (parse_qs(body).get("query") or [None])[0]
        else:
            raise HTTPException(415, f"unsupported content type {content_type!r}")
    if not query:
        raise HTTPException(400, "missing 'query' parameter")
    return query


@router.api_route("/sparql", methods=["GET", "POST"])
async def sparql(request: Request, store: StoreDep) -> Response:
    query = await _query_text(request)
    try:
        results = run_query(store, query)
    except QueryError as err:
        raise HTTPException(400, f"malformed query: {err}") from err
    if isinstance(results, QuerySolutions | QueryBoolean):
        return Response(results.serialize(format=QueryResultsFormat.JSON), media_type=SPARQL_JSON)
    return Response(results.serialize(format=RdfFormat.TURTLE), media_type="text/turtle")
