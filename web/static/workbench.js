/* The SPARQL page: YASGUI (vendored, web/static/vendor/yasgui) set up for this server.

   - the editor completes the project's prefixes (typing `msme:` adds its PREFIX line) and, with
     Ctrl-Space, the classes and properties of the ontology (from /web/api/vocabulary) instead
     of asking a web service;
   - results of CONSTRUCT and DESCRIBE show as a table of triples and as a small graph (the
     "Graph" plugin below, drawn with Cytoscape.js);
   - the named queries of queries/ are examples; each opens in its own tab;
   - a note appears when the server capped the rows (header X-Result-Truncated);
   - the answer downloads as CSV, TSV, JSON or XML (SELECT, ASK) or Turtle, N-Triples, JSON-LD
     or RDF/XML (CONSTRUCT, DESCRIBE): the query is sent again with that Accept header;
   - ?query=... in the page's address opens that query (YASGUI's share link does the same).
*/
(function () {
  "use strict";

  var ENDPOINT = window.location.origin + "/sparql";
  var GRAPH_LIMIT = 300;  /* triples drawn by the Graph plugin; the table shows them all */
  var DOWNLOADS = {
    rows: [["CSV", "text/csv", "csv"], ["TSV", "text/tab-separated-values", "tsv"],
      ["JSON", "application/sparql-results+json", "srj"], ["XML", "application/sparql-results+xml", "srx"]],
    graph: [["Turtle", "text/turtle", "ttl"], ["N-Triples", "application/n-triples", "nt"],
      ["JSON-LD", "application/ld+json", "jsonld"], ["RDF/XML", "application/rdf+xml", "rdf"]]
  };
  var RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  var ENTITY_IRI = /^https:\/\/w3id\.org\/msme-kg\/id\/(person|org|economy|initiative|event|place)-/;
  var LABELS = ["http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/name"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "className") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(r.status + " " + r.statusText); }
      return r.json();
    });
  }

  /* ---------------------------------------------------------------- completion */

  function completers(vocabulary) {
    var Yasqe = Yasgui.Yasqe;
    var ours = Object.keys(vocabulary.prefixes).sort().map(function (p) { return p + ": <" + vocabulary.prefixes[p] + ">"; });
    var taken = Object.keys(vocabulary.prefixes);
    var bundled = Yasqe.Autocompleters.prefixes.get;
    Yasqe.forkAutocompleter("prefixes", {
      name: "project-prefixes", persistenceId: null,
      get: function (yasqe) {
        return Promise.resolve(bundled(yasqe)).then(function (others) {
          return ours.concat((others || []).filter(function (line) { return taken.indexOf(line.split(":")[0]) < 0; }));
        });
      }
    }, false);
    Yasqe.forkAutocompleter("class", { name: "project-classes", bulk: true, get: vocabulary.classes, persistenceId: null }, false);
    Yasqe.forkAutocompleter("property", { name: "project-properties", bulk: true, get: vocabulary.properties, persistenceId: null }, false);
    return ["variables", "project-prefixes", "project-classes", "project-properties"];
  }

  function starterQuery(prefixes) {
    return ["msme", "rdfs"].map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n") +
      "\n\nSELECT ?person ?name WHERE {\n  ?person a msme:Person ; rdfs:label ?name .\n}\nORDER BY ?name\nLIMIT 25\n";
  }

  /* ---------------------------------------------------------------- the Graph plugin */

  function compact(iri, prefixes) {
    var best = null;
    Object.keys(prefixes).forEach(function (p) {
      var ns = prefixes[p];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length && (!best || ns.length > prefixes[best].length)) { best = p; }
    });
    return best ? best + ":" + iri.slice(prefixes[best].length) : iri;
  }

  /* Cytoscape elements from subject/predicate/object bindings: resources are nodes, literals are
     their attributes (a label literal names the node), the rest of the triples are edges. */
  function graphElements(bindings, prefixes) {
    var nodes = {}, edges = [];
    function node(term) {
      var id = term.value;
      if (!nodes[id]) {
        nodes[id] = { data: { id: id, label: term.type === "bnode" ? "_:" + id : compact(id, prefixes), type: "resource", size: 18 },
          literals: [] };
      }
      return nodes[id];
    }
    bindings.slice(0, GRAPH_LIMIT).forEach(function (b, i) {
      var s = node(b.subject), p = b.predicate.value, o = b.object;
      if (o.type === "literal" || o.type === "typed-literal") {
        s.literals.push([compact(p, prefixes), o.value]);
        if (LABELS.indexOf(p) >= 0) { s.data.label = o.value; }
        return;
      }
      if (p === RDF_TYPE) { s.data.kind = compact(o.value, prefixes); }
      node(o);
      edges.push({ data: { id: "t" + i, source: s.data.id, target: o.value, predicate: compact(p, prefixes), weight: 1 } });
    });
    var list = Object.keys(nodes).map(function (k) {
      var n = nodes[k];
      n.data.literals = n.literals;
      var degree = edges.filter(function (e) { return e.data.source === k || e.data.target === k; }).length;
      n.data.size = 16 + Math.min(30, degree * 4);
      var typed = ENTITY_IRI.exec(k);
      if (typed) { n.data.type = typed[1] === "org" ? "organisation" : typed[1]; }
      return { data: n.data };
    });
    return { data: { directed: true }, elements: { nodes: list, edges: edges } };
  }

  function GraphPlugin(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Graph"; }
  GraphPlugin.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getType && r.getType() === "ttl" && r.getBindings() && r.getBindings().length);
  };
  GraphPlugin.prototype.getIcon = function () {
    var icon = el("span", { className: "graph-plugin-icon", "aria-hidden": "true", text: "\u25c9" });
    return icon;
  };
  GraphPlugin.prototype.draw = function () {
    var bindings = this.yasr.results.getBindings();
    var data = graphElements(bindings, window.msmeWorkbench.prefixes);
    var box = el("div", { className: "graph workbench-graph" });
    var details = el("div", { className: "workbench-node muted", text: "Click a node to see its literals." });
    var note = bindings.length > GRAPH_LIMIT ?
      el("p", { className: "notice", text: "The graph shows the first " + GRAPH_LIMIT + " of " + bindings.length + " triples; the table shows them all." }) : null;
    var wrap = el("div", { className: "workbench-graph-wrap" }, [box, details]);
    if (note) { this.yasr.resultsEl.appendChild(note); }
    this.yasr.resultsEl.appendChild(wrap);
    var cy = msmeNetview.draw(box, data, {
      labelAll: true,
      onNodeClick: function (n) {
        details.innerHTML = "";
        details.className = "workbench-node";
        details.appendChild(el("strong", { text: n.data("label") }));
        details.appendChild(el("div", { className: "muted iri", text: n.id() }));
        var dl = el("dl", { className: "props" });
        (n.data("literals") || []).forEach(function (pair) {
          dl.appendChild(el("dt", { text: pair[0] }));
          dl.appendChild(el("dd", { text: pair[1] }));
        });
        details.appendChild(dl);
      }
    });
    window.msmeWorkbench.cy = cy;
  };

  /* ---------------------------------------------------------------- downloads and notes */

  function saveAs(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function download(query, accept, extension, status) {
    status.textContent = "Downloading…";
    return fetch(ENDPOINT, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (r) {
      if (!r.ok) { return r.text().then(function (t) { throw new Error(r.status + ": " + t); }); }
      return r.blob();
    }).then(function (blob) {
      saveAs(blob, "query-result." + extension);
      status.textContent = "";
    }).catch(function (err) { status.textContent = String(err.message || err); });
  }

  function showDownloads(tab) {
    var bar = document.getElementById("downloads");
    var yasqe = tab.getYasqe();
    var form = yasqe.getQueryType ? yasqe.getQueryType() : "SELECT";
    var kind = form === "CONSTRUCT" || form === "DESCRIBE" ? "graph" : "rows";
    if (yasqe.getQueryMode && yasqe.getQueryMode() === "update") { bar.hidden = true; return; }
    bar.innerHTML = "";
    var status = el("span", { className: "muted" });
    bar.appendChild(document.createTextNode("Download the answer: "));
    DOWNLOADS[kind].forEach(function (d) {
      var button = el("button", { type: "button", className: "link", "data-format": d[2], text: d[0] });
      button.addEventListener("click", function () { download(tab.getQuery(), d[1], d[2], status); });
      bar.appendChild(button);
    });
    bar.appendChild(status);
    bar.hidden = false;
  }

  function showTruncation(tab, response) {
    var box = document.getElementById("truncated");
    var cap = response && response.headers && response.headers.get ? response.headers.get("X-Result-Truncated") : null;
    tab.msmeTruncated = cap;
    renderTruncation(cap, box);
  }

  function renderTruncation(cap, box) {
    if (!cap) { box.hidden = true; box.textContent = ""; return; }
    var limit = cap.replace(/^max_rows=/, "");
    box.textContent = "Only the first " + Number(limit).toLocaleString("en") + " rows are shown: the server caps every answer at " +
      Number(limit).toLocaleString("en") + " rows (" + cap + "). Add LIMIT and OFFSET to page through the rest.";
    box.hidden = false;
  }

  function watch(tab) {
    var yasqe = tab.getYasqe();  /* YASGUI makes a tab's editor when the tab is first shown */
    if (tab.msmeWatched || !yasqe) { return; }
    tab.msmeWatched = true;
    yasqe.on("queryResponse", function (_yasqe, response) {
      showTruncation(tab, response);
      showDownloads(tab);
      /* a graph view chosen for the last CONSTRUCT cannot show this SELECT: back to the table */
      var yasr = tab.getYasr();
      var chosen = yasr && yasr.plugins[yasr.selectedPlugin];
      if (chosen && yasr.results && !chosen.canHandleResults()) { yasr.selectPlugin("table"); }
    });
  }

  /* ---------------------------------------------------------------- examples */

  function examples(yasgui, queries) {
    var select = document.getElementById("examples");
    var about = document.getElementById("about");
    queries.forEach(function (q, i) { select.appendChild(el("option", { value: String(i), text: q.name + " — " + q.summary })); });
    select.addEventListener("change", function () {
      var q = queries[parseInt(select.value, 10)];
      if (!q) { return; }
      var tab = null;
      Object.keys(yasgui._tabs).forEach(function (id) { if (yasgui._tabs[id].getName() === q.name) { tab = yasgui._tabs[id]; } });
      if (!tab) { tab = yasgui.addTab(true, { name: q.name }); } else { yasgui.selectTabId(tab.getId()); }
      tab.setQuery(q.text);
      about.textContent = q.params.length ? "Parameters (left unbound here, so every value matches): " +
        q.params.map(function (p) { return "?" + p.name + " (" + p.type + ") " + p.description; }).join("; ") : "";
    });
  }

  function start(vocabulary, queries) {
    window.msmeWorkbench = { prefixes: vocabulary.prefixes, queries: queries };
    Yasgui.Yasr.registerPlugin("graph", GraphPlugin);
    var names = completers(vocabulary);
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: {
        endpoint: ENDPOINT, method: "POST",
        acceptHeaderSelect: "application/sparql-results+json",
        acceptHeaderGraph: "text/turtle",
        acceptHeaderUpdate: "text/plain"
      },
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: ENDPOINT }]; } },
      persistenceId: "msme-kg-workbench",
      yasqe: { value: starterQuery(vocabulary.prefixes), autocompleters: names, editorHeight: "220px" },
      yasr: { pluginOrder: ["table", "graph", "response"], defaultPlugin: "table" }
    });
    window.yasgui = yasgui;
    Object.keys(yasgui._tabs).forEach(function (id) { watch(yasgui._tabs[id]); });
    yasgui.on("tabSelect", function (_y, id) {
      setTimeout(function () {
        var tab = yasgui.getTab(id);
        if (tab) { watch(tab); renderTruncation(tab.msmeTruncated, document.getElementById("truncated")); }
      }, 0);
    });
    yasgui.on("tabAdd", function (_y, id) { setTimeout(function () { var t = yasgui.getTab(id); if (t) { watch(t); } }, 0); });
    examples(yasgui, queries);
    document.body.setAttribute("data-workbench", "ready");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Promise.all([getJSON("/web/api/vocabulary"), getJSON("/web/api/queries")]).then(function (r) { start(r[0], r[1]); })
      .catch(function (err) {
        document.getElementById("yasgui").appendChild(el("p", { className: "error", text: "The workbench did not start: " + err.message }));
      });
  });
})();
