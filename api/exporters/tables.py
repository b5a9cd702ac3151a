"""GraphML and GEXF (via NetworkX, for Gephi and friends) and CSV node and edge tables (a zip)."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import networkx as nx

from graph.model import Edge, Node
from graph.ontology import EDGE_SPECS, NODE_SPECS, NodeLabel

_NAME = {
    NodeLabel.CLAIM: "title",
    NodeLabel.DEBUNK: "text",
    NodeLabel.NARRATIVE: "name",
    NodeLabel.COUNTRY: "name",
    NodeLabel.ACTOR: "name",
}
_LIST_SEPARATOR = "; "


def _flat(value: Any) -> Any:
    """A value as a GraphML/GEXF/CSV cell: lists joined, scalars kept."""
    if isinstance(value, list):
        return _LIST_SEPARATOR.join(str(v) for v in value)
    return value


def display_name(node: Node) -> str:
    return " ".join(str(node.get(_NAME[node.label], node.id)).split())[:200]


def _sources(items: list[Any]) -> str:
    return _LIST_SEPARATOR.join(s.encode() for s in items)


def to_networkx(nodes: list[Node], edges: list[Edge]) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph whose attributes are flat: `label` (display name), `type`, then the properties."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(name="narrative-graph")
    for node in nodes:
        attrs = {k: _flat(v) for k, v in node.properties.items()}
        g.add_node(
            node.id, label=display_name(node), type=node.label.value, sources=_sources(node.sources), **attrs
        )
    for edge in edges:
        attrs = {k: _flat(v) for k, v in edge.properties.items()}
        g.add_edge(
            edge.source,
            edge.target,
            key=edge.id,
            type=edge.type.value,
            sources=_sources(edge.sources),
            **attrs,
        )
    return g


def _typed(g: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    # GraphML declares one type per attribute key: an int in one row and a float in the next must agree.
    float_keys = {"score", "share"}
    for _, data in g.nodes(data=True):
        for key in list(data):
            if isinstance(data[key], int) and not isinstance(data[key], bool) and key in float_keys:
                data[key] = float(data[key])
    for _, _, data in g.edges(data=True):
        for key in list(data):
            if isinstance(data[key], int) and not isinstance(data[key], bool) and key in float_keys:
                data[key] = float(data[key])
    return g


def graphml(nodes: list[Node], edges: list[Edge]) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_typed(to_networkx(nodes, edges)), buf, encoding="utf-8", named_key_ids=True)
    return buf.getvalue()


def gexf(nodes: list[Node], edges: list[Edge]) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(_typed(to_networkx(nodes, edges)), buf, encoding="utf-8")
    return buf.getvalue()


def _table(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def csv_zip(nodes: list[Node], edges: list[Edge]) -> bytes:
    """`nodes.csv` and `edges.csv` in one zip: one column per ontology property, lists `; `-joined."""
    node_props = sorted({p for spec in NODE_SPECS.values() for p in spec.properties})
    edge_props = sorted({p for spec in EDGE_SPECS.values() for p in spec.properties})
    node_rows = [
        {
            "id": n.id,
            "label": n.label.value,
            "display_name": display_name(n),
            "sources": _sources(n.sources),
            **{k: _flat(v) for k, v in n.properties.items()},
        }
        for n in nodes
    ]
    edge_rows = [
        {
            "id": e.id,
            "type": e.type.value,
            "source": e.source,
            "target": e.target,
            "sources": _sources(e.sources),
            **{k: _flat(v) for k, v in e.properties.items()},
        }
        for e in edges
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nodes.csv", _table(node_rows, ["id", "label", "display_name", *node_props, "sources"]))
        zf.writestr(
            "edges.csv", _table(edge_rows, ["id", "type", "source", "target", *edge_props, "sources"])
        )
    return buf.getvalue()
