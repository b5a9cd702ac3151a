"""Static SVG for print: a network drawn from the server-side layout, and the timeline chart.

Written by hand rather than screenshotted from the canvas, so it is vector, small, and the same on
every machine. Every string from the graph goes through `esc` (XML escaping, quotes included).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from visualisations.captions import Box, caption_box, caption_order, clear_captions, may_cover_nodes
from visualisations.network import GraphView, degrees, node_size, positions
from visualisations.style import EDGE_STYLES, NODE_STYLES, edge_look, legend, node_caption, short

FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
LABELS_SHOWN = 80  # beyond this many nodes only the best-connected (and focused) ones are labelled
CAPTION_SIZE = 11


# XML 1.0 allows no C0 control character but tab, newline and carriage return, escaped or not.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: object) -> str:
    return html.escape(_XML_FORBIDDEN.sub("\ufffd", str(text)), quote=True)


def _shape(shape: str, x: float, y: float, r: float, fill: str, stroke: str, width: float, title: str) -> str:
    """The node's shape, its caption as its `<title>`: shown on hover where the caption is not drawn."""
    common = f'fill="{esc(fill)}" stroke="{esc(stroke)}" stroke-width="{width:.1f}"'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        tag, attrs = "polygon", f'points="{pts}"'
    elif shape == "triangle":
        h = r * 1.1
        pts = f"{x:.1f},{y - h:.1f} {x + h:.1f},{y + h * 0.75:.1f} {x - h:.1f},{y + h * 0.75:.1f}"
        tag, attrs = "polygon", f'points="{pts}"'
    elif shape == "square":
        tag, attrs = "rect", f'x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"'
    elif shape == "hexagon":
        pts = " ".join(
            f"{x + r * math.cos(math.pi / 3 * k):.1f},{y + r * math.sin(math.pi / 3 * k):.1f}"
            for k in range(6)
        )
        tag, attrs = "polygon", f'points="{pts}"'
    else:
        tag, attrs = "circle", f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"'
    return f"<{tag} {attrs} {common}><title>{esc(title)}</title></{tag}>"


