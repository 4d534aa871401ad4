"""GraphML (with yEd graphics) and GEXF 1.2 writers that the tools people open them in accept.

Written with ElementTree rather than networkx's writers, for three reasons the tools care about:

- every edge has its own id (``source|predicate|target``). networkx used the multigraph key (the
  predicate) as the GraphML edge id, so a whole-graph file had 405 edges and 14 ids, and Gephi,
  which drops an edge whose id it has seen, kept 14;
- GraphML nodes carry yEd's ``y:ShapeNode`` (label, colour, shape, size and a position), so a
  node shows its name when the file is opened in yEd, laid out already;
- GEXF edges carry only our attributes (networkx added the multigraph key as ``networkx_key``).

Both read back with networkx (``read_graphml``, ``read_gexf``), which is how the tests check them.

>>> g = nx.MultiDiGraph()
>>> g.add_node("p1", label="Ann Lee", type="person"); g.add_node("e1", label="Expo", type="event")
>>> _ = g.add_edge("p1", "e1", key="attended", predicate="attended", weight=1)
>>> _ = g.add_edge("p1", "e1", key="spoke_at", predicate="spoke_at", weight=1)
>>> back = nx.read_graphml(io.BytesIO(to_graphml(g)))
>>> sorted(k for *_, k in back.edges(keys=True)), back.nodes["p1"]["label"], back.nodes["p1"]["shape_type"]
(['p1|attended|e1', 'p1|spoke_at|e1'], 'Ann Lee', 'ellipse')
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YED = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GEXF = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"

# one colour and yEd shape per entity type; the same colours as the web pages and the DOT export
YED_STYLE = {
    "person": ("#4E79A7", "ellipse"),
    "organisation": ("#F28E2B", "roundrectangle"),
    "economy": ("#59A14F", "hexagon"),
    "initiative": ("#B07AA1", "diamond"),
    "event": ("#E15759", "octagon"),
    "place": ("#9C755F", "triangle"),
}
OTHER_STYLE = ("#777777", "ellipse")
SPRING_LAYOUT_MAX = 300  # nodes: above, a grid (a spring layout costs O(n²) per step)
LAYOUT_SEED = 42

for _prefix, _uri in (("y", YED), ("xsi", XSI), ("viz", VIZ)):
    ET.register_namespace(_prefix, _uri)


def edge_ids(g: nx.Graph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(id, source, target, data) per edge: ``source|predicate|target``, made unique if need be.

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", predicate="x"); _ = g.add_edge("a", "b", predicate="x")
    >>> [i for i, *_ in edge_ids(g)]
    ['a|x|b', 'a|x|b#2']
    """
    seen: dict[str, int] = {}
    # an undirected edge's ends in a fixed order: networkx gives them in insertion order, which
    # follows set iteration (PYTHONHASHSEED) in the projections
    ends = (lambda s, o: (s, o)) if g.is_directed() else (lambda s, o: tuple(sorted((s, o), key=str)))
    edges = [(*ends(s, o), data) for s, o, data in g.edges(data=True)]
    for s, o, data in sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("predicate")))):
        base = f"{s}|{data.get('predicate', '')}|{o}"
        seen[base] = seen.get(base, 0) + 1
        yield (base if seen[base] == 1 else f"{base}#{seen[base]}"), str(s), str(o), data


