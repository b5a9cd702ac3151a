"""A view's graph as a pyvis `Network`, built in linear time, placed on the server when it is big.

pyvis is our data model for vis-network (its node and edge dicts and its options), but none of its
slow or unsafe paths are used: `add_node` checks membership in a list and `add_edge` scans every edge
on an undirected graph (quadratic: 33k edges take ~33 s), so nodes and edges are appended in bulk
here; its HTML template pulls Bootstrap from a CDN and sends tooltips containing "href" through
`innerHTML`, so `visualisations.html` writes the page instead. Tooltip text travels as data (`tip`),
never as markup.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pyvis.network import Network

from graph.model import Edge, Node
from graph.ontology import EDGE_SPECS, NODE_SPECS
from graph.store import Subgraph
from visualisations.captions import caption_order, may_cover_nodes
from visualisations.layout import layout
from visualisations.style import EDGE_STYLES, NODE_STYLES, edge_look, node_caption, short

PHYSICS_LIMIT: Final = 120  # above this many nodes the server places them and physics stays off
PIXELS_PER_UNIT: Final = 140.0
BIG_VIEW_LABELS: Final = 60


@dataclass(slots=True)
class GraphView:
    """What a network view shows: a subgraph, what to call it, what to point out."""

    kind: str
    title: str
    subgraph: Subgraph
    subtitle: str = ""
    focus: frozenset[str] = frozenset()  # drawn with a heavy border (the centre, a path)
    notes: list[str] = field(default_factory=list)  # plain sentences shown beside the graph
    countries: Mapping[str, list[str]] = field(default_factory=dict)  # claim id -> country names
    focus_edges: frozenset[str] = frozenset()  # edge ids drawn emphasised

    @property
    def shown(self) -> int:
        return len(self.subgraph.nodes)

    @property
    def total(self) -> int:
        return max(self.subgraph.total, self.shown)

    @property
    def truncation(self) -> str:
        """`Showing N of M nodes` when the view was cut to a limit, else empty."""
        if not self.subgraph.truncated and self.total <= self.shown:
            return ""
        return f"Showing {self.shown:,} of {self.total:,} nodes"


def positions(view: GraphView) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node of the view (deterministic for the same subgraph)."""
    ids = sorted(n.id for n in view.subgraph.nodes)
    placed = layout(ids, ((e.source, e.target) for e in view.subgraph.edges))
    return {i: (x * PIXELS_PER_UNIT, y * PIXELS_PER_UNIT) for i, (x, y) in placed.items()}


def degrees(view: GraphView) -> Counter[str]:
    counts: Counter[str] = Counter()
    for edge in view.subgraph.edges:
        counts[edge.source] += 1
        counts[edge.target] += 1
    return counts


def node_size(base: int, degree: int) -> float:
    """Bigger for better-connected nodes, on a log scale so hubs do not swallow the view."""
    return round(base * (1.0 + 0.35 * math.log2(1 + degree)) if degree else float(base), 1)


def tooltip(node: Node, countries: list[str] | None) -> dict[str, Any]:
    """Tooltip content as plain strings (the page puts them in text nodes)."""
    lines = [NODE_SPECS[node.label].label.value]
    props = node.properties
    if props.get("date"):
        lines.append(f"Date: {props['date']}")
    if countries:
        lines.append("Countries: " + ", ".join(countries))
    for key in ("kind", "publisher", "rating", "code"):
        if isinstance(props.get(key), str):
            lines.append(f"{key.capitalize()}: {props[key]}")
    datasets = sorted({s.dataset for s in node.sources})
    if datasets:
        lines.append("Source: " + ", ".join(datasets))
    if isinstance(props.get("url"), str):
        lines.append(str(props["url"]))
    return {"h": node_caption(node), "l": lines}


