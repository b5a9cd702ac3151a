"""One self-contained HTML file per view: vis-network inlined from the installed pyvis, no CDN.

The page is written here rather than by pyvis's template, which loads Bootstrap from a CDN even in
`in_line` mode and renders tooltips through `innerHTML`. Every string from the graph is escaped:
the header and side panel through `html.escape`, the network data as JSON in a non-executed script
block (`<`, `>` and `&` as `\\u` escapes), tooltips built from text nodes by the page's script.
A Content-Security-Policy in the page forbids every network request, so a saved view stays offline.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyvis

from graph.exc import NarrativeGraphError
from visualisations.network import GraphView, build_network, network_data
from visualisations.style import legend

VIS_VERSION = "9.1.2"


class AssetMissingError(NarrativeGraphError):
    """A file the views inline (vis-network from pyvis) is not installed."""

    code = "asset_missing"


def vis_dir() -> Path:
    """Where the installed pyvis keeps its bundled vis-network."""
    base = Path(pyvis.__file__).resolve().parent
    for candidate in (base / "templates" / "lib" / f"vis-{VIS_VERSION}", base / "lib" / f"vis-{VIS_VERSION}"):
        if (candidate / "vis-network.min.js").is_file():
            return candidate
    raise AssetMissingError(f"vis-network {VIS_VERSION} not found in the installed pyvis at {base}")


@cache
def vis_js() -> str:
    return (vis_dir() / "vis-network.min.js").read_text(encoding="utf-8")


_DATA_URI = re.compile(r"url\((['\"]?)data:[^)]*\)")


@cache
def vis_css() -> str:
    """vis-network's styles without the icons of its navigation and editing buttons (200 KiB of
    base64 images): the views and the explorer turn those buttons off."""
    css = (vis_dir() / "vis-network.css").read_text(encoding="utf-8")
    return _DATA_URI.sub("none", css)


@cache
def asset(name: str) -> str:
    """One of our own page assets (`view.js`, `captions.js`, `view.css`)."""
    return resources.files("visualisations").joinpath("assets", name).read_text(encoding="utf-8")


def script_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(*, with_vis: bool = True, frame_ancestors: str | None = None) -> str:
    """The page's CSP: only its own inline scripts (by hash) run, and nothing is fetched from anywhere."""
    scripts = [script_hash(vis_js())] if with_vis else []
    scripts += [script_hash(asset("captions.js")), script_hash(asset("view.js"))]
    parts = [
        "default-src 'none'",
        "script-src " + " ".join(scripts),
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if frame_ancestors is not None:
        parts.append(f"frame-ancestors {frame_ancestors}")
    return "; ".join(parts)


def json_for_script(value: Any) -> str:
    """JSON that cannot end the script block it sits in nor start markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _swatch(entry: dict[str, Any]) -> str:
    colour = html.escape(str(entry["colour"]), quote=True)
    if entry["kind"] == "edge":
        dash = " ".join(str(d) for d in entry["dashes"])
        dash_attr = f' stroke-dasharray="{html.escape(dash, quote=True)}"' if dash else ""
        arrow = f'<path d="M24 7 L30 10 L24 13 z" fill="{colour}"/>' if entry["arrow"] else ""
        return (
            f'<svg width="32" height="20" aria-hidden="true"><line x1="2" y1="10" x2="26" y2="10" '
            f'stroke="{colour}" stroke-width="{float(entry["width"]):.1f}"{dash_attr}/>{arrow}</svg>'
        )
    border = html.escape(str(entry["border"]), quote=True)
    shape = _SHAPE_ICONS.get(str(entry["shape"]), _SHAPE_ICONS["dot"])
    return f'<svg width="32" height="20" aria-hidden="true">{shape.format(fill=colour, stroke=border)}</svg>'


_SHAPE_ICONS = {
    "dot": '<circle cx="16" cy="10" r="7" fill="{fill}" stroke="{stroke}"/>',
    "diamond": '<path d="M16 2 L24 10 L16 18 L8 10 z" fill="{fill}" stroke="{stroke}"/>',
    "hexagon": '<path d="M12 3 L20 3 L24 10 L20 17 L12 17 L8 10 z" fill="{fill}" stroke="{stroke}"/>',
    "triangle": '<path d="M16 2 L24 17 L8 17 z" fill="{fill}" stroke="{stroke}"/>',
    "square": '<rect x="9" y="3" width="14" height="14" fill="{fill}" stroke="{stroke}"/>',
}


def legend_html() -> str:
    items = "".join(
        f"<li>{_swatch(entry)}<span>{html.escape(str(entry['caption']))}</span></li>" for entry in legend()
    )
    return f'<h2>Legend</h2><ul class="legend">{items}</ul>'


def _header(title: str, subtitle: str, cut: str) -> str:
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if subtitle:
        parts.append(f'<div class="sub">{html.escape(subtitle)}</div>')
    if cut:
        parts.append(f'<div class="cut" id="truncation">{html.escape(cut)}</div>')
    return "<header>" + "".join(parts) + "</header>"


def _notes(notes: list[str], heading: str) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
    return f'<h2>{html.escape(heading)}</h2><ol class="notes">{items}</ol>'


def page(*, title: str, body: str, data: dict[str, Any], with_vis: bool, extra_css: str = "") -> str:
    """The document shell: CSP, inlined styles and scripts, the data block, the body."""
    csp = content_security_policy(with_vis=with_vis)
    head_scripts = f"<script>{vis_js()}</script>" if with_vis else ""
    styles = (vis_css() if with_vis else "") + asset("view.css") + extra_css
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=True)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="narrative-graph"><link rel="icon" href="data:,">'
        f"<title>{html.escape(title)}</title><style>{styles}</style>{head_scripts}</head>"
        f"<body>{body}"
        f'<script type="application/json" id="view-data">{json_for_script(data)}</script>'
        f"<script>{asset('captions.js')}</script><script>{asset('view.js')}</script></body></html>\n"
    )


def network_html(view: GraphView, *, explorer_url: str | None = None) -> str:
    """A network view as one HTML file. Clicking a node opens `explorer_url#node=<id>`, if given."""
    net = build_network(view)
    body = (
        _header(view.title, view.subtitle, view.truncation)
        + '<main><div id="network" role="img" aria-label="'
        + html.escape(view.title, quote=True)
        + '"></div><aside>'
        + _notes(view.notes, "Steps" if view.kind == "path" else "Notes")
        + legend_html()
        + "</aside></main>"
    )
    data = {"kind": view.kind, "network": network_data(net), "explorer": explorer_url or ""}
    return page(title=view.title, body=body, data=data, with_vis=True)


def chart_html(title: str, subtitle: str, svg: str, notes: list[str], kind: str) -> str:
    """A chart view (the timeline): our own SVG in the same shell, no vis-network needed."""
    body = (
        _header(title, subtitle, "")
        + f'<main><div class="chart" id="chart">{svg}</div>'
        + (f"<aside>{_notes(notes, 'Notes')}</aside>" if notes else "")
        + "</main>"
    )
    return page(title=title, body=body, data={"kind": kind, "network": None}, with_vis=False)
