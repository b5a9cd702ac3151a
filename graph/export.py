"""The graph as node-link JSON: every node and edge with every property and its provenance."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.model import Edge, Node


def node_record(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "label": node.label.value,
        "properties": node.properties,
        "sources": [{"dataset": s.dataset, "file": s.file, "locator": s.locator} for s in node.sources],
    }


def edge_record(edge: Edge) -> dict[str, Any]:
    return {
        "id": edge.id,
        "type": edge.type.value,
        "source": edge.source,
        "target": edge.target,
        "properties": edge.properties,
        "sources": [{"dataset": s.dataset, "file": s.file, "locator": s.locator} for s in edge.sources],
    }


def node_link(nodes: Iterable[Node], edges: Iterable[Edge]) -> dict[str, Any]:
    """NetworkX-style node-link data (`directed`, `multigraph`, `nodes`, `links`)."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {"name": "narrative-graph"},
        "nodes": [node_record(n) for n in nodes],
        "links": [edge_record(e) for e in edges],
    }
