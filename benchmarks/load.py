"""Loading cknabs `posts.csv`: items/s into each store, against a naive loader in the same run.

    .venv/bin/python benchmarks/load.py [--shared DIR] [--neo4j-uri bolt://…] [--naive-rows 300] [--json]

Ours: the load runner (records in chunks, one upsert — one transaction — per chunk, link step off).
The naive baseline writes the same loader records one CSV row at a time, each row its own
transaction (what a first loader that MERGEs row by row does); it is timed on the first
`--naive-rows` rows, which is enough for a rate. Items are the nodes and edges each run wrote
(created + updated). Without `--neo4j-uri` a Neo4j server is started with tools/neo4j/run.
Neo4j must be empty: the benchmark clears it.

Both Neo4j figures are of a warm server, as a server that runs for days is: before either is timed,
the whole file is loaded once and cleared (`neo4j_first`, kept in the JSON). A fresh server spends
its first load compiling (JIT and query plans): that run measures the server's start, not the load,
and would fall on our run only (the naive one comes second). Writing the first 2,000 records was
not enough: the first full load after it still ran at about two thirds of the rate of the loads
that followed it on the same server.
`store_seconds` / `store_items_per_s`: the part of our run spent inside `store.upsert` (the rest is
the loader and claim resolution, the same for every store).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.memory import MemoryStore  # noqa: E402
from graph.model import Edge, Node  # noqa: E402
from graph.store import GraphStore, WriteResult  # noqa: E402
from loaders.base import Record  # noqa: E402
from loaders.cknabs import CknabsPostsLoader  # noqa: E402
from loaders.runner import Runner  # noqa: E402


def ours(store: GraphStore, posts: Path) -> dict[str, Any]:
    in_store = [0.0]
    upsert = store.upsert

    def timed(nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> WriteResult:
        started = time.perf_counter()
        try:
            return upsert(nodes, edges)
        finally:
            in_store[0] += time.perf_counter() - started

    setattr(store, "upsert", timed)  # noqa: B010 -- an instance attribute shadows the method for this run
    try:
        started = time.perf_counter()
        report = Runner(store, link=False).load([posts])
        seconds = time.perf_counter() - started
    finally:
        delattr(store, "upsert")
    items = report.written.items
    return {
        "rows": report.records,
        "items": items,
        "seconds": seconds,
        "items_per_s": items / seconds,
        "store_seconds": in_store[0],
        "store_items_per_s": items / in_store[0] if in_store[0] else None,
    }


def naive(store: GraphStore, posts: Path, rows: int) -> dict[str, Any]:
    records = [r for r in itertools.islice(CknabsPostsLoader().read(posts), rows) if isinstance(r, Record)]
    started = time.perf_counter()
    items = 0
    for record in records:
        items += store.upsert(record.nodes, record.edges).items
    seconds = time.perf_counter() - started
    return {"rows": len(records), "items": items, "seconds": seconds, "items_per_s": items / seconds}


def neo4j_store(uri: str | None) -> tuple[GraphStore, Any]:
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    server = None
    if uri is None:
        from tests.neo4j_server import start_neo4j

        server = start_neo4j()
        uri = server.uri
    store = Neo4jStore(GraphDatabase.driver(uri, auth=None), owns_driver=True)
    return store, server


def run(
    shared: Path,
    neo4j_uri: str | None = None,
    naive_rows: int = 300,
    with_neo4j: bool = True,
) -> dict[str, Any]:
    posts = shared / "data" / "euvsdisinfo-cknabs" / "posts.csv"
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["memory"] = ours(MemoryStore(Path(tmp) / "data"), posts)
    if with_neo4j:
        store, server = neo4j_store(neo4j_uri)
        try:
            store.clear()
            results["neo4j_first"] = ours(store, posts)
            store.clear()
            results["neo4j"] = ours(store, posts)
            store.clear()
            results["neo4j_naive"] = naive(store, posts, naive_rows)
            store.clear()
        finally:
            store.close()
            if server is not None:
                server.stop()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--neo4j-uri")
    parser.add_argument("--naive-rows", type=int, default=300)
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.shared, args.neo4j_uri, args.naive_rows, not args.no_neo4j)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        in_store = (
            f"  (in store.upsert {r['store_seconds']:6.2f} s {r['store_items_per_s']:>9,.0f} items/s)"
            if r.get("store_items_per_s")
            else ""
        )
        print(
            f"{name:12} {r['rows']:>7,} rows {r['items']:>9,} items "
            f"{r['seconds']:8.2f} s {r['items_per_s']:>10,.0f} items/s{in_store}"
        )


if __name__ == "__main__":
    main()
