"""Answers of the REST API on the seed graph, checked against what the seed documents state.

Found through the API as a user would: search for the thing, then look it up. These depend
on the extractor; the facts chosen are ones the documents state plainly (seed 000: the
economies in the footnote attended the 7 April 2022 meeting; ITC, OECD, UNCITRAL, WCO and
WIPO answered the invitation to partner on the Trade4MSMEs Network).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.model import normalise

pytestmark = pytest.mark.slow

# from the footnote of seed 000 (names as a gazetteer would give them)
FOOTNOTE_SAMPLE = {"albania", "angola", "argentina", "japan", "uruguay", "chinese taipei", "european union",
                   "viet nam", "united states of america", "switzerland"}
NETWORK_PARTNERS = {"itc", "oecd", "uncitral", "wco", "wipo"}


@pytest.fixture(scope="module")
def seed_client(seed_store):
    with TestClient(create_app(store=seed_store)) as client:
        yield client


def _names_of(client, entity_id: str) -> set[str]:
    entity = client.get(f"/entities/{entity_id}").json()
    return {normalise(n) for n in [entity["name"], *entity["names"], *entity["aliases"]]}


def _top(client, q: str, kind: str) -> str:
    results = client.get("/search", params={"q": q, "type": kind}).json()["results"]
    assert results, f"search for {q!r} found no {kind}"
    return results[0]["id"]


def test_delegations_that_attended_the_7_april_2022_meeting(seed_client):
    meeting = _top(seed_client, "open-ended meeting of 7 April 2022", "event")
    detail = seed_client.get(f"/events/{meeting}").json()
    assert detail["start"] == "2022-04-07"
    page = seed_client.get(f"/events/{meeting}/participants", params={"role": "attended", "limit": 1000}).json()
    economies = [p for p in page["items"] if p["type"] == "economy"]
    assert len({p["id"] for p in economies}) >= 55  # "A total of 62 delegations attended"
    names = {normalise(p["name"]) for p in page["items"]}  # the EU may be typed an organisation
    assert names >= FOOTNOTE_SAMPLE
    albania = _top(seed_client, "Albania", "economy")
    events = seed_client.get(f"/agents/{albania}/events").json()["items"]
    assert any(e["event"] == meeting and e["role"] == "attended" for e in events)


def test_who_partnered_on_the_trade4msmes_network(seed_client):
    network = _top(seed_client, "Trade4MSMEs Network", "initiative")
    partners = seed_client.get(f"/initiatives/{network}/partners").json()["items"]
    found = set()
    for partner in partners:
        found |= _names_of(seed_client, partner["id"])
    assert found >= NETWORK_PARTNERS


def test_search_finds_seed_entities_by_acronym_and_misspelling(seed_client):
    assert _top(seed_client, "Trade4MSMEs Network", "initiative") == "initiative-trade4msmes-network"
    itc = _top(seed_client, "ITC", "organisation")
    assert "international trade centre" in _names_of(seed_client, itc)
    assert _top(seed_client, "Internatonal Trade Center", "organisation") == itc
