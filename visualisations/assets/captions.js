/* Which captions a drawn network leaves out: shared by the views and the explorer, so both keep the
 * same rule as the printed views (visualisations/captions.py). */
var narrativeCaptions = (function () {
  "use strict";

  var READABLE_PX = 6;  // a node's own caption, drawn smaller on screen, is given an overview one
  var OVERVIEW_PX = 12;  // the size, on screen, of an overview caption

  function overlap(a, b) {
    return a.left < b.left + b.width && b.left < a.left + a.width &&
      a.top < b.top + b.height && b.top < a.top + a.height;
  }

  function disc(node) {
    var r = node.options.size;
    return { id: node.id, left: node.x - r, top: node.y - r, width: 2 * r, height: 2 * r };
  }

  // Going down `ranked` (node ids, best first), a caption is drawn only if it is clear of the
  // captions already kept and, unless `free(id)` (the focus, the anchors), of every other node.
  // Uses the caption boxes of the network's last drawing; returns the ids to leave uncaptioned.
  function crowded(network, ranked, free) {
    var drawn = network.body && network.body.nodes;
    if (!drawn) { return []; }
    var live = ranked.filter(function (id) { return drawn[id] && !drawn[id].options.hidden; });
    var discs = live.map(function (id) { return disc(drawn[id]); });
    var kept = [];
    var out = [];
    live.forEach(function (id) {
      var node = drawn[id];
      var box = node.options.label && node.labelModule && node.labelModule.size;
      if (!box || !box.width) { return; }
      var clash = kept.some(function (other) { return overlap(box, other); }) ||
        (!free(id) && discs.some(function (other) { return other.id !== id && overlap(box, other); }));
      if (clash) {
        out.push(id);
      } else {
        kept.push({ left: box.left, top: box.top, width: box.width, height: box.height });
      }
    });
    return out;
  }

  // Framed whole, a large network is drawn so small that vis-network leaves out every caption (under
  // 5 px) or fades it out, and the picture names nothing. Then the best-ranked of the nodes that
  // have a `name` (the focus, narratives, countries) are named at a readable size, below their node
  // on a light band that covers any faded caption there, none over another and at most `most`;
  // `order()` gives the ranking at each drawing. A node's own caption takes over again once zooming
  // in draws it at 6 px or more. Drawn on the canvas as text, never as markup. Returns a function
  // that tells which nodes the last drawing named, with their bands (in canvas units).
  function overview(network, order, name, most) {
    var named = [];
    network.on("afterDrawing", function (ctx) {
      var scale = network.getScale();
      var drawn = network.body.nodes;
      var px = OVERVIEW_PX / scale;
      var pad = 3 / scale;
      var ranked = order();
      var bands = [];
      ctx.save();
      ctx.font = "600 " + px + "px system-ui, -apple-system, Segoe UI, sans-serif";
      for (var i = 0; i < ranked.length && bands.length < most; i++) {
        var id = ranked[i];
        var node = drawn[id];
        if (!node || node.options.hidden) { continue; }
        if (node.labelModule.fontOptions.size * scale >= READABLE_PX) { continue; }  // its own reads
        var text = name(id);
        if (!text) { continue; }
        var width = ctx.measureText(text).width + 2 * pad;
        var band = {
          id: id, text: text, width: width, height: px + 2 * pad,
          left: node.x - width / 2, top: node.y + node.options.size + 2 / scale
        };
        if (bands.some(function (other) { return overlap(band, other); })) { continue; }
        bands.push(band);
      }
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      bands.forEach(function (b) {
        ctx.fillStyle = "rgba(255, 255, 255, 0.88)";
        ctx.fillRect(b.left, b.top, b.width, b.height);
        ctx.fillStyle = "#1f2328";
        ctx.fillText(b.text, b.left + b.width / 2, b.top + pad);
      });
      ctx.restore();
      named = bands;
    });
    return function () {
      return named.map(function (b) {
        return { id: b.id, text: b.text, left: b.left, top: b.top, width: b.width, height: b.height };
      });
    };
  }

  return { crowded: crowded, overview: overview };
})();
