"""The REST look-ups by id, answered without FastAPI's per-request machinery when the request is plain.

Measured at 1M triples (bench/bench_peer.py, bench/RESULTS.md §8): FastAPI's dependency
solving, parameter validation and routing over every route cost ≈0.5 ms per look-up, as much
as the look-up's query, and the goal is to be within 1.2× of the Oxigraph server running the
same SPARQL. So each look-up by id is still declared once as a FastAPI route — its OpenAPI
entry, its validation errors, its response model — and this ASGI layer, inside the app's
middleware, answers the same path itself when the request is plain:

- GET on the embedded store (a SPARQL-server backend goes through FastAPI, in a thread);
- query parameters among the route's own (``limit``, ``offset``, ``role``), each once, each
  valid; anything else falls through to FastAPI, which answers or explains the 422.

The answer is the route's own look-up, validated and written by the route's own response model
(a pydantic ``TypeAdapter``: the same bytes FastAPI sends); domain errors get the JSON of
:mod:`api.errors`. A test compares every look-up route's answers with and without this layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from pyoxigraph import Store
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_body
from graph import vocab
from graph.errors import MsmeKgError
from graph.ingest.curate_store import resolve_id
from graph.model import PARTICIPATION
from graph.views import lookups

MAX_LIMIT = 1000  # as api.pagination.page_params
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class FastLookup:
    """One look-up by id: its route's path template, and how to answer it."""

    path: str
    read: Callable[..., Any]  # (store, id, **options) -> the answer, or a list to page
    resolve: bool = True  # the id goes through curator merges first (api.deps.current_id)
    paged: bool = False
    options: tuple[tuple[str, frozenset[str]], ...] = ()  # extra query parameters and their values


def entity_with_facts(store: Store, entity_id: str) -> dict[str, Any]:
    """/entities/{id}: the entity and every fact about it."""
    return {**lookups.entity(store, entity_id), "facts": lookups.entity_facts(store, entity_id)}


LOOKUPS = (
    FastLookup("/entities/{id:path}", entity_with_facts),
    FastLookup("/events/{id:path}/participants", lookups.participants, paged=True,
               options=(("role", frozenset(PARTICIPATION)),)),
    FastLookup("/events/{id:path}", lookups.event),
    FastLookup("/agents/{id:path}/events", lookups.agent_events, paged=True),
    FastLookup("/agents/{id:path}/initiatives", lookups.agent_initiatives, paged=True),
    FastLookup("/persons/{id:path}/affiliations", lookups.person_affiliations, paged=True),
    FastLookup("/initiatives/{id:path}/partners", lookups.initiative_partners, paged=True),
    FastLookup("/documents/{id:path}", lookups.document, resolve=False),
)


@dataclass(frozen=True)
class _Compiled:
    lookup: FastLookup
    pattern: re.Pattern
    adapter: TypeAdapter
    allowed: frozenset[str]


def api_routes(routes: list) -> list[APIRoute]:
    """The app's routes in matching order, those of included routers in place (none has a prefix here)."""
    out = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            if route.include_context.prefix:
                raise RuntimeError("api.fast does not follow router prefixes")
            out += api_routes(included.routes)
        elif isinstance(route, APIRoute):
            out.append(route)
    return out


def compile_routes(app: FastAPI) -> list[_Compiled]:
    """Each look-up with its route's path pattern and response model, in the app's route order."""
    flat = api_routes(app.routes)
    routes = {r.path: r for r in flat if "GET" in (r.methods or ())}
    order = [r.path for r in flat]
    compiled = []
    for lookup in sorted(LOOKUPS, key=lambda lk: order.index(lk.path)):
        route = routes.get(lookup.path)
        if route is None:
            raise RuntimeError(f"fast look-up {lookup.path} has no FastAPI route")
        allowed = frozenset(name for name, _ in lookup.options) | ({"limit", "offset"} if lookup.paged else set())
        compiled.append(_Compiled(lookup, route.path_regex, TypeAdapter(route.response_model), allowed))
    return compiled


def _options(compiled: _Compiled, query_string: bytes) -> dict[str, Any] | None:
    """The route's query parameters, or None when FastAPI should see the request (unknown, repeated, invalid)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True) if query_string else []
    values = dict(pairs)
    if len(values) != len(pairs) or not set(values) <= compiled.allowed:
        return None
    out: dict[str, Any] = {}
    for name, allowed in compiled.lookup.options:
        if name in values:
            if values[name] not in allowed:
                return None
            out[name] = values[name]
    if compiled.lookup.paged:
        try:
            out["limit"] = int(values.get("limit", DEFAULT_LIMIT))
            out["offset"] = int(values.get("offset", 0))
        except ValueError:
            return None
        if not (1 <= out["limit"] <= MAX_LIMIT and out["offset"] >= 0):
            return None
    return out


def answer(compiled: _Compiled, store: Store, entity_id: str, options: dict[str, Any]) -> bytes:
    """The response body: the look-up, paged if the route pages, written by the route's response model."""
    lookup = compiled.lookup
    if lookup.resolve:
        entity_id = resolve_id(store, vocab.short_id(entity_id))
    if not lookup.paged:
        result = lookup.read(store, entity_id, **options)
    else:
        limit, offset = options.pop("limit"), options.pop("offset")
        rows = lookup.read(store, entity_id, **options)
        result = {"items": rows[offset:offset + limit], "total": len(rows), "limit": limit, "offset": offset}
    return compiled.adapter.dump_json(compiled.adapter.validate_python(result))


class FastLookups:
    """ASGI layer: plain GETs of a look-up by id on the embedded store are answered here, all else passes on."""

    def __init__(self, app: ASGIApp, fastapi: FastAPI) -> None:
        self.app = app
        self.fastapi = fastapi
        self._routes: list[_Compiled] | None = None

    def _store(self) -> Store | None:
        state = self.fastapi.state
        refreshing = getattr(state, "refreshing_store", None)
        store = refreshing.get() if refreshing is not None else getattr(state, "store", None)
        return store if isinstance(store, Store) and getattr(state, "fast_lookups", False) else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if self._routes is None:
            self._routes = compile_routes(self.fastapi)
        path = scope["path"]
        for compiled in self._routes:
            match = compiled.pattern.match(path)
            if match is None:
                continue
            entity_id = match.group("id")
            options = _options(compiled, scope.get("query_string", b""))
            store = self._store() if entity_id and options is not None else None
            if store is None or options is None:
                break
            headers: list[tuple[bytes, bytes]] = []
            try:
                status, body = 200, answer(compiled, store, entity_id, options)
            except MsmeKgError as err:
                status, body, headers = error_body(err)
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()), *headers]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
