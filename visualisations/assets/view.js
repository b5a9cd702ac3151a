/* Draws one saved view. Every string from the data goes into text nodes, never into markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);

  function tip(t) {
    var box = document.createElement("div");
    box.className = "tip";
    var head = document.createElement("strong");
    head.textContent = t.h;
    box.appendChild(head);
    (t.l || []).forEach(function (line) {
      var row = document.createElement("div");
      row.textContent = line;
      box.appendChild(row);
    });
    return box;
  }

  function markReady() {
    if (window.viewReady) { return; }
    window.viewReady = true;
    window.viewReadyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }

  if (!data.network) { markReady(); return; }
  var ranked = [];
  var byId = {};
  var anchor = {};
  var name = {};
  var nodes = data.network.nodes.map(function (n) {
    n.title = tip(n.tip);
    ranked[n.rank] = n.id;
    byId[n.id] = n;
    anchor[n.id] = n.anchor;
    name[n.id] = n.name;
    delete n.tip;
    delete n.rank;
    delete n.anchor;
    delete n.name;
    return n;
  });
  var edges = data.network.edges.map(function (e) { e.title = tip(e.tip); delete e.tip; return e; });
  var options = data.network.options;
  var network = new vis.Network(
    document.getElementById("network"),
    { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
    options
  );
  window.viewNetwork = network;
  window.viewOverview = narrativeCaptions.overview(
    network,
    function () { return ranked; },
    function (id) { return name[id]; },
    12
  );

  // A node's options without its caption. All of them, not the label alone: setting them re-applies
  // the node's group, which would otherwise repaint it in the group's default colour. Not its
  // place, which would undo the layout.
  function uncaptioned(node) {
    var out = {};
    Object.keys(node).forEach(function (key) {
      if (key !== "x" && key !== "y") { out[key] = node[key]; }
    });
    out.label = "";
    return out;
  }

  // Crowded captions left out (`captions.js`); they stay the heading of their node's tooltip. Set
  // on the drawn nodes, not through the DataSet: an update there costs a pass over the whole network
  // before the drawing (about a quarter of a second at 5,000 nodes).
  function declutter() {
    var hidden = narrativeCaptions.crowded(network, ranked, function (id) { return anchor[id]; });
    hidden.forEach(function (id) { network.body.nodes[id].setOptions(uncaptioned(byId[id])); });
    return hidden.length;
  }

  // Once drawn with every caption: leave out the crowded ones, then draw it final.
  function settle() {
    if (!declutter()) { markReady(); return; }
    network.once("afterDrawing", markReady);
    network.redraw();
  }

  if (options.physics && options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      // Placed: physics off, so the picture holds still for reading and printing.
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      // fit() frames the nodes, not their captions: a margin keeps the outer captions in view.
      network.moveTo({ scale: network.getScale() * 0.88 });
      network.once("afterDrawing", settle);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", settle);  // placed by the server: its first drawing
  }

  var explorer = data.explorer;
  if (explorer) {
    network.on("click", function (params) {
      if (params.nodes.length === 1) {
        var url = explorer + "#node=" + encodeURIComponent(params.nodes[0]);
        window.open(url, "_blank", "noopener");
      }
    });
  }
})();
