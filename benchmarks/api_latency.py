"""API latency and throughput through a real uvicorn on loopback.

    python benchmarks/api_latency.py --store memory --data-dir DIR [--load FILE ...]
    python benchmarks/api_latency.py --store neo4j --neo4j-uri bolt://127.0.0.1:7687 [--load FILE ...]

Loads the files first when asked (same runner as `narratives load`), starts `narratives serve` in a
child process on 127.0.0.1, then measures p50/p95 of `/claims?q=`, `/claims/{id}`, `/graph/neighbourhood`
(depth 2, limit 500) and `/match`, one request at a time, and requests per second with 16 concurrent
clients over a mix of the four. Request counts are bounded; nothing leaves the loopback interface.
Before anything is timed, `--warm-up` other requests per endpoint warm the workers and the server
(Neo4j's JIT and query plans): timed cold, the first requests after a load measure compilation.
Before the server starts, the neighbourhood's baseline is timed in this process on the same centres:
the walk on the store's primitives alone, each level's neighbours and then the nodes and edges kept
read by a call of their own. The machine's speed changes by the hour here; a figure and its
baseline from one run move together.

The server runs `--workers` uvicorn processes (as `narratives serve --workers`). The client is kept
light (stdlib `http.client`, one keep-alive connection per client thread) because it shares the
machine's cores with the server; it still sends every request and reads every response in full.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.factory import open_store  # noqa: E402 - after the path fix for a standalone run
from graph.ontology import NodeLabel  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore, walk_neighbourhood  # noqa: E402


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # with the query string
    body: bytes | None = None


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects if the server closed it."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, request: Request) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if request.body is not None else {}
        for attempt in (1, 2):
            try:
                self._conn.request(request.method, request.path, body=request.body, headers=headers)
                response = self._conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._conn.close()
                self._conn = http.client.HTTPConnection("127.0.0.1", self._port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._conn.close()


def _get(path: str, params: dict[str, Any] | None = None) -> Request:
    return Request("GET", quote(path) + (f"?{urlencode(params)}" if params else ""))


def _post(path: str, body: dict[str, Any]) -> Request:
    return Request("POST", quote(path), json.dumps(body).encode("utf-8"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _settings(args: argparse.Namespace) -> Settings:
    values: dict[str, Any] = {"store": args.store}
    if args.data_dir:
        values["data_dir"] = Path(args.data_dir)
    if args.neo4j_uri:
        values["neo4j_uri"] = args.neo4j_uri
    return Settings(**values)


def _env(settings: Settings, args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env["NARRATIVES_STORE"] = settings.store
    env["NARRATIVES_DATA_DIR"] = str(settings.data_dir)
    if args.neo4j_uri:
        env["NEO4J_URI"] = args.neo4j_uri
    return env


def _load(store: GraphStore, settings: Settings, files: list[str]) -> str:
    from loaders.runner import Runner

    started = time.perf_counter()
    report = Runner(store, settings).load([Path(f) for f in files])
    took = time.perf_counter() - started
    return f"loaded {report.records} records ({report.rejected} rejected) in {took:.1f} s"


def _samples(store: GraphStore, n: int, seed: int) -> tuple[list[str], list[str], list[str], list[str]]:
    """Query words, claim ids, neighbourhood centres and match texts, drawn from the loaded graph."""
    rng = random.Random(seed)
    page = store.find_nodes(NodeLabel.CLAIM, limit=5000)
    claims = page.items
    if not claims:
        raise SystemExit("the store holds no claims: load some first (--load)")
    picked = [rng.choice(claims) for _ in range(n)]
    words = []
    for claim in picked:
        title_words = [w for w in str(claim.get("title", "")).split() if len(w) > 4 and w.isalpha()]
        words.append(rng.choice(title_words) if title_words else "russia")
    centres = [rng.choice(claims).id for _ in range(n)]
    texts = [" ".join(str(c.get("title", "")).split()[:12]) or "sanctions" for c in picked]
    return words, [c.id for c in picked], centres, texts


def _level_by_level(store: GraphStore, centres: list[str], warm: list[str]) -> dict[str, float]:
    """The baseline for the neighbourhood, in the same run: the same centres walked in this process
    on the store's primitives alone, each a call (on Neo4j a transaction) of its own, as a store
    without the walk's shortcuts answers. No HTTP, so it is timed with less work than the API."""
    for centre in warm:
        walk_neighbourhood(store, centre, 2, None, None, 500)
    ms = []
    for centre in centres:
        started = time.perf_counter()
        walk_neighbourhood(store, centre, 2, None, None, 500)
        ms.append((time.perf_counter() - started) * 1000)
    return _figures(ms)


def _timed(client: Client, requests: list[Request]) -> list[float]:
    out = []
    for request in requests:
        started = time.perf_counter()
        status, body = client.send(request)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"{request.method} {request.path}: {status} {body[:300]!r}")
        out.append(elapsed * 1000)
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _figures(ms: list[float]) -> dict[str, float]:
    """p50 and p95 of timings in milliseconds, and how many."""
    p50, p95 = round(statistics.median(ms), 2), round(_percentile(ms, 0.95), 2)
    return {"p50_ms": p50, "p95_ms": p95, "n": len(ms)}


