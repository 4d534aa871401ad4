"""The FastAPI app: it only includes the routers and opens the store in its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pyoxigraph import Store

from api import errors
from api.export_jobs import ExportJobs
from api.fast import FastLookups
from api.headers import SecurityHeaders
from api.limits import BodySizeLimit
from api.routes import agents, docs, documents, entities, events, gsp, health, initiatives, linked_data, search, sparql
from api.routes import export as export_routes
from api.routes import web as web_routes
from graph.settings import Settings
from graph.sparql.workers import ProcessRunner, RefreshingStore, ThreadRunner
from graph.store.core import open_backend, open_store
from graph.store.search import SearchIndex
from graph.views.cache import WARM, ViewCache


def _open(app: FastAPI, settings: Settings, store: Store | None) -> None:
    """Store, SPARQL runners and search index on ``app.state``.

    A store handed in (tests) is queried and written in threads and indexed in memory. Otherwise
    the server reads the store on disk read-only (so ``msme-kg ingest`` can run beside it; the
    handle is reopened when the files changed); SPARQL runs in killable worker processes, and with
    an update token one writer process holds the store's write lock and runs the updates; the
    search index is the file beside the store, brought up to date.
    """
    app.state.settings = settings
    app.state.fast_lookups = settings.fast_lookups and settings.backend == "oxigraph"
    app.state.refreshing_store = None
    app.state.views = None  # whole-graph views per store version (read-only server only)
    app.state.lists = {}  # REST list reader -> (store handle, rows): see api.deps.list_rows
    if store is not None:
        app.state.store = store
        app.state.runner = app.state.writer = ThreadRunner(store)
        app.state.search = SearchIndex.open(None)
        app.state.search.rebuild(store)
        return
    if settings.backend != "oxigraph":  # a SPARQL server: it applies its own limits
        app.state.store = open_backend(settings)
        app.state.runner = app.state.writer = ThreadRunner(app.state.store)
        app.state.search = SearchIndex.open(settings.search_index_path())
        app.state.search.sync(app.state.store)
        return
    path = settings.store
    if not path.exists():
        open_store(path).flush()  # created, then let go: the handles below open it
    memory = settings.worker_memory_mb * 2**20 or None
    app.state.writer = ProcessRunner(path, writer=True, memory=memory) if settings.update_token else None
    # the server's own handle is read-only (a writer, when there is one, is its own process): one version
    # of the store per handle, so its whole-graph views are computed once
    views = app.state.views = ViewCache(path, settings.views_cache_path(), warm=WARM if settings.warm_views else (),
                                        max_pending=settings.views_pending, timeout=settings.view_timeout)
    app.state.refreshing_store = RefreshingStore(path, on_change=views.warm)
    app.state.store = app.state.refreshing_store.get()
    views.warm()
    app.state.runner = ProcessRunner(path, settings.query_workers, memory=memory)
    app.state.search = SearchIndex.open(settings.search_index_path())
    app.state.search.sync(app.state.store)


def _export_jobs(app: FastAPI, settings: Settings, store: Store | None) -> ExportJobs:
    """Exports in killable processes reading the store on disk; in threads for a store handed in or a server."""
    slots, timeout = settings.export_workers, settings.export_timeout
    if store is None and settings.backend == "oxigraph":
        return ExportJobs(path=settings.store, slots=slots, timeout=timeout)
    return ExportJobs(store=app.state.store, slots=slots, timeout=timeout)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app; ``store`` lets tests hand in an in-memory store."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        _open(app, settings, store)
        app.state.sparql_limiter = anyio.CapacityLimiter(4 if store is not None else max(1, settings.query_workers))
        app.state.writer_limiter = anyio.CapacityLimiter(1)
        app.state.export_jobs = _export_jobs(app, settings, store)
        try:
            yield
        finally:
            app.state.export_jobs.close()
            app.state.runner.close()
            if app.state.writer is not None and app.state.writer is not app.state.runner:
                app.state.writer.close()
            app.state.search.close()
            if app.state.views is not None:
                app.state.views.close()

    app = FastAPI(
        title="msme-kg",
        summary="Who attended, spoke at, organised or partnered on what in MSME trade policy — with evidence.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served from vendored files (api.routes.docs)
        redoc_url=None,
    )
    errors.register(app)
    app.add_middleware(FastLookups, fastapi=app)  # first added, innermost: the middleware below stay outside it
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origin_list():
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list(),
                           allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
                           allow_headers=["Accept", "Content-Type", "Authorization"],
                           expose_headers=["X-Result-Truncated", "Location", "Retry-After"], max_age=600)
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(gsp.router)
    app.include_router(linked_data.router)
    app.include_router(search.router)
    app.include_router(entities.router)
    app.include_router(events.router)
    app.include_router(agents.router)
    app.include_router(initiatives.router)
    app.include_router(documents.router)
    app.include_router(export_routes.router)
    app.include_router(web_routes.router)
    app.include_router(docs.router)
    return app
