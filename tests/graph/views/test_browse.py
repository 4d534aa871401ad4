"""What the web pages show (graph.views.browse), read through the REST look-ups from the hand-made graph."""

from __future__ import annotations

import pytest

from graph.errors import NotFound, QueryError
from graph.store.search import SearchIndex
from graph.views import browse
from tests.helpers.hand_graph import TEXT, build_hand_store


@pytest.fixture(scope="module")
def store():
    return build_hand_store()


def test_an_event_page_has_its_header_documents_and_participants_by_role(store):
    page = browse.entity(store, "event-example-forum-2023")
    assert (page["label"], page["type"], page["start"], page["place"]) == ("Example Forum 2023", "event",
                                                                          "2023-05-02", "Lisbon")
    assert page["documents"] == [{"id": "doc-hand", "title": "Example Forum report", "page": "/web/document/doc-hand"}]
    assert [group["role"] for group in page["participants"]] == ["moderated", "organised", "attended"]
    attended = page["participants"][-1]["participants"]
    assert [p["label"] for p in attended] == ["Freedonia", "Ruritania"]


def test_a_sub_event_names_its_parent_and_facts_link_to_pages(store):
    page = browse.entity(store, "event-opening-session")
    assert page["parent"] == {"id": "event-example-forum-2023", "label": "Example Forum 2023",
                              "page": "/web/event/event-example-forum-2023"}
    chaired = next(f for f in page["facts"] if f["predicate"] == "chaired")
    assert chaired["direction"] == "in" and chaired["other"]["page"] == "/web/entity/person-jose-nunez"
    assert TEXT[chaired["start"]:chaired["end"]] == chaired["quote"]
    assert chaired["document"]["title"] == "Example Forum report"


def test_facts_are_ordered_by_predicate_then_the_other_ends_name(store):
    facts = browse.entity(store, "org-example-trade-agency")["facts"]
    keys = [(f["predicate"], f["other"]["label"]) for f in facts]
    assert keys == sorted(keys) and len(keys) == 3


def test_what_the_graph_lacks_or_does_not_show_is_not_found(store):
    with pytest.raises(NotFound, match="no entity 'person-nobody'"):
        browse.entity(store, "person-nobody")
    with pytest.raises(NotFound, match="no document 'doc-nowhere'"):
        browse.document(store, "doc-nowhere")
    assert browse.document(store, "doc-hand")["text"] == TEXT


def test_search_links_each_hit_to_its_page_and_refuses_a_long_text(store):
    index = SearchIndex.open(None)
    index.rebuild(store)
    hits = browse.search(index, "opening session")
    assert hits[0]["page"] == "/web/event/event-opening-session"
    assert browse.search(index, "   ") == []
    with pytest.raises(QueryError, match="longer than"):
        browse.search(index, "x" * (browse.MAX_QUERY_LENGTH + 1))
