"""The web pages, their JSON and the export download, through the app (FastAPI TestClient)."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.helpers_tools import require_program
from tests.sample_graph import FORUM, PEOPLE, SESSION, WORKSHOP, build_sample_store

ANA, BO, CLEO, DMITRI, EVA = PEOPLE


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(store=build_sample_store())) as c:
        yield c


@pytest.mark.parametrize(
    ("fmt", "media_type", "extension"),
    [("graphml", "application/graphml+xml", "graphml"), ("gexf", "application/gexf+xml", "gexf"),
     ("cytoscape", "application/json", "cyjs"), ("dot", "text/vnd.graphviz", "dot"),
     ("html", "text/html", "html"), ("ttl", "text/turtle", "ttl"), ("jsonld", "application/ld+json", "jsonld")],
)
def test_export_download_has_media_type_and_file_name(client, fmt, media_type, extension):
    r = client.get("/export", params={"format": fmt, "focus": ANA, "depth": 1})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media_type)
    assert r.headers["content-disposition"] == f'attachment; filename="msme-kg-ego-{ANA}.{extension}"'


def test_export_download_is_the_view_asked_for(client):
    r = client.get("/export", params={"format": "graphml", "view": "coattendance", "since": "2024"})
    back = nx.read_graphml(io.BytesIO(r.content))
    assert EVA not in back  # she only attended the 2023 forum
    assert back.edges[ANA, BO]["weight"] == 1
    inline = client.get("/export", params={"format": "cytoscape", "download": "false"})
    assert inline.headers["content-disposition"].startswith("inline;")


def test_export_errors_are_client_errors(client):
    assert client.get("/export", params={"format": "pdf"}).status_code == 422
    assert client.get("/export", params={"since": "last year"}).status_code == 422
    assert client.get("/export", params={"focus": "person-nobody"}).status_code == 404
    assert client.get("/export", params={"view": "ego"}).status_code == 400
    assert client.get("/export", params={"types": "dragon"}).status_code == 400


def test_search_finds_people_by_part_of_their_name(client):
    hits = client.get("/web/api/search", params={"q": "rIVer"}).json()
    assert hits[0]["id"] == ANA and hits[0]["type"] == "person" and hits[0]["label"] == "Ana Rivera"
    assert hits[0]["page"] == f"/web/entity/{ANA}"
    assert client.get("/web/api/search", params={"q": ""}).json() == []
    assert client.get("/web/api/search", params={"q": "zzzz-nothing"}).json() == []


def test_entity_facts_carry_evidence_that_points_into_the_document(client):
    ana = client.get(f"/web/api/entity/{ANA}").json()
    assert ana["label"] == "Ana Rivera" and ana["type"] == "person"
    assert {d["id"] for d in ana["documents"]} == {"sample-a", "sample-b"}
    chaired = [f for f in ana["facts"] if f["predicate"] == "chaired"]
    assert {f["document"]["id"] for f in chaired} == {"sample-a", "sample-b"}
    for fact in ana["facts"]:
        text = client.get(f"/web/api/document/{fact['document']['id']}").json()["text"]
        assert text[fact["start"]:fact["end"]] == fact["quote"]
    role = next(f for f in ana["facts"] if f["predicate"] == "holds_role_at")
    assert role["role"] == "Director" and role["other"]["type"] == "organisation"


def test_event_lists_participants_by_role(client):
    event = client.get(f"/web/api/entity/{WORKSHOP}").json()
    roles = {g["role"]: [p["id"] for p in g["participants"]] for g in event["participants"]}
    assert roles == {"chaired": [ANA], "spoke_at": [BO], "attended": [CLEO],
                     "organised": ["org-agency-for-trade-support"], "sponsored": ["org-coastal-development-bank"]}
    assert event["participants"][0]["role"] == "chaired"  # chairs first
    assert event["start"] == "2024-03-12" and event["place"] == "Port Vela"
    session = client.get(f"/web/api/entity/{SESSION}").json()
    assert session["parent"]["id"] == WORKSHOP
    assert client.get(f"/web/api/entity/{FORUM}").json()["participants"][0]["role"] == "spoke_at"


def test_unknown_entity_and_document_are_404(client):
    assert client.get("/web/api/entity/person-nobody").status_code == 404
    assert client.get("/web/api/document/nothing").status_code == 404
    assert client.get("/web/api/entity/not an id!").status_code in (400, 404)


def test_pages_are_html_that_load_only_the_apps_own_scripts(client):
    for path in ("/web/", f"/web/entity/{ANA}", f"/web/event/{WORKSHOP}", "/web/document/sample-a", "/web/graph",
                 "/web/sparql"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', r.text)
        assert sources and all(s.startswith("/web/static/") for s in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200
    assert client.get("/", follow_redirects=False).headers["location"] == "/web/"


def test_static_files_cannot_escape_their_folder(client):
    js = client.get("/web/static/vendor/cytoscape.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/web/static/../../graph/cli.py").status_code == 404
    assert client.get("/web/static/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
    assert client.get("/web/static/nothing.js").status_code == 404


def test_sparql_page_examples_are_the_named_queries(client):
    names = {q["name"] for q in client.get("/web/api/queries").json()}
    assert {"network-edges", "people"} <= names
    example = next(q for q in client.get("/web/api/queries").json() if q["name"] == "events")
    rows = client.post("/sparql", data={"query": example["text"]}).json()["results"]["bindings"]
    assert {r["name"]["value"] for r in rows} >= {"Harbour Workshop on Small Exporters", "Finance Session"}


def test_svg_download_is_drawn_by_graphviz(client):
    require_program("dot")
    r = client.get("/export", params={"format": "svg", "focus": WORKSHOP})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<?xml") and "<svg" in r.text and "Harbour Workshop" in r.text
