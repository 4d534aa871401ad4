"""The look-ups behind the REST API (graph.views.lookups) on the hand-made graph, whose every fact is known."""

from __future__ import annotations

import pytest

from graph.errors import NotFound, QueryError
from graph.views import lookups
from tests.helpers.hand_graph import build_hand_store


@pytest.fixture(scope="module")
def store():
    return build_hand_store()


def test_an_entity_with_its_names_aliases_titles_and_type(store):
    ann = lookups.entity(store, "person-ann-lee")
    assert (ann["type"], ann["name"], ann["aliases"], ann["titles"]) == ("person", "Ann Lee", ["Dr Ann Lee"],
                                                                         ["Director"])
    assert lookups.entity(store, lookups.entity(store, "economy-ruritania")["iri"])["iso3"] == "RUR"
    with pytest.raises(NotFound, match="no entity 'person-nobody'"):
        lookups.entity(store, "person-nobody")


def test_every_fact_once_either_way_round_with_its_evidence(store):
    facts = lookups.entity_facts(store, "event-example-forum-2023")
    assert sorted((f["predicate"], f["other"], f["direction"]) for f in facts) == [
        ("attended", "economy-freedonia", "object"), ("attended", "economy-ruritania", "object"),
        ("moderated", "person-ann-lee", "object"), ("organised", "org-example-trade-agency", "object"),
    ]
    assert len({f["statement"] for f in facts}) == len(facts)
    moderated = next(f for f in facts if f["predicate"] == "moderated")
    assert moderated["quote"].endswith("moderated the forum.") and moderated["status"] == "extracted"


def test_the_fact_rows_of_a_statement_are_grouped_in_query_order(store):
    groups = lookups.fact_rows(store, "person-ann-lee")
    assert [g[0]["property"] for g in groups] == sorted(g[0]["property"] for g in groups)
    assert all(len({r["statement"] for r in g}) == 1 for g in groups)


def test_attended_keeps_the_roles_that_imply_attending(store):
    roles = {(p["id"], p["role"]) for p in lookups.participants(store, "event-example-forum-2023", "attended")}
    assert roles == {("economy-ruritania", "attended"), ("economy-freedonia", "attended"),
                     ("person-ann-lee", "moderated")}
    assert [p["id"] for p in lookups.participants(store, "event-example-forum-2023", "organised")] == [
        "org-example-trade-agency"]


def test_a_wrong_role_or_a_wrong_kind_of_entity_is_said_plainly(store):
    with pytest.raises(QueryError, match="unknown role 'danced'"):
        lookups.participants(store, "event-example-forum-2023", "danced")
    with pytest.raises(NotFound, match="'person-ann-lee' is a person, not an event"):
        lookups.participants(store, "person-ann-lee")
    with pytest.raises(NotFound, match="is an organisation, not a person"):
        lookups.person_affiliations(store, "org-example-trade-agency")