def _kind(values: list[Any]) -> tuple[str, str]:
    """(GraphML attr.type, GEXF type) that holds every value."""
    if all(isinstance(v, bool) for v in values):
        return "boolean", "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long", "long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double", "double"
    return "string", "string"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _attributes(items: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Every attribute name of the nodes (or edges), with the type that holds all its values."""
    values: dict[str, list[Any]] = {}
    for data in items:
        for name, value in data.items():
            values.setdefault(name, []).append(value)
    return {name: _kind(vals) for name, vals in sorted(values.items())}


def positions(g: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Where to put each node when the file is opened: a seeded spring layout of a small graph,
    a grid (by community, then size) of a big one; in pixels, about 80 per node across."""
    n = len(g)
    if n == 0:
        return {}
    side = 80.0 * math.sqrt(n) + 200.0
    if n <= SPRING_LAYOUT_MAX:
        simple = nx.Graph()  # nodes and edges in sorted order: the seeded layout is then the same every run
        simple.add_nodes_from(sorted(g, key=str))
        simple.add_edges_from(sorted((tuple(sorted((s, o), key=str)) for s, o in g.edges()), key=str))
        layout = nx.spring_layout(simple, seed=LAYOUT_SEED)
        return {node: (round((x + 1) * side / 2, 1), round((y + 1) * side / 2, 1)) for node, (x, y) in layout.items()}
    order = sorted(g.nodes(data=True), key=lambda nd: (nd[1].get("community", 0), -float(nd[1].get("size") or 0),
                                                       str(nd[0])))
    columns = math.ceil(math.sqrt(n))
    return {node: (float(i % columns) * 120.0, float(i // columns) * 90.0) for i, (node, _) in enumerate(order)}


def _serialise(root: ET.Element) -> bytes:
    """The document; its own elements are unqualified under the root's ``xmlns`` (ElementTree's
    ``default_namespace`` refuses unqualified attributes such as ``id``)."""
    ET.indent(root, space=" ")
    out = io.BytesIO()
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue() + b"\n"


# ---------------------------------------------------------------- GraphML


def _yed_node(data: dict[str, Any], x: float, y: float) -> ET.Element:
    colour, shape = YED_STYLE.get(data.get("type", ""), OTHER_STYLE)
    size = float(data.get("size") or 30.0)
    shape_node = ET.Element(f"{{{YED}}}ShapeNode")
    ET.SubElement(shape_node, f"{{{YED}}}Geometry", x=str(x), y=str(y), width=str(size), height=str(size))
    ET.SubElement(shape_node, f"{{{YED}}}Fill", color=colour, transparent="false")
    ET.SubElement(shape_node, f"{{{YED}}}BorderStyle", color="#FFFFFF", type="line", width="1.0")
    label = ET.SubElement(shape_node, f"{{{YED}}}NodeLabel", modelName="sides", modelPosition="s",
                          fontFamily="Dialog", fontSize="12", textColor="#1F2933", visible="true")
    label.text = str(data.get("label", ""))
    ET.SubElement(shape_node, f"{{{YED}}}Shape", type=shape)
    return shape_node


def _yed_edge(data: dict[str, Any], directed: bool) -> ET.Element:
    line = ET.Element(f"{{{YED}}}PolyLineEdge")
    width = min(1.0 + math.log(max(1, int(data.get("weight") or 1))), 6.0)
    ET.SubElement(line, f"{{{YED}}}LineStyle", color="#9AA5B1", type="line", width=f"{width:.1f}")
    ET.SubElement(line, f"{{{YED}}}Arrows", source="none", target="standard" if directed else "none")
    label = ET.SubElement(line, f"{{{YED}}}EdgeLabel", fontFamily="Dialog", fontSize="10", visible="true")
    label.text = str(data.get("predicate", ""))
    return line


def to_graphml(g: nx.Graph, title: str = "msme-kg") -> bytes:
    """GraphML with unique edge ids, typed attribute keys, and yEd graphics on nodes and edges."""
    root = ET.Element("graphml", {
        "xmlns": GRAPHML,
        f"{{{XSI}}}schemaLocation": f"{GRAPHML} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"})
    node_attrs = _attributes([d for _, d in g.nodes(data=True)])
    edge_attrs = _attributes([d for *_, d in g.edges(data=True)])
    keys: dict[tuple[str, str], str] = {}
    ET.SubElement(root, "key", id="g_title", attrib={"for": "graph", "attr.name": "title",
                                                                     "attr.type": "string"})
    for scope, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        for i, (name, (kind, _)) in enumerate(attrs.items()):
            keys[scope, name] = f"{scope[0]}{i}"
            ET.SubElement(root, "key", id=keys[scope, name],
                          attrib={"for": scope, "attr.name": name, "attr.type": kind})
    ET.SubElement(root, "key", id="n_yed", attrib={"for": "node", "yfiles.type": "nodegraphics"})
    ET.SubElement(root, "key", id="e_yed", attrib={"for": "edge", "yfiles.type": "edgegraphics"})
    directed = g.is_directed()
    graph = ET.SubElement(root, "graph", id="G", edgedefault="directed" if directed else "undirected")
    ET.SubElement(graph, "data", key="g_title").text = title
    where = positions(g)
    for node, data in sorted(g.nodes(data=True), key=lambda nd: str(nd[0])):
        element = ET.SubElement(graph, "node", id=str(node))
        for name, value in sorted(data.items()):
            ET.SubElement(element, "data", key=keys["node", name]).text = _text(value)
        ET.SubElement(element, "data", key="n_yed").append(_yed_node(data, *where[node]))
    for edge_id, s, o, data in edge_ids(g):
        element = ET.SubElement(graph, "edge", id=edge_id, source=s, target=o)
        for name, value in sorted(data.items()):
            ET.SubElement(element, "data", key=keys["edge", name]).text = _text(value)
        ET.SubElement(element, "data", key="e_yed").append(_yed_edge(data, directed))
    return _serialise(root)


# ---------------------------------------------------------------- GEXF

# attributes GEXF has its own place for (Gephi reads them there), not as attvalues
GEXF_NODE_OWN = ("label", "viz")
GEXF_EDGE_OWN = ("weight",)


def _rgb(colour: str) -> dict[str, str]:
    return {"r": str(int(colour[1:3], 16)), "g": str(int(colour[3:5], 16)), "b": str(int(colour[5:7], 16))}


def to_gexf(g: nx.Graph, title: str = "msme-kg") -> bytes:
    """GEXF 1.2 with Gephi's viz colour (by type) and size (by the chosen measure) on each node,
    the predicate as each edge's label, and unique edge ids."""
    root = ET.Element("gexf", xmlns=GEXF, version="1.2")
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "msme-kg"
    ET.SubElement(meta, "description").text = title
    graph = ET.SubElement(root, "graph", defaultedgetype="directed" if g.is_directed() else "undirected",
                          mode="static")
    node_attrs = _attributes([{k: v for k, v in d.items() if k not in GEXF_NODE_OWN} for _, d in g.nodes(data=True)])
    edge_attrs = _attributes([{k: v for k, v in d.items() if k not in GEXF_EDGE_OWN} for *_, d in g.edges(data=True)])
    ids: dict[tuple[str, str], str] = {}
    for scope, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        declared = ET.SubElement(graph, "attributes", attrib={"class": scope, "mode": "static"})
        for i, (name, (_, kind)) in enumerate(attrs.items()):
            ids[scope, name] = str(i)
            ET.SubElement(declared, "attribute", id=str(i), title=name, type=kind)
    nodes = ET.SubElement(graph, "nodes")
    for node, data in sorted(g.nodes(data=True), key=lambda nd: str(nd[0])):
        element = ET.SubElement(nodes, "node", id=str(node), label=str(data.get("label", node)))
        values = ET.SubElement(element, "attvalues")
        for name, value in sorted(data.items()):
            if name not in GEXF_NODE_OWN:
                ET.SubElement(values, "attvalue", attrib={"for": ids["node", name], "value": _text(value)})
        ET.SubElement(element, f"{{{VIZ}}}color", _rgb(YED_STYLE.get(data.get("type", ""), OTHER_STYLE)[0]))
        if isinstance(data.get("size"), int | float):
            ET.SubElement(element, f"{{{VIZ}}}size", value=str(float(data["size"])))
    edges = ET.SubElement(graph, "edges")
    for edge_id, s, o, data in edge_ids(g):
        element = ET.SubElement(edges, "edge", id=edge_id, source=s, target=o,
                                label=str(data.get("predicate", "")), weight=str(float(data.get("weight", 1))))
        values = ET.SubElement(element, "attvalues")
        for name, value in sorted(data.items()):
            if name not in GEXF_EDGE_OWN:
                ET.SubElement(values, "attvalue", attrib={"for": ids["edge", name], "value": _text(value)})
    return _serialise(root)
