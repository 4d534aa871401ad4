"""Every export format parses back into the same network (networkx, JSON Schema, Graphviz, RDF parsers)."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import jsonschema_rs
import networkx as nx
import pytest
from lxml import etree
from pyoxigraph import NamedNode, RdfFormat, parse

from graph import vocab
from graph.cli.main import main
from graph.errors import ExportError
from graph.views.export import FORMATS, cytoscape_data, export_view, filename, to_dot, to_html, write
from graph.views.network import NetworkSpec, build_network, select
from tests.helpers_tools import require_program
from tests.sample_graph import FORUM, PEOPLE, SESSION, WORKSHOP, build_sample_store

ANA, BO, CLEO, DMITRI, EVA = PEOPLE
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "data" / "cytoscape.schema.json").read_text())


@pytest.fixture(scope="module")
def store():
    return build_sample_store()


@pytest.fixture(scope="module")
def whole(store) -> nx.Graph:
    return select(build_network(store), NetworkSpec())


def test_graphml_reads_back_with_networkx(whole):
    back = nx.read_graphml(io.BytesIO(write(whole, "graphml")))
    assert set(back) == set(whole)
    assert back.nodes[ANA]["label"] == "Ana Rivera" and back.nodes[ANA]["type"] == "person"
    assert back.nodes[ANA]["id"] == ANA
    chaired = back.edges[ANA, WORKSHOP]
    assert chaired["predicate"] == "chaired" and chaired["date"] == "2024-03-12" and chaired["weight"] == 2
    assert back.number_of_edges() == whole.number_of_edges()
    assert all({"predicate", "date", "weight"} <= set(d) for *_, d in back.edges(data=True))


def test_gexf_reads_back_with_networkx(whole):
    back = nx.read_gexf(io.BytesIO(write(whole, "gexf")))
    assert set(back) == set(whole)
    assert back.nodes[WORKSHOP]["label"] == "Harbour Workshop on Small Exporters"
    assert back.nodes[WORKSHOP]["type"] == "event"
    assert back.nodes[WORKSHOP]["viz"]["color"] == {"r": 0xE1, "g": 0x57, "b": 0x59, "a": 1.0}  # Gephi draws it red
    assert back.nodes[WORKSHOP]["viz"]["size"] == whole.nodes[WORKSHOP]["size"]
    assert back.number_of_edges() == whole.number_of_edges()
    weights = {(s, o, d["predicate"]): d["weight"] for s, o, d in back.edges(data=True)}
    assert weights[ANA, WORKSHOP, "chaired"] == 2
    assert all(d["date"] == "2023-11-20" for s, o, d in back.edges(data=True) if o == FORUM)


def test_cytoscape_json_matches_the_schema_and_the_graph(whole):
    doc = json.loads(write(whole, "cytoscape"))
    jsonschema_rs.validate(SCHEMA, doc)
    ids = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    assert ids == set(whole)
    edges = doc["elements"]["edges"]
    assert len(edges) == whole.number_of_edges() == len({e["data"]["id"] for e in edges})
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    # the schema is not vacuous: an edge without its source is refused
    broken = json.loads(json.dumps(doc))
    del broken["elements"]["edges"][0]["data"]["source"]
    assert not jsonschema_rs.is_valid(SCHEMA, broken)


def test_dot_goes_through_graphviz_with_every_node_and_edge(whole):
    exe = require_program("dot")
    done = subprocess.run([exe, "-Tjson"], input=write(whole, "dot"), capture_output=True, timeout=120, check=True)
    drawn = json.loads(done.stdout)
    assert {o["name"] for o in drawn["objects"]} == set(whole)
    assert len(drawn["edges"]) == whole.number_of_edges()
    assert {e["predicate"] for e in drawn["edges"]} >= {"chaired", "attended", "partner_of"}


def test_dot_escapes_quotes_and_backslashes():
    g = nx.Graph()
    g.add_node('x"1', label='say "hi" \\ bye', type="person")
    text = to_dot(g).decode()
    assert r'"x\"1"' in text and r'label="say \"hi\" \\ bye"' in text


def test_svg_is_drawn_by_graphviz(whole):
    require_program("dot")
    svg = etree.fromstring(write(whole, "svg"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    titles = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")}
    assert {ANA, WORKSHOP} <= titles


def test_html_is_self_contained_and_carries_the_data(whole):
    page = write(whole, "html").decode()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page, re.IGNORECASE)  # nothing fetched
    assert "cytoscape" in page and "msmeNetview" in page
    data = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.DOTALL).group(1)
    assert json.loads(data) == json.loads(json.dumps(cytoscape_data(whole, "msme-kg")))


def test_html_data_cannot_close_its_script_element():
    g = nx.Graph()
    g.add_node("p", label="</script><script>alert(1)</script>", type="person")
    page = to_html(g, "t").decode()
    assert page.count("<script") == 4  # data, cytoscape, netview, page code
    assert "alert(1)</script>" not in page


def test_turtle_of_an_ego_view_keeps_its_facts_and_evidence_only(store):
    ttl = export_view(store, NetworkSpec(focus=DMITRI, depth=1), "ttl")
    triples = list(parse(ttl, format=RdfFormat.TURTLE))
    subjects_objects = {t.subject for t in triples} | {t.object for t in triples}
    moderated = [t for t in triples if t.predicate == vocab.msme("moderated")]
    assert [(t.subject, t.object) for t in moderated] == [(vocab.entity_iri(DMITRI), vocab.entity_iri(SESSION))]
    quotes = {t.object.value for t in triples if t.predicate == NamedNode(vocab.OA + "exact")}
    assert quotes == {"Dmitri Volkov moderated the discussion"}
    assert vocab.entity_iri(EVA) not in subjects_objects  # outside the ego network
    assert vocab.entity_iri(BO) not in subjects_objects


def test_jsonld_of_a_projection_includes_the_shared_events(store):
    doc = json.loads(export_view(store, NetworkSpec(view="coattendance", kind="person"), "jsonld"))
    ids = {item["@id"] for item in doc}
    assert vocab.entity_iri(FORUM).value in ids and vocab.entity_iri(EVA).value in ids
    triples = list(parse(json.dumps(doc).encode(), format=RdfFormat.JSON_LD))
    assert any(t.predicate == vocab.msme("attended") and t.subject == vocab.entity_iri(EVA) for t in triples)


def test_unknown_format_is_a_clear_error(store):
    with pytest.raises(ExportError, match="unknown format"):
        export_view(store, NetworkSpec(), "pdf")


def test_every_format_has_a_media_type_and_a_file_name():
    for name, fmt in FORMATS.items():
        assert "/" in fmt.media_type
        assert filename(NetworkSpec(focus="person-x"), name).endswith("." + fmt.extension)


def test_cli_export_writes_a_file_for_a_focus(tmp_path):
    path = tmp_path / "store"
    build_sample_store(path)
    out = tmp_path / "ana.graphml"
    code = main(["export", "--store", str(path), "--format", "graphml", "--focus", ANA, "--depth", "1",
                 "--types", "event,person", "--output", str(out)])
    assert code == 0
    back = nx.read_graphml(out)
    assert set(back) == {ANA, WORKSHOP, FORUM}
    folder = tmp_path / "exports"
    folder.mkdir()
    assert main(["export", "--store", str(path), "-f", "cytoscape", "--view", "coattendance", "-o", str(folder)]) == 0
    written = json.loads((folder / "msme-kg-coattendance-person.cyjs").read_text())
    assert {n["data"]["type"] for n in written["elements"]["nodes"]} == {"person"}
    assert main(["export", "--store", str(path), "-f", "dot", "--focus", "person-nobody"]) == 1


def test_undirected_projection_dot_goes_through_graphviz(store):
    exe = require_program("dot")
    view = select(build_network(store), NetworkSpec(view="coattendance"))
    text = write(view, "dot")
    assert text.startswith(b"graph ") and b" -- " in text and b" -> " not in text
    drawn = json.loads(subprocess.run([exe, "-Tjson"], input=text, capture_output=True, timeout=120, check=True).stdout)
    names = [o["name"] for o in drawn["objects"]]
    weights = {(names[e["tail"]], names[e["head"]]): e["weight"] for e in drawn["edges"]}
    assert weights.get((ANA, CLEO), weights.get((CLEO, ANA))) == "2"
