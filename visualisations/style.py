"""How the views look: colour and shape per node label, line style per edge type, and the legend.

Every label and type comes from the ontology; a test checks each one has a style, so a label added
there without a style here fails loudly instead of drawing grey dots.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from graph.model import Edge, Node
from graph.ontology import EdgeType, NodeLabel, SimilarityMethod, Verdict

LABEL_CHARS: Final = 42  # longer titles are cut on the canvas; the tooltip has them in full


@dataclass(frozen=True, slots=True)
class NodeStyle:
    """How one label is drawn: vis-network shape, SVG shape, fill, border and base size."""

    colour: str
    border: str
    shape: str  # vis-network shape name
    size: int
    caption: str  # legend text


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """How one edge type is drawn: colour, width, dash pattern (empty for solid), arrow."""

    colour: str
    width: float
    dashes: tuple[int, ...]
    arrow: bool
    caption: str


# Okabe-Ito-like hues: distinguishable with the common colour-vision deficiencies.
NODE_STYLES: Final[MappingProxyType[NodeLabel, NodeStyle]] = MappingProxyType(
    {
        NodeLabel.CLAIM: NodeStyle("#4E79A7", "#2F4B68", "dot", 11, "Claim"),
        NodeLabel.DEBUNK: NodeStyle("#59A14F", "#366230", "diamond", 12, "Debunk"),
        NodeLabel.NARRATIVE: NodeStyle("#E15759", "#8C2F31", "hexagon", 20, "Narrative"),
        NodeLabel.COUNTRY: NodeStyle("#B07AA1", "#6B4A62", "triangle", 15, "Country"),
        NodeLabel.ACTOR: NodeStyle("#F28E2B", "#94561A", "square", 12, "Actor or outlet"),
    }
)

EDGE_STYLES: Final[MappingProxyType[EdgeType, EdgeStyle]] = MappingProxyType(
    {
        EdgeType.SIMILAR_TO: EdgeStyle("#4E79A7", 2.0, (), False, "Similar to (width: score)"),
        EdgeType.DEBUNKS: EdgeStyle("#2E8B2E", 2.5, (), True, "Debunks"),
        EdgeType.PART_OF: EdgeStyle("#E15759", 1.2, (), True, "Part of narrative"),
        EdgeType.SUBNARRATIVE_OF: EdgeStyle("#E15759", 1.6, (8, 4), True, "Sub-narrative of"),
        EdgeType.CONCERNS: EdgeStyle("#B07AA1", 1.0, (), False, "Concerns country"),
        EdgeType.PUBLISHED_BY: EdgeStyle("#F28E2B", 1.2, (), True, "Published by"),
        EdgeType.ATTRIBUTED_TO: EdgeStyle("#F28E2B", 1.2, (6, 3), True, "Attributed to"),
        EdgeType.MENTIONS: EdgeStyle("#9AA0A6", 1.0, (2, 3), False, "Mentions"),
    }
)

COMPUTED_DASHES: Final = (6, 4)  # a computed similarity is dashed; an editorial one is solid
REJECTED_COLOUR: Final = "#C8CCD0"


def node_caption(node: Node) -> str:
    """The name a node goes by: a claim's title, a narrative's or actor's name, a debunk's publisher."""
    props = node.properties
    for key in ("title", "name", "publisher", "text"):
        value = props.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return node.id


def short(text: str, limit: int = LABEL_CHARS) -> str:
    """Cut to `limit` characters at a word boundary, with an ellipsis when anything was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


@dataclass(frozen=True, slots=True)
class DrawnEdge:
    """The resolved look of one edge (similarity edges vary by score, method and verdict)."""

    colour: str
    width: float
    dashes: tuple[int, ...]
    arrow: bool


def edge_look(edge: Edge) -> DrawnEdge:
    """The look of one edge: its type's style, a SIMILAR_TO scaled by score and marked by method."""
    style = EDGE_STYLES[edge.type]
    if edge.type is not EdgeType.SIMILAR_TO:
        return DrawnEdge(style.colour, style.width, style.dashes, style.arrow)
    score = _number(edge.properties.get("score"), 0.5)
    width = 1.0 + 5.0 * max(0.0, min(1.0, score))
    editorial = edge.properties.get("method") == SimilarityMethod.EDITORIAL.value
    colour = REJECTED_COLOUR if edge.properties.get("verdict") == Verdict.REJECTED.value else style.colour
    return DrawnEdge(colour, width, () if editorial else COMPUTED_DASHES, False)


def _number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value)


def legend() -> list[dict[str, Any]]:
    """The legend as data: one entry per node label and edge type, plus the similarity methods."""
    out: list[dict[str, Any]] = [
        {"kind": "node", "caption": s.caption, "colour": s.colour, "border": s.border, "shape": s.shape}
        for s in NODE_STYLES.values()
    ]
    for etype, s in EDGE_STYLES.items():
        if etype is EdgeType.SIMILAR_TO:
            out.append(
                {
                    "kind": "edge",
                    "caption": "Similar to, editorial",
                    "colour": s.colour,
                    "width": 3.0,
                    "dashes": [],
                    "arrow": False,
                }
            )
            out.append(
                {
                    "kind": "edge",
                    "caption": "Similar to, computed",
                    "colour": s.colour,
                    "width": 3.0,
                    "dashes": list(COMPUTED_DASHES),
                    "arrow": False,
                }
            )
            continue
        out.append(
            {
                "kind": "edge",
                "caption": s.caption,
                "colour": s.colour,
                "width": s.width,
                "dashes": list(s.dashes),
                "arrow": s.arrow,
            }
        )
    return out


def explorer_style() -> dict[str, Any]:
    """The styles as the explorer's script reads them, so it draws exactly like the saved views."""
    return {
        "nodes": {
            label.value: {
                "colour": s.colour,
                "border": s.border,
                "shape": s.shape,
                "size": s.size,
                "caption": s.caption,
            }
            for label, s in NODE_STYLES.items()
        },
        "edges": {
            etype.value: {
                "colour": s.colour,
                "width": s.width,
                "dashes": list(s.dashes),
                "arrow": s.arrow,
                "caption": s.caption,
            }
            for etype, s in EDGE_STYLES.items()
        },
        "computedDashes": list(COMPUTED_DASHES),
        "rejectedColour": REJECTED_COLOUR,
    }
