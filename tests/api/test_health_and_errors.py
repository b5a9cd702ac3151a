"""Health probes, stats, the one error shape, and Neo4j going away and coming back."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore
from tests.api.conftest import IDS, assert_error, make_settings


def test_health_ready_and_stats(client: TestClient, loaded: GraphStore) -> None:
    kind = "neo4j" if type(loaded).__name__.startswith("Neo4j") else "memory"
    assert client.get("/healthz").json() == {"status": "ok", "store": kind}
    assert client.get("/readyz").json() == {"status": "ok", "store": kind}
    stats = client.get("/stats").json()
    assert stats["store"] == kind
    assert stats["nodes"] == {"Claim": 3, "Debunk": 1, "Narrative": 2, "Country": 2, "Actor": 2}
    assert stats["total_nodes"] == 10 and stats["total_edges"] == 12
    assert stats["edges"]["SIMILAR_TO"] == 1 and stats["edges"]["PART_OF"] == 3


def test_error_shape_for_every_kind_of_error(client: TestClient) -> None:
    assert_error(client.get("/no/such/route"), 404, "not_found")
    assert_error(client.delete("/claims"), 405, "method_not_allowed")
    assert_error(client.get("/claims", params={"limit": "many"}), 422, "invalid_input")
    assert_error(client.get(f"/claims/{IDS.ua}"), 404, "not_found")
    assert_error(client.get("/graph/neighbourhood", params={"id": IDS.ua, "depth": 9}), 422, "limit_exceeded")
    assert_error(
        client.patch(f"/similarities/{IDS.farmers}/{IDS.ruined}", json={"verdict": "confirmed"}), 401
    )
    err = assert_error(client.post("/match", json={"text": ""}), 422)
    assert err["details"] and err["details"][0]["field"] == "body.text"  # type: ignore[index]


def test_unexpected_errors_say_nothing_of_internals(loaded: GraphStore) -> None:
    app = create_app(make_settings(), store=loaded)

    def explode() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as c:
        err = assert_error(c.get("/explode"), 500, "internal_error")
        assert "secret" not in str(err["message"])


class _Proxy:
    """A TCP forwarder to Neo4j that the test can cut and restore: Neo4j "going down" without killing it."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def proxy(neo4j_uri: str) -> Iterator[_Proxy]:
    host_port = neo4j_uri.split("://", 1)[1]
    host, port = host_port.rsplit(":", 1)
    p = _Proxy((host, int(port)))
    p.start()
    yield p
    p.stop()


def _retrying(c: TestClient, path: str, want: int, seconds: float = 20.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        r = c.get(path)
        if r.status_code == want or time.monotonic() > deadline:
            return r
        time.sleep(0.2)


@pytest.mark.neo4j
def test_neo4j_down_is_503_and_recovers_without_restart(proxy: _Proxy, neo4j_driver: Any) -> None:
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    Neo4jStore(neo4j_driver).clear()
    driver = GraphDatabase.driver(f"bolt://127.0.0.1:{proxy.port}", connection_timeout=2.0)
    store = Neo4jStore(driver, owns_driver=True, retry_seconds=1.0)
    try:
        with TestClient(create_app(make_settings(store="neo4j"), store=store)) as c:
            assert c.get("/readyz").status_code == 200
            assert c.get("/claims").json()["count"] == 0
            proxy.stop()
            err = assert_error(_retrying(c, "/readyz", 503), 503, "store_unavailable")
            assert "Neo4j" in str(err["message"])
            assert_error(c.get("/claims"), 503, "store_unavailable")
            assert c.get("/healthz").status_code == 200  # alive, though not ready
            proxy.start()
            assert _retrying(c, "/readyz", 200).status_code == 200
            assert c.get("/claims").status_code == 200
    finally:
        store.close()


@pytest.mark.neo4j
def test_neo4j_never_reached_is_503(neo4j_driver: Any) -> None:
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    store = Neo4jStore(
        GraphDatabase.driver(f"bolt://127.0.0.1:{dead}", connection_timeout=1.0),
        owns_driver=True,
        retry_seconds=0.5,
    )
    try:
        with TestClient(create_app(make_settings(store="neo4j"), store=store)) as c:
            assert_error(c.get("/readyz"), 503, "store_unavailable")
            assert_error(c.get(f"/claims/{IDS.farmers}"), 503)
    finally:
        store.close()


def test_a_served_graph_is_indexed_before_the_first_request(tmp_path: Path) -> None:
    """The server builds the embedded store's word index at start-up, with the graph, so that no
    request pays for it and it is kept out of the cyclic collector's way with the rest."""
    from graph.memory import MemoryStore
    from tests.api.conftest import graph_records

    nodes, edges = graph_records()
    MemoryStore(tmp_path).upsert(nodes, edges)
    app = create_app(make_settings(data_dir=tmp_path))
    with TestClient(app) as c:
        assert not app.state.store._words.pending
        page = c.get("/claims", params={"q": "gas"})
        assert page.status_code == 200, page.text
        titles = [claim["properties"]["title"] for claim in page.json()["data"]]
        assert titles == ["Germany will freeze without Russian gas"]
