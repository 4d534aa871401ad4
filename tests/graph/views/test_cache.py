"""Whole-graph views are computed once per store version, in the background, and recomputed after a new document."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph import vocab
from graph.errors import ExportError, QueryTimeout, ServerBusy
from graph.model import Document, Event, Evidence, Extraction, Person, Relation
from graph.rdf.map import extraction_quads
from graph.settings import Settings
from graph.store.core import open_store, replace_graph
from graph.views.cache import ViewCache
from graph.views.export import export_view
from graph.views.network import NetworkSpec
from tests.helpers.hand_graph import build_hand_store

pytestmark = pytest.mark.server  # views are computed in spawned processes
NEWCOMER = "person-nia-okafor-test"


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    disk = open_store(path)
    disk.bulk_extend(build_hand_store())
    disk.flush()
    del disk
    return path


def add_document(path) -> None:
    """A second document, written by another handle as ``msme-kg ingest`` would: a new person at the forum."""
    text = "Nia Okafor attended the Example Forum 2023."
    doc = Document(id="doc-second", title="Second report", text=text, source="tests/second", sha256="second-1")
    extraction = Extraction(
        doc=doc.id, persons=(Person("Nia Okafor", id=NEWCOMER),),
        events=(Event("Example Forum 2023", start="2023-05-02", id="event-example-forum-2023"),),
        relations=(Relation("Nia Okafor", "attended", "Example Forum 2023",
                            Evidence(text, 0, len(text), "hand", 0.9)),),
    )
    writer = open_store(path)
    replace_graph(writer, vocab.graph_iri(doc.id), extraction_quads(doc, extraction, datetime(2024, 2, 1, tzinfo=UTC)))
    writer.flush()
    del writer


def _node_ids(cytoscape: bytes) -> set[str]:
    return {node["data"]["id"] for node in json.loads(cytoscape)["elements"]["nodes"]}


def test_a_view_is_computed_once_per_version_and_again_after_a_new_document(store_path, tmp_path):
    views = ViewCache(store_path, tmp_path / "views", warm=())
    try:
        spec = NetworkSpec(view="whole")
        first = views.get(spec, "cytoscape")
        assert first == export_view(open_store(store_path, read_only=True), spec, "cytoscape")
        assert views.get(spec, "cytoscape") == first
        assert views.computed == 1  # the second request was served from the cache
        views.get(NetworkSpec(view="coattendance"), "graphml")
        assert views.computed == 2
        for fmt in ("graphml", "gexf", "ttl"):  # another format of a computed view: from the view kept on disk
            assert views.get(spec, fmt) == export_view(open_store(store_path, read_only=True), spec, fmt), fmt
        assert NEWCOMER not in _node_ids(first)

        assert views.computed == 5
        add_document(store_path)
        after = views.get(spec, "cytoscape")
        assert views.computed == 6  # a new version: computed anew
        assert NEWCOMER in _node_ids(after)
        assert after == export_view(open_store(store_path, read_only=True), spec, "cytoscape")
        assert views.get(spec, "cytoscape") == after
        assert views.computed == 6
    finally:
        views.close()


def test_a_new_version_starts_its_views_before_anyone_asks(store_path, tmp_path):
    spec = NetworkSpec(view="whole")
    views = ViewCache(store_path, tmp_path / "views", warm=((spec, "cytoscape"),))
    try:
        views.warm()
        deadline = time.monotonic() + 120
        while views.computed < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert views.computed == 1
        assert views.get(spec, "cytoscape")
        assert views.computed == 1  # the request found it done
    finally:
        views.close()


def test_views_with_a_focus_are_not_cached(store_path, tmp_path):
    views = ViewCache(store_path, tmp_path / "views", warm=())
    with pytest.raises(ExportError):
        views.get(NetworkSpec(focus="person-ann-lee"), "cytoscape")
    views.close()


def test_the_server_serves_views_from_the_cache_and_ego_views_live(store_path, tmp_path):
    settings = Settings(store=store_path, views_cache=tmp_path / "views", warm_views=False)
    with TestClient(create_app(settings)) as client:
        views = client.app.state.views
        whole = client.get("/export", params={"format": "cytoscape"})
        assert whole.status_code == 200
        again = client.get("/export", params={"format": "cytoscape"})
        assert again.content == whole.content
        assert views.computed == 1

        add_document(store_path)
        newer = client.get("/export", params={"format": "cytoscape"})
        assert NEWCOMER in _node_ids(newer.content)
        assert views.computed == 2
        ego = client.get("/export", params={"format": "cytoscape", "focus": NEWCOMER})
        assert ego.status_code == 200
        assert NEWCOMER in _node_ids(ego.content)
        assert views.computed == 2  # the ego view was computed live, not cached
        assert client.get("/export", params={"format": "graphml", "view": "coattendance"}).status_code == 200
        assert views.computed == 3  # another view of the same version: computed once too


def test_a_view_past_the_time_limit_is_stopped(store_path, tmp_path):
    views = ViewCache(store_path, tmp_path / "views", warm=(), timeout=0.01)  # a spawned process takes longer
    try:
        with pytest.raises(QueryTimeout, match="was stopped"):
            views.get(NetworkSpec(), "cytoscape")
        assert not views._children  # its process was killed and reaped
        assert not list((tmp_path / "views").rglob("*.cytoscape"))  # nothing half-written is served later
    finally:
        views.close()


def test_views_beyond_the_pending_bound_are_refused_until_one_is_done(store_path, tmp_path):
    views = ViewCache(store_path, tmp_path / "views", warm=(), max_pending=1)
    try:
        first = views.lookup(NetworkSpec(), "cytoscape")
        assert not isinstance(first, bytes)  # started, still running (a spawned process needs seconds)
        assert views.lookup(NetworkSpec(), "cytoscape") is first  # the same view waits for the same computation
        with pytest.raises(ServerBusy):
            views.lookup(NetworkSpec(view="coattendance"), "cytoscape")
        first.result()
        assert views.get(NetworkSpec(view="coattendance"), "cytoscape")
    finally:
        views.close()


def test_rdf_exports_of_the_whole_graph_are_export_jobs_not_cached_views(store_path, tmp_path):
    settings = Settings(store=store_path, views_cache=tmp_path / "views", warm_views=False)
    with TestClient(create_app(settings)) as client:
        turtle = client.get("/export", params={"format": "ttl"})
        assert turtle.status_code == 200 and turtle.content
        assert client.app.state.views.computed == 0
