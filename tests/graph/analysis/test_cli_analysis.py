"""The analysis commands end to end on the embedded store: JSON out, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from graph.memory import MemoryStore
from graph.ontology import NodeLabel
from tests.graph.analysis.helpers import seed


def _run(data: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["--data-dir", str(data), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_link_recurring_discover_timeline_match(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ids = seed(MemoryStore(data))
    linked = _run(data, "link", "--json")
    assert linked["claims"] == 13 and int(str(linked["created"])) > 0
    recurring = _run(data, "recurring", "--json")
    assert recurring["count"] == 1
    discovered = _run(data, "discover", "--min-size", "3", "--json")
    assert int(str(discovered["communities"])) >= 1
    timeline = _run(data, "timeline", ids["editorial_troops"][0], "--json")
    assert timeline["claims"] == 5
    matched = _run(data, "match", "NATO troops at the Belarus border", "-k", "2", "--json")
    assert matched["count"] == 2


def test_unknown_timeline_id_fails_cleanly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seed(MemoryStore(data))
    result = CliRunner().invoke(app, ["--data-dir", str(data), "timeline", "narrative:0000"])
    assert result.exit_code != 0


def test_load_links_afterwards_and_says_so_in_words(tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo = Path(__file__).resolve().parents[3] / "demo"
    result = CliRunner().invoke(app, ["--data-dir", str(data), "load", str(demo)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("similarity:"))
    claims = sum(1 for _ in MemoryStore(data).iter_nodes(NodeLabel.CLAIM))
    assert f"{claims:,} claims compared" in line and "similar pairs" in line
    assert "LinkReport" not in line
