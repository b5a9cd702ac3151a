"""Small read helpers the routes share: a node's neighbours by edge type, counts through claims."""

from __future__ import annotations

from collections.abc import Sequence

from api.models import CountedNode, NodeList, NodeOut, nodes_out
from graph.model import Edge, Node
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore

TOP = 25  # how many counted neighbours a detail view lists


def other_end(edge: Edge, node_id: str) -> str:
    return edge.target if edge.source == node_id else edge.source


def neighbours(
    store: GraphStore, node_id: str, edge_type: EdgeType, *, outgoing: bool | None = None
) -> list[Node]:
    """The nodes one edge of this type away (only where the node is the source or target, if asked)."""
    ids = []
    for edge in store.edges_of(node_id, [edge_type]):
        if outgoing is True and edge.source != node_id:
            continue
        if outgoing is False and edge.target != node_id:
            continue
        ids.append(other_end(edge, node_id))
    return store.get_nodes(ids)


def counted_through(
    store: GraphStore,
    claim_ids: Sequence[str],
    edge_type: EdgeType,
    *,
    top: int = TOP,
) -> list[CountedNode]:
    """The nodes these claims reach by one edge type, with how many of the claims reach each."""
    if not claim_ids:
        return []
    counts = store.count_targets(claim_ids, edge_type)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    by_id = {n.id: n for n in store.get_nodes([i for i, _ in ranked])}
    return [CountedNode(node=NodeOut.of(by_id[i]), claims=c) for i, c in ranked if i in by_id]


def named_nodes(
    store: GraphStore,
    label: NodeLabel,
    *,
    q: str | None,
    kind: str | None,
    sort: str,
    offset: int,
    limit: int,
) -> NodeList:
    """One page of the nodes of a label, by words of their name and by kind: the shape of every
    `/narratives`, `/countries` and `/actors` listing."""
    page = store.find_nodes(
        label,
        query=q if q and q.strip() else None,
        filters={"kind": kind} if kind else None,
        order_by=sort,
        offset=offset,
        limit=limit,
    )
    return NodeList(data=nodes_out(page.items), count=page.total, offset=offset, limit=limit)
