/* msme-kg web pages: a little vanilla JavaScript over the app's own JSON (/web/api/...),
   /sparql and /export. Each page's <body data-page="..."> picks the function that fills it.
   (The SPARQL page is web/static/workbench.js.) */
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
  var TYPE_NAMES = {
    person: ["person", "people"], organisation: ["organisation", "organisations"], economy: ["economy", "economies"],
    initiative: ["initiative", "initiatives"], event: ["event", "events"], document: ["document", "documents"],
    fact: ["fact", "facts"]
  };
  var BROWSE_TYPES = ["person", "organisation", "economy", "initiative", "event", "document"];
  var EXPORT_FORMATS = ["graphml", "gexf", "cytoscape", "dot", "svg", "html", "ttl", "jsonld"];
  var GROUP_ABOVE = 400;  /* the network page shows one node per cluster above this many nodes */
  var BROWSE_PAGE = 200;

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

  function plural(type, n) {
    var names = TYPE_NAMES[type] || [type, type + "s"];
    return names[n === 1 ? 0 : 1];
  }

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

  function markNavigation() {
    var page = document.body.getAttribute("data-page");
    var link = document.querySelector("header.top nav a[data-nav='" + page + "']");
    if (link) { link.className = "active"; }
  }

  /* ---------------------------------------------------------------- graphs on entity and event pages */

  /* Draw a network from /export?format=cytoscape; clicking a node opens its page. */
  function drawGraph(container, params, focus, options) {
    var url = exportUrl(Object.assign({}, params, { download: "false" }), "cytoscape");
    container.textContent = "Loading the network…";
    return getJSON(url).then(function (data) {
      container.textContent = "";
      var cy = msmeNetview.draw(container, data, Object.assign({
        focus: focus,
        onNodeClick: function (node) {
          if (node.id() !== focus) { window.location.href = pageFor(node.id(), node.data("type")); }
        }
      }, options || {}));
      window.cy = cy;
      return { cy: cy, data: data };
    }).catch(function (err) {
      if (String(err.message).indexOf("404") === 0) {
        container.textContent = "";
        container.appendChild(el("p", { className: "muted empty",
          text: "Nothing to draw: no relation links this entity to another (with these filters)." }));
        return null;
      }
      showError(container, err);
      return null;
    });
  }

  function evidence(fact) {
    if (!fact.quote) { return null; }
    var source = null;
    if (fact.document) {
      var href = fact.document.page + (fact.start !== null ? "?start=" + fact.start + "&end=" + fact.end : "");
      source = el("div", { className: "source" }, ["from ", el("a", { href: href, className: "doc-link", text: fact.document.title })]);
    } else if (fact.asserted) {
      /* a curator's fact: the curation file states it; it has no page to link to */
      source = el("div", { className: "source asserted" },
        ["asserted in the curation file" + (fact.asserted.by ? " by " + fact.asserted.by : "") +
          (fact.asserted.reason ? ": " + fact.asserted.reason : "")]);
      var own = fact.asserted.by + ": " + fact.asserted.reason;
      if (fact.quote === own) { return el("div", {}, [source]); }
    }
    return el("div", {}, [el("blockquote", { text: "\u201c" + fact.quote + "\u201d" }), source]);
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
      docs.appendChild(el("a", { href: d.page, className: "doc-title", text: d.title }));
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
      el("label", {}, ["Depth ", depth]), el("span", { className: "muted", text: "Hover for names; click a node to open it." })]));
    target.appendChild(box);
    target.appendChild(links);
    function redraw() {
      params.depth = depth.value;
      if (!entity.facts.length) {  /* not in the network: nothing to ask /export for (it would answer 404) */
        box.appendChild(el("p", { className: "muted empty", text: "Nothing to draw: no relation links this entity to another." }));
        return;
      }
      downloads(links, params);
      drawGraph(box, params, entity.id, { colourBy: "type", labelled: 30 });
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

  /* ---------------------------------------------------------------- home, search and browse */

  function entityList(items, withDate) {
    var list = el("ul", { className: "entity-list" });
    items.forEach(function (item) {
      var meta = [];
      if (withDate && item.date) { meta.push(item.date); }
      if (item.facts !== undefined && item.facts !== null) { meta.push(item.facts + " " + plural("fact", item.facts)); }
      list.appendChild(el("li", {}, [
        el("a", { href: item.page, className: "entity-link", "data-type": item.type, title: item.label, text: item.label }),
        el("span", { className: "muted meta", text: meta.join(" · ") })
      ]));
    });
    return list;
  }

  function overview(target, data) {
    target.innerHTML = "";
    var counts = el("div", { className: "counts", id: "counts" });
    BROWSE_TYPES.concat(["fact"]).forEach(function (type) {
      var n = data.counts[type] || 0;
      var inner = [el("span", { className: "count", text: n.toLocaleString("en") }), el("span", { text: plural(type, n) })];
      counts.appendChild(type === "fact" ? el("div", { className: "count-card total", "data-type": type }, inner) :
        el("a", { className: "count-card " + type, "data-type": type, href: "/web/browse/" + type }, inner));
    });
    target.appendChild(counts);
    var grid = el("div", { className: "lists" });
    function card(title, items, type, withDate) {
      var more = type ? el("a", { className: "more", href: "/web/browse/" + type, text: "all " + (data.counts[type] || 0).toLocaleString("en") + " \u2192" }) : null;
      grid.appendChild(el("section", { className: "list-card", "data-list": title }, [
        el("h2", {}, [title, more]), items.length ? entityList(items, withDate) : el("p", { className: "muted", text: "None yet." })]));
    }
    card("People named most", data.top.person, "person");
    card("Organisations named most", data.top.organisation, "organisation");
    card("Latest events", data.latest_events, "event", true);
    card("Initiatives", data.top.initiative, "initiative");
    card("Economies", data.top.economy, "economy");
    card("Documents", data.top.document, "document");
    target.appendChild(grid);
  }

  function homePage() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var out = document.getElementById("results");
    var board = document.getElementById("overview");
    var timer = null, requested = null;
    function run(text, push) {
      if (text === requested) { return; }  /* typing then pressing Enter asks once */
      requested = text;
      if (push) { history.replaceState(null, "", "/web/" + (text ? "?q=" + encodeURIComponent(text) : "")); }
      if (!text.trim()) { out.innerHTML = ""; board.hidden = false; return; }
      getJSON("/web/api/search?q=" + encodeURIComponent(text)).then(function (hits) {
        out.innerHTML = "";
        board.hidden = true;
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
    getJSON("/web/api/overview").then(function (data) { overview(board, data); })
      .catch(function (err) { showError(board, err); });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(initial, false); }
    input.focus();
  }

  function browsePage() {
    var type = lastSegment();
    var tabs = document.getElementById("browse-tabs");
    var out = document.getElementById("browse-list");
    var filter = document.getElementById("browse-filter");
    var order = document.getElementById("browse-order");
    var count = document.getElementById("browse-count");
    var items = [], shown = BROWSE_PAGE;
    document.getElementById("browse-title").textContent = "Browse " + plural(type, 2);
    document.title = "Browse " + plural(type, 2) + " — msme-kg";
    BROWSE_TYPES.forEach(function (t) {
      tabs.appendChild(el("a", { href: "/web/browse/" + t, className: t === type ? "active" : "", text: plural(t, 2) }));
    });
    function render() {
      var text = filter.value.trim().toLowerCase();
      var picked = items.filter(function (i) { return !text || String(i.label).toLowerCase().indexOf(text) >= 0; });
      if (order.value === "name") {
        picked = picked.slice().sort(function (a, b) { return String(a.label).localeCompare(String(b.label)); });
      }
      count.textContent = picked.length.toLocaleString("en") + " of " + items.length.toLocaleString("en");
      out.innerHTML = "";
      out.appendChild(entityList(picked.slice(0, shown), type === "event"));
      if (picked.length > shown) {
        var more = el("button", { type: "button", className: "link", text: "show " + Math.min(BROWSE_PAGE, picked.length - shown) + " more" });
        more.addEventListener("click", function () { shown += BROWSE_PAGE; render(); });
        out.appendChild(more);
      }
    }
    filter.addEventListener("input", function () { shown = BROWSE_PAGE; render(); });
    order.addEventListener("change", render);
    getJSON("/web/api/browse/" + encodeURIComponent(type)).then(function (list) { items = list; render(); })
      .catch(function (err) { showError(out, err); });
  }

  /* ---------------------------------------------------------------- document */

  function documentPage() {
    var main = document.getElementById("content");
    var params = new URLSearchParams(window.location.search);
    getJSON("/web/api/document/" + encodeURIComponent(lastSegment())).then(function (doc) {
      document.title = doc.title + " — msme-kg";
      main.innerHTML = "";
      main.appendChild(el("h1", { className: "doc-heading", text: doc.title }));
      var props = el("dl", { className: "props" });
      [["file", doc.name], ["format", doc.mediaType], ["id", doc.id]].forEach(function (p) {
        if (!p[1]) { return; }
        props.appendChild(el("dt", { text: p[0] }));
        props.appendChild(el("dd", { text: p[1] }));
      });
      main.appendChild(props);
      var cols = el("div", { className: "doc-columns" });
      var text = el("div", { className: "doc-text", id: "doc-text" });
      var side = el("aside", { className: "doc-entities", id: "doc-entities" });
      cols.appendChild(text);
      cols.appendChild(side);
      main.appendChild(cols);
      var start = parseInt(params.get("start"), 10), end = parseInt(params.get("end"), 10);
      var mark = null;
      if (!isNaN(start) && !isNaN(end) && start >= 0 && end > start && end <= doc.text.length) {
        mark = el("mark", { id: "quote", text: doc.text.slice(start, end) });
        text.appendChild(document.createTextNode(doc.text.slice(0, start)));
        text.appendChild(mark);
        text.appendChild(document.createTextNode(doc.text.slice(end)));
      } else {
        text.textContent = doc.text;
      }
      side.appendChild(el("h2", { text: "Named in it" }));
      var byType = {};
      doc.entities.forEach(function (e) { (byType[e.type] = byType[e.type] || []).push(e); });
      BROWSE_TYPES.forEach(function (t) {
        if (!byType[t]) { return; }
        side.appendChild(el("h3", { text: byType[t].length + " " + plural(t, byType[t].length) }));
        side.appendChild(entityList(byType[t], false));
      });
      if (!doc.entities.length) { side.appendChild(el("p", { className: "muted", text: "Nothing." })); }
      if (mark) { mark.scrollIntoView({ block: "center" }); }
    }).catch(function (err) { showError(main, err); });
  }

  /* ---------------------------------------------------------------- the network page */

  function graphPage() {
    var form = document.getElementById("graph-form");
    var box = document.getElementById("graph");
    var links = document.getElementById("downloads");
    var summary = document.getElementById("summary");
    var legendBox = document.getElementById("legend");
    var colourBy = document.getElementById("colour-by");
    var labelled = document.getElementById("labelled");
    var grouped = document.getElementById("grouped");
    var ungroup = document.getElementById("ungroup");
    var state = { data: null, community: null };
    var page = new URLSearchParams(window.location.search);
    var groupAbove = parseInt(page.get("group_above"), 10) || GROUP_ABOVE;
    document.getElementById("group-above").textContent = String(groupAbove);

    function params() {
      var out = {};
      new FormData(form).forEach(function (v, k) {
        if (k === "types") { out.types = out.types ? out.types + "," + v : v; }
        else if (v) { out[k] = v; }
      });
      return out;
    }
    function types(data) {
      var found = [];
      data.elements.nodes.forEach(function (n) { if (found.indexOf(n.data.type) < 0) { found.push(n.data.type); } });
      return found.sort();
    }
    function render() {
      var data = state.data;
      if (!data) { return; }
      var options = { colourBy: colourBy.value, labelled: parseInt(labelled.value, 10), focus: params().focus };
      var shown = data, clusterCount = {};
      data.elements.nodes.forEach(function (n) { clusterCount[n.data.community || 0] = true; });
      if (state.community !== null) {
        shown = msmeNetview.cluster(data, state.community);
        options.colourBy = "type";  /* one cluster: its colour says nothing */
      } else if (grouped.checked) {
        shown = msmeNetview.clusters(data);
        options.labelAll = true;
      }
      ungroup.hidden = state.community === null;
      box.textContent = "";
      var cy = msmeNetview.draw(box, shown, Object.assign(options, {
        onNodeClick: function (node) {
          if (node.data("type") === "cluster") { state.community = node.data("community"); render(); return; }
          if (node.id() !== options.focus) { window.location.href = pageFor(node.id(), node.data("type")); }
        }
      }));
      window.cy = cy;
      var parts = [data.elements.nodes.length + " nodes, " + data.elements.edges.length + " edges, " +
        Object.keys(clusterCount).length + " clusters"];
      if (state.community !== null) { parts.push("showing one cluster: " + shown.elements.nodes.length + " nodes"); }
      else if (grouped.checked) { parts.push("one node per cluster; click one to open it"); }
      summary.textContent = parts.join(" — ");
      msmeNetview.legend(legendBox, types(shown).filter(function (t) { return t !== "cluster"; }), options.colourBy);
    }
    function draw() {
      var p = params();
      downloads(links, p);
      box.textContent = "Loading the network…";
      getJSON(exportUrl(Object.assign({}, p, { download: "false" }), "cytoscape")).then(function (data) {
        state.data = data;
        state.community = null;
        grouped.checked = data.elements.nodes.length > groupAbove && !p.focus;
        render();
      }).catch(function (err) {
        state.data = null;
        if (String(err.message).indexOf("404") === 0) {
          box.textContent = "";
          box.appendChild(el("p", { className: "muted empty", text: "Nothing to draw with these filters." }));
          return;
        }
        showError(box, err);
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); draw(); });
    [colourBy, labelled].forEach(function (c) { c.addEventListener("change", render); });
    grouped.addEventListener("change", function () { state.community = null; render(); });
    ungroup.addEventListener("click", function () { state.community = null; grouped.checked = true; render(); });
    draw();
  }

  var PAGES = { home: homePage, browse: browsePage, entity: entityPage, event: eventPage, document: documentPage,
    graph: graphPage };
  document.addEventListener("DOMContentLoaded", function () {
    markNavigation();
    var page = PAGES[document.body.getAttribute("data-page")];
    if (page) { page(); }
  });
})();