def _legend(x: float, y: float) -> tuple[str, float]:
    out = [f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" font-weight="600" fill="#57606a">LEGEND</text>']
    y += 18
    for entry in legend():
        if entry["kind"] == "node":
            out.append(
                _shape(
                    str(entry["shape"]),
                    x + 10,
                    y - 4,
                    6,
                    str(entry["colour"]),
                    str(entry["border"]),
                    1,
                    str(entry["caption"]),
                )
            )
        else:
            dash = " ".join(str(d) for d in entry["dashes"])
            dash_attr = f' stroke-dasharray="{esc(dash)}"' if dash else ""
            out.append(
                f'<line x1="{x:.0f}" y1="{y - 4:.0f}" x2="{x + 22:.0f}" y2="{y - 4:.0f}" '
                f'stroke="{esc(entry["colour"])}" stroke-width="{float(entry["width"]):.1f}"{dash_attr}/>'
            )
        out.append(
            f'<text x="{x + 30:.0f}" y="{y:.0f}" font-size="12" fill="#1f2328">{esc(entry["caption"])}</text>'
        )
        y += 18
    return "".join(out), y


def network_svg(view: GraphView, *, width: int = 1400) -> str:
    """The network as a standalone SVG document sized for print (legend on the right)."""
    placed = positions(view)
    degree = degrees(view)
    side_panel = 230
    top = 70 if view.subtitle or view.truncation else 50
    plot_w = width - side_panel - 40
    xs = [p[0] for p in placed.values()] or [0.0]
    ys = [p[1] for p in placed.values()] or [0.0]
    span_x = max(max(xs) - min(xs), 1.0)
    span_y = max(max(ys) - min(ys), 1.0)
    scale = min(plot_w / span_x, 900 / span_y, 1.6)
    plot_h = max(span_y * scale, 420.0)
    height = int(top + plot_h + 50)
    node_scale = min(1.0, max(0.35, scale * 1.2))

    def at(node_id: str) -> tuple[float, float]:
        px, py = placed[node_id]
        return (
            20 + (px - min(xs)) * scale + (plot_w - span_x * scale) / 2,
            top + 20 + (py - min(ys)) * scale + (plot_h - 40 - span_y * scale) / 2,
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{esc(FONT)}">',
        f"<title>{esc(view.title)}</title>",
        _arrow_markers(),
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="20" y="30" font-size="20" font-weight="650" fill="#1f2328">{esc(view.title)}</text>',
    ]
    sub = " · ".join(s for s in (view.subtitle, view.truncation) if s)
    if sub:
        parts.append(f'<text x="20" y="52" font-size="13" fill="#57606a">{esc(sub)}</text>')
    parts.append('<g id="edges" fill="none">')
    for edge in view.subgraph.edges:
        if edge.source not in placed or edge.target not in placed:
            continue
        look = edge_look(edge)
        (x1, y1), (x2, y2) = at(edge.source), at(edge.target)
        dash = f' stroke-dasharray="{" ".join(str(d) for d in look.dashes)}"' if look.dashes else ""
        emphasised = edge.id in view.focus_edges
        marker = f' marker-end="url(#arrow-{edge.type.value.lower()})"' if look.arrow else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{esc(look.colour)}" '
            f'stroke-width="{look.width * (2 if emphasised else 1) * max(node_scale, 0.6):.2f}" '
            f'stroke-opacity="{1.0 if emphasised else 0.7}"{dash}{marker}/>'
        )
    parts.append('</g><g id="nodes">')
    by_degree = sorted(view.subgraph.nodes, key=lambda n: (-degree[n.id], n.id))
    labelled = {n.id for n in by_degree[:LABELS_SHOWN]} | set(view.focus)
    # Of the labelled nodes, in caption order, only the captions clear of every caption drawn before
    # them and (unless they may cover nodes) of every other node are drawn.
    ranked = [n for n in caption_order(view.subgraph.nodes, degree, view.focus) if n.id in labelled]
    shapes: dict[str, Box] = {}
    captions: dict[str, tuple[str, float, float, bool]] = {}
    for node in view.subgraph.nodes:
        style = NODE_STYLES[node.label]
        x, y = at(node.id)
        focus = node.id in view.focus
        r = node_size(style.size, degree[node.id]) * node_scale * (1.3 if focus else 1.0)
        caption = node_caption(node)
        parts.append(
            _shape(
                style.shape,
                x,
                y,
                r,
                style.colour,
                "#111111" if focus else style.border,
                3.0 if focus else 1.0,
                caption,
            )
        )
        # A triangle reaches furthest from its centre: 1.1 r.
        shapes[node.id] = Box(x - 1.1 * r, y - 1.1 * r, x + 1.1 * r, y + 1.1 * r)
        captions[node.id] = (short(caption), x, y + r + 12, focus)
    boxes = [
        (n.id, caption_box(text, x, baseline, CAPTION_SIZE, bold=focus))
        for n in ranked
        for text, x, baseline, focus in [captions[n.id]]
    ]
    free = {n.id for n in ranked if may_cover_nodes(n, view.focus)}
    drawn = clear_captions(boxes, shapes, over_nodes=free)
    labels = [
        f'<text x="{x:.1f}" y="{baseline:.1f}" text-anchor="middle" font-size="{CAPTION_SIZE}" '
        f'font-weight="{600 if focus else 400}">{esc(text)}</text>'
        for node_id, _ in boxes
        if node_id in drawn
        for text, x, baseline, focus in [captions[node_id]]
    ]
    parts.append("</g>")
    # Labels last, with a white halo, so no line or shape covers them.
    parts.append(
        '<g id="labels" fill="#1f2328" stroke="#ffffff" stroke-width="3" paint-order="stroke" '
        'stroke-linejoin="round">' + "".join(labels) + "</g>"
    )
    legend_svg, legend_end = _legend(width - side_panel + 10, top + 10)
    parts.append(legend_svg)
    if view.notes:
        parts.append(_wrapped_notes(view.notes, width - side_panel + 10, legend_end + 14, side_panel - 20))
    parts.append("</svg>\n")
    return "".join(parts)


