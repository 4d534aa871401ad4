/* Draws a msme-kg network (Cytoscape JSON from /export?format=cytoscape) with Cytoscape.js.
   Shared by the web pages (served from /web/static/) and the HTML export (inlined).
   No build step, no dependency but cytoscape.min.js. */
(function (global) {
  "use strict";

  var TYPE_COLOURS = {
    person: "#4e79a7", organisation: "#f28e2b", economy: "#59a14f",
    initiative: "#b07aa1", event: "#e15759", place: "#9c755f"
  };

  function colour(type) { return TYPE_COLOURS[type] || "#777777"; }

  function style() {
    return [
      { selector: "node", style: {
        "background-color": function (n) { return colour(n.data("type")); },
        "width": "data(size)", "height": "data(size)",
        "label": function (n) { var l = n.data("label") || n.id(); return l.length > 32 ? l.slice(0, 30) + "…" : l; },
        "font-size": 9, "color": "#222", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#fff", "text-background-opacity": 0.7, "text-background-padding": 1,
        "border-width": 1, "border-color": "#fff"
      } },
      { selector: "node[type = 'organisation']", style: { "shape": "round-rectangle" } },
      { selector: "node[type = 'economy']", style: { "shape": "hexagon" } },
      { selector: "node[type = 'initiative']", style: { "shape": "diamond" } },
      { selector: "node[type = 'event']", style: { "shape": "octagon" } },
      { selector: "node.focus", style: { "border-width": 4, "border-color": "#111" } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#ffbf00" } },
      { selector: "edge", style: {
        "width": function (e) { return Math.min(1 + Math.log(e.data("weight") || 1) * 1.5, 8); },
        "line-color": "#b8b8b8", "curve-style": "bezier", "opacity": 0.8,
        "target-arrow-shape": "triangle", "target-arrow-color": "#b8b8b8", "arrow-scale": 0.7
      } },
      { selector: "edge.undirected", style: { "target-arrow-shape": "none" } },
      { selector: "edge:selected, edge.hover", style: { "label": "data(predicate)", "font-size": 8, "line-color": "#555" } },
      { selector: ".faded", style: { "opacity": 0.15 } }
    ];
  }

  /* data: the Cytoscape JSON document; options: {focus, onNodeClick(node), layout} */
  function draw(container, data, options) {
    options = options || {};
    var elements = data.elements || { nodes: [], edges: [] };
    var directed = !data.data || data.data.directed !== false;
    elements.edges.forEach(function (e) { if (!directed) { e.classes = "undirected"; } });
    var n = elements.nodes.length;
    var cy = global.cytoscape({
      container: container, elements: elements, style: style(), layout: { name: "preset" },
      wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4
    });
    var layout = options.layout;
    var focus = options.focus ? cy.getElementById(options.focus) : null;
    if (!layout && focus && focus.length) {
      /* rings around the focus: one ring per step away from it */
      var distance = {};
      cy.elements().breadthFirstSearch({ roots: focus, directed: false,
        visit: function (v, e, u, i, depth) { distance[v.id()] = depth; } });
      layout = { name: "concentric", minNodeSpacing: 30, avoidOverlap: true, startAngle: Math.PI / 2,
        concentric: function (node) { return 100 - (distance[node.id()] || 0); },
        levelWidth: function () { return 1; } };
    }
    if (!layout) {
      layout = n > 600 ? { name: "circle" } : { name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; } };
    }
    cy.one("layoutstop", function () {
      cy.fit(undefined, 30);
      if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(); }  /* a small graph is not drawn huge */
    });
    cy.layout(layout).run();
    if (options.focus) { cy.getElementById(options.focus).addClass("focus"); }
    cy.on("tap", "node", function (evt) {
      cy.elements().removeClass("faded");
      var hood = evt.target.closedNeighborhood();
      cy.elements().not(hood).addClass("faded");
      if (options.onNodeClick) { options.onNodeClick(evt.target); }
    });
    cy.on("tap", function (evt) { if (evt.target === cy) { cy.elements().removeClass("faded"); } });
    cy.on("mouseover", "edge", function (evt) { evt.target.addClass("hover"); });
    cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });
    return cy;
  }

  /* Show only the node types whose box is ticked. */
  function filterTypes(cy, types) {
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.style("display", types.indexOf(n.data("type")) >= 0 ? "element" : "none"); });
    });
  }

  /* Mark the nodes whose label contains text; returns how many. */
  function highlight(cy, text) {
    var t = (text || "").toLowerCase();
    cy.nodes().removeClass("match");
    if (!t) { return 0; }
    var found = cy.nodes().filter(function (n) { return (n.data("label") || "").toLowerCase().indexOf(t) >= 0; });
    found.addClass("match");
    return found.length;
  }

  function legend(element, types) {
    element.innerHTML = "";
    types.forEach(function (t) {
      var item = document.createElement("span");
      item.className = "legend-item";
      var dot = document.createElement("span");
      dot.className = "legend-dot";
      dot.style.background = colour(t);
      item.appendChild(dot);
      item.appendChild(document.createTextNode(t));
      element.appendChild(item);
    });
  }

  global.msmeNetview = { draw: draw, filterTypes: filterTypes, highlight: highlight, legend: legend,
    colour: colour, TYPE_COLOURS: TYPE_COLOURS };
})(window);
