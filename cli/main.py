"""`narratives`: a group of small commands over one configured store.

Each command module registers its commands on the app; errors of narrative-graph print as one line
on stderr with a non-zero exit.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cli import analysis, core, load, render, serve
from cli.context import AppContext
from graph.exc import NarrativeGraphError
from graph.settings import Settings

app = typer.Typer(
    name="narratives",
    help="A knowledge graph of disinformation narratives, claims and debunks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


class StoreChoice(StrEnum):
    MEMORY = "memory"
    NEO4J = "neo4j"


@app.callback()
def _configure(
    ctx: typer.Context,
    store: Annotated[
        StoreChoice | None,
        typer.Option(help="Graph store: the embedded `memory` store or `neo4j` (NARRATIVES_STORE)."),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data directory of the embedded store (NARRATIVES_DATA_DIR).")
    ] = None,
) -> None:
    overrides: dict[str, object] = {}
    if store is not None:
        overrides["store"] = store.value
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    context = AppContext(Settings(**overrides))  # type: ignore[arg-type]
    ctx.obj = context
    ctx.call_on_close(context.close)


for _commands in (core, load, analysis, serve, render):
    _commands.register(app)


def main() -> None:
    try:
        app()
    except NarrativeGraphError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(2)
