/* Which captions a drawn network leaves out: shared by the views and the explorer, so both keep the
 * same rule as the printed views (visualisations/captions.py). */
var narrativeCaptions = (function () {
  "use strict";

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

  return { crowded: crowded };
})();
