"""Shared dependencies: the store, the settings, the SPARQL runner and the search index.

All are opened once in the app's lifespan (api.main) and kept on ``app.state``. The getters are
``async``: they only read ``app.state``, and FastAPI runs every plain ``def`` dependency in its
thread pool, a hop that cost more than a small look-up's query (bench/bench_http.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pyoxigraph import Store

from graph import vocab
from graph.curate_store import resolve_id
from graph.search import SearchIndex
from graph.settings import Settings
from graph.workers import QueryRunner


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


def current_id(id: str, store: StoreDep) -> str:
    """The id an entity has now (short id or IRI given): an id a curator merged away stands for the kept one."""
    return resolve_id(store, vocab.short_id(id))


EntityId = Annotated[str, Depends(current_id)]
