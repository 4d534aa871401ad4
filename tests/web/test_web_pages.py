"""The web pages, their JSON and the export download, through the app (FastAPI TestClient)."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from api.main import create_app
from graph import vocab
from graph.curation.records import Assert, Curation
from graph.ingest.curate_store import apply_to_store
from tests.helpers_tools import require_program
from tests.sample_graph import FORUM, INITIATIVES, ORGS, PEOPLE, SESSION, WORKSHOP, build_sample_store

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
    for path in ("/web/", "/web/browse/event", f"/web/entity/{ANA}", f"/web/event/{WORKSHOP}",
                 "/web/document/sample-a", "/web/graph", "/web/sparql"):
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


def test_home_page_counts_every_type_and_lists_the_most_named(client):
    data = client.get("/web/api/overview").json()
    assert data["counts"] == {"person": 5, "organisation": 3, "economy": 1, "initiative": 2, "event": 3,
                              "document": 2, "fact": data["counts"]["fact"]}
    rdf_type = NamedNode(vocab.RDF + "type")
    statements = {q.subject for q in build_sample_store().quads_for_pattern(None, rdf_type, vocab.msme("Statement"))}
    assert data["counts"]["fact"] == len(statements) > 10
    people = data["top"]["person"]
    assert {p["id"] for p in people} == set(PEOPLE)
    assert people[0]["id"] == ANA  # the sample names Ana in the most facts
    assert [p["facts"] for p in people] == sorted((p["facts"] for p in people), reverse=True)
    assert {o["id"] for o in data["top"]["organisation"]} == set(ORGS)
    assert [e["id"] for e in data["latest_events"]] == [WORKSHOP, SESSION, FORUM]  # newest first
    assert {d["id"] for d in data["top"]["document"]} == {"sample-a", "sample-b"}
    assert all(d["page"] == f"/web/document/{d['id']}" for d in data["top"]["document"])


def test_browse_lists_every_entity_of_a_type(client):
    initiatives = client.get("/web/api/browse/initiative").json()
    assert {i["id"] for i in initiatives} == set(INITIATIVES)
    assert all(i["page"] == f"/web/entity/{i['id']}" and i["facts"] >= 1 for i in initiatives)
    events = client.get("/web/api/browse/event").json()
    assert {e["date"] for e in events} == {"2024-03-12", "2023-11-20"}
    assert all(e["page"].startswith("/web/event/") for e in events)
    assert client.get("/web/api/browse/dragon").status_code == 404
    assert client.get("/web/browse/dragon").status_code == 404


def test_document_page_names_the_file_not_its_path(client):
    doc = client.get("/web/api/document/sample-a").json()
    assert doc["name"] == "sample-a.txt" and doc["title"] == "Harbour Workshop report"
    assert "/" not in doc["name"] and "tests/" not in str({k: v for k, v in doc.items() if k != "text"})
    named = {e["id"]: e for e in doc["entities"]}
    assert set(PEOPLE) - {EVA} <= set(named) and EVA not in named  # Eva is only in the other document
    assert named[WORKSHOP]["page"] == f"/web/event/{WORKSHOP}" and named[ANA]["type"] == "person"


def test_vocabulary_for_the_editor_comes_from_the_ontology(client):
    data = client.get("/web/api/vocabulary").json()
    assert data["prefixes"]["msme"] == vocab.MSME
    assert vocab.MSME + "Person" in data["classes"] and vocab.MSME + "spokeAt" in data["properties"]
    assert "http://www.w3.org/2000/01/rdf-schema#label" in data["properties"]


def test_an_asserted_fact_cites_the_curator_and_links_no_missing_document():
    """A curator's fact without a document: its evidence is who and why, not a link that 404s."""
    store = build_sample_store()
    apply_to_store(store, Curation(asserts=(Assert(EVA, "spoke_at", WORKSHOP, by="an editor",
                                                    reason="she is on the programme"),)))
    with TestClient(create_app(store=store)) as c:
        facts = [f for f in c.get(f"/web/api/entity/{EVA}").json()["facts"] if f["predicate"] == "spoke_at"]
        assert len(facts) == 1
        fact = facts[0]
        assert fact["document"] is None
        assert fact["asserted"] == {"by": "an editor", "reason": "she is on the programme"}
        participants = c.get(f"/web/api/entity/{WORKSHOP}").json()["participants"]
        spoke = next(p for g in participants if g["role"] == "spoke_at" for p in g["participants"] if p["id"] == EVA)
        assert spoke["evidence"][0]["document"] is None and spoke["evidence"][0]["asserted"]["by"] == "an editor"
        # every document link on the page opens
        for f in c.get(f"/web/api/entity/{ANA}").json()["facts"]:
            assert c.get(f"/web/api/document/{f['document']['id']}").status_code == 200
