"""Edges in words: "claim “X” is similar to claim “Y” (lexical, 0.82)", for path explanations."""

from __future__ import annotations

from graph.model import Edge, Node
from graph.ontology import EDGE_SPECS, EdgeType, NodeLabel

_NAME_PROPERTY = {
    NodeLabel.CLAIM: "title",
    NodeLabel.DEBUNK: "text",
    NodeLabel.NARRATIVE: "name",
    NodeLabel.COUNTRY: "name",
    NodeLabel.ACTOR: "name",
}
_VERB = {
    EdgeType.SIMILAR_TO: "is similar to",
    EdgeType.DEBUNKS: "debunks",
    EdgeType.PART_OF: "is part of",
    EdgeType.SUBNARRATIVE_OF: "is a strand of",
    EdgeType.CONCERNS: "concerns",
    EdgeType.PUBLISHED_BY: "was published by",
    EdgeType.ATTRIBUTED_TO: "is attributed to",
    EdgeType.MENTIONS: "mentions",
}
_MAX_NAME = 80


def describe(node: Node) -> str:
    """`claim “…”`, `country “Ukraine”`: the label and a short name."""
    name = str(node.get(_NAME_PROPERTY[node.label], node.id))
    name = " ".join(name.split())
    if len(name) > _MAX_NAME:
        name = name[: _MAX_NAME - 1].rstrip() + "…"
    return f"{node.label.value.lower()} “{name}”"


def sentence(edge: Edge, nodes: dict[str, Node], walking_from: str | None = None) -> str:
    """The edge as a sentence: in its stored direction, or, for a symmetric type, as walked."""
    start, end = edge.source, edge.target
    if EDGE_SPECS[edge.type].symmetric and walking_from == end:
        start, end = end, start
    source = describe(nodes[start]) if start in nodes else start
    target = describe(nodes[end]) if end in nodes else end
    text = f"{source} {_VERB[edge.type]} {target}"
    if edge.type is EdgeType.SIMILAR_TO:
        method = edge.properties.get("method", "?")
        score = edge.properties.get("score")
        detail = f"{method}, {float(score):.2f}" if isinstance(score, (int, float)) else str(method)
        verdict = edge.properties.get("verdict")
        if verdict and verdict != "unreviewed":
            detail += f", {verdict} by an analyst"
        text += f" ({detail})"
    return text
