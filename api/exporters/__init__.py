"""The graph, or a scope of it, in the formats other tools read.

`collect` picks the scope (everything, a neighbourhood, a narrative with what its claims join);
`FORMATS` maps each format name to its media type, file extension and writer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from api.exporters.claimreview import claimreview
from api.exporters.stix import stix_bundle
from api.exporters.tables import csv_zip, gexf, graphml
from graph.export import node_link
from graph.model import Edge, Node
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore

Writer = Callable[[list[Node], list[Edge]], bytes]

# What a narrative's scope takes in around its claims.
_NARRATIVE_SCOPE_EDGES = [
    EdgeType.PART_OF,
    EdgeType.DEBUNKS,
    EdgeType.CONCERNS,
    EdgeType.PUBLISHED_BY,
    EdgeType.ATTRIBUTED_TO,
    EdgeType.MENTIONS,
    EdgeType.SIMILAR_TO,
]


@dataclass(frozen=True, slots=True)
class Format:
    media_type: str
    extension: str
    write: Writer


def _json(nodes: list[Node], edges: list[Edge]) -> bytes:
    return json.dumps(node_link(nodes, edges), ensure_ascii=False).encode("utf-8")


FORMATS: dict[str, Format] = {
    "json": Format("application/json", "json", _json),
    "graphml": Format("application/graphml+xml", "graphml", graphml),
    "gexf": Format("application/gexf+xml", "gexf", gexf),
    "csv": Format("application/zip", "zip", csv_zip),
    "claimreview": Format("application/ld+json", "jsonld", claimreview),
    "stix": Format("application/stix+json;version=2.1", "json", stix_bundle),
}


def whole(store: GraphStore) -> tuple[list[Node], list[Edge]]:
    return list(store.iter_nodes()), list(store.iter_edges())


def narrative_scope(store: GraphStore, narrative_id: str) -> tuple[list[Node], list[Edge]]:
    """A narrative, its strands and wider narratives, its claims and what those claims join."""
    centre = store.get_node(narrative_id)
    around = store.edges_of(centre.id, [EdgeType.PART_OF, EdgeType.SUBNARRATIVE_OF])
    claim_ids = sorted({e.source for e in around if e.type is EdgeType.PART_OF})
    ids = {centre.id} | {e.source for e in around} | {e.target for e in around}
    claim_set = set(claim_ids)
    for edge in store.adjacent(claim_ids, _NARRATIVE_SCOPE_EDGES):
        # Similar claims outside the narrative and other narratives are left out: the scope is this story.
        if edge.type is EdgeType.SIMILAR_TO and not (edge.source in claim_set and edge.target in claim_set):
            continue
        if edge.type is EdgeType.PART_OF and edge.target != centre.id:
            continue
        ids.add(edge.source)
        ids.add(edge.target)
    nodes = store.get_nodes(sorted(ids))
    kept = {n.id for n in nodes}
    edges = [e for e in store.adjacent(sorted(kept)) if e.source in kept and e.target in kept]
    return nodes, edges


def by_label(nodes: list[Node], label: NodeLabel) -> list[Node]:
    return [n for n in nodes if n.label is label]