def _arrow_markers() -> str:
    defs = []
    for etype, style in EDGE_STYLES.items():
        defs.append(
            f'<marker id="arrow-{etype.value.lower()}" viewBox="0 0 10 10" refX="16" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0 0 L10 5 L0 10 z" fill="{esc(style.colour)}"/></marker>'
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _wrap(text: str, chars: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines


def _wrapped_notes(notes: Sequence[str], x: float, y: float, width: float) -> str:
    out = [f'<text x="{x:.0f}" y="{y:.0f}" font-size="12" font-weight="600" fill="#57606a">STEPS</text>']
    y += 18
    chars = max(20, int(width / 6.2))
    for i, note in enumerate(notes, 1):
        for j, line in enumerate(_wrap(f"{i}. {note}", chars)):
            indent = 0 if j == 0 else 12
            out.append(
                f'<text x="{x + indent:.0f}" y="{y:.0f}" font-size="11" fill="#1f2328">{esc(line)}</text>'
            )
            y += 14
        y += 6
    return "".join(out)


# -- the timeline chart -----------------------------------------------------------------------------


@dataclass(slots=True)
class TimelineData:
    """Claims per month of a narrative or recurring claim, and when it came back after a quiet spell."""

    node_id: str
    title: str
    months: list[tuple[str, int]]  # (YYYY-MM, claims), every month from first to last, zeros included
    comebacks: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM-DD, quiet days before)
    first_seen: str | None = None
    last_seen: str | None = None


def timeline_svg(data: TimelineData, *, width: int = 1100, height: int = 420, standalone: bool = True) -> str:
    """A bar per month, comebacks marked; `standalone` adds the XML namespace and a title for files."""
    left, right, top, bottom = 56, 20, 36 if standalone else 14, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((c for _, c in data.months), default=0)
    step = _nice_step(peak)
    y_max = max(step * math.ceil(peak / step) if peak else step, step)
    count = max(len(data.months), 1)
    slot = plot_w / count
    bar = max(1.0, slot * 0.78)
    attrs = (
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
    )
    parts = [f'<svg {attrs} font-family="{esc(FONT)}" role="img" aria-label="{esc(data.title)}">']
    parts.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    if standalone:
        parts.append(f"<title>{esc(data.title)}</title>")
        parts.append(
            f'<text x="{left}" y="22" font-size="16" font-weight="650" fill="#1f2328">'
            f"{esc(data.title)}</text>"
        )
    tick = 0
    while tick <= y_max:
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eaeef2"/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" fill="#57606a" '
            f'text-anchor="end">{tick}</text>'
        )
        tick += step
    index: dict[str, int] = {month: i for i, (month, _) in enumerate(data.months)}
    label_every = max(1, math.ceil(count / 18))
    for i, (month, claims) in enumerate(data.months):
        x = left + i * slot + (slot - bar) / 2
        h = plot_h * claims / y_max
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="#4E79A7" rx="1.5"><title>{esc(month)}: {claims} claims</title></rect>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{top + plot_h + 16:.1f}" font-size="11" '
                f'fill="#57606a" text-anchor="middle">{esc(month)}</text>'
            )
    for day, gap in data.comebacks:
        at = index.get(day[:7])
        if at is None:
            continue
        x = left + at * slot + slot / 2
        parts.append(
            f'<line class="comeback" x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" '
            f'stroke="#E15759" stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<path d="M{x - 5:.1f} {top - 2:.1f} L{x + 5:.1f} {top - 2:.1f} L{x:.1f} {top + 6:.1f} z" '
            f'fill="#E15759"/>'
            f'<text x="{x + 6:.1f}" y="{top + 12:.1f}" font-size="11" fill="#8C2F31">'
            f"back after {gap} days</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#8c959f"/>'
    )
    parts.append(
        f'<text x="{left}" y="{height - 12}" font-size="11" fill="#57606a">Claims per month'
        f"{esc(f' · first seen {data.first_seen}' if data.first_seen else '')}"
        f"{esc(f' · last seen {data.last_seen}' if data.last_seen else '')}</text>"
    )
    parts.append("</svg>\n")
    return "".join(parts)


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if peak / step <= 6:
            return step
    return 10_000
