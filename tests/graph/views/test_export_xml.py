"""GraphML and GEXF as yEd, Gephi and networkx read them: unique edge ids (Gephi's rule), yEd's
node graphics, typed attributes, no stray networkx attribute, parallel edges kept."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from lxml import etree

from graph.views.export import write
from graph.views.network import NetworkSpec, build_network, select
from tests.sample_graph import FORUM, PEOPLE, WORKSHOP, build_sample_store

ANA, BO, CLEO, DMITRI, EVA = PEOPLE
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
YED_NS = "{http://www.yworks.com/xml/graphml}"
GEXF_NS = "{http://www.gexf.net/1.2draft}"


@pytest.fixture(scope="module")
def whole() -> nx.Graph:
    return select(build_network(build_sample_store()), NetworkSpec())


def _edge_keys(g: nx.Graph) -> set[tuple[str, str, str]]:
    return {(s, o, d["predicate"]) for s, o, d in g.edges(data=True)}


def _parallel() -> nx.MultiDiGraph:
    """Two facts between the same two nodes (spoke at and chaired): two edges, not one."""
    g = nx.MultiDiGraph()
    g.add_node("p", label="P", type="person")
    g.add_node("e", label="E", type="event", date="2024")
    for predicate in ("spoke_at", "chaired"):
        g.add_edge("p", "e", key=predicate, predicate=predicate, weight=1, date="2024")
    return g


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape"])
def test_parallel_edges_stay_two_edges(fmt):
    data = write(_parallel(), fmt)
    read = {"graphml": lambda b: nx.read_graphml(io.BytesIO(b)), "gexf": lambda b: nx.read_gexf(io.BytesIO(b)),
            "cytoscape": lambda b: nx.cytoscape_graph(json.loads(b))}[fmt]
    back = read(data)
    assert back.is_multigraph() and back.number_of_edges() == 2
    assert {d["predicate"] for *_, d in back.edges(data=True)} == {"spoke_at", "chaired"}


def test_graphml_reads_back_with_networkx(whole):
    back = nx.read_graphml(io.BytesIO(write(whole, "graphml")))
    assert set(back) == set(whole)
    assert back.nodes[ANA]["label"] == "Ana Rivera" and back.nodes[ANA]["type"] == "person"
    assert back.nodes[ANA]["id"] == ANA
    assert back.number_of_edges() == whole.number_of_edges()
    assert _edge_keys(back) == _edge_keys(whole)
    chaired = back.edges[ANA, WORKSHOP]
    assert chaired["predicate"] == "chaired" and chaired["date"] == "2024-03-12" and chaired["weight"] == 2
    assert all({"predicate", "date", "weight"} <= set(d) for *_, d in back.edges(data=True))
    assert isinstance(back.nodes[ANA]["degree"], int) and isinstance(back.nodes[ANA]["betweenness"], float)


def test_graphml_edge_ids_are_unique_as_gephi_needs(whole):
    """Gephi's importer drops an edge whose id it has already seen."""
    root = etree.fromstring(write(whole, "graphml"))
    ids = [e.get("id") for e in root.iter(f"{GRAPHML_NS}edge")]
    assert len(ids) == whole.number_of_edges() == len(set(ids))
    assert all(ids)


def test_graphml_nodes_are_labelled_coloured_and_shaped_for_yed(whole):
    root = etree.fromstring(write(whole, "graphml"))
    graphics = [k.get("id") for k in root.iter(f"{GRAPHML_NS}key") if k.get("yfiles.type") == "nodegraphics"]
    assert len(graphics) == 1
    nodes = {n.get("id"): n for n in root.iter(f"{GRAPHML_NS}node")}
    workshop = nodes[WORKSHOP].find(f"{GRAPHML_NS}data[@key='{graphics[0]}']/{YED_NS}ShapeNode")
    assert workshop.find(f"{YED_NS}NodeLabel").text == "Harbour Workshop on Small Exporters"
    assert workshop.find(f"{YED_NS}Fill").get("color") == "#E15759"
    assert workshop.find(f"{YED_NS}Shape").get("type") == "octagon"
    assert float(workshop.find(f"{YED_NS}Geometry").get("width")) == pytest.approx(whole.nodes[WORKSHOP]["size"])
    # networkx reads yEd's graphics too: every node has its label, shape and a position
    back = nx.read_graphml(io.BytesIO(write(whole, "graphml")))
    assert {d["shape_type"] for _, d in back.nodes(data=True)} >= {"ellipse", "roundrectangle", "octagon"}
    places = {(d["x"], d["y"]) for _, d in back.nodes(data=True)}
    assert len(places) == len(whole)  # laid out: no two nodes on the same spot


def test_graphml_of_a_big_view_is_laid_out_on_a_grid():
    g = nx.MultiDiGraph()
    for i in range(400):
        g.add_node(f"p{i}", label=f"P {i}", type="person", size=12.0)
    g.add_edge("p0", "p1", key="x", predicate="x")
    back = nx.read_graphml(io.BytesIO(write(g, "graphml")))
    assert len({(d["x"], d["y"]) for _, d in back.nodes(data=True)}) == 400


def test_gexf_reads_back_with_networkx(whole):
    back = nx.read_gexf(io.BytesIO(write(whole, "gexf")))
    assert set(back) == set(whole)
    assert back.nodes[WORKSHOP]["label"] == "Harbour Workshop on Small Exporters"
    assert back.nodes[WORKSHOP]["type"] == "event"
    assert back.nodes[WORKSHOP]["viz"]["color"] == {"r": 0xE1, "g": 0x57, "b": 0x59, "a": 1.0}  # Gephi draws it red
    assert back.nodes[WORKSHOP]["viz"]["size"] == whole.nodes[WORKSHOP]["size"]
    assert back.number_of_edges() == whole.number_of_edges()
    assert _edge_keys(back) == _edge_keys(whole)
    weights = {(s, o, d["predicate"]): d["weight"] for s, o, d in back.edges(data=True)}
    assert weights[ANA, WORKSHOP, "chaired"] == 2
    assert all(d["date"] == "2023-11-20" for s, o, d in back.edges(data=True) if o == FORUM)


def test_gexf_has_unique_edge_ids_and_only_our_attributes(whole):
    text = write(whole, "gexf")
    assert b"networkx_key" not in text
    root = etree.fromstring(text)
    ids = [e.get("id") for e in root.iter(f"{GEXF_NS}edge")]
    assert len(ids) == whole.number_of_edges() == len(set(ids))
    declared = {(a.getparent().get("class"), a.get("title")) for a in root.iter(f"{GEXF_NS}attribute")}
    edge_attrs = {name for *_, d in whole.edges(data=True) for name in d} - {"weight"}
    assert {name for scope, name in declared if scope == "edge"} == edge_attrs
    assert {e.get("label") for e in root.iter(f"{GEXF_NS}edge")} >= {"chaired", "attended"}
