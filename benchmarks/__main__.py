"""`make bench`: every benchmark in one run, one table, each figure next to a baseline from the same run.

    .venv/bin/python -m benchmarks [--shared ../shared] [--only load,store,similarity,api,views] [--json FILE]

A Neo4j server is started once for the run (tools/neo4j/run, full JIT) unless NEO4J_URI is set; the
benchmarks clear it. Compare ratios, not absolute times: the machine is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("load", "store", "similarity", "api", "views")


def machine() -> dict[str, Any]:
    mem_kib = 0
    with open("/proc/meminfo", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg()[0],
    }


def _script(args: list[str], timeout: int = 3600) -> Any:
    """Runs one benchmark script with --json; its stdout is the JSON, its stderr goes to ours."""
    out = subprocess.run(
        [sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, timeout=timeout, check=True, text=True
    )
    return json.loads(out.stdout)


class Bench:
    def __init__(self, shared: Path, neo4j_uri: str) -> None:
        self.shared = shared
        self.uri = neo4j_uri
        self.rows: list[dict[str, Any]] = []
        self.raw: dict[str, Any] = {}

    def row(
        self,
        name: str,
        ours: float,
        unit: str,
        baseline_name: str,
        baseline: float | None,
        goal: str = "",
        higher_is_better: bool = True,
    ) -> None:
        ratio = None
        if baseline:
            ratio = ours / baseline if higher_is_better else baseline / ours
        self.rows.append(
            {
                "benchmark": name,
                "ours": ours,
                "unit": unit,
                "baseline": baseline_name,
                "baseline_value": baseline,
                "ratio": ratio,
                "goal": goal,
            }
        )

    def load(self) -> None:
        from benchmarks.load import run

        r = run(self.shared, self.uri)
        self.raw["load"] = r
        naive = r["neo4j_naive"]["items_per_s"]
        for name, run_key, goal in (
            ("load posts.csv, embedded", "memory", "≥ 200k items/s"),
            ("load posts.csv, Neo4j", "neo4j", "≥ 50k items/s, ≥ 20×"),
            ("load posts.csv, Neo4j, first after start", "neo4j_first", ""),
        ):
            self.row(name, r[run_key]["items_per_s"], "items/s", "naive per-row load, Neo4j", naive, goal)

    def store(self) -> None:
        r = _script(["benchmarks/store_upsert.py", "--neo4j-uri", self.uri, "--clear", "--json"])
        self.raw["store_upsert"] = r
        by = {x["store"].split(" (")[0] + (" persisted" if "persisted" in x["store"] else ""): x for x in r}
        naive = self.raw.get("load", {}).get("neo4j_naive", {}).get("items_per_s")
        for name, x in by.items():
            self.row(
                f"upsert 100k synthetic, {name}",
                x["create_items_per_s"],
                "items/s",
                "naive per-row load, Neo4j" if naive else "",
                naive,
            )

    def similarity(self) -> None:
        r = _script(["benchmarks/similarity.py", "--shared", str(self.shared), "--json"])
        self.raw["similarity"] = r
        for key, value in r.items():
            if key.startswith("top10 ours"):
                label = key.removeprefix("top10 ours, ")
                total = r[f"vectorise + top10 ours, {label}"]["wall_s"]
                # Two dense baselines: the dense matrix with each row fully sorted, and the same
                # matrix with the top 10 picked by argpartition (the stronger of the two).
                baselines = (("dense", "dense, sorted"), ("dense partitioned", "dense, argpartition"))
                for baseline, name in baselines:
                    dense = r.get(f"top10 {baseline}, {label}")
                    self.row(
                        f"all-pairs top-10 ({label}; {total:.1f} s with vectorising)",
                        value["wall_s"],
                        "s",
                        name,
                        dense["wall_s"] if dense else None,
                        "< 10 s, ≥ 10×",
                        higher_is_better=False,
                    )
        match = r["match_ms"]["all"]
        self.row("match p95", match["p95"], "ms", "", None, "< 20 ms", higher_is_better=False)

    def api(self) -> None:
        data = self.shared / "data"
        files = [
            str(data / "euvsdisinfo-cknabs" / "posts.csv"),
            str(data / "euvsdisinfo-kalkun-2017" / "full_dataset.csv"),
        ]
        results = {}
        with tempfile.TemporaryDirectory() as tmp:
            results["memory"] = _script(
                [
                    "benchmarks/api_latency.py",
                    "--store",
                    "memory",
                    "--data-dir",
                    tmp,
                    "--load",
                    *files,
                    "--requests",
                    "200",
                    "--mix",
                    "800",
                    "--json",
                ]
            )
        from neo4j import GraphDatabase

        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(GraphDatabase.driver(self.uri, auth=None), owns_driver=True)
        store.clear()
        store.close()
        results["neo4j"] = _script(
            [
                "benchmarks/api_latency.py",
                "--store",
                "neo4j",
                "--neo4j-uri",
                self.uri,
                "--load",
                *files,
                "--requests",
                "150",
                "--mix",
                "400",
                "--json",
            ]
        )
        self.raw["api"] = results
        goals = {"/graph/neighbourhood d2 l500": {"memory": "p95 < 30 ms", "neo4j": "p95 < 60 ms"}}
        for endpoint in results["memory"]["endpoints"]:
            mem = results["memory"]["endpoints"][endpoint]
            neo = results["neo4j"]["endpoints"][endpoint]
            self.row(
                f"API {endpoint} p95, embedded",
                mem["p95_ms"],
                "ms",
                "same on Neo4j",
                neo["p95_ms"],
                goals.get(endpoint, {}).get("memory", ""),
                higher_is_better=False,
            )
            self.row(
                f"API {endpoint} p50, embedded",
                mem["p50_ms"],
                "ms",
                "same on Neo4j",
                neo["p50_ms"],
                higher_is_better=False,
            )
        # On Neo4j the walk runs in one transaction and cuts the last level where the data is; the
        # baseline walks the same centres on the store's primitives (each its own transaction).
        endpoint = "/graph/neighbourhood d2 l500"
        self.row(
            f"API {endpoint} p95, Neo4j",
            results["neo4j"]["endpoints"][endpoint]["p95_ms"],
            "ms",
            "level-by-level walk in process, no HTTP",
            results["neo4j"]["neighbourhood_level_by_level_in_process"]["p95_ms"],
            goals[endpoint]["neo4j"],
            higher_is_better=False,
        )
        self.row(
            "API req/s, 16 clients, embedded",
            results["memory"]["throughput"]["req_per_s"],
            "req/s",
            "same on Neo4j",
            results["neo4j"]["throughput"]["req_per_s"],
            "≥ 300 req/s",
        )

    def views(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "views.json"
            subprocess.run(
                [sys.executable, "-m", "benchmarks.views", "--json", str(out)],
                cwd=ROOT,
                check=True,
                timeout=3600,
                stdout=sys.stderr,
            )
            rows = json.loads(out.read_text(encoding="utf-8"))
        self.raw["views"] = rows
        for r in rows:
            self.row(
                f"view build, {r['nodes']:,} nodes",
                r["ours_build_s"],
                "s",
                "plain pyvis",
                r["plain_build_s"],
                higher_is_better=False,
            )
            plain_ready = r.get("plain_ready_ms")
            self.row(
                f"view browser-ready, {r['nodes']:,} nodes",
                r["ours_ready_ms"],
                "ms",
                "plain pyvis" + ("" if plain_ready else " (never stable)"),
                plain_ready,
                "< 3,000 ms at 1,000" if r["nodes"] == 1000 else "",
                higher_is_better=False,
            )


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--only", default=",".join(STEPS))
    parser.add_argument("--json", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args(argv)
    steps = [s for s in args.only.split(",") if s]
    # Wide enough for the table whether or not a terminal is attached (CI logs have none).
    console = Console(width=max(shutil.get_terminal_size((140, 40)).columns, 140))
    server = None
    uri = os.environ.get("NEO4J_URI")
    if uri is None:
        from tests.neo4j_server import start_neo4j

        server = start_neo4j(quick_start=False)
        uri = server.uri
    bench = Bench(args.shared, uri)
    errors: dict[str, str] = {}
    started = time.perf_counter()
    try:
        for step in steps:
            console.print(f"[bold]bench:[/bold] {step} …", highlight=False)
            try:
                getattr(bench, step)()
            except Exception as exc:  # one failing benchmark must not hide the others' figures
                errors[step] = f"{type(exc).__name__}: {exc}"
                console.print(f"[red]{step} failed:[/red] {exc}", highlight=False)
    finally:
        if server is not None:
            server.stop()
    info = machine()
    table = Table(
        title=f"narrative-graph benchmarks — {info['cores']} cores, {info['memory_gib']} GiB, "
        f"Python {info['python']}, {time.perf_counter() - started:.0f} s"
    )
    for col in ("benchmark", "ours", "unit", "baseline (same run)", "baseline", "ratio", "goal"):
        table.add_column(col, justify="right" if col in {"ours", "baseline", "ratio"} else "left")
    for r in bench.rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.1f}×"
        table.add_row(
            r["benchmark"],
            _fmt(r["ours"]),
            r["unit"],
            r["baseline"],
            _fmt(r["baseline_value"]),
            ratio,
            r["goal"],
        )
    console.print(table)
    for step, error in errors.items():
        console.print(f"[red]{step}: {error}[/red]", highlight=False)
    args.json.write_text(
        json.dumps({"machine": info, "rows": bench.rows, "raw": bench.raw, "errors": errors}, indent=2),
        encoding="utf-8",
    )
    console.print(f"figures written to {args.json}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
