"""Upsert throughput of each store on one synthetic batch (default 100,000 items).

    .venv/bin/python benchmarks/store_upsert.py                       # MemoryStore only
    .venv/bin/python benchmarks/store_upsert.py --neo4j-uri bolt://127.0.0.1:7687 [--clear]

The batch: claims, countries and actors (40,000 nodes by default) and edges from claims to
countries and actors (60,000: CONCERNS, PUBLISHED_BY, MENTIONS), written in ONE `upsert` call (one
transaction in Neo4j), then written again (every item an update: the idempotent re-load). Each
store is measured in-process on the same batch; the figure is items per second of wall time.
Neo4j must be empty, or `--clear` given: the benchmark deletes everything in the database after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.ids import code_id, make_id  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from graph.model import Edge, Node, Source  # noqa: E402
from graph.ontology import ActorKind, CountryKind, EdgeType, NodeLabel  # noqa: E402
from graph.store import GraphStore, WriteResult  # noqa: E402

_WORDS = (
    "nato troops border election vaccine laboratory sanctions refugees pipeline energy grain "
    "protest referendum biolab sabotage currency minister army secret plan western media"
).split()


def synthetic_batch(items: int, seed: int = 7) -> tuple[list[Node], list[Edge]]:
    """40 % nodes (countries and actors among them), 60 % edges from claims to countries/actors."""
    rng = random.Random(seed)
    n_nodes = items * 2 // 5
    n_countries = max(1, min(250, n_nodes // 100))
    n_actors = max(1, n_nodes // 20)
    n_claims = n_nodes - n_countries - n_actors
    countries = [
        Node(
            code_id(NodeLabel.COUNTRY, f"C{i:03d}"),
            NodeLabel.COUNTRY,
            {"name": f"Country {i}", "code": f"C{i:03d}", "kind": CountryKind.COUNTRY.value},
            [Source("bench", "countries.csv", f"line {i + 2}")],
        )
        for i in range(n_countries)
    ]
    actors = [
        Node(
            make_id(NodeLabel.ACTOR, f"outlet {i}"),
            NodeLabel.ACTOR,
            {"name": f"Outlet {i}", "kind": ActorKind.OUTLET.value, "url": f"https://outlet{i}.example"},
            [Source("bench", "actors.csv", f"line {i + 2}")],
        )
        for i in range(n_actors)
    ]
    claims = []
    for i in range(n_claims):
        words = rng.sample(_WORDS, 6)
        claims.append(
            Node(
                make_id(NodeLabel.CLAIM, f"synthetic claim {i}"),
                NodeLabel.CLAIM,
                {
                    "title": " ".join(words[:3]).capitalize() + f" {i}",
                    "text": "Claimed that " + " ".join(words) + f" in case {i}.",
                    "date": f"20{15 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "languages": rng.sample(["en", "ru", "de", "fr", "uk"], 2),
                    "keywords": rng.sample(_WORDS, 3),
                },
                [Source("bench", "claims.csv", f"line {i + 2}")],
                defaults={"excerpt": False},
            )
        )
    edges: list[Edge] = []
    n_edges = items - n_nodes
    kinds = (EdgeType.CONCERNS, EdgeType.PUBLISHED_BY, EdgeType.MENTIONS)
    seen: set[tuple[EdgeType, str, str]] = set()
    while len(edges) < n_edges:
        claim = claims[len(edges) % n_claims]
        etype = kinds[len(edges) % 3]
        target = (rng.choice(countries) if etype is EdgeType.CONCERNS else rng.choice(actors)).id
        if (etype, claim.id, target) in seen:
            continue
        seen.add((etype, claim.id, target))
        where = Source("bench", "links.csv", f"line {len(edges) + 2}")
        edges.append(Edge(etype, claim.id, target, {}, [where]))
    return countries + actors + claims, edges


def _timed(write: Callable[[], WriteResult]) -> tuple[float, WriteResult]:
    start = time.perf_counter()
    result = write()
    return time.perf_counter() - start, result


def measure(name: str, store: GraphStore, nodes: list[Node], edges: list[Edge]) -> dict[str, Any]:
    items = len(nodes) + len(edges)
    first_s, first = _timed(lambda: store.upsert(nodes, edges))
    counts = store.counts()
    again_s, again = _timed(lambda: store.upsert(nodes, edges))
    if store.counts() != counts:
        raise SystemExit(f"{name}: re-upserting the same batch changed the counts")
    created = sum(first.nodes_created.values()) + sum(first.edges_created.values())
    updated = sum(again.nodes_updated.values()) + sum(again.edges_updated.values())
    if created != items or updated != items:
        raise SystemExit(f"{name}: expected {items} created then updated, got {created} and {updated}")
    return {
        "store": name,
        "items": items,
        "create_seconds": round(first_s, 2),
        "create_items_per_s": round(items / first_s),
        "update_seconds": round(again_s, 2),
        "update_items_per_s": round(items / again_s),
    }


def _neo4j(uri: str, batch_size: int, clear: bool) -> tuple[GraphStore, Callable[[], None]]:
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    password = os.environ.get("NEO4J_PASSWORD")
    auth = (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None
    driver = GraphDatabase.driver(uri, auth=auth)
    store = Neo4jStore(
        driver, database=os.environ.get("NEO4J_DATABASE", "neo4j"), owns_driver=True, batch_size=batch_size
    )
    existing = store.counts()
    if (sum(existing.nodes.values()) or sum(existing.edges.values())) and not clear:
        store.close()
        raise SystemExit(f"{uri} holds data; pass --clear to let the benchmark delete everything in it")
    store.clear()

    def done() -> None:
        store.clear()
        store.close()

    return store, done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000, help="nodes + edges in the batch")
    parser.add_argument("--neo4j-uri", help="also measure Neo4jStore against this Bolt URI")
    parser.add_argument("--batch-size", type=int, default=5000, help="Neo4jStore rows per UNWIND")
    parser.add_argument("--clear", action="store_true", help="allow deleting what the Neo4j database holds")
    parser.add_argument("--skip-memory", action="store_true", help="measure Neo4j only")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    nodes, edges = synthetic_batch(args.items)
    print(
        f"batch: {len(nodes)} nodes + {len(edges)} edges, built in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    results = []
    if not args.skip_memory:
        results.append(measure("memory (in RAM)", MemoryStore(), nodes, edges))
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure("memory (persisted)", MemoryStore(Path(tmp) / "data"), nodes, edges))
    if args.neo4j_uri:
        store, done = _neo4j(args.neo4j_uri, args.batch_size, args.clear)
        try:
            results.append(measure(f"neo4j (batch {args.batch_size})", store, nodes, edges))
        finally:
            done()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'store':<24} {'items':>8} {'create s':>9} {'items/s':>9} {'update s':>9} {'items/s':>9}")
    for r in results:
        print(
            f"{r['store']:<24} {r['items']:>8} {r['create_seconds']:>9} {r['create_items_per_s']:>9} "
            f"{r['update_seconds']:>9} {r['update_items_per_s']:>9}"
        )


if __name__ == "__main__":
    main()
