"""``GET /export``: the graph or a view of it as a download (GraphML, GEXF, Cytoscape, DOT, SVG, HTML, RDF).

The same parameters as ``msme-kg export``; the work is :func:`graph.views.export.export_view`, run by
:class:`api.export_jobs.ExportJobs`: a few at a time (503 + Retry-After beyond), stopped past the
time limit, when the client goes away or when the server shuts down. Dates are checked as the
CLI checks them (``since=2024-13-45`` is a 400) before any work starts.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import APIRouter, HTTPException, Query, Request, Response

from api.export_jobs import ClientGone, cached_view
from api.headers import STANDALONE_POLICY
from graph.errors import ExportError, NotFound, QueryError
from graph.views.cache import NETWORK_FORMATS
from graph.views.export import FORMATS, filename
from graph.views.network import NetworkSpec, check_date

router = APIRouter(tags=["export"])

FormatName = Literal["graphml", "gexf", "cytoscape", "dot", "svg", "html", "ttl", "jsonld"]
ViewName = Literal["whole", "ego", "coattendance", "partnership", "copartnership"]
assert set(get_args(FormatName)) == set(FORMATS)  # one list of formats (graph.views.export.FORMATS)

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@router.get(
    "/export",
    summary="Download the graph or a view of it",
    responses={200: {"content": {f.media_type.split(";")[0]: {} for f in FORMATS.values()},
                     "description": "the file, with Content-Disposition: attachment"}},
)
async def export(
    *,
    request: Request,
    format: Annotated[FormatName, Query(description="file format")] = "graphml",
    view: Annotated[ViewName, Query(description="which network")] = "whole",
    focus: Annotated[str | None, Query(description="an entity id: its neighbourhood only", max_length=300)] = None,
    depth: Annotated[int, Query(ge=0, le=6, description="steps from the focus")] = 1,
    types: Annotated[str | None, Query(description="comma-separated entity types to keep", max_length=200)] = None,
    since: Annotated[str | None, Query(pattern=DATE, description="YYYY[-MM[-DD]]: drop events before")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="YYYY[-MM[-DD]]: drop events after")] = None,
    kind: Annotated[Literal["person", "organisation", "economy"], Query(description="co-attendance of")] = "person",
    size_by: Annotated[Literal["degree", "strength", "betweenness"], Query(description="node size measure")] = "degree",
    download: Annotated[bool, Query(description="attachment (true) or inline (false)")] = True,
) -> Response:
    try:
        for date in (since, until):
            if date is not None:
                check_date(date)
    except QueryError as err:
        raise HTTPException(400, str(err)) from err
    spec = NetworkSpec(
        view=view, focus=focus or None, depth=depth,
        types=tuple(t.strip() for t in (types or "").split(",") if t.strip()),
        since=since, until=until, kind=kind, size_by=size_by,
    )
    try:
        views = request.app.state.views  # a read-only server: whole-graph views computed once per store version
        jobs = request.app.state.export_jobs
        if views is not None and not spec.focus and format in NETWORK_FORMATS:
            body = await cached_view(views, spec, format, timeout=jobs.timeout, is_disconnected=request.is_disconnected)
        else:
            body = await jobs.run(spec, format, request.is_disconnected)
    except ClientGone:
        return Response(status_code=499)  # nobody reads it: the work was stopped
    except NotFound as err:
        raise HTTPException(404, str(err)) from err
    except QueryError as err:
        raise HTTPException(400, str(err)) from err
    except ExportError as err:
        raise HTTPException(503, str(err)) from err
    disposition = "attachment" if download else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename(spec, format)}"'}
    if format == "html":  # its scripts are inline: it may run them, and fetch nothing
        headers["Content-Security-Policy"] = STANDALONE_POLICY
    return Response(body, media_type=FORMATS[format].media_type, headers=headers)
