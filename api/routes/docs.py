"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from the vendored copies in ``web/static/vendor``.

FastAPI's own pages load both from a CDN, so offline they were blank; and their inline start-up
script would need the Content-Security-Policy to allow inline scripts. These pages load the
pinned, checksum-checked files (scripts/vendor-js.sh) and start Swagger UI from a static script.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from graph.views.export import WEB_DIR

router = APIRouter(tags=["docs"])

PAGES = {"docs": "docs.html", "redoc": "redoc.html"}


@cache
def _page(name: str) -> str:
    return (WEB_DIR / "templates" / PAGES[name]).read_text(encoding="utf-8")


@router.get("/docs", include_in_schema=False)
def swagger_ui() -> HTMLResponse:
    return HTMLResponse(_page("docs"), headers={"Cache-Control": "no-cache"})


@router.get("/redoc", include_in_schema=False)
def redoc() -> HTMLResponse:
    return HTMLResponse(_page("redoc"), headers={"Cache-Control": "no-cache"})
