"""Every export format parses back into the same network with the reader of the tool it is for
(networkx read_graphml / read_gexf / cytoscape_graph, the Gephi edge-id rule, yEd's graphics,
JSON Schema, Graphviz, rdflib and pyoxigraph RDF parsers)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema_rs
import networkx as nx
import pytest
import rdflib
from lxml import etree
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib.compare import isomorphic

from graph import vocab
from graph.cli.main import main
from graph.errors import ExportError
from graph.views.export import FORMATS, cytoscape_data, export_view, filename, to_dot, to_html, write
from graph.views.network import NetworkSpec, build_network, select
from graph.views.subgraph_rdf import jsonld_context
from tests.helpers_tools import require_program
from tests.paths import ROOT
from tests.sample_graph import FORUM, PEOPLE, SESSION, WORKSHOP, build_sample_store

ANA, BO, CLEO, DMITRI, EVA = PEOPLE
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "data" / "cytoscape.schema.json").read_text())
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
YED_NS = "{http://www.yworks.com/xml/graphml}"
GEXF_NS = "{http://www.gexf.net/1.2draft}"


@pytest.fixture(scope="module")
def store():
    return build_sample_store()


@pytest.fixture(scope="module")
def whole(store) -> nx.Graph:
    return select(build_network(store), NetworkSpec())


def _edge_keys(g: nx.Graph) -> set[tuple[str, str, str]]:
    return {(s, o, d["predicate"]) for s, o, d in g.edges(data=True)}


def test_cytoscape_json_matches_the_schema_and_the_graph(whole):
    doc = json.loads(write(whole, "cytoscape"))
    jsonschema_rs.validate(SCHEMA, doc)
    ids = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    assert ids == set(whole)
    edges = doc["elements"]["edges"]
    assert len(edges) == whole.number_of_edges() == len({e["data"]["id"] for e in edges})
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    # Cytoscape desktop shows the "name" column as each node's label
    names = {n["data"]["name"] for n in doc["elements"]["nodes"]}
    assert names >= {"Ana Rivera", "Harbour Workshop on Small Exporters"}
    # the schema is not vacuous: an edge without its source is refused
    broken = json.loads(json.dumps(doc))
    del broken["elements"]["edges"][0]["data"]["source"]
    assert not jsonschema_rs.is_valid(SCHEMA, broken)


def test_cytoscape_json_reads_back_with_networkx(whole, store):
    back = nx.cytoscape_graph(json.loads(write(whole, "cytoscape")))
    assert back.is_directed() and back.is_multigraph()
    assert set(back) == set(whole) and back.number_of_edges() == whole.number_of_edges()
    assert _edge_keys(back) == _edge_keys(whole)
    assert back.nodes[ANA]["label"] == back.nodes[ANA]["name"] == "Ana Rivera"
    assert back.edges[ANA, WORKSHOP, "chaired"]["weight"] == 2
    projection = select(build_network(store), NetworkSpec(view="coattendance"))
    undirected = nx.cytoscape_graph(json.loads(write(projection, "cytoscape")))
    assert not undirected.is_directed() and not undirected.is_multigraph()
    assert undirected.edges[ANA, CLEO]["weight"] == 2


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
    ids = {item["@id"] for item in doc["@graph"]}
    assert f"id:{FORUM}" in ids and f"id:{EVA}" in ids
    triples = list(parse(json.dumps(doc).encode(), format=RdfFormat.JSON_LD))
    assert any(t.predicate == vocab.msme("attended") and t.subject == vocab.entity_iri(EVA) for t in triples)


def test_jsonld_is_compact_with_the_project_context_and_the_same_graph_as_turtle(store):
    spec = NetworkSpec(focus=DMITRI, depth=1)
    doc = json.loads(export_view(store, spec, "jsonld"))
    assert doc["@context"] == jsonld_context()
    dmitri = next(item for item in doc["@graph"] if item["@id"] == f"id:{DMITRI}")
    assert dmitri["@type"] == "Person" and dmitri["label"] == "Dmitri Volkov"
    assert dmitri["moderated"] == f"id:{SESSION}"
    from_jsonld = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    from_turtle = rdflib.Graph().parse(data=export_view(store, spec, "ttl").decode(), format="turtle")
    assert len(from_jsonld) == len(from_turtle) > 20
    assert isomorphic(from_jsonld, from_turtle)


def test_jsonld_context_names_every_class_and_property_of_the_ontology():
    ctx = jsonld_context()
    assert {p: ctx[p] for p in vocab.PREFIXES} == vocab.PREFIXES
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "msme.ttl")
    owl = rdflib.Namespace(vocab.OWL)
    expanded = {}
    for term, value in ctx.items():
        iri = value["@id"] if isinstance(value, dict) else value
        prefix, _, local = iri.partition(":")
        expanded[term] = (ctx[prefix] + local) if prefix in ctx and isinstance(ctx[prefix], str) and local else iri
    for kind in (owl.Class, owl.ObjectProperty, owl.DatatypeProperty):
        for term in ontology.subjects(rdflib.RDF.type, kind):
            local = str(term).rsplit("#", 1)[-1]
            assert expanded.get(local) == str(term), local
            if kind == owl.ObjectProperty:
                assert ctx[local]["@type"] == "@id", local


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


def test_network_files_are_the_same_whatever_the_hash_seed():
    """Projections are built from sets: the files must not follow PYTHONHASHSEED."""
    script = ("import hashlib\nfrom tests.sample_graph import build_sample_store\n"
              "from graph.views.export import export_view\nfrom graph.views.network import NetworkSpec\n"
              "s = build_sample_store()\n"
              "for fmt in ('graphml', 'gexf', 'cytoscape'):\n"
              "    for view in ('whole', 'coattendance', 'copartnership'):\n"
              "        print(fmt, view, hashlib.sha256(export_view(s, NetworkSpec(view=view), fmt)).hexdigest())\n")
    root = ROOT
    outputs = [
        subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True,
                       timeout=120, env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0].count("\n") == 9 and outputs[0] == outputs[1]


def test_dot_of_a_big_view_asks_graphviz_for_straight_edges():
    """Curved edges routed around nodes cost Graphviz 33 s of CPU on the 300-node seed graph (0.3 s straight)."""
    big = nx.path_graph(120)
    nx.set_node_attributes(big, "person", "type")
    assert 'splines="false"' in to_dot(big).decode() and 'layout="sfdp"' in to_dot(big).decode()
    small = nx.path_graph(10)
    assert 'splines="true"' in to_dot(small).decode() and 'layout="neato"' in to_dot(small).decode()
