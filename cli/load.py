"""`narratives load`: files and directories into the graph, with a progress bar and a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from cli.context import AppContext
from loaders.runner import LoadReport, Runner, walk

MAX_SHOWN_REJECTIONS = 20


def load(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (walked) to load.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Input format, or `auto` to recognise each file.")
    ] = "auto",
    mapping: Annotated[
        Path | None, typer.Option(help="Mapping file (YAML/TOML) for the `mapping` format.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Stop at the first bad record.")] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Append each rejected record and its reason to this JSONL file.")
    ] = None,
    replace: Annotated[
        bool, typer.Option(help="First remove what the same dataset and file contributed before.")
    ] = False,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Skip the similarity linking after the load.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Load cases, articles and datasets; `--format auto` says which format it chose for each file."""
    app: AppContext = ctx.obj
    console = Console(stderr=True)
    skipped: list[Path] = []
    files = walk(paths, skipped)
    for doc in skipped:
        console.print(f"{doc}: skipped, documentation (name the file to load it)", highlight=False)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[records]:,} records"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json or not console.is_terminal,
    ) as progress:
        task = progress.add_task("loading", total=len(files), records=0)
        done_files: set[str] = set()
        records = 0

        def advance(path: str, n: int) -> None:
            nonlocal records
            records += n
            done_files.add(path)
            name = escape(Path(path).name)
            progress.update(task, completed=len(done_files), records=records, description=name)

        runner = Runner(
            app.store,
            app.settings,
            strict=strict,
            rejects=rejects,
            replace=replace,
            link=not no_link,
            progress=advance,
        )
        report = runner.load(paths, fmt, mapping)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_summary(Console(), console, report)
    if report.rejected:
        raise typer.Exit(1)


def _print_summary(out: Console, err: Console, report: LoadReport) -> None:
    for f in report.files:
        out.print(
            f"{escape(f.path)}: format [bold]{escape(f.format)}[/bold] ({escape(f.chosen_by)}), "
            f"{f.records:,} records, {f.rejected:,} rejected",
            highlight=False,
        )
        for note in f.notes:
            out.print(f"  note: {escape(note)}", highlight=False)
    w = report.written
    table = Table(title=f"loaded in {report.elapsed:.2f}s")
    for column in ("kind", "name", "created", "updated"):
        table.add_column(column, justify="right" if column in {"created", "updated"} else "left")
    for label in sorted({*w.nodes_created, *w.nodes_updated}):
        table.add_row("node", label, f"{w.nodes_created[label]:,}", f"{w.nodes_updated[label]:,}")
    for etype in sorted({*w.edges_created, *w.edges_updated}):
        table.add_row("edge", etype, f"{w.edges_created[etype]:,}", f"{w.edges_updated[etype]:,}")
    table.add_row("rows", "rejected", f"{report.rejected:,}", "")
    out.print(table)
    if report.removed:
        out.print(f"--replace removed {report.removed:,} nodes and edges first")
    if report.linked:
        out.print(f"similarity: {escape(report.linked)}", highlight=False)
    for rejection in report.rejections[:MAX_SHOWN_REJECTIONS]:
        err.print(f"[red]rejected[/red] {escape(str(rejection))}", highlight=False)
    if len(report.rejections) > MAX_SHOWN_REJECTIONS:
        err.print(f"… and {len(report.rejections) - MAX_SHOWN_REJECTIONS:,} more rejected")


def register(app: typer.Typer) -> None:
    """Adds `load` to the `narratives` app."""
    app.command("load")(load)
