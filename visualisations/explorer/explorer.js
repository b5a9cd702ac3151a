/* The explorer: search, a graph panel that grows on click, a claim panel, embed snippets.
 * Plain browser JavaScript, no build step. Every string from the API goes into text nodes
 * (textContent), never into markup; links are set with setAttribute and only for http(s). */
(function () {
  "use strict";

  var LABELS = ["Claim", "Debunk", "Narrative", "Country", "Actor"];
  var style = null;
  var nodes = null;
  var edges = null;
  var network = null;
  var current = null;
  var expanded = null;  // the node last expanded: its caption is kept first
  var ANCHORS = ["Narrative", "Country"];
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  // A list of the claim panel that came out empty says so, rather than leaving its heading bare.
  function saysNone(list, text) { if (!list.firstChild) { list.appendChild(el("li", text)); } }

  function status(text) { $("status").textContent = text; }

  function token() { return $("token").value.trim(); }

  function api(path, init) {
    init = init || {};
    init.headers = init.headers || {};
    if (token()) { init.headers["Authorization"] = "Bearer " + token(); }
    return fetch(path, init).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var message = body && body.error ? body.error.message : response.statusText;
          throw new Error(message);
        }
        return body;
      });
    });
  }

  function caption(node) {
    var p = node.properties || {};
    return String(p.title || p.name || p.publisher || p.text || node.id);
  }

  function shorten(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  function tip(node) {
    var box = el("div", null, "tip");
    box.appendChild(el("strong", caption(node)));
    box.appendChild(el("div", node.label));
    var p = node.properties || {};
    if (p.date) { box.appendChild(el("div", "Date: " + p.date)); }
    if (p.kind) { box.appendChild(el("div", "Kind: " + p.kind)); }
    if (p.url) { box.appendChild(el("div", String(p.url))); }
    return box;
  }

  function visNode(node) {
    var s = style.nodes[node.label];
    return {
      id: node.id, label: shorten(caption(node), 40), shape: s.shape, size: s.size,
      color: { background: s.colour, border: s.border, highlight: { background: s.colour, border: "#111" } },
      title: tip(node), raw: node
    };
  }

  function visEdge(edge) {
    var s = style.edges[edge.type];
    var p = edge.properties || {};
    var width = s.width, dashes = s.dashes.length ? s.dashes : false, colour = s.colour;
    if (edge.type === "SIMILAR_TO") {
      width = 1 + 5 * Math.max(0, Math.min(1, Number(p.score) || 0.5));
      dashes = p.method === "editorial" ? false : style.computedDashes;
      if (p.verdict === "rejected") { colour = style.rejectedColour; }
    }
    var t = el("div", null, "tip");
    t.appendChild(el("strong", s.caption));
    if (p.score !== undefined) { t.appendChild(el("div", "Score: " + Number(p.score).toFixed(2))); }
    if (p.method) { t.appendChild(el("div", "Method: " + p.method)); }
    if (p.evidence) { t.appendChild(el("div", "Evidence: " + p.evidence)); }
    return {
      id: edge.id, from: edge.source, to: edge.target, width: width, dashes: dashes,
      color: { color: colour, opacity: 0.8 }, arrows: { to: { enabled: s.arrow, scaleFactor: 0.5 } },
      title: t, type: edge.type
    };
  }

  function filters() {
    var labels = [];
    LABELS.forEach(function (label) { if ($("show-" + label).checked) { labels.push(label); } });
    return {
      labels: labels, from: $("date-from").value, to: $("date-to").value,
      country: $("country").value.trim(), narrative: $("narrative").value.trim()
    };
  }

  function visible(node) {
    var f = filters();
    if (f.labels.indexOf(node.raw.label) < 0) { return false; }
    var date = (node.raw.properties || {}).date;
    if (date && f.from && date < f.from) { return false; }
    if (date && f.to && date > f.to) { return false; }
    return true;
  }

  function applyFilters() {
    if (!nodes) { return; }
    var updates = nodes.get().map(function (n) { return { id: n.id, hidden: !visible(n) }; });
    nodes.update(updates);
    countShown();
  }

  function countShown() {
    var all = nodes.get();
    var shown = all.filter(function (n) { return !n.hidden; }).length;
    $("graph-count").textContent = shown + " of " + all.length + " nodes shown";
  }

  function ensureNetwork() {
    if (network) { return; }
    nodes = new vis.DataSet([]);
    edges = new vis.DataSet([]);
    network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, {
      nodes: { font: { size: 13, strokeWidth: 3, strokeColor: "#fff" } },
      edges: { smooth: false },
      interaction: { hover: true, tooltipDelay: 120 },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 120 },
                 forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 } }
    });
    window.explorerNetwork = network;
    window.explorerOverview = narrativeCaptions.overview(network, captionOrder, function (id) {
      var node = nodes.get(id);
      return node && named(id) ? shorten(caption(node.raw), 40) : "";
    }, 12);
    network.on("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      recaption();
    });
    network.on("click", function (params) {
      if (params.nodes.length !== 1) { return; }
      var id = params.nodes[0];
      expand(id);
      var node = nodes.get(id);
      if (node && node.raw.label === "Claim") { showClaim(id); }
    });
  }

  // Captions as the views draw them (`captions.js`): the node last expanded first, then the nodes
  // in the order they came; it, narratives and countries may name themselves over other nodes, and
  // are named in the overview when zoomed out. The others show on hover. The graph moves as it
  // grows, so every caption comes back first and is measured in a new drawing.
  function captionOrder() {
    var order = nodes.getIds().filter(function (id) { return id !== expanded; });
    if (expanded && nodes.get(expanded)) { order.unshift(expanded); }
    return order;
  }

  function named(id) {
    return id === expanded || ANCHORS.indexOf(nodes.get(id).raw.label) >= 0;
  }

  function recaption() {
    window.explorerSettled = false;
    var back = nodes.get({ filter: function (n) { return n.label === ""; } }).map(function (n) {
      return { id: n.id, label: shorten(caption(n.raw), 40) };
    });
    if (back.length) { nodes.update(back); }
    network.once("afterDrawing", function () {
      var hidden = narrativeCaptions.crowded(network, captionOrder(), named);
      if (hidden.length) { nodes.update(hidden.map(function (id) { return { id: id, label: "" }; })); }
      window.explorerSettled = true;
    });
    network.redraw();
  }

  function merge(sub, around) {
    // New nodes start beside the node they were reached from, so the picture grows from there.
    var origin = nodes.get(around) ? network.getPositions([around])[around] : { x: 0, y: 0 };
    var fresh = sub.nodes.filter(function (n) { return !nodes.get(n.id); }).map(function (n, i) {
      var v = visNode(n);
      var angle = (2 * Math.PI * i) / Math.max(sub.nodes.length, 1);
      v.x = origin.x + 80 * Math.cos(angle);
      v.y = origin.y + 80 * Math.sin(angle);
      return v;
    });
    nodes.add(fresh);
    edges.update(sub.edges.map(visEdge));
    applyFilters();
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(120);
  }

  function expand(id) {
    var f = filters();
    var query = "/graph/neighbourhood?depth=1&limit=150&id=" + encodeURIComponent(id);
    f.labels.forEach(function (label) { query += "&labels=" + encodeURIComponent(label); });
    return api(query).then(function (sub) {
      expanded = id;
      merge(sub, id);
      $("graph-title").textContent = "Around " + caption(sub.nodes[0] || { id: id });
      if (sub.truncated) { status("Showing " + sub.nodes.length + " of " + sub.total + " neighbours"); }
      window.explorerReady = true;
    }).catch(function (err) { status(err.message); });
  }

  function openNode(id) {
    ensureNetwork();
    nodes.clear();
    edges.clear();
    current = id;
    location.hash = "node=" + encodeURIComponent(id);
    return expand(id).then(function () {
      if (id.indexOf("claim:") === 0) { showClaim(id); } else { embed(id); }
    });
  }

  // The search lives in the address (?q=…), so a search can be bookmarked and shared; the node
  // opened from it lives in the fragment, as before.
  function remember(q) {
    var url = new URL(location.href);
    if (q) { url.searchParams.set("q", q); } else { url.searchParams.delete("q"); }
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  function search(event) {
    if (event) { event.preventDefault(); }
    var f = filters();
    var query = "/claims?limit=30";
    var q = $("q").value.trim();
    if (q) { query += "&q=" + encodeURIComponent(q); }
    remember(q);
    if (f.from) { query += "&date_from=" + encodeURIComponent(f.from); }
    if (f.to) { query += "&date_to=" + encodeURIComponent(f.to); }
    if (f.country) { query += "&country=" + encodeURIComponent(f.country); }
    if (f.narrative) { query += "&narrative=" + encodeURIComponent(f.narrative); }
    status("Searching…");
    return api(query).then(function (page) {
      var list = $("results");
      clear(list);
      status(page.count + " claim" + (page.count === 1 ? "" : "s") + " found");
      page.data.forEach(function (claim) {
        var item = el("li");
        item.appendChild(el("div", caption(claim)));
        item.appendChild(el("div", (claim.properties || {}).date || "", "date"));
        item.dataset.id = claim.id;
        item.addEventListener("click", function () {
          Array.prototype.forEach.call(list.children, function (li) { li.classList.remove("active"); });
          item.classList.add("active");
          openNode(claim.id);
        });
        list.appendChild(item);
      });
      window.explorerResults = page.data.length;
    }).catch(function (err) { status(err.message); });
  }

  function link(item, url) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      var a = el("a", "source");
      a.setAttribute("href", url);
      a.setAttribute("rel", "noopener noreferrer");
      a.setAttribute("target", "_blank");
      item.appendChild(document.createTextNode(" "));
      item.appendChild(a);
    }
  }

  function verdictButton(a, b, verdict, label) {
    var button = el("button", label);
    button.type = "button";
    button.addEventListener("click", function () {
      api("/similarities/" + encodeURIComponent(a) + "/" + encodeURIComponent(b), {
        method: "PATCH", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ verdict: verdict })
      }).then(function () { status("Recorded: " + verdict); showClaim(a); })
        .catch(function (err) { status(err.message); });
    });
    return button;
  }

  function showClaim(id) {
    return api("/claims/" + encodeURIComponent(id)).then(function (detail) {
      var claim = detail.claim, p = claim.properties || {};
      $("panel").hidden = false;
      $("claim-title").textContent = caption(claim);
      var meta = [p.date, (detail.countries || []).map(caption).join(", ")].filter(Boolean).join(" · ");
      $("claim-meta").textContent = meta;
      $("claim-text").textContent = p.text || "";
      var debunks = $("claim-debunks"); clear(debunks);
      detail.debunks.forEach(function (d) {
        var dp = d.properties || {};
        var item = el("li", (dp.publisher ? dp.publisher + ": " : "") + shorten(String(dp.text || d.id), 220));
        link(item, dp.url);
        debunks.appendChild(item);
      });
      saysNone(debunks, "None recorded");
      var narratives = $("claim-narratives"); clear(narratives);
      detail.narratives.forEach(function (n) { narratives.appendChild(el("li", caption(n))); });
      saysNone(narratives, "None recorded");
      var similar = $("claim-similar"); clear(similar);
      detail.similar.forEach(function (s) {
        var item = el("li", caption(s.claim));
        // Date and languages tell apart cases logged under one title (the same claim published
        // again, often the same day in another language).
        var sp = s.claim.properties || {};
        var langs = Array.isArray(sp.languages) ? sp.languages.map(String).join(", ") : "";
        var about = [sp.date ? String(sp.date) : "", langs].filter(Boolean).join(" · ");
        if (about) { item.appendChild(el("span", about, "score")); }
        item.appendChild(el("span", s.score.toFixed(2) + " " + s.method, "score"));
        item.appendChild(el("span", " " + s.verdict, "score verdict-" + s.verdict));
        if (token()) {
          item.appendChild(verdictButton(claim.id, s.claim.id, "confirmed", "Confirm"));
          item.appendChild(verdictButton(claim.id, s.claim.id, "rejected", "Reject"));
        }
        similar.appendChild(item);
      });
      saysNone(similar, "None");
      embed(id);
    }).catch(function (err) { status(err.message); });
  }

  function embed(id) {
    var src = location.origin + "/views/neighbourhood?depth=1&id=" + encodeURIComponent(id);
    var snippet = '<iframe src="' + src.replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
      '" width="100%" height="600" style="border:0" loading="lazy" title="narrative-graph view"></iframe>';
    $("embed").value = snippet;
    $("panel").hidden = false;
  }

  function start() {
    var fieldset = $("label-filter");
    LABELS.forEach(function (label) {
      var wrap = el("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = true; box.id = "show-" + label;
      box.addEventListener("change", applyFilters);
      wrap.appendChild(box);
      wrap.appendChild(document.createTextNode(" " + label));
      fieldset.appendChild(wrap);
    });
    $("token").value = sessionStorage.getItem("narratives-token") || "";
    $("token").addEventListener("change", function () {
      sessionStorage.setItem("narratives-token", token());
      if (current && current.indexOf("claim:") === 0) { showClaim(current); }
    });
    $("search-form").addEventListener("submit", search);
    $("apply-filters").addEventListener("click", function () { applyFilters(); search(); });
    $("copy-embed").addEventListener("click", function () {
      $("embed").select();
      if (navigator.clipboard) { navigator.clipboard.writeText($("embed").value).catch(function () {}); }
      status("Snippet copied");
    });
    fetch("/explorer/style.json").then(function (r) { return r.json(); }).then(function (s) {
      style = s;
      window.explorerStarted = true;
      var q = new URLSearchParams(location.search).get("q");
      if (q) { $("q").value = q; search(); }
      var match = /node=([^&]+)/.exec(location.hash);
      if (match) { openNode(decodeURIComponent(match[1])); }
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
