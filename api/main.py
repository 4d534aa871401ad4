"""The FastAPI app: it only includes the routers and opens the store in its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pyoxigraph import Store

from api.routes import export as export_routes
from api.routes import health, sparql
from api.routes import web as web_routes
from graph.settings import Settings
from graph.store import open_backend


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app; ``store`` lets tests hand in an in-memory store."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = store if store is not None else open_backend(settings)
        yield

    app = FastAPI(
        title="msme-kg",
        summary="Who attended, spoke at, organised or partnered on what in MSME trade policy — with evidence.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(export_routes.router)
    app.include_router(web_routes.router)
    return app
