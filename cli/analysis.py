"""`narratives link|recurring|discover|timeline|match|eval`: the analytic core from the shell."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.context import AppContext
from graph.exc import InvalidInputError

out = Console()
err = Console(stderr=True)


def _json(value: Any) -> None:
    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        return v

    typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def link(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Compute lexical SIMILAR_TO links between claims (editorial links and verdicts are kept)."""
    from graph.analysis.similarity import link_claims

    app: AppContext = ctx.obj
    with err.status("linking similar claims…"):
        report = link_claims(app.store, app.settings)
    if as_json:
        _json(report)
        return
    out.print(
        f"{report.claims:,} claims: {report.pairs:,} similar pairs; {report.created:,} links created, "
        f"{report.updated:,} updated, {report.deleted:,} stale removed, {report.kept_confirmed:,} confirmed "
        f"kept, {report.skipped_editorial:,} editorial and {report.skipped_rejected:,} rejected left alone "
        f"({report.seconds:.1f} s)"
    )


def recurring(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many groups.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Recurring claims: the same claim published again, most repeated first."""
    from graph.analysis.recurrence import recurring_groups

    app: AppContext = ctx.obj
    with err.status("grouping recurring claims…"):
        groups = recurring_groups(app.store, app.settings)
    if as_json:
        _json({"count": len(groups), "data": [_group_dict(g) for g in groups[:limit]]})
        return
    table = Table(title=f"{len(groups):,} recurring claims (threshold {app.settings.recurrence_threshold})")
    for column in ("id", "times", "first", "last", "title", "languages", "outlets"):
        table.add_column(column)
    for g in groups[:limit]:
        table.add_row(
            g.id,
            str(g.size),
            g.first_seen or "-",
            g.last_seen or "-",
            escape(g.title[:80]),
            escape(", ".join(list(g.languages)[:3])),
            escape(", ".join(list(g.outlets)[:3])),
        )
    out.print(table)


def _group_dict(group: Any) -> dict[str, Any]:
    return {
        "id": group.id,
        "title": group.title,
        "size": group.size,
        "first_seen": group.first_seen,
        "last_seen": group.last_seen,
        "appearances": group.appearances,
        "countries": group.countries,
        "languages": group.languages,
        "outlets": group.outlets,
    }


def discover(
    ctx: typer.Context,
    min_size: Annotated[int, typer.Option(min=2, help="Smallest community kept as a narrative.")] = 5,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many narratives.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Discover narratives as communities of the similarity graph and store them (kind `cluster`)."""
    from graph.analysis.communities import discover_narratives

    app: AppContext = ctx.obj
    with err.status("discovering narratives…"):
        report = discover_narratives(app.store, app.settings, min_size)
    if as_json:
        _json(report)
        return
    table = Table(
        title=f"{report.communities:,} discovered narratives, {report.claims_linked:,} claims "
        f"({report.removed:,} previous removed, {report.seconds:.1f} s)"
    )
    for column in ("id", "claims", "terms", "sub-narrative of"):
        table.add_column(column)
    for n in report.narratives[:limit]:
        table.add_row(n.id, str(len(n.claim_ids)), escape(", ".join(n.terms)), escape(n.parent or "-"))
    out.print(table)


def timeline(
    ctx: typer.Context,
    node_id: Annotated[str, typer.Argument(metavar="ID", help="A narrative, recurring-claim or claim id.")],
    gap_days: Annotated[
        int | None, typer.Option(min=1, help="Quiet days before a reappearance counts as a comeback.")
    ] = None,
    period: Annotated[str, typer.Option(help="Period of the shifts: year or month.")] = "year",
    as_json: JsonOption = False,
) -> None:
    """When a narrative or recurring claim was first and last seen, its months, comebacks and shifts."""
    from graph.analysis.timeline import timeline as build

    app: AppContext = ctx.obj
    result = build(app.store, node_id, gap_days, settings=app.settings, period=period)
    if as_json:
        _json(result)
        return
    out.print(
        f"[bold]{escape(result.name)}[/bold] ({result.kind}, {result.claims} claims, "
        f"{result.undated} undated)",
        highlight=False,
    )
    if result.first_seen and result.last_seen:
        out.print(f"first seen {result.first_seen.date}: {escape(result.first_seen.title)}", highlight=False)
        out.print(f"last seen  {result.last_seen.date}: {escape(result.last_seen.title)}", highlight=False)
    for c in result.comebacks:
        out.print(f"comeback {c.date} after {c.gap_days} days: {escape(c.title)}", highlight=False)
    table = Table(title="who carried it")
    for column in ("period", "claims", "countries", "languages", "outlets"):
        table.add_column(column)
    for s in result.shifts:
        table.add_row(
            s.period,
            str(s.claims),
            *(escape(", ".join(f"{k} {v}" for k, v in xs)) for xs in (s.countries, s.languages, s.outlets)),
        )
    out.print(table)


def match(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text to match; `-` reads standard input.")],
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many claims to return.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """The known claims a text most likely repeats, with their debunks and narratives."""
    from graph.analysis.match import Matcher

    app: AppContext = ctx.obj
    if text == "-":
        text = sys.stdin.read()
    with err.status("indexing claims…"):
        matcher = Matcher.from_store(app.store)
    began = time.perf_counter()
    results = matcher.match(text, k)
    took = (time.perf_counter() - began) * 1000
    if as_json:
        _json({"count": len(results), "data": results})
        return
    table = Table(title=f"{len(results)} matches among {matcher.size:,} claims ({took:.1f} ms)")
    for column in ("score", "claim", "date", "debunks", "narratives"):
        table.add_column(column)
    for r in results:
        table.add_row(
            f"{r.score:.3f}",
            escape(f"{r.title[:90]}\n{r.claim_id}"),
            r.date or "-",
            str(len(r.debunks)),
            escape(", ".join(n.name for n in r.narratives)[:80]),
        )
    out.print(table)


def evaluate(
    shared: Annotated[
        Path, typer.Option(help="The shared folder (or its data/ folder) holding the EUvsDisinfo files.")
    ] = Path("../shared"),
    split: Annotated[str, typer.Option(help="Which half of the labelled set: test, dev or all.")] = "test",
    semantic: Annotated[
        bool, typer.Option(help="Also measure the semantic model when the `semantic` extra is installed.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Similar-to and match quality on the labelled set: ours against BM25 and TF-IDF baselines."""
    from graph.analysis import evaluation, labelled

    if split not in ("test", "dev", "all"):
        raise InvalidInputError(f"--split must be test, dev or all, got {split!r}")
    data = labelled.shared_data_dir(shared)
    with err.status("building the labelled set…"):
        tasks = labelled.all_tasks(data)
    with err.status("ranking…"):
        results = evaluation.run(tasks, (split,), semantic=semantic)
    comparisons = {t.name: evaluation.compare(results, evaluation.task_part(t, split), split) for t in tasks}
    if as_json:
        _json(
            {
                "tasks": [{"name": t.name, "description": t.description} for t in tasks],
                "results": [r.as_dict() for r in results],
                "comparisons": [c.as_dict() for c in comparisons.values() if c is not None],
            }
        )
        return
    table = Table(title=f"ranking quality ({split} split)")
    for column in ("task", "method", "queries", "MAP@5", "P@1", "P@5", "R@10", "s"):
        table.add_column(column, justify="left" if column in ("task", "method") else "right")
    for r in results:
        table.add_row(
            r.task,
            r.method,
            str(r.queries),
            f"{r.map5:.3f}",
            f"{r.p1:.3f}",
            f"{r.p5:.3f}",
            f"{r.r10:.3f}",
            f"{r.seconds:.1f}",
        )
    out.print(table)
    for t in tasks:
        out.print(
            f"{t.name}: {escape(t.description)}; ours/best baseline MAP@5 = "
            f"{evaluation.improvement(results, t.name, split):.2f}",
            highlight=False,
        )
        comparison = comparisons[t.name]
        if comparison is not None:
            out.print(f"  {escape(comparison.summary())}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(link)
    app.command()(recurring)
    app.command()(discover)
    app.command()(timeline)
    app.command()(match)
    app.command("eval")(evaluate)
