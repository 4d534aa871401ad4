"""Hostile input in every parameter: a correct answer or a 4xx, never a changed query or store."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from graph.errors import QueryError
from graph.sparql.queries import load_queries
from graph.store.core import count_quads

PAYLOADS = [
    "person-ann-lee' } ; DROP ALL ; #",
    'person-ann-lee" } UNION { ?entity ?property ?value } #',
    "person-ann-lee> } UNION { ?s ?p ?o } #",
    "https://w3id.org/msme-kg/id/person-ann-lee> } UNION { ?entity ?property ?value } #",
    "{ ?s ?p ?o }",
    "<http://evil.example/>",
    "person-ann-lee\n} ; CLEAR ALL",
    "SELECT * WHERE { ?s ?p ?o }",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "?entity",
    "*",
    "...",
]
ROUTES = [
    "/entities/{}", "/events/{}", "/events/{}/participants", "/agents/{}/events", "/agents/{}/initiatives",
    "/persons/{}/affiliations", "/initiatives/{}/partners", "/documents/{}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_ids_get_4xx_and_change_nothing(hand_client, hand_store, route, payload):
    before = count_quads(hand_store)
    response = hand_client.get(route.format(quote(payload, safe="")))
    assert 400 <= response.status_code < 500, (route, payload, response.text[:300])
    assert count_quads(hand_store) == before


@pytest.mark.parametrize("payload", [*PAYLOADS, 'attended" } UNION { ?agent ?p ?event } #', "attended "])
def test_hostile_role_is_422(hand_client, payload):
    response = hand_client.get("/events/event-example-forum-2023/participants", params={"role": payload})
    assert response.status_code == 422


@pytest.mark.parametrize("payload", [*PAYLOADS, "ETA' OR 1=1 --", '" OR ""="', "%", "_", "\\", "eta*", "NEAR(a b)"])
def test_hostile_search_is_a_plain_search(hand_client, payload):
    response = hand_client.get("/search", params={"q": payload})
    assert response.status_code == 200, response.text
    hits = response.json()["results"]
    assert len(hits) <= 10
    assert not ({h["id"] for h in hits} >= {"person-ann-lee", "economy-ruritania", "economy-freedonia",
                                            "org-example-trade-agency", "initiative-small-business-network"})


@pytest.mark.parametrize("params", [{"limit": "10; DROP"}, {"offset": "-1"}, {"limit": "1e9"}, {"type": "person'"}])
def test_hostile_paging_and_types_are_422(hand_client, params):
    path = "/search" if "type" in params else "/events"
    response = hand_client.get(path, params={**params, "q": "x"} if path == "/search" else params)
    assert response.status_code == 422


def test_a_quoted_value_is_one_literal_not_query_text(hand_store):
    """Bound as a term: the injection attempt matches nothing instead of widening the query."""
    from graph.views.lookups import run_named

    hostile = 'attended" ) } UNION { ?agent ?p ?event } #'
    assert run_named(hand_store, "event-participants", event="event-example-forum-2023", role=hostile) == []
    with pytest.raises(QueryError):
        load_queries()["entity"].bind({"entity": "https://w3id.org/x> } UNION { ?s ?p ?o"})
