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
  var nodes = data.network.nodes.map(function (n) { n.title = tip(n.tip); delete n.tip; return n; });
  var edges = data.network.edges.map(function (e) { e.title = tip(e.tip); delete e.tip; return e; });
  var options = data.network.options;
  var network = new vis.Network(
    document.getElementById("network"),
    { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
    options
  );
  window.viewNetwork = network;

  if (options.physics && options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      // Placed: physics off, so the picture holds still for reading and printing.
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      // fit() frames the nodes, not their captions: a margin keeps the outer captions in view.
      network.moveTo({ scale: network.getScale() * 0.88 });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
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
