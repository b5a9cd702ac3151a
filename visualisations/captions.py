"""Which captions a printed view draws: none over another caption or over another node.

The interactive views do the same in the page, with the sizes the browser measured
(`assets/view.js`); a printed view has no browser to ask, so a caption's width is estimated from its
characters, generously, in the metrics of the sans-serif faces print exports are drawn in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from graph.model import Node
from graph.ontology import NodeLabel

# Narratives and countries name the groups a picture is about: their captions are drawn even over
# other nodes (never over another caption), as the focus's are.
ANCHORS: Final = frozenset({NodeLabel.NARRATIVE, NodeLabel.COUNTRY})
_CELL = 64.0  # the grid that finds the shapes near a caption without looking at every node
_NARROW = frozenset("iIjlt.,:;'!|()[] ")
_WIDE = frozenset("mwMW@%")


def caption_order(nodes: Iterable[Node], degree: Mapping[str, int], focus: Collection[str]) -> list[Node]:
    """The nodes in the order their captions claim room: the focus, then the best connected (ties
    by id). Interactive and printed views both keep captions in this order."""
    return sorted(nodes, key=lambda n: (n.id not in focus, -degree.get(n.id, 0), n.id))


def may_cover_nodes(node: Node, focus: Collection[str]) -> bool:
    """Whether the node's caption may lie over other nodes: the focus's and the anchors' may."""
    return node.id in focus or node.label in ANCHORS


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A width the text will not exceed in common sans-serif faces (DejaVu Sans is the widest)."""
    ems = sum(
        0.36 if ch in _NARROW else 0.95 if ch in _WIDE else 0.76 if ch.isupper() else 0.63 for ch in text
    )
    return ems * size * (1.1 if bold else 1.0)


def caption_box(text: str, x: float, baseline: float, size: float, *, bold: bool = False) -> Box:
    """The box of a caption centred on `x` with its baseline at `baseline`."""
    half = text_width(text, size, bold=bold) / 2
    return Box(x - half, baseline - size, x + half, baseline + size * 0.3)


def _cells(box: Box) -> Iterator[tuple[int, int]]:
    for i in range(int(box.left // _CELL), int(box.right // _CELL) + 1):
        for j in range(int(box.top // _CELL), int(box.bottom // _CELL) + 1):
            yield i, j


def clear_captions(
    ranked: Sequence[tuple[str, Box]], shapes: Mapping[str, Box], over_nodes: Collection[str] = ()
) -> set[str]:
    """Going down `ranked` (node id and caption box, best first), the ids whose caption meets no
    caption kept before it and no other node's shape. Ids in `over_nodes` (the focus, the anchors)
    need only be clear of the captions kept before them."""
    grid: dict[tuple[int, int], list[tuple[str, Box]]] = defaultdict(list)
    for node_id, shape in shapes.items():
        for cell in _cells(shape):
            grid[cell].append((node_id, shape))
    kept_grid: dict[tuple[int, int], list[Box]] = defaultdict(list)
    kept: set[str] = set()
    for node_id, box in ranked:
        cells = list(_cells(box))
        if any(box.meets(other) for cell in cells for other in kept_grid.get(cell, ())):
            continue
        near = (item for cell in cells for item in grid.get(cell, ()))
        if node_id not in over_nodes and any(other != node_id and box.meets(shape) for other, shape in near):
            continue
        kept.add(node_id)
        for cell in cells:
            kept_grid[cell].append(box)
    return kept
