"""REST lists are read once per version of a read-only store (api.deps.list_rows)."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad

from api.main import create_app
from graph import vocab
from graph.settings import Settings
from graph.store.core import open_store, replace_graph
from graph.views import lookups


@pytest.mark.server  # the app's query worker process
def test_the_pages_of_a_list_share_one_read_and_a_write_brings_the_next(hand_store_path, tmp_path, monkeypatch):
    store_dir = tmp_path / "store"
    shutil.copytree(hand_store_path, store_dir, ignore=shutil.ignore_patterns("LOCK"))
    reads = []

    def counted(store):
        reads.append(store)
        return read_events(store)

    read_events = lookups.events
    monkeypatch.setattr(lookups, "events", counted)
    settings = Settings(store=store_dir, search_index=tmp_path / "search.sqlite", query_workers=1)
    with TestClient(create_app(settings)) as client:
        first = client.get("/events", params={"limit": 1}).json()
        second = client.get("/events", params={"limit": 1, "offset": 1}).json()
        assert len(reads) == 1
        assert first["total"] == second["total"] >= 2
        assert first["items"] != second["items"]

        graph, event = vocab.graph_iri("doc-later"), vocab.entity_iri("event-a-later-forum")
        writer = open_store(store_dir)
        replace_graph(writer, graph, [Quad(event, NamedNode(vocab.RDF + "type"), vocab.msme("Event"), graph),
                                      Quad(event, NamedNode(vocab.RDFS + "label"), Literal("A Later Forum"), graph)])
        writer.flush()
        del writer

        after = client.get("/events", params={"limit": 1000}).json()
        assert len(reads) == 2
        assert after["total"] == first["total"] + 1
        assert "A Later Forum" in [e["name"] for e in after["items"]]
        assert client.get("/events", params={"limit": 1, "offset": 1}).json()["total"] == after["total"]
        assert len(reads) == 2
