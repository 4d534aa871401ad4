/* Draws a msme-kg network (Cytoscape JSON from /export?format=cytoscape) with Cytoscape.js.
   Shared by the web pages (served from /web/static/) and the HTML export (inlined).
   No build step, no dependency but cytoscape.min.js.

   Readable at a few hundred nodes: only the biggest nodes (by the measure the sizes follow)
   carry a label, the others show theirs on hover; nodes can be coloured by cluster (the
   Louvain community of each node) with the type as the shape; and `clusters(data)` folds a big
   network into one node per cluster, which the page expands on click. */
(function (global) {
  "use strict";

  var TYPE_COLOURS = {
    person: "#4e79a7", organisation: "#f28e2b", economy: "#59a14f",
    initiative: "#b07aa1", event: "#e15759", place: "#9c755f"
  };
  var TYPE_SHAPES = {
    person: "ellipse", organisation: "round-rectangle", economy: "hexagon", initiative: "diamond",
    event: "octagon", place: "triangle", cluster: "ellipse", resource: "ellipse"
  };
  /* the legend's small drawings of the node shapes, as SVG points in a 12 x 12 box */
  var SHAPE_POINTS = {
    hexagon: "3,1 9,1 12,6 9,11 3,11 0,6", diamond: "6,0 12,6 6,12 0,6", triangle: "6,0 12,12 0,12",
    octagon: "3.5,0 8.5,0 12,3.5 12,8.5 8.5,12 3.5,12 0,8.5 0,3.5"
  };
  var SVG = "http://www.w3.org/2000/svg";
  var LABEL_PX = 11;  /* labels keep this size on screen whatever the zoom */
  /* 12 colours told apart on screen (Tableau 10 + 2), for clusters */
  var CLUSTER_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b"];
  var LABEL_ALL_BELOW = 40;   /* a network this small is labelled whole */
  var LABELLED = 20;          /* otherwise only this many of the biggest nodes */
  var PLAIN_EDGES_ABOVE = 150; /* straight, arrowless edges on bigger networks: cheaper and calmer */

  function colour(type) { return TYPE_COLOURS[type] || "#777777"; }
  function clusterColour(community) { return CLUSTER_COLOURS[(community || 0) % CLUSTER_COLOURS.length]; }

  function shortLabel(text) {
    text = text || "";
    return text.length > 32 ? text.slice(0, 30) + "\u2026" : text;
  }

  function style(options) {
    var byCluster = options.colourBy === "community";
    return [
      { selector: "node", style: {
        "background-color": function (n) {
          if (n.data("type") === "cluster" || byCluster) { return clusterColour(n.data("community")); }
          return colour(n.data("type"));
        },
        "shape": function (n) { return TYPE_SHAPES[n.data("type")] || "ellipse"; },
        "width": "data(size)", "height": "data(size)",
        "label": function (n) {
          if (n.data("type") === "cluster") { return n.data("label"); }
          return n.data("shown") ? shortLabel(n.data("label") || n.id()) : "";
        },
        "font-size": LABEL_PX, "color": "#1f2933", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "border-width": 1, "border-color": "#ffffff"
      } },
      { selector: "node[type = 'cluster']", style: { "font-weight": "bold", "border-width": 2,
        "text-wrap": "wrap", "text-max-width": 150, "text-background-opacity": 0.85 } },
      { selector: "node.hovered, node:selected", style: { "label": function (n) { return n.data("label") || n.id(); },
        "z-index": 20, "text-background-opacity": 1 } },
      { selector: "node.focus", style: { "border-width": 4, "border-color": "#111111" } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#ffbf00" } },
      { selector: "edge", style: {
        "width": function (e) { return Math.min(1 + Math.log(e.data("weight") || 1) * 1.5, 8); },
        "line-color": "#b8c2cc", "curve-style": "bezier", "opacity": 0.85,
        "target-arrow-shape": "triangle", "target-arrow-color": "#b8c2cc", "arrow-scale": 0.7
      } },
      { selector: "edge.plain", style: { "curve-style": "haystack", "haystack-radius": 0, "target-arrow-shape": "none",
        "opacity": 0.5 } },
      { selector: "edge.undirected", style: { "target-arrow-shape": "none" } },
      /* until the layout has placed the nodes: no arrow ends to compute between nodes that
         still overlap (Cytoscape would warn in the console) */
      { selector: "edge.pending", style: { "curve-style": "haystack", "target-arrow-shape": "none", "opacity": 0 } },
      { selector: "edge:selected, edge.hovered", style: { "label": "data(predicate)", "font-size": LABEL_PX - 1, "line-color": "#52606d",
        "opacity": 1, "text-background-color": "#ffffff", "text-background-opacity": 0.9 } },
      { selector: ".faded", style: { "opacity": 0.12 } }
    ];
  }

  /* Mark the nodes that carry a label: all of a small network, else the biggest ones. */
  function chooseLabels(nodes, options) {
    var count = options.labelAll || nodes.length <= LABEL_ALL_BELOW ? nodes.length : (options.labelled || LABELLED);
    var order = nodes.slice().sort(function (a, b) {
      return (b.data.size || 0) - (a.data.size || 0) || String(a.data.label).localeCompare(String(b.data.label));
    });
    order.forEach(function (n, i) { n.data.candidate = i < count || n.data.id === options.focus; n.data.shown = n.data.candidate; });
  }

  function layoutFor(cy, n, options) {
    var focus = options.focus ? cy.getElementById(options.focus) : null;
    if (options.layout) { return options.layout; }
    if (focus && focus.length) {
      /* rings around the focus: one ring per step away from it */
      var distance = {};
      cy.elements().breadthFirstSearch({ roots: focus, directed: false,
        visit: function (v, e, u, i, depth) { distance[v.id()] = depth; } });
      return { name: "concentric", minNodeSpacing: 30, avoidOverlap: true, startAngle: Math.PI / 2,
        concentric: function (node) { return 100 - (distance[node.id()] || 0); },
        levelWidth: function () { return 1; } };
    }
    if (n > 1500) { return { name: "grid", avoidOverlap: true }; }
    return { name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: false,
      nodeRepulsion: function () { return n > 150 ? 80000 : 12000; }, idealEdgeLength: function () { return n > 150 ? 70 : 80; },
      edgeElasticity: function () { return 60; }, nodeOverlap: 40, gravity: 0.15, numIter: n > 600 ? 600 : 1200,
      componentSpacing: 40 };
  }

  /* Sizes are in graph units. Divide label sizes by the zoom so labels stay readable when a big
     network is zoomed out to fit (and do not grow huge zoomed in); grow nodes a little when zoomed
     far out, so the small ones do not vanish. */
  function keepLabelSize(cy) {
    var zoom = cy.zoom() || 1;
    /* only where edges are straight lines between centres: elsewhere grown nodes could overlap */
    var grow = cy.edges(".plain").length ? Math.min(3, Math.max(1, 0.55 / zoom)) : 1;
    cy.style().selector("node").style("font-size", LABEL_PX / zoom)
      .style("width", function (n) { return (n.data("size") || 16) * grow; })
      .style("height", function (n) { return (n.data("size") || 16) * grow; })
      .selector("node[type = 'cluster']").style("font-size", (LABEL_PX + 1) / zoom)
      .selector("edge").style("font-size", (LABEL_PX - 1) / zoom).update();
  }

  /* Move apart the two ends of any edge whose nodes overlap after the layout: Cytoscape cannot
     draw an arrow between overlapping shapes (it warns in the console), and the reader cannot
     see the link. The end with fewer links moves, along the edge or any way if they coincide. */
  function separate(cy) {
    for (var pass = 0; pass < 20; pass += 1) {
      var moved = false;
      cy.edges().forEach(function (e) {
        var a = e.source(), b = e.target();
        if (a.same(b)) { return; }
        var pa = a.position(), pb = b.position();
        var need = (a.width() + b.width()) / 2 + 6;
        var dx = pb.x - pa.x, dy = pb.y - pa.y, d = Math.sqrt(dx * dx + dy * dy);
        if (d >= need) { return; }
        if (d < 0.01) { dx = 1; dy = 0.5; d = Math.sqrt(1.25); }
        var mover = a.degree() < b.degree() ? a : b, sign = mover.same(b) ? 1 : -1;
        var p = mover.position();
        mover.position({ x: p.x + sign * dx / d * (need - d), y: p.y + sign * dy / d * (need - d) });
        moved = true;
      });
      if (!moved) { return; }
    }
  }

  /* Of the nodes chosen for a label, show the label only where it does not cover one already
     shown, biggest node first (the others show theirs on hover). Screen coordinates, so it is
     redone after each zoom or pan. */
  function declutter(cy) {
    var placed = [];
    var candidates = cy.nodes().filter(function (n) { return n.data("candidate") && n.data("type") !== "cluster"; }).sort(function (a, b) {
      return (b.data("size") || 0) - (a.data("size") || 0);
    });
    cy.batch(function () {
      candidates.forEach(function (n) {
        var p = n.renderedPosition(), h = n.renderedHeight();
        var text = shortLabel(n.data("label") || n.id());
        var w = Math.min(text.length, 32) * LABEL_PX * 0.6;
        var box = { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y + h / 2, y2: p.y + h / 2 + LABEL_PX + 4 };
        var free = placed.every(function (o) { return box.x2 < o.x1 || box.x1 > o.x2 || box.y2 < o.y1 || box.y1 > o.y2; });
        n.data("shown", free);
        if (free) { placed.push(box); }
      });
    });
  }

  /* data: the Cytoscape JSON document; options: {focus, onNodeClick(node), layout, colourBy, labelAll, labelled} */
  function draw(container, data, options) {
    options = options || {};
    var source = data.elements || { nodes: [], edges: [] };
    var elements = {
      nodes: source.nodes.map(function (n) { return { data: Object.assign({}, n.data), position: n.position }; }),
      edges: source.edges.map(function (e) { return { data: Object.assign({}, e.data) }; })
    };
    var directed = !data.data || data.data.directed !== false;
    var n = elements.nodes.length;
    chooseLabels(elements.nodes, options);
    elements.edges.forEach(function (e) {
      var classes = [];
      if (!directed) { classes.push("undirected"); }
      if (n > PLAIN_EDGES_ABOVE) { classes.push("plain"); }
      classes.push("pending");
      e.classes = classes.join(" ");
    });
    var cy = global.cytoscape({
      container: container, elements: elements, style: style(options), layout: { name: "preset" },
      minZoom: 0.05, maxZoom: 4
    });
    cy.one("layoutstop", function () {
      separate(cy);
      cy.edges().removeClass("pending");
      cy.fit(undefined, 30);
      if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(); }  /* a small graph is not drawn huge */
      keepLabelSize(cy);
      declutter(cy);
    });
    var settle = null;
    cy.on("zoom", function () { keepLabelSize(cy); });
    cy.on("viewport", function () { clearTimeout(settle); settle = setTimeout(function () { declutter(cy); }, 120); });
    cy.layout(layoutFor(cy, n, options)).run();
    if (options.focus) { cy.getElementById(options.focus).addClass("focus"); }
    cy.on("tap", "node", function (evt) {
      cy.elements().removeClass("faded");
      cy.elements().not(evt.target.closedNeighborhood()).addClass("faded");
      if (options.onNodeClick) { options.onNodeClick(evt.target); }
    });
    cy.on("tap", function (evt) { if (evt.target === cy) { cy.elements().removeClass("faded"); } });
    cy.on("mouseover", "node, edge", function (evt) { evt.target.addClass("hovered"); });
    cy.on("mouseout", "node, edge", function (evt) { evt.target.removeClass("hovered"); });
    return cy;
  }

  /* One node per cluster (community), sized by its members, named after its biggest member;
     edges between clusters weighted by the edges between their members. */
  function clusters(data) {
    var groups = {};
    data.elements.nodes.forEach(function (node) {
      var c = node.data.community || 0;
      (groups[c] = groups[c] || []).push(node.data);
    });
    var of = {};
    var nodes = Object.keys(groups).map(function (c) {
      var members = groups[c].sort(function (a, b) { return (b.size || 0) - (a.size || 0); });
      members.forEach(function (m) { of[m.id] = c; });
      var types = {};
      members.forEach(function (m) { types[m.type] = (types[m.type] || 0) + 1; });
      return { data: {
        id: "cluster-" + c, type: "cluster", community: Number(c), members: members.length,
        label: shortLabel(members[0].label) + (members.length > 1 ? " and " + (members.length - 1) + " more" : ""),
        types: types, size: Math.round(24 + 10 * Math.sqrt(members.length))
      } };
    });
    var links = {};
    data.elements.edges.forEach(function (e) {
      var a = of[e.data.source], b = of[e.data.target];
      if (a === undefined || b === undefined || a === b) { return; }
      var key = a < b ? a + "|" + b : b + "|" + a;
      links[key] = (links[key] || 0) + 1;
    });
    var edges = Object.keys(links).map(function (key) {
      var ends = key.split("|");
      return { data: { id: "link-" + key, source: "cluster-" + ends[0], target: "cluster-" + ends[1],
        weight: links[key], predicate: links[key] + " links" } };
    });
    return { data: { name: (data.data && data.data.name) || "clusters", directed: false },
      elements: { nodes: nodes, edges: edges } };
  }

  /* The nodes of one cluster and the edges among them. */
  function cluster(data, community) {
    var keep = {};
    var nodes = data.elements.nodes.filter(function (node) {
      if ((node.data.community || 0) !== community) { return false; }
      keep[node.data.id] = true;
      return true;
    });
    var edges = data.elements.edges.filter(function (e) { return keep[e.data.source] && keep[e.data.target]; });
    return { data: data.data, elements: { nodes: nodes, edges: edges } };
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

  function shapeIcon(shape, fill) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 12 12");
    svg.setAttribute("width", "12");
    svg.setAttribute("height", "12");
    svg.setAttribute("class", "legend-shape");
    var mark;
    if (SHAPE_POINTS[shape]) {
      mark = document.createElementNS(SVG, "polygon");
      mark.setAttribute("points", SHAPE_POINTS[shape]);
    } else if (shape === "round-rectangle") {
      mark = document.createElementNS(SVG, "rect");
      [["x", "0.5"], ["y", "1.5"], ["width", "11"], ["height", "9"], ["rx", "2"]].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
    } else {
      mark = document.createElementNS(SVG, "circle");
      [["cx", "6"], ["cy", "6"], ["r", "5.5"]].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
    }
    mark.setAttribute("fill", fill);
    svg.appendChild(mark);
    return svg;
  }

  /* Colour and shape per type; coloured by cluster, the shape per type in grey. */
  function legend(element, types, colourBy) {
    element.innerHTML = "";
    types.forEach(function (t) {
      var item = document.createElement("span");
      item.className = "legend-item";
      item.appendChild(shapeIcon(TYPE_SHAPES[t] || "ellipse", colourBy === "community" ? "#52606d" : colour(t)));
      item.appendChild(document.createTextNode(" " + t));
      element.appendChild(item);
    });
    if (colourBy === "community") {
      var note = document.createElement("span");
      note.className = "legend-item muted";
      note.textContent = "colour: cluster";
      element.appendChild(note);
    }
  }

  global.msmeNetview = { draw: draw, clusters: clusters, cluster: cluster, filterTypes: filterTypes,
    highlight: highlight, legend: legend, colour: colour, clusterColour: clusterColour, TYPE_COLOURS: TYPE_COLOURS };
})(window);
