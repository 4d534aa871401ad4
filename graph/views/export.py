"""Writers that turn a network view into a file: GraphML, GEXF, Cytoscape JSON, DOT, SVG, HTML.

Each writer takes a networkx graph (from :func:`graph.views.network.select`) and returns bytes, so
the CLI writes them to a file and the API sends them as a download. Node attributes are
``id``, ``label``, ``type`` (+ measures); edge attributes ``predicate``, ``date``, ``weight``.
GraphML and GEXF are written by :mod:`graph.views.export_xml`; RDF exports (Turtle, JSON-LD) need
the store and live in :mod:`graph.views.subgraph_rdf`.

>>> g = nx.MultiDiGraph()
>>> g.add_node("p1", label='Ann "A" Lee', type="person"); g.add_node("e1", label="Expo", type="event")
>>> _ = g.add_edge("p1", "e1", key="attended", predicate="attended", weight=1)
>>> print(to_dot(g).decode().splitlines()[-2])
  "p1" -> "e1" [label="attended", predicate="attended", date="", weight=1];
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from graph.errors import ExportError
from graph.settings import WEB_DIR
from graph.store.protocol import Store
from graph.views import export_xml
from graph.views.neighbourhood import neighbourhood
from graph.views.network import NetworkSpec, build_network, select
from graph.views.subgraph_rdf import RDF_FORMATS, write_rdf

VENDOR_JS = WEB_DIR / "static" / "vendor" / "cytoscape.min.js"
NETVIEW_JS = WEB_DIR / "static" / "netview.js"
EXPORT_TEMPLATE = WEB_DIR / "templates" / "export.html"

# one colour and Graphviz shape per entity type; the web pages use the same colours (netview.js)
TYPE_STYLE = {
    "person": ("#4e79a7", "ellipse"),
    "organisation": ("#f28e2b", "box"),
    "economy": ("#59a14f", "hexagon"),
    "initiative": ("#b07aa1", "diamond"),
    "event": ("#e15759", "octagon"),
    "place": ("#9c755f", "house"),
}
DOT_TIMEOUT = 120
SPLINES_MAX = 40  # nodes: Graphviz routes curved edges around nodes up to this size, straight lines above


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    description: str


FORMATS = {
    f.name: f
    for f in (
        Format("graphml", "application/graphml+xml", "graphml", "GraphML, yEd graphics (yEd, Gephi, networkx)"),
        Format("gexf", "application/gexf+xml", "gexf", "GEXF 1.2 (Gephi, networkx)"),
        Format("cytoscape", "application/json", "cyjs", "Cytoscape JSON (Cytoscape desktop, Cytoscape.js, networkx)"),
        Format("dot", "text/vnd.graphviz", "dot", "Graphviz DOT"),
        Format("svg", "image/svg+xml", "svg", "SVG drawn by Graphviz"),
        Format("html", "text/html; charset=utf-8", "html", "self-contained interactive page (works offline)"),
        Format("ttl", "text/turtle", "ttl", "Turtle: the subgraph's triples with their evidence"),
        Format("jsonld", "application/ld+json", "jsonld", "JSON-LD: the subgraph's triples with their evidence"),
    )
}


def _plain(value: object) -> str | int | float | bool | None:
    """A value GraphML and GEXF can store (they have no lists or None)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def portable(g: nx.Graph) -> nx.Graph:
    """A copy with ``id`` on every node, ``date`` on every edge ("" when unknown), plain values only."""
    h = g.copy()
    for node, data in h.nodes(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
        data.update({k: _plain(v) for k, v in data.items()}, id=str(node))
        data.setdefault("label", str(node))
        data.setdefault("type", "")
    for *_, data in h.edges(data=True):
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
        data.update({k: _plain(v) for k, v in data.items()})
        data.setdefault("date", "")
        data.setdefault("predicate", "")
        data["weight"] = int(data.get("weight", 1))
    return h


def to_graphml(g: nx.Graph, title: str = "msme-kg") -> bytes:
    return export_xml.to_graphml(portable(g), title)


def to_gexf(g: nx.Graph, title: str = "msme-kg") -> bytes:
    return export_xml.to_gexf(portable(g), title)


def cytoscape_data(g: nx.Graph, title: str = "msme-kg") -> dict:
    """The elements JSON that Cytoscape desktop (.cyjs), Cytoscape.js and ``networkx.cytoscape_graph``
    all read: each node's ``data`` has ``id`` and ``value`` (the node), ``name`` (the label
    Cytoscape desktop shows); each edge has a unique ``id`` and, in a multigraph, its ``key``.

    >>> g = nx.MultiDiGraph(); _ = g.add_edge("p1", "e1", key="attended", predicate="attended")
    >>> back = nx.cytoscape_graph(cytoscape_data(g))
    >>> list(back.edges(keys=True)), back.is_directed(), back.is_multigraph()
    ([('p1', 'e1', 'attended')], True, True)
    """
    h = portable(g)
    nodes = [{"data": {**data, "id": str(node), "value": str(node), "name": str(data["label"])}}
             for node, data in sorted(h.nodes(data=True), key=lambda nd: str(nd[0]))]
    keys = {}
    if h.is_multigraph():
        keys = {(str(s), str(o), d["predicate"]): k for s, o, k, d in h.edges(keys=True, data=True)}
    edges = []
    for edge_id, s, o, data in export_xml.edge_ids(h):
        edge = {**data, "id": edge_id, "source": s, "target": o, "interaction": data["predicate"]}
        if h.is_multigraph():
            edge["key"] = keys.get((s, o, data["predicate"]), data["predicate"])
        edges.append({"data": edge})
    return {
        "format_version": "1.0",
        "generated_by": "msme-kg",
        "target_cytoscapejs_version": "~3.34",
        "data": {"name": title, "directed": g.is_directed(), "multigraph": g.is_multigraph()},
        "directed": g.is_directed(),
        "multigraph": g.is_multigraph(),
        "elements": {"nodes": nodes, "edges": edges},
    }


def to_cytoscape(g: nx.Graph, title: str = "msme-kg") -> bytes:
    return json.dumps(cytoscape_data(g, title), ensure_ascii=False, indent=1).encode()


def _dot_str(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _dot_attrs(attrs: dict[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        parts.append(f"{key}={value if number else _dot_str(value)}")
    return ", ".join(parts)


def to_dot(g: nx.Graph, title: str = "msme-kg") -> bytes:
    """Graphviz DOT, coloured and shaped by type; laid out by sfdp when drawn (big graphs stay legible)."""
    h = portable(g)
    directed = h.is_directed()
    small = len(h) <= SPLINES_MAX
    # routing curved edges around nodes cost Graphviz 33 s of CPU on the 300-node seed graph
    # (straight edges: 0.3 s), enough to pass DOT_TIMEOUT on a busy machine
    graph_attrs: dict[str, object] = {"label": title, "layout": "neato" if small else "sfdp", "overlap": "prism",
                   "splines": "true" if small else "false",
                   "fontname": "DejaVu Sans", "outputorder": "edgesfirst"}
    lines = [
        f"{'digraph' if directed else 'graph'} msme_kg {{",
        f"  graph [{_dot_attrs(graph_attrs)}];",
        f"  node [{_dot_attrs({'style': 'filled', 'fontname': 'DejaVu Sans', 'fontsize': 10, 'fontcolor': 'white'})}];",
        f"  edge [{_dot_attrs({'fontname': 'DejaVu Sans', 'fontsize': 8, 'color': '#888888'})}];",
    ]
    for node, data in sorted(h.nodes(data=True)):
        colour, shape = TYPE_STYLE.get(data.get("type", ""), ("#777777", "ellipse"))
        label = data["label"] if len(data["label"]) <= 40 else data["label"][:38] + "…"
        attrs = {"label": label, "tooltip": data["label"], "fillcolor": colour, "shape": shape}
        attrs.update({k: v for k, v in data.items() if k in ("type", "date", "degree", "community")})
        lines.append(f"  {_dot_str(node)} [{_dot_attrs(attrs)}];")
    arrow = "->" if directed else "--"
    for s, o, data in sorted(h.edges(data=True), key=lambda e: (e[0], e[1], e[2]["predicate"])):
        attrs = {"label": data["predicate"], "predicate": data["predicate"], "date": data["date"],
                 "weight": data["weight"]}
        lines.append(f"  {_dot_str(s)} {arrow} {_dot_str(o)} [{_dot_attrs(attrs)}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode()


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def dot_to(dot: bytes, fmt: str = "svg") -> bytes:
    """Run Graphviz on DOT text (``dot -T<fmt>``; the layout engine named in the graph is used)."""
    exe = shutil.which("dot")
    if exe is None:
        raise ExportError("Graphviz is not installed (`dot` not found): run scripts/install-browser.sh")
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot, capture_output=True, timeout=DOT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as err:
        raise ExportError(f"Graphviz took more than {DOT_TIMEOUT} s: export a smaller view") from err
    if done.returncode != 0:
        raise ExportError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def to_svg(g: nx.Graph, title: str = "msme-kg") -> bytes:
    return dot_to(to_dot(g, title), "svg")


def _script_safe(text: str) -> str:
    """Text that cannot close the <script> element it is inlined into."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def to_html(g: nx.Graph, title: str = "msme-kg") -> bytes:
    """One HTML file with Cytoscape.js, the drawing code and the data inlined: no network needed."""
    data = json.dumps(cytoscape_data(g, title), ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    try:
        template = EXPORT_TEMPLATE.read_text(encoding="utf-8")
        library = VENDOR_JS.read_text(encoding="utf-8")
        netview = NETVIEW_JS.read_text(encoding="utf-8")
    except OSError as err:
        raise ExportError(f"cannot read the web files for the HTML export ({err}): run scripts/vendor-js.sh") from err
    parts = {
        "{{TITLE}}": html.escape(title),
        "{{GRAPH_JSON}}": data,
        "{{NETVIEW_JS}}": _script_safe(netview),
        "{{CYTOSCAPE_JS}}": _script_safe(library),
    }
    pattern = re.compile("|".join(re.escape(k) for k in parts))
    return pattern.sub(lambda m: parts[m.group(0)], template).encode()


WRITERS: dict[str, Callable[[nx.Graph, str], bytes]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "cytoscape": to_cytoscape,
    "dot": to_dot,
    "svg": to_svg,
    "html": to_html,
}


def write(g: nx.Graph, fmt: str, title: str = "msme-kg") -> bytes:
    """The bytes of one network format (not ttl/jsonld, which need the store)."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown network format {fmt!r}; known: {', '.join(WRITERS)}")
    return WRITERS[fmt](g, title)


def network_view(store: Store, spec: NetworkSpec) -> nx.Graph:
    """The networkx graph of a view: store -> network -> view (with its measures on the nodes)."""
    # an ego view needs only the focus's neighbourhood: read it from the store, not the whole network
    if spec.focus and spec.view in ("whole", "ego"):
        source = neighbourhood(store, spec.focus, spec.depth)
    else:
        source = build_network(store)
    return select(source, spec)


def export_view(store: Store, spec: NetworkSpec, fmt: str) -> bytes:
    """The whole path behind ``msme-kg export`` and ``GET /export``: store -> network -> view -> bytes."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    view = network_view(store, spec)
    if fmt in RDF_FORMATS:
        return write_rdf(store, view, fmt)
    return write(view, fmt, spec.title())


def filename(spec: NetworkSpec, fmt: str) -> str:
    """A download name such as ``msme-kg-ego-person-ann-lee.graphml``."""
    view = "ego" if spec.focus and spec.view == "whole" else spec.view
    parts = ["msme-kg", view] + ([spec.kind] if view == "coattendance" else []) + ([spec.focus] if spec.focus else [])
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", "-".join(parts))
    return f"{name}.{FORMATS[fmt].extension}"