def _throughput(port: int, requests: list[Request], clients: int) -> tuple[float, int]:
    """Requests per second with `clients` threads sharing the list; errors counted, not hidden."""
    lock = threading.Lock()
    position = [0]
    errors = [0]

    def worker() -> None:
        client = Client(port)
        try:
            while True:
                with lock:
                    if position[0] >= len(requests):
                        return
                    request = requests[position[0]]
                    position[0] += 1
                if client.send(request)[0] != 200:
                    with lock:
                        errors[0] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(requests) / (time.perf_counter() - started), errors[0]


def _wait_ready(port: int, proc: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn exited with {proc.returncode}")
        client = Client(port)
        try:
            if client.send(Request("GET", "/readyz"))[0] == 200:
                return
        except OSError:
            pass
        finally:
            client.close()
        time.sleep(0.2)
    raise SystemExit("uvicorn did not become ready")


def _requests(
    words: list[str], claim_ids: list[str], centres: list[str], texts: list[str]
) -> dict[str, list[Request]]:
    return {
        "/claims?q=": [_get("/claims", {"q": w}) for w in words],
        "/claims/{id}": [_get(f"/claims/{i}") for i in claim_ids],
        "/graph/neighbourhood d2 l500": [
            _get("/graph/neighbourhood", {"id": i, "depth": 2, "limit": 500}) for i in centres
        ],
        "/match": [_post("/match", {"text": t, "k": 10}) for t in texts],
    }


def _warm_up(port: int, endpoints: dict[str, list[Request]], workers: int) -> None:
    """Untimed requests of each kind, shared out over twice as many connections as there are
    workers, so each worker has built its matcher and the server (Neo4j's JIT and query plans
    included) is warm before anything is timed. They are drawn apart from the timed ones."""
    threads = []
    connections = workers * 2
    for w in range(connections):

        def run(offset: int = w) -> None:
            client = Client(port)
            try:
                for requests in endpoints.values():
                    _timed(client, requests[offset::connections])
            finally:
                client.close()

        threads.append(threading.Thread(target=run))
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--store", choices=["memory", "neo4j"], default="memory")
    parser.add_argument("--data-dir", help="Embedded store's data directory.")
    parser.add_argument("--neo4j-uri", help="Neo4j Bolt URI (default from settings).")
    parser.add_argument("--load", nargs="*", default=[], help="Files to load before measuring.")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per endpoint.")
    parser.add_argument(
        "--warm-up", type=int, default=40, help="Untimed requests per endpoint first (other samples)."
    )
    parser.add_argument("--mix", type=int, default=2000, help="Requests in the concurrent run.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="uvicorn worker processes, as `narratives serve --workers` (default: one per core).",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)

    settings = _settings(args)
    store = open_store(settings)
    try:
        note = _load(store, settings, args.load) if args.load else "no load (using the store as it is)"
        counts = store.counts()
        words, claim_ids, centres, texts = _samples(store, args.requests, args.seed)
        warm = _samples(store, args.warm_up, args.seed + 1)
        baseline = _level_by_level(store, centres, warm[2])
    finally:
        store.close()
    print(note, file=sys.stderr)

    port = _free_port()
    # Served as `narratives serve --workers N` serves, the command's own code path included.
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cli.main import main; main()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-access-log",
        ],
        cwd=ROOT,
        env=_env(settings, args),
        stdout=sys.stderr,  # our stdout is the figures (with --json)
    )
    try:
        _wait_ready(port, proc)
        endpoints = _requests(words, claim_ids, centres, texts)
        figures: dict[str, Any] = {
            "store": args.store,
            "nodes": sum(counts.nodes.values()),
            "edges": sum(counts.edges.values()),
            "endpoints": {},
            "neighbourhood_level_by_level_in_process": baseline,
        }
        _warm_up(port, _requests(*warm), args.workers)
        client = Client(port)
        try:
            for name, requests in endpoints.items():
                ms = _timed(client, requests)
                figures["endpoints"][name] = _figures(ms)
        finally:
            client.close()
        rng = random.Random(args.seed)
        pool = [r for requests in endpoints.values() for r in requests]
        mix = [rng.choice(pool) for _ in range(args.mix)]
        rps, errors = _throughput(port, mix, args.clients)
        figures["throughput"] = {
            "clients": args.clients,
            "workers": args.workers,
            "requests": len(mix),
            "req_per_s": round(rps, 1),
            "errors": errors,
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{args.store} store: {figures['nodes']} nodes, {figures['edges']} edges")
        print(f"{'endpoint':32} {'p50 ms':>8} {'p95 ms':>8}")
        for name, f in figures["endpoints"].items():
            print(f"{name:32} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f}")
        b = figures["neighbourhood_level_by_level_in_process"]
        print(f"{'baseline: level by level, no HTTP':32} {b['p50_ms']:8.1f} {b['p95_ms']:8.1f}")
        t = figures["throughput"]
        print(
            f"{t['clients']} clients, mixed: {t['req_per_s']:.0f} req/s over {t['requests']} requests "
            f"({t['errors']} errors)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
