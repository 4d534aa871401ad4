"""Shared dependencies: the store, the settings, the SPARQL runner and the search index.

All are opened once in the app's lifespan (api.main) and kept on ``app.state``. The getters are
``async``: they only read ``app.state``, and FastAPI runs every plain ``def`` dependency in its
thread pool, a hop that cost more than a small look-up's query (bench/bench_http.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, TypeVar

import anyio
from fastapi import Depends, Request

from graph import vocab
from graph.ingest.curate_store import resolve_id
from graph.settings import Settings
from graph.sparql.workers import QueryRunner
from graph.store.core import is_embedded
from graph.store.protocol import Store
from graph.store.search import SearchIndex

T = TypeVar("T")


async def get_store(request: Request) -> Store:
    """The store; a read-only server store is reopened when ingest changed the files."""
    refreshing = getattr(request.app.state, "refreshing_store", None)
    if refreshing is not None:
        return refreshing.get()
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_runner(request: Request) -> QueryRunner:
    return request.app.state.runner


async def get_search(request: Request) -> SearchIndex:
    return request.app.state.search


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
SearchDep = Annotated[SearchIndex, Depends(get_search)]


async def current_id(id: str, store: StoreDep) -> str:
    """The id an entity has now (short id or IRI given): an id a curator merged away stands for the kept one.

    A point look-up of one triple per merge followed, run as the look-ups by id are (:func:`look_up`).
    """
    return await look_up(store, resolve_id, vocab.short_id(id))


async def look_up(store: Store, func: Callable[..., T], *args: object) -> T:
    """``func(store, *args)``: on the event loop for the embedded store, in a thread for a SPARQL server.

    A look-up by id reads the statements about one entity (0.1–3 ms at 1M triples; the biggest
    hub of the synthetic 1M graph, 85 ms). Handing it to a thread and back cost more than that
    on this machine: ≈1 ms per request, two thread wake-ups (bench/RESULTS.md, section 5). The
    lists, whose cost grows with the graph, stay in threads; several server processes
    (``msme-kg serve --workers N``) answer look-ups in parallel.
    """
    if is_embedded(store):
        return func(store, *args)
    return await in_thread(func, store, *args)


async def list_rows(request: Request, store: Store, read: Callable[[Store], list[T]]
                    ) -> list[T]:
    """The rows of a REST list, ``read(store)`` in a thread, once per version of a read-only store.

    Every page of a list runs the list's whole sorted query (1.2 s for /events at 10M triples,
    bench/RESULTS.md §4). A server reading the store read-only sees one version of it per store
    handle, reopened when ingest writes, so the rows read from a handle serve every page until
    the next one. A store that takes writes changes under its handle: its lists are read anew.
    """
    if request.app.state.refreshing_store is None:
        return await in_thread(read, store)
    cached = request.app.state.lists.get(read)
    if cached is not None and cached[0] is store:
        return cached[1]
    rows = await in_thread(read, store)
    request.app.state.lists[read] = (store, rows)  # the previous handle is let go with its rows
    return rows


async def in_thread(func: Callable[..., T], *args: object) -> T:
    """Run a blocking look-up in the thread pool, once per request.

    The REST routes are ``async`` and call this, rather than being plain ``def`` routes: FastAPI
    moves a plain route, each plain dependency and the response validation of a plain route to
    the thread pool separately — three hand-overs per request, which cost more than a small
    look-up's query on a busy machine (bench/bench_http.py).
    """
    return await anyio.to_thread.run_sync(partial(func, *args))


EntityId = Annotated[str, Depends(current_id)]
