"""Views benchmark: our wrapped pyvis against pyvis used the plain way, same graphs, same run.

    .venv/bin/python -m benchmarks.views [--sizes 100 1000 5000] [--timeout 60] [--json out.json]

For each size a synthetic graph is written to a MemoryStore and the neighbourhood of a hub cut to
exactly that many nodes is drawn twice:
- ours: `visualisations.views.render` (bulk build, server layout above a few hundred nodes, one
  self-contained file);
- plain: `pyvis.network.Network(cdn_resources="in_line")` with `add_node` / `add_edge` per item and
  `write_html` (in a temporary directory, so nothing lands in the working directory).
Build time is wall time from subgraph to HTML file. Browser-ready time is milliseconds from
navigation start until the network is drawn and still, in headless Chromium with the network cut
off: our page reports it (`window.viewReadyAt`); for plain pyvis the `stabilized` event is listened
for (with physics still running after `--timeout` seconds the view is reported as never settling).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.memory import MemoryStore  # noqa: E402
from tests.visualisations.browser import browser_missing, chromium, requested_urls, wait_ready  # noqa: E402
from tests.visualisations.synthetic import build_synthetic  # noqa: E402
from visualisations.html import network_html  # noqa: E402
from visualisations.network import GraphView, tooltip  # noqa: E402
from visualisations.style import node_caption  # noqa: E402
from visualisations.views import country_names  # noqa: E402

_PLAIN_PROBE = """<script>
(function () {
  function mark(k) { if (window["bench_" + k] === undefined) { window["bench_" + k] = performance.now(); } }
  network.once("afterDrawing", function () { mark("firstDraw"); });
  network.once("stabilizationIterationsDone", function () { mark("iterations"); });
  network.on("stabilized", function () {
    network.once("afterDrawing", function () { mark("stable"); });
    network.redraw();
  });
})();
</script></body>"""


def _view(store: MemoryStore, hub: str, size: int) -> GraphView:
    sub = store.neighbourhood(hub, depth=3, limit=size)
    if len(sub.nodes) != size:
        raise SystemExit(f"the synthetic graph reaches only {len(sub.nodes)} nodes from {hub}, wanted {size}")
    return GraphView(
        kind="neighbourhood",
        title=f"Benchmark, {size:,} nodes",
        subgraph=sub,
        focus=frozenset({hub}),
        countries=country_names(store, sub.nodes),
    )


def _ours(view: GraphView, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    html = network_html(view, explorer_url="http://127.0.0.1:8000/")
    out.write_text(html, encoding="utf-8")
    return time.perf_counter() - start, out.stat().st_size


def _plain(view: GraphView, out: Path) -> tuple[float, int]:
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(height="750px", width="100%", cdn_resources="in_line")
    for node in view.subgraph.nodes:
        tip = tooltip(node, view.countries.get(node.id))
        net.add_node(node.id, label=node_caption(node)[:40], title="\n".join([tip["h"], *tip["l"]]))
    for edge in view.subgraph.edges:
        net.add_edge(edge.source, edge.target, title=edge.type.value)
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # write_html may write lib/ into the working directory
        try:
            net.write_html("plain.html")
            html = Path("plain.html").read_text(encoding="utf-8")
        finally:
            os.chdir(cwd)
    elapsed = time.perf_counter() - start
    out.write_text(html.replace("</body>", _PLAIN_PROBE, 1), encoding="utf-8")
    return elapsed, len(html.encode("utf-8"))


def _ready_plain(driver: Any, timeout: float) -> dict[str, float | None]:
    deadline = time.monotonic() + timeout
    marks: dict[str, float | None] = {}
    while time.monotonic() < deadline:
        try:
            marks = driver.execute_script(
                "return {firstDraw: window.bench_firstDraw, iterations: window.bench_iterations,"
                " stable: window.bench_stable}"
            )
        except Exception:  # noqa: BLE001 - the renderer is busy with physics and did not answer in time
            continue
        if marks.get("stable") is not None:
            break
        time.sleep(0.1)
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="Seconds to wait for plain pyvis to settle."
    )
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    parser.add_argument("--keep", type=Path, help="Keep the generated HTML files in this folder.")
    args = parser.parse_args(argv)

    missing = browser_missing()
    if missing:
        print(f"cannot measure browser-ready times: {missing}", file=sys.stderr)
        return 2
    folder = args.keep or Path(tempfile.mkdtemp(prefix="narratives-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        store = MemoryStore(None)
        ids = build_synthetic(store, max(200, int(size * 0.95)), seed=3)
        view = _view(store, ids.countries[0], size)
        ours_file, plain_file = folder / f"ours-{size}.html", folder / f"plain-{size}.html"
        ours_build, ours_bytes = _ours(view, ours_file)
        plain_build, plain_bytes = _plain(view, plain_file)
        with chromium(offline=True) as driver:
            driver.get(ours_file.as_uri())
            ours_ready = wait_ready(driver, timeout=120)
            ours_external = [u for u in requested_urls(driver) if u.startswith(("http:", "https:"))]
        with chromium(offline=True) as driver:
            driver.set_page_load_timeout(args.timeout)
            try:
                driver.get(plain_file.as_uri())
            except Exception:  # noqa: BLE001 - still loading at the timeout; the marks say how far it got
                pass
            marks = _ready_plain(driver, args.timeout)
            try:
                plain_external = [u for u in requested_urls(driver) if u.startswith(("http:", "https:"))]
            except Exception:  # noqa: BLE001 - a renderer still busy after the timeout
                plain_external = []
        row = {
            "nodes": size,
            "edges": len(view.subgraph.edges),
            "ours_build_s": round(ours_build, 3),
            "ours_ready_ms": round(ours_ready),
            "ours_html_bytes": ours_bytes,
            "ours_external_requests": len(ours_external),
            "plain_build_s": round(plain_build, 3),
            "plain_first_draw_ms": None
            if marks.get("firstDraw") is None
            else round(float(marks["firstDraw"] or 0)),
            "plain_ready_ms": None if marks.get("stable") is None else round(float(marks["stable"] or 0)),
            "plain_html_bytes": plain_bytes,
            "plain_external_requests": len(plain_external),
        }
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    print(_table(rows, args.timeout))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


def _table(rows: list[dict[str, Any]], timeout: float) -> str:
    def ms(value: Any) -> str:
        return f"never settled in {timeout:.0f} s" if value is None else f"{value:,} ms"

    lines = [
        "| nodes | edges | build: ours | build: plain pyvis | ready: ours | ready: plain pyvis "
        "| first draw: plain | HTML: ours | HTML: plain | external requests: ours / plain |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        first = "—" if r["plain_first_draw_ms"] is None else f"{r['plain_first_draw_ms']:,} ms"
        lines.append(
            f"| {r['nodes']:,} | {r['edges']:,} | {r['ours_build_s']:.2f} s | {r['plain_build_s']:.2f} s "
            f"| {r['ours_ready_ms']:,} ms | {ms(r['plain_ready_ms'])} | {first} "
            f"| {r['ours_html_bytes'] / 1024:,.0f} KiB | {r['plain_html_bytes'] / 1024:,.0f} KiB "
            f"| {r['ours_external_requests']} / {r['plain_external_requests']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
