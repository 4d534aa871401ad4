"""The fast path of the look-ups by id (api.fast) answers exactly what FastAPI answers, or lets FastAPI answer."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

import api.fast
from api.fast import LOOKUPS, api_routes
from api.main import create_app
from graph import vocab
from graph.settings import Settings
from graph.store.core import run_query

_IDS = """SELECT DISTINCT ?s ?class WHERE {
  ?s a ?class . FILTER(STRSTARTS(STR(?s), "https://w3id.org/msme-kg/id/"))
  FILTER(STRSTARTS(STR(?class), "https://w3id.org/msme-kg/ns#")) }"""


def _clients(store):
    fast = TestClient(create_app(store=store))
    plain = TestClient(create_app(Settings(fast_lookups=False), store=store))
    return fast, plain


def _urls(store) -> list[str]:
    """Every look-up route for ids of every class (so right kinds and 404s), with their parameters."""
    by_class: dict[str, list[str]] = {}
    for row in run_query(store, _IDS):
        by_class.setdefault(row["class"].value.rsplit("#", 1)[-1], []).append(vocab.short_id(row["s"].value))
    ids = sorted({i for members in by_class.values() for i in sorted(members)[:6]})
    docs = [row["d"].value.rsplit("/", 1)[-1] for row in run_query(store, "SELECT ?d WHERE { ?d a msme:Document }")]
    urls = []
    for lookup in LOOKUPS:
        values = docs if lookup.path.startswith("/documents") else ids
        for value in [*values, "no-such-thing", quote(vocab.ID + values[0], safe="")]:
            url = lookup.path.replace("{id:path}", value)
            urls.append(url)
            if lookup.paged:
                urls += [url + "?limit=1", url + "?offset=1&limit=2"]
            for name, allowed in lookup.options:
                urls += [f"{url}?{name}={v}" for v in sorted(allowed)[:3]]
    return urls


@pytest.mark.parametrize("graph", ["hand", "seed"])
def test_every_look_up_answers_the_same_bytes_as_fastapi(graph, hand_store, request):
    store = hand_store if graph == "hand" else request.getfixturevalue("seed_store")
    fast, plain = _clients(store)
    with fast, plain:
        urls = _urls(store)
        statuses = set()
        for url in urls:
            a, b = fast.get(url), plain.get(url)
            assert (a.status_code, a.content) == (b.status_code, b.content), url
            assert a.headers["content-type"] == b.headers["content-type"]
            statuses.add(a.status_code)
    assert {200, 404} <= statuses  # both answers and refusals were compared


def test_plain_requests_are_answered_without_fastapi_and_the_rest_fall_through(hand_store, monkeypatch):
    answered = []
    real = api.fast.answer
    monkeypatch.setattr(api.fast, "answer", lambda *args: answered.append(args[2]) or real(*args))
    with TestClient(create_app(store=hand_store)) as client:
        assert client.get("/agents/person-ann-lee/events?limit=5").status_code == 200
        assert answered == ["person-ann-lee"]
        # FastAPI's own validation explains these: the fast path does not answer them
        for url in ("/agents/person-ann-lee/events?limit=0", "/agents/person-ann-lee/events?limit=x",
                    "/events/event-example-forum-2023/participants?role=guest",
                    "/agents/person-ann-lee/events?limit=1&limit=2"):
            assert client.get(url).status_code in (200, 422), url
        assert answered == ["person-ann-lee"]
        assert client.get("/agents/person-ann-lee/events?limit=0").status_code == 422


def test_every_fast_look_up_is_a_get_route_of_the_app():
    paths = {r.path for r in api_routes(create_app().routes) if "GET" in r.methods}
    assert {lookup.path for lookup in LOOKUPS} <= paths

