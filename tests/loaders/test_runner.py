"""The load pipeline: rejections, strictness, empty and unknown files, chunk atomicity, the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import typer
from typer.testing import CliRunner

import cli.load
from cli.context import AppContext
from graph.exc import LoadError, RejectedRowError
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from graph.settings import Settings
from graph.store import GraphStore
from loaders.base import Loader, Record, Rejection
from loaders.registry import detect
from loaders.resolve import claim_id
from loaders.runner import Runner
from tests.loaders.conftest import Loader as LoadFn
from tests.loaders.conftest import claims, titled

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo"

GOOD = """Disinfo: The river was poisoned on purpose


Factories upstream were told to poison the river to drive farmers off their land.


There is no evidence of any such order; the river's pollution came from an old mine, as the water
authority's reports show.

  • DATE OF PUBLICATION: 02/03/2021
  • Article language(s) English
  • Countries and/or Regions discussed in the disinformation: Poland
"""
BAD_DATE = """Disinfo: The bridge was sold to a foreign army


The city sold its main bridge to a foreign army last winter.


There is no evidence of any sale.

  • DATE OF PUBLICATION: 31/02/2021
"""


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _page(tmp_path: Path, name: str, *blocks: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def test_bad_record_is_rejected_and_the_load_goes_on(store: GraphStore, load: LoadFn, tmp_path: Path) -> None:
    path = _page(tmp_path, "cases.txt", BAD_DATE, GOOD)
    rejects = tmp_path / "rejects.jsonl"
    report = load(path, rejects=rejects)
    assert report.rejected == 1
    line = _line_of(path, "31/02/2021")
    assert str(report.rejections[0]).startswith(f"{path}:{line}: ")
    assert "31/02/2021" in report.rejections[0].reason
    row = json.loads(rejects.read_text(encoding="utf-8").splitlines()[0])
    assert row["file"] == str(path) and row["line"] == line and "impossible date" in row["reason"]
    assert [c.get("title") for c in claims(store)] == ["The river was poisoned on purpose"]


def test_strict_stops_at_the_first_bad_record(store: GraphStore, load: LoadFn, tmp_path: Path) -> None:
    path = _page(tmp_path, "cases.txt", BAD_DATE, GOOD)
    with pytest.raises(RejectedRowError, match=rf"cases\.txt:{_line_of(path, '31/02/2021')}"):
        load(path, strict=True)


def test_empty_and_unrecognised_files_are_errors(store: GraphStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"empty\.txt: file is empty"):
        Runner(store, link=False).load([empty])
    unknown = tmp_path / "notes.txt"
    unknown.write_text("Shopping list: bread, milk, three apples.\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"notes\.txt: format not recognised"):
        Runner(store, link=False).load([unknown])
    assert store.counts().nodes[NodeLabel.CLAIM.value] == 0


class _Lines(Loader):
    """A test format: one claim per line; a line starting "!" also names a claim that does not exist."""

    format: ClassVar[str] = "test-lines"
    dataset: ClassVar[str] = "test-lines"
    description: ClassVar[str] = "test input"

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        return 0.0

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            src = Source(self.dataset, str(path), f"line {n}")
            cid = claim_id(None, None, line)
            record = Record(src.locator, [Node(cid, NodeLabel.CLAIM, {"title": line.lstrip("!")}, [src])])
            if line.startswith("!"):
                missing = claim_id(None, None, "a claim nobody loaded at all")
                record.edges.append(
                    Edge(EdgeType.SIMILAR_TO, cid, missing, {"score": 1.0, "method": "editorial"}, [src])
                )
            yield record


def test_a_failing_chunk_rejects_only_its_bad_record(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_text(
        "first sound claim here\n!broken claim with a dangling link\nthird sound claim here\n",
        encoding="utf-8",
    )
    report = Runner(store, link=False).run([(path, _Lines(), "--format")])
    assert report.rejected == 1 and report.records == 2
    assert report.rejections[0].line == 2 and "no node" in report.rejections[0].reason
    assert sorted(str(c.get("title")) for c in claims(store)) == [
        "first sound claim here",
        "third sound claim here",
    ]


def test_excerpt_and_full_case_are_one_claim_in_either_order(
    store: GraphStore, load: LoadFn, tmp_path: Path
) -> None:
    excerpt = _page(tmp_path, "listing.txt", "\n".join(GOOD.splitlines()[:8]))
    full = _page(tmp_path, "case.txt", GOOD)
    load(excerpt)
    assert titled(store, "The river was poisoned on purpose").get("excerpt") is True
    load(full)
    case = titled(store, "The river was poisoned on purpose")
    assert case.get("excerpt") is False and case.get("date") == "2021-03-02"
    assert case.get("aliases")
    load(excerpt)
    load(full)
    assert len(claims(store)) == 1
    assert titled(store, "The river was poisoned on purpose").get("excerpt") is False


def test_every_demo_file_is_recognised() -> None:
    files = sorted(p for p in DEMO.iterdir() if p.is_file())
    assert files
    chosen = {p.name: detect(p)[0].format for p in files}
    assert set(chosen.values()) == {"euvsdisinfo-page", "bare-case", "news"}, chosen


def _app(data_dir: Path) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def configure(ctx: typer.Context) -> None:
        context = AppContext(Settings(data_dir=data_dir, link_after_load=False))  # type: ignore[call-arg]
        ctx.obj = context
        ctx.call_on_close(context.close)

    cli.load.register(app)
    return app


def test_cli_loads_the_demo_twice_without_change(tmp_path: Path) -> None:
    app = _app(tmp_path / "data")
    first = CliRunner().invoke(app, ["load", "--replace", "--json", str(DEMO)])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert {f["format"] for f in summary["files"]} == {"euvsdisinfo-page", "bare-case", "news"}
    assert all(f["chosen_by"].startswith("auto") for f in summary["files"])
    assert summary["rejected"] == 0 and summary["nodes_created"]["Claim"] >= 10
    second = CliRunner().invoke(app, ["load", "--replace", "--json", str(DEMO)])
    again = json.loads(second.stdout)
    assert second.exit_code == 0
    assert again["nodes_created"] == summary["nodes_created"]  # what --replace removed comes back once
    third = CliRunner().invoke(app, ["load", "--json", str(DEMO)])
    assert json.loads(third.stdout)["nodes_created"] == {}


def test_cli_exits_non_zero_when_anything_is_rejected(tmp_path: Path) -> None:
    path = _page(tmp_path, "cases.txt", GOOD, BAD_DATE)
    rejects = tmp_path / "rejects.jsonl"
    result = CliRunner().invoke(_app(tmp_path / "data"), ["load", "--rejects", str(rejects), str(path)])
    assert result.exit_code == 1
    assert f"cases.txt:{_line_of(path, '31/02/2021')}" in result.output and "impossible date" in result.output
    assert rejects.is_file()


def test_cli_reports_an_unrecognised_file_as_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Shopping list: bread, milk, three apples.\n", encoding="utf-8")
    result = CliRunner().invoke(_app(tmp_path / "data"), ["load", str(path)])
    assert result.exit_code != 0
    assert isinstance(result.exception, LoadError) and "format not recognised" in str(result.exception)
