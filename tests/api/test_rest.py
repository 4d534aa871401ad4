"""REST look-ups on the hand-made graph (tests/api/conftest.py), where every fact is known."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from graph import vocab

FORUM = "event-example-forum-2023"
OPENING = "event-opening-session"


def _ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def test_entity_has_type_names_aliases_and_facts_with_evidence(hand_client):
    ann = _ok(hand_client.get("/entities/person-ann-lee"))
    assert ann["type"] == "person"
    assert ann["name"] == "Ann Lee"
    assert "Dr Ann Lee" in ann["aliases"]
    assert ann["titles"] == ["Director"]
    facts = {(f["predicate"], f["other"]) for f in ann["facts"]}
    assert {("moderated", FORUM), ("spoke_at", OPENING), ("affiliated_with", "org-example-trade-agency")} <= facts
    moderated = next(f for f in ann["facts"] if f["predicate"] == "moderated")
    assert moderated["document"] == "doc-hand"
    assert moderated["quote"].startswith("Dr Ann Lee, Director")
    assert moderated["end"] - moderated["start"] == len(moderated["quote"])
    assert moderated["direction"] == "subject"


def test_entity_accepted_by_iri_and_facts_seen_from_the_object_side(hand_client):
    iri = vocab.ID + FORUM
    by_iri = _ok(hand_client.get("/entities/" + quote(iri, safe="")))
    by_id = _ok(hand_client.get(f"/entities/{FORUM}"))
    assert by_iri == by_id
    assert {f["other"] for f in by_id["facts"] if f["direction"] == "object"} >= {
        "economy-ruritania", "economy-freedonia", "person-ann-lee", "org-example-trade-agency"}


def test_unknown_entity_is_404_with_a_message(hand_client):
    response = hand_client.get("/entities/person-nobody")
    assert response.status_code == 404
    assert "person-nobody" in response.json()["detail"]


def test_events_list_is_paginated(hand_client):
    page = _ok(hand_client.get("/events", params={"limit": 1}))
    assert page["total"] == 2 and page["limit"] == 1 and len(page["items"]) == 1
    second = _ok(hand_client.get("/events", params={"limit": 1, "offset": 1}))
    assert {page["items"][0]["id"], second["items"][0]["id"]} == {FORUM, OPENING}
    assert hand_client.get("/events", params={"limit": 0}).status_code == 422


def test_event_detail_dates_place_parent_subevents_participants(hand_client):
    forum = _ok(hand_client.get(f"/events/{FORUM}"))
    assert forum["start"] == "2023-05-02"
    assert forum["place"]["name"] == "Lisbon"
    assert "forum" in forum["kinds"]
    assert [s["id"] for s in forum["sub_events"]] == [OPENING]
    roles = {(p["id"], p["role"]) for p in forum["participants"]}
    assert {("economy-ruritania", "attended"), ("person-ann-lee", "moderated"),
            ("org-example-trade-agency", "organised")} <= roles
    opening = _ok(hand_client.get(f"/events/{OPENING}"))
    assert opening["parent"] == {"id": FORUM, "name": "Example Forum 2023"}


def test_participants_filtered_by_role(hand_client):
    attended = _ok(hand_client.get(f"/events/{FORUM}/participants", params={"role": "attended"}))
    # moderating implies attending (msme:moderated rdfs:subPropertyOf msme:attended); organising does not
    assert {(p["id"], p["role"]) for p in attended["items"]} == {
        ("economy-ruritania", "attended"), ("economy-freedonia", "attended"), ("person-ann-lee", "moderated")}
    at_opening = _ok(hand_client.get(f"/events/{OPENING}/participants", params={"role": "attended"}))
    assert {(p["id"], p["role"]) for p in at_opening["items"]} == {
        ("person-ann-lee", "spoke_at"), ("person-jose-nunez", "chaired")}
    assert all(p["evidence"][0]["document"] == "doc-hand" for p in attended["items"])
    chaired = _ok(hand_client.get(f"/events/{OPENING}/participants", params={"role": "chaired"}))
    assert [p["name"] for p in chaired["items"]] == ["José Núñez"]
    assert hand_client.get(f"/events/{FORUM}/participants", params={"role": "ate"}).status_code == 422
    assert hand_client.get("/events/event-nothing/participants").status_code == 404


def test_agent_events_with_role_and_date(hand_client):
    rows = _ok(hand_client.get("/agents/person-ann-lee/events"))["items"]
    assert {(r["event"], r["role"], r["start"]) for r in rows} == {
        (FORUM, "moderated", "2023-05-02"), (OPENING, "spoke_at", "2023-05-02")}
    economy = _ok(hand_client.get("/agents/economy-ruritania/events"))["items"]
    assert [(r["event"], r["role"]) for r in economy] == [(FORUM, "attended")]


def test_agent_initiatives_and_initiative_partners(hand_client):
    rows = _ok(hand_client.get("/agents/org-example-trade-agency/initiatives"))["items"]
    assert [(r["initiative"], r["role"], r["kind"]) for r in rows] == [
        ("initiative-small-business-network", "partner_of", "network")]
    listed = _ok(hand_client.get("/initiatives"))["items"]
    assert listed == [{"id": "initiative-small-business-network", "name": "Small Business Network",
                       "kind": "network", "partners": 2}]
    partners = _ok(hand_client.get("/initiatives/initiative-small-business-network/partners"))["items"]
    assert {(p["id"], p["type"]) for p in partners} == {
        ("org-example-trade-agency", "organisation"), ("economy-ruritania", "economy")}
    assert hand_client.get("/initiatives/person-ann-lee/partners").status_code == 404


def test_person_affiliations_with_title(hand_client):
    rows = _ok(hand_client.get("/persons/person-ann-lee/affiliations"))["items"]
    assert [(r["organisation"], r["relation"], r["role"], r["type"]) for r in rows] == [
        ("org-example-trade-agency", "affiliated_with", "Director", "organisation")]
    assert hand_client.get("/persons/economy-ruritania/affiliations").status_code == 404


def test_a_look_up_by_id_says_what_the_id_is_when_it_is_of_the_wrong_type(hand_client):
    wrong = hand_client.get("/persons/economy-ruritania/affiliations")
    assert wrong.status_code == 404
    assert wrong.json()["detail"] == "'economy-ruritania' is an economy, not a person"
    missing = hand_client.get("/agents/person-nobody/events")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no entity 'person-nobody' in the graph"
    assert hand_client.get("/events/org-example-trade-agency").status_code == 404


def test_documents_and_document_facts(hand_client):
    docs = _ok(hand_client.get("/documents"))
    assert docs["total"] == 1
    doc = docs["items"][0]
    assert (doc["id"], doc["title"], doc["facts"]) == ("doc-hand", "Example Forum report", 10)
    detail = _ok(hand_client.get("/documents/doc-hand"))
    assert len(detail["fact_list"]) == 10
    starts = [f["start"] for f in detail["fact_list"]]
    assert starts == sorted(starts)
    assert hand_client.get("/documents/doc-missing").status_code == 404


def test_openapi_documents_every_rest_route(hand_client):
    spec = _ok(hand_client.get("/openapi.json"))
    paths = set(spec["paths"])
    for path in ("/search", "/entities/{id}", "/events", "/events/{id}", "/events/{id}/participants",
                 "/agents/{id}/events", "/agents/{id}/initiatives", "/persons/{id}/affiliations",
                 "/initiatives", "/initiatives/{id}/partners", "/documents", "/documents/{id}", "/sparql"):
        assert path in paths, path
    assert hand_client.get("/docs").status_code == 200


@pytest.mark.parametrize("name", ["entity", "entity-facts", "event", "event-subevents", "event-participants",
                                  "agent-events", "agent-initiatives", "person-affiliations", "initiatives",
                                  "initiative-partners", "documents", "document-facts"])
def test_cli_runs_the_same_named_queries(name, hand_store_path, capsys):
    """`msme-kg query NAME --param k=v` runs the files the API runs (on a disk copy of the hand graph)."""
    from graph.cli.main import main
    from graph.sparql.queries import load_queries
    path = hand_store_path
    values = {"entity": "person-ann-lee", "event": FORUM, "agent": "person-ann-lee", "person": "person-ann-lee",
              "initiative": "initiative-small-business-network", "document": "doc-hand"}
    if name == "agent-initiatives":
        values["agent"] = "org-example-trade-agency"
    params = [f"{p.name}={values[p.name]}" for p in load_queries()[name].params if not p.optional]
    args = ["query", name, "--store", str(path), "--format", "json"]
    for p in params:
        args += ["--param", p]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert rows, f"{name} found nothing on the hand graph"
