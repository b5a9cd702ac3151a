"""`narratives stats` and `narratives export`: what the store holds, and all of it as JSON."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.context import AppContext
from graph.export import node_link


class ExportFormat(StrEnum):
    JSON = "json"


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Counts of nodes by label and edges by type."""
    app: AppContext = ctx.obj
    counts = app.store.counts()
    if as_json:
        typer.echo(json.dumps({"nodes": counts.nodes, "edges": counts.edges}, indent=2))
        return
    table = Table(title=f"narrative-graph ({app.settings.store})")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in counts.nodes.items():
        table.add_row("node", label, f"{n:,}")
    for etype, n in counts.edges.items():
        table.add_row("edge", etype, f"{n:,}")
    Console().print(table)


def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.JSON,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")
    ] = None,
) -> None:
    """The whole graph as node-link JSON, every property and its provenance."""
    app: AppContext = ctx.obj
    data = node_link(app.store.iter_nodes(), app.store.iter_edges())
    if output is None:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(output)
    Console(stderr=True).print(
        f"wrote {len(data['nodes']):,} nodes and {len(data['links']):,} edges to {output}"
    )


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command()(export)
