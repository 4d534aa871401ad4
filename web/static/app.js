/* msme-kg web pages: a little vanilla JavaScript over the app's own JSON (/web/api/...),
   /sparql and /export. Each page's <body data-page="..."> picks the function that fills it. */
(function () {
  "use strict";

  var VERBS = {
    attended: "attended", spoke_at: "spoke at", presented_at: "presented at", moderated: "moderated",
    chaired: "chaired", organised: "organised", sponsored: "sponsored", reported_on: "reported on",
    partner_of: "is a partner of", member_of: "is a member of", affiliated_with: "is affiliated with",
    holds_role_at: "holds a role at", launched: "launched", part_of: "is part of", located_in: "is located in"
  };
  var ROLE_TITLES = {
    chaired: "Chaired", moderated: "Moderated", spoke_at: "Spoke", presented_at: "Presented",
    organised: "Organised", sponsored: "Sponsored", attended: "Attended", reported_on: "Reported on"
  };
  var EXPORT_FORMATS = ["graphml", "gexf", "cytoscape", "dot", "svg", "html", "ttl", "jsonld"];

  /* el("a", {href: "/x", className: "y"}, ["text", child]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") { node.className = attrs[k]; }
      else if (k === "text") { node.textContent = attrs[k]; }
      else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        return r.text().then(function (t) {
          var detail = t;
          try { detail = JSON.parse(t).detail || t; } catch (e) { /* plain text */ }
          throw new Error(r.status + ": " + detail);
        });
      }
      return r.json();
    });
  }

  function showError(target, err) {
    target.innerHTML = "";
    target.appendChild(el("p", { className: "error", text: String(err.message || err) }));
  }

  function badge(type) { return el("span", { className: "badge " + type, text: type || "?" }); }

  function lastSegment() {
    var parts = window.location.pathname.split("/").filter(Boolean);
    return decodeURIComponent(parts[parts.length - 1] || "");
  }

  function pageFor(id, type) { return (type === "event" ? "/web/event/" : "/web/entity/") + encodeURIComponent(id); }

  function exportUrl(params, format) {
    var q = new URLSearchParams(params);
    q.set("format", format);
    return "/export?" + q.toString();
  }

  function downloads(container, params) {
    container.innerHTML = "";
    container.appendChild(document.createTextNode("Download: "));
    EXPORT_FORMATS.forEach(function (f) { container.appendChild(el("a", { href: exportUrl(params, f), text: f })); });
  }

  /* Draw a network from /export?format=cytoscape; clicking a node opens its page. */
  function drawGraph(container, params, focus) {
    var url = exportUrl(Object.assign({}, params, { download: "false" }), "cytoscape");
    container.textContent = "Loading the network…";
    return getJSON(url).then(function (data) {
      container.textContent = "";
      var cy = msmeNetview.draw(container, data, {
        focus: focus,
        onNodeClick: function (node) {
          if (node.id() !== focus) { window.location.href = pageFor(node.id(), node.data("type")); }
        }
      });
      window.cy = cy;
      return { cy: cy, data: data };
    }).catch(function (err) {
      if (String(err.message).indexOf("404") === 0) {
        container.textContent = "";
        container.appendChild(el("p", { className: "muted", style: "padding: 12px",
          text: "Nothing to draw: no relation links this entity to another (with these filters)." }));
        return null;
      }
      showError(container, err);
    });
  }

  function evidence(fact) {
    if (!fact.quote) { return null; }
    var link = null;
    if (fact.document) {
      var href = fact.document.page + (fact.start !== null ? "?start=" + fact.start + "&end=" + fact.end : "");
      link = el("div", { className: "source" }, ["from ", el("a", { href: href, className: "doc-link", text: fact.document.title })]);
    }
    return el("div", {}, [el("blockquote", { text: "\u201c" + fact.quote + "\u201d" }), link]);
  }

  /* One sentence per (direction, predicate, other end), with every quote that states it. */
  function groupFacts(facts) {
    var groups = [], byKey = {};
    facts.forEach(function (f) {
      var key = f.direction + "|" + f.predicate + "|" + f.other.id + "|" + (f.role || "");
      if (!byKey[key]) { byKey[key] = { fact: f, evidence: [] }; groups.push(byKey[key]); }
      byKey[key].evidence.push(f);
    });
    return groups;
  }

  function factSentence(entity, group) {
    var fact = group.fact;
    var me = el("strong", { text: entity.label });
    var other = el("a", { href: fact.other.page, className: "entity-link", "data-type": fact.other.type, text: fact.other.label });
    var verb = " " + (VERBS[fact.predicate] || fact.predicate) + " ";
    var role = fact.role ? " (as " + fact.role + ")" : "";
    var parts = fact.direction === "out" ? [me, verb, other, role] : [other, verb, me, role];
    return el("div", { className: "fact", "data-predicate": fact.predicate },
      [el("div", {}, parts)].concat(group.evidence.map(evidence)));
  }

  function header(entity, target) {
    target.appendChild(el("h1", {}, [entity.label + " ", badge(entity.type)]));
    var props = el("dl", { className: "props" });
    function prop(name, value) {
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) { return; }
      props.appendChild(el("dt", { text: name }));
      props.appendChild(typeof value === "string" ? el("dd", { text: value }) : el("dd", {}, [value]));
    }
    prop("id", entity.id);
    prop("also called", entity.aliases.join("; "));
    prop("titles", entity.titles.join("; "));
    prop("kind", entity.kind);
    prop("date", entity.start ? entity.start + (entity.end && entity.end !== entity.start ? " to " + entity.end : "") : null);
    prop("place", entity.place);
    if (entity.parent) { prop("part of", el("a", { href: entity.parent.page, text: entity.parent.label })); }
    var docs = el("span");
    entity.documents.forEach(function (d, i) {
      if (i) { docs.appendChild(document.createTextNode("; ")); }
      docs.appendChild(el("a", { href: d.page, text: d.title }));
    });
    if (entity.documents.length) { prop("named in", docs); }
    target.appendChild(props);
  }

  function graphPanel(target, entity) {
    var params = { focus: entity.id, depth: "1" };
    var box = el("div", { className: "graph", id: "graph" });
    var depth = el("select", { id: "depth" }, [el("option", { value: "1", text: "1" }), el("option", { value: "2", text: "2" })]);
    var links = el("div", { className: "downloads" });
    target.appendChild(el("h2", { text: "Neighbourhood" }));
    target.appendChild(el("div", { className: "controls" }, [
      el("label", {}, ["Depth ", depth]), el("span", { className: "muted", text: "Click a node to open it." })]));
    target.appendChild(box);
    target.appendChild(links);
    function redraw() {
      params.depth = depth.value;
      downloads(links, params);
      drawGraph(box, params, entity.id);
    }
    depth.addEventListener("change", redraw);
    redraw();
  }

  function entityPage() {
    var main = document.getElementById("content");
    getJSON("/web/api/entity/" + encodeURIComponent(lastSegment())).then(function (entity) {
      if (entity.type === "event") { window.location.replace(pageFor(entity.id, "event")); return; }
      document.title = entity.label + " — msme-kg";
      main.innerHTML = "";
      header(entity, main);
      var cols = el("div", { className: "columns" });
      var left = el("section", { id: "facts" });
      var right = el("section");
      var groups = groupFacts(entity.facts);
      left.appendChild(el("h2", { text: "Facts (" + groups.length + ")" }));
      if (!groups.length) { left.appendChild(el("p", { className: "muted", text: "No fact about this entity yet." })); }
      groups.forEach(function (g) { left.appendChild(factSentence(entity, g)); });
      cols.appendChild(left);
      cols.appendChild(right);
      main.appendChild(cols);
      graphPanel(right, entity);
    }).catch(function (err) { showError(main, err); });
  }

  function eventPage() {
    var main = document.getElementById("content");
    getJSON("/web/api/entity/" + encodeURIComponent(lastSegment())).then(function (event) {
      document.title = event.label + " — msme-kg";
      main.innerHTML = "";
      header(event, main);
      var cols = el("div", { className: "columns" });
      var left = el("section", { id: "participants" });
      var right = el("section");
      left.appendChild(el("h2", { text: "Participants by role" }));
      if (!event.participants || !event.participants.length) {
        left.appendChild(el("p", { className: "muted", text: "No participant recorded." }));
      }
      (event.participants || []).forEach(function (group) {
        var list = el("ul");
        group.participants.forEach(function (p) {
          var quotes = p.evidence.filter(function (e) { return e.quote; }).slice(0, 2).map(function (e) {
            return evidence(e);
          });
          list.appendChild(el("li", {}, [
            el("a", { href: p.page, className: "participant", "data-type": p.type, text: p.label }), " ", badge(p.type)
          ].concat(quotes)));
        });
        left.appendChild(el("div", { className: "role-group", "data-role": group.role }, [
          el("h3", { text: (ROLE_TITLES[group.role] || group.role) + " (" + group.participants.length + ")" }), list]));
      });
      var others = event.facts.filter(function (f) { return f.direction === "out" || !ROLE_TITLES[f.predicate]; });
      if (others.length) {
        left.appendChild(el("h2", { text: "Other facts" }));
        groupFacts(others).forEach(function (g) { left.appendChild(factSentence(event, g)); });
      }
      cols.appendChild(left);
      cols.appendChild(right);
      main.appendChild(cols);
      graphPanel(right, event);
    }).catch(function (err) { showError(main, err); });
  }

  function searchPage() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var out = document.getElementById("results");
    var timer = null, requested = null;
    function run(text, push) {
      if (text === requested) { return; }  /* typing then pressing Enter asks once */
      requested = text;
      if (push) { history.replaceState(null, "", "/web/?q=" + encodeURIComponent(text)); }
      if (!text.trim()) { out.innerHTML = ""; return; }
      getJSON("/web/api/search?q=" + encodeURIComponent(text)).then(function (hits) {
        out.innerHTML = "";
        if (!hits.length) { out.appendChild(el("p", { className: "muted", text: "Nothing found for \u201c" + text + "\u201d." })); return; }
        var list = el("ul", { className: "results" });
        hits.forEach(function (h) {
          list.appendChild(el("li", {}, [
            el("a", { href: h.page, className: "result", "data-type": h.type, text: h.label }), badge(h.type),
            el("span", { className: "muted", text: h.matched && h.matched !== h.label ? "  (" + h.matched + ")" : "" })
          ]));
        });
        out.appendChild(list);
      }).catch(function (err) { showError(out, err); });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(input.value, true); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, true); }, 250);
    });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(initial, false); }
    input.focus();
  }

  function documentPage() {
    var main = document.getElementById("content");
    var params = new URLSearchParams(window.location.search);
    getJSON("/web/api/document/" + encodeURIComponent(lastSegment())).then(function (doc) {
      document.title = doc.title + " — msme-kg";
      main.innerHTML = "";
      main.appendChild(el("h1", { text: doc.title }));
      main.appendChild(el("p", { className: "muted", text: (doc.source || "") + (doc.mediaType ? " · " + doc.mediaType : "") }));
      var text = el("div", { className: "doc-text", id: "doc-text" });
      var start = parseInt(params.get("start"), 10), end = parseInt(params.get("end"), 10);
      if (!isNaN(start) && !isNaN(end) && start >= 0 && end > start && end <= doc.text.length) {
        var mark = el("mark", { id: "quote", text: doc.text.slice(start, end) });
        text.appendChild(document.createTextNode(doc.text.slice(0, start)));
        text.appendChild(mark);
        text.appendChild(document.createTextNode(doc.text.slice(end)));
        main.appendChild(text);
        mark.scrollIntoView({ block: "center" });
      } else {
        text.textContent = doc.text;
        main.appendChild(text);
      }
    }).catch(function (err) { showError(main, err); });
  }

  function graphPage() {
    var form = document.getElementById("graph-form");
    var box = document.getElementById("graph");
    var links = document.getElementById("downloads");
    var summary = document.getElementById("summary");
    function params() {
      var data = new FormData(form);
      var out = {};
      data.forEach(function (v, k) {
        if (k === "types") { out.types = out.types ? out.types + "," + v : v; }
        else if (v) { out[k] = v; }
      });
      return out;
    }
    function draw() {
      var p = params();
      downloads(links, p);
      drawGraph(box, p, p.focus).then(function (r) {
        if (!r) { return; }
        summary.textContent = r.data.elements.nodes.length + " nodes, " + r.data.elements.edges.length + " edges";
        var types = [];
        r.data.elements.nodes.forEach(function (n) { if (types.indexOf(n.data.type) < 0) { types.push(n.data.type); } });
        msmeNetview.legend(document.getElementById("legend"), types.sort());
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); draw(); });
    draw();
  }

  function cell(term) {
    if (!term) { return el("td"); }
    if (term.type === "uri") {
      var m = term.value.match(/^https:\/\/w3id\.org\/msme-kg\/id\/(.+)$/);
      if (m) { return el("td", {}, [el("a", { href: "/web/entity/" + m[1], text: m[1] })]); }
      var d = term.value.match(/^https:\/\/w3id\.org\/msme-kg\/doc\/(.+)$/);
      if (d) { return el("td", {}, [el("a", { href: "/web/document/" + d[1], text: d[1] })]); }
    }
    return el("td", { text: term.value });
  }

  function sparqlPage() {
    var select = document.getElementById("examples");
    var text = document.getElementById("query");
    var about = document.getElementById("about");
    var out = document.getElementById("sparql-results");
    var examples = [];
    getJSON("/web/api/queries").then(function (queries) {
      examples = queries;
      queries.forEach(function (q, i) { select.appendChild(el("option", { value: String(i), text: q.name + " — " + q.summary })); });
      if (queries.length) { choose(0); }
    });
    function choose(i) {
      var q = examples[i];
      text.value = q.text;
      about.textContent = q.params.length ? "Parameters (left unbound here, so every value matches): " +
        q.params.map(function (p) { return "?" + p.name + " (" + p.type + ") " + p.description; }).join("; ") : "";
    }
    select.addEventListener("change", function () { choose(parseInt(select.value, 10)); });
    document.getElementById("sparql-form").addEventListener("submit", function (e) {
      e.preventDefault();
      out.textContent = "Running…";
      fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json" },
        body: new URLSearchParams({ query: text.value }).toString()
      }).then(function (r) {
        return r.text().then(function (body) {
          if (!r.ok) { throw new Error(r.status + ": " + body); }
          return JSON.parse(body);
        });
      }).then(function (res) {
        out.innerHTML = "";
        if (res.boolean !== undefined) { out.appendChild(el("p", { text: "Answer: " + res.boolean })); return; }
        var vars = res.head.vars;
        var rows = res.results.bindings;
        out.appendChild(el("p", { className: "muted", text: rows.length + " row" + (rows.length === 1 ? "" : "s") }));
        var table = el("table", { className: "results" }, [el("tr", {}, vars.map(function (v) { return el("th", { text: v }); }))]);
        rows.slice(0, 1000).forEach(function (row) { table.appendChild(el("tr", {}, vars.map(function (v) { return cell(row[v]); }))); });
        out.appendChild(table);
      }).catch(function (err) { showError(out, err); });
    });
  }

  var PAGES = { search: searchPage, entity: entityPage, event: eventPage, document: documentPage,
    graph: graphPage, sparql: sparqlPage };
  document.addEventListener("DOMContentLoaded", function () {
    var page = PAGES[document.body.getAttribute("data-page")];
    if (page) { page(); }
  });
})();