def edge_tooltip(edge: Edge) -> dict[str, Any]:
    lines = []
    props = edge.properties
    if isinstance(props.get("score"), (int, float)) and not isinstance(props.get("score"), bool):
        lines.append(f"Score: {float(props['score']):.2f}")
    for key in ("method", "verdict", "evidence", "quote", "url", "share"):
        if props.get(key) not in (None, ""):
            lines.append(f"{key.capitalize()}: {props[key]}")
    return {"h": EDGE_STYLES[edge.type].caption, "l": lines}


def build_network(view: GraphView, *, physics_limit: int = PHYSICS_LIMIT) -> Network:
    """The view as a pyvis `Network`, nodes and edges appended in bulk (linear in their number)."""
    big = len(view.subgraph.nodes) > physics_limit
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    placed = positions(view)
    degree = degrees(view)
    # A big view labels only its best-connected nodes: a thousand labels are unreadable and slow to draw.
    ranked = sorted(view.subgraph.nodes, key=lambda n: (-degree[n.id], n.id))
    labelled = {n.id for n in ranked[:BIG_VIEW_LABELS]} | set(view.focus) if big else None
    # Where two captions would cover each other, the page keeps the one of the higher rank.
    rank = {n.id: i for i, n in enumerate(caption_order(view.subgraph.nodes, degree, view.focus))}
    for node in view.subgraph.nodes:
        style = NODE_STYLES[node.label]
        focus = node.id in view.focus
        x, y = placed.get(node.id, (0.0, 0.0))
        options: dict[str, Any] = {
            "id": node.id,
            "label": short(node_caption(node)) if labelled is None or node.id in labelled else "",
            "shape": style.shape,
            "size": node_size(style.size, degree[node.id]) * (1.3 if focus else 1.0),
            "color": {
                "background": style.colour,
                "border": "#111111" if focus else style.border,
                "highlight": {"background": style.colour, "border": "#111111"},
                "hover": {"background": style.colour, "border": "#111111"},
            },
            "borderWidth": 4 if focus else 1.5,
            "x": round(x, 1),
            "y": round(y, 1),
            "tip": tooltip(node, view.countries.get(node.id)),
            "group": node.label.value,
            "rank": rank[node.id],
            "anchor": may_cover_nodes(node, view.focus),
        }
        if options["anchor"]:
            options["name"] = short(node_caption(node))  # its caption in the zoomed-out overview
        if focus:
            options["font"] = {"size": 16, "face": "system-ui, sans-serif", "bold": True}
        net.nodes.append(options)
        net.node_ids.append(node.id)
        net.node_map[node.id] = options
    for edge in view.subgraph.edges:
        look = edge_look(edge)
        emphasised = edge.id in view.focus_edges
        net.edges.append(
            {
                "id": edge.id,
                "from": edge.source,
                "to": edge.target,
                "color": {"color": look.colour, "opacity": 1.0 if emphasised else 0.75},
                "width": look.width * (2.0 if emphasised else 1.0),
                "dashes": list(look.dashes) if look.dashes else False,
                "arrows": {
                    "to": {"enabled": look.arrow and not EDGE_SPECS[edge.type].symmetric, "scaleFactor": 0.5}
                },
                "tip": edge_tooltip(edge),
                "type": edge.type.value,
            }
        )
    net.options = network_options(big)
    return net


def network_options(big: bool) -> dict[str, Any]:
    """vis-network options: physics to settle a small view; a big one arrives placed, physics off."""
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {
                "size": 13,
                "face": "system-ui, -apple-system, Segoe UI, sans-serif",
                "color": "#1f2328",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
        },
    }
    if big:
        options["physics"] = {"enabled": False}
        options["layout"] = {"improvedLayout": False}
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -90, "springLength": 150, "avoidOverlap": 0.8},
            "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 50, "fit": True},
        }
        options["layout"] = {"improvedLayout": False}
    return options


def network_data(net: Network) -> dict[str, Any]:
    """What the page needs from the pyvis network: nodes, edges and options, as plain data."""
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    options = net.options if isinstance(net.options, dict) else {}
    return {"nodes": nodes, "edges": edges, "options": options}
