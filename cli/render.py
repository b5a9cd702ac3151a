"""`narratives render KIND … -o view.html|svg|png`: a view written to a file, offline.

The format follows the output's extension. HTML is one self-contained file (vis-network inlined,
no network needed to open it); SVG is vector for print; PNG is the SVG rasterised by headless Chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cli.context import AppContext
from graph.exc import InvalidInputError, LimitExceededError
from visualisations.kinds import ViewFormat, ViewKind


def render(
    ctx: typer.Context,
    kind: Annotated[ViewKind, typer.Argument(help="neighbourhood, narrative, path, country or timeline.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write: .html, .svg or .png.")],
    node_id: Annotated[
        str | None, typer.Option("--id", help="The node the view is about (narrative map: optional).")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Path view: where the path starts.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="Path view: where the path ends.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="Neighbourhood view: hops from the node.")] = 1,
    limit: Annotated[int, typer.Option("--limit", help="Most nodes drawn.")] = 300,
    k: Annotated[int, typer.Option("--paths", help="Path view: most paths drawn.")] = 3,
    gap_days: Annotated[
        int | None, typer.Option("--gap-days", help="Timeline: quiet days that make a comeback.")
    ] = None,
    explorer_url: Annotated[
        str | None,
        typer.Option(
            "--explorer-url", help="Where clicking a node opens the explorer (default: the API address)."
        ),
    ] = None,
) -> None:
    """Draws one view into a file (HTML for the browser, SVG or PNG for print)."""
    app: AppContext = ctx.obj
    settings = app.settings
    suffix = output.suffix.lower().lstrip(".")
    try:
        fmt = ViewFormat(suffix)
    except ValueError:
        raise InvalidInputError(f"{output}: the output must end in .html, .svg or .png") from None
    if depth > settings.max_depth:
        raise LimitExceededError(f"--depth: at most {settings.max_depth}, got {depth}")
    # Imported here: the rendering machinery (pyvis, scipy) would slow every other command's start.
    from visualisations.views import ViewRequest
    from visualisations.views import render as render_view

    request = ViewRequest(
        kind=kind,
        id=node_id,
        source=source,
        target=target,
        depth=depth,
        limit=limit,
        k=k,
        gap_days=gap_days or settings.comeback_gap_days,
        hub_degree=settings.hub_degree,
    )
    explorer = explorer_url if explorer_url is not None else f"http://{settings.host}:{settings.port}/"
    body = render_view(app.store, request, fmt, explorer_url=explorer, max_limit=settings.max_limit)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_bytes(body)
    tmp.replace(output)
    Console(stderr=True).print(f"wrote {kind.value} view to {output} ({len(body) / 1024:,.0f} KiB)")


def register(app: typer.Typer) -> None:
    app.command("render")(render)
