"""The web pages: search, entity, event, document and SPARQL pages, their JSON and static files.

Pages are plain HTML files from ``web/templates`` with a little JavaScript that calls the JSON
routes below (``/web/api/...``, read by graph.views.browse through the REST look-ups), ``/sparql``
and ``/export``. Cytoscape.js is served from ``web/static/vendor`` — nothing comes from a CDN.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from api.deps import SearchDep, StoreDep, look_up
from graph.errors import NotFound, QueryError
from graph.settings import WEB_DIR
from graph.views import browse

router = APIRouter(tags=["web"])

TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


# page -> (title, whether it draws graphs); each page's template is the inside of <main>,
# put into layout.html, which holds the head, the header and the navigation once.
PAGES = {
    "search": ("search", False),
    "entity": ("entity", True),
    "event": ("event", True),
    "document": ("document", False),
    "graph": ("network", True),
    "sparql": ("SPARQL", False),
}
GRAPH_SCRIPTS = (
    '<script src="/web/static/vendor/cytoscape.min.js"></script>\n<script src="/web/static/netview.js"></script>\n'
)


@cache
def _render(name: str) -> str:
    title, draws_graphs = PAGES[name]
    layout = Template((TEMPLATES / "layout.html").read_text(encoding="utf-8"))
    main = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8").rstrip("\n")
    return layout.substitute(title=title, page=name, scripts=GRAPH_SCRIPTS if draws_graphs else "", main=main)


def _page(name: str) -> HTMLResponse:
    return HTMLResponse(_render(name), headers={"Cache-Control": "no-cache"})


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/web/")


@router.get("/web", include_in_schema=False)
@router.get("/web/", include_in_schema=False)
def search_page() -> HTMLResponse:
    return _page("search")


@router.get("/web/entity/{entity_id}", include_in_schema=False)
def entity_page(entity_id: str) -> HTMLResponse:
    return _page("entity")


@router.get("/web/event/{entity_id}", include_in_schema=False)
def event_page(entity_id: str) -> HTMLResponse:
    return _page("event")


@router.get("/web/document/{doc_id}", include_in_schema=False)
def document_page(doc_id: str) -> HTMLResponse:
    return _page("document")


@router.get("/web/graph", include_in_schema=False)
def graph_page() -> HTMLResponse:
    return _page("graph")


@router.get("/web/sparql", include_in_schema=False)
def sparql_page() -> HTMLResponse:
    return _page("sparql")


@router.get("/web/static/{path:path}", include_in_schema=False)
def static(path: str) -> FileResponse:
    """Files under web/static only (no way out of the folder)."""
    target = (STATIC / path).resolve()
    if not target.is_relative_to(STATIC.resolve()) or not target.is_file():
        raise HTTPException(404, "no such file")
    media_type = STATIC_TYPES.get(Path(path).suffix, "application/octet-stream")
    return FileResponse(target, media_type=media_type, headers={"Cache-Control": "no-cache"})


@router.get("/web/api/search", summary="Entities by name or alias, from the search index (for the web page)")
def api_search(
    index: SearchDep, q: Annotated[str, Query(max_length=browse.MAX_QUERY_LENGTH)] = ""
) -> list[dict[str, Any]]:
    return browse.search(index, q)


@router.get("/web/api/entity/{entity_id}", summary="An entity with its facts and evidence (for the web page)")
async def api_entity(store: StoreDep, entity_id: str) -> dict[str, Any]:
    try:
        return await look_up(store, browse.entity, entity_id)
    except NotFound as err:
        raise HTTPException(404, str(err)) from err
    except QueryError as err:
        raise HTTPException(400, str(err)) from err


@router.get("/web/api/document/{doc_id}", summary="A document's title and text (for the web page)")
async def api_document(store: StoreDep, doc_id: str) -> dict[str, Any]:
    try:
        return await look_up(store, browse.document, doc_id)
    except NotFound as err:
        raise HTTPException(404, str(err)) from err


@router.get("/web/api/queries", summary="The named queries of queries/ (the SPARQL page's examples)")
def api_queries() -> list[dict[str, Any]]:
    return browse.example_queries()
