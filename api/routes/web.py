"""The web pages: home, browse, entity, event, document, network and SPARQL pages, their JSON and static files.

Pages are plain HTML files from ``web/templates`` with a little JavaScript that calls the JSON
routes below (``/web/api/...``, read by graph.views.browse through the REST look-ups and the
named queries ``queries/web-*.rq``), ``/sparql`` and ``/export``. Cytoscape.js and YASGUI are
served from ``web/static/vendor`` — nothing comes from a CDN, and no page has inline script (see
:mod:`api.headers` for the policy).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from api.deps import SearchDep, StoreDep, in_thread, look_up
from graph import vocab
from graph.errors import NotFound, QueryError
from graph.settings import WEB_DIR
from graph.views import browse

router = APIRouter(tags=["web"])

TEMPLATES = WEB_DIR / "templates"
STATIC = WEB_DIR / "static"
STATIC_TYPES = {
    ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
    ".ico": "image/x-icon", ".json": "application/json",
}
FAVICON = "favicon.svg"

GRAPH_ASSETS = ("vendor/cytoscape.min.js", "netview.js")
WORKBENCH_ASSETS = ("vendor/yasgui/yasgui.min.css", "vendor/yasgui/yasgui.min.js", *GRAPH_ASSETS, "workbench.js")
# page -> (title, the static files it needs besides app.css and app.js); each page's template is
# the inside of <main>, put into layout.html, which holds the head, the header and the navigation.
PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "home": ("home", ()),
    "browse": ("browse", ()),
    "entity": ("entity", GRAPH_ASSETS),
    "event": ("event", GRAPH_ASSETS),
    "document": ("document", ()),
    "graph": ("network", GRAPH_ASSETS),
    "sparql": ("SPARQL", WORKBENCH_ASSETS),
}


def _asset_tag(path: str) -> str:
    url = f"/web/static/{path}"
    return f'<link rel="stylesheet" href="{url}">' if path.endswith(".css") else f'<script src="{url}"></script>'


@cache
def _render(name: str) -> str:
    title, assets = PAGES[name]
    layout = Template((TEMPLATES / "layout.html").read_text(encoding="utf-8"))
    main = (TEMPLATES / f"{name}.html").read_text(encoding="utf-8").rstrip("\n")
    head = "".join(_asset_tag(a) + "\n" for a in assets)
    return layout.substitute(title=title, page=name, scripts=head, main=main)


def _page(name: str) -> HTMLResponse:
    return HTMLResponse(_render(name), headers={"Cache-Control": "no-cache"})


@cache
def static_files() -> dict[str, Path]:
    """Every file under web/static by its path relative to it: a request names one of these or gets 404.

    Looking the name up in this table, rather than joining it to a folder, means no request can
    reach outside the folder, and no odd name (NUL bytes, 10,000 characters) reaches the file system.
    """
    root = STATIC.resolve()
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/web/")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """The site icon (an SVG: browsers that ask for /favicon.ico take it)."""
    return FileResponse(static_files()[FAVICON], media_type=STATIC_TYPES[".svg"],
                        headers={"Cache-Control": "max-age=86400"})


@router.get("/web", include_in_schema=False)
@router.get("/web/", include_in_schema=False)
def home_page() -> HTMLResponse:
    return _page("home")


@router.get("/web/browse/{entity_type}", include_in_schema=False)
def browse_page(entity_type: str) -> HTMLResponse:
    if entity_type not in browse.BROWSE_TYPES:
        raise HTTPException(404, f"no list of {entity_type!r}")
    return _page("browse")


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
    """Files under web/static only, by exact name (see :func:`static_files`)."""
    target = static_files().get(path)
    if target is None:
        raise HTTPException(404, "no such file")
    media_type = STATIC_TYPES.get(target.suffix, "application/octet-stream")
    return FileResponse(target, media_type=media_type, headers={"Cache-Control": "no-cache"})


@router.get("/web/api/overview", summary="Counts per type and the most-named entities (for the home page)")
async def api_overview(store: StoreDep) -> dict[str, Any]:
    return await in_thread(browse.overview, store)


@router.get("/web/api/browse/{entity_type}", summary="Every entity of a type, most facts first (for the browse page)")
async def api_browse(store: StoreDep, entity_type: str) -> list[dict[str, Any]]:
    try:
        return await in_thread(browse.browse_list, store, entity_type)
    except NotFound as err:
        raise HTTPException(404, str(err)) from err


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


@router.get("/web/api/document/{doc_id}", summary="A document's title, file name, text and entities (for the web page)")
async def api_document(store: StoreDep, doc_id: str) -> dict[str, Any]:
    try:
        return await look_up(store, browse.document, doc_id)
    except NotFound as err:
        raise HTTPException(404, str(err)) from err


@router.get("/web/api/queries", summary="The named queries of queries/ (the SPARQL page's examples)")
def api_queries() -> list[dict[str, Any]]:
    return browse.example_queries()


@router.get("/web/api/vocabulary", summary="Prefixes, classes and properties of the ontology (SPARQL page completion)")
def api_vocabulary() -> dict[str, Any]:
    return {"prefixes": vocab.PREFIXES, **browse.ontology_terms()}
