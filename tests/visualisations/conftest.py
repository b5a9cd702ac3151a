"""Fixtures for the view tests: a synthetic graph, headless Chromium, a live API, the screenshot folder."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.ids import make_id
from graph.memory import MemoryStore
from graph.model import Edge, Node, Source
from graph.ontology import EdgeType, NodeLabel
from graph.settings import Settings
from graph.store import GraphStore
from tests.conftest import IN_CI, ROOT
from tests.visualisations.browser import browser_missing, chromium
from tests.visualisations.synthetic import Synthetic, build_synthetic

SCREENSHOTS = Path(os.environ.get("NARRATIVES_SCREENSHOTS", ROOT / "screenshots"))
XSS_TITLE = "<img src=x onerror=alert(1)>"
HREF_TITLE = 'Read <a href="javascript:alert(2)">the href proof</a> & "quotes"'
TOKEN = "test-token-views"


def add_hostile_claims(store: GraphStore, near: str) -> tuple[str, str]:
    """Two claims whose titles are markup, linked to `near`; returns their ids."""
    src = Source("hostile", "titles.csv", "line 1")
    a = Node(
        make_id(NodeLabel.CLAIM, XSS_TITLE),
        NodeLabel.CLAIM,
        {"title": XSS_TITLE, "date": "2022-02-02"},
        [src],
    )
    b = Node(
        make_id(NodeLabel.CLAIM, HREF_TITLE),
        NodeLabel.CLAIM,
        {"title": HREF_TITLE, "text": "<script>alert(3)</script>", "date": "2022-02-03"},
        [src],
    )
    edges = [
        Edge(
            EdgeType.SIMILAR_TO,
            a.id,
            b.id,
            {"score": 0.9, "method": "lexical", "evidence": "<b>bold</b> href"},
            [src],
        ),
        Edge(EdgeType.SIMILAR_TO, a.id, near, {"score": 0.7, "method": "editorial"}, [src]),
    ]
    store.upsert([a, b], edges)
    return a.id, b.id


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = browser_missing()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"headless Chromium unavailable under CI=true: {reason}")
        pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def offline_browser(browser_available: None) -> Iterator[Any]:
    """Chromium with every network name unresolvable and a dead proxy: file:// only."""
    with chromium(offline=True) as driver:
        yield driver


@pytest.fixture(scope="module")
def online_browser(browser_available: None) -> Iterator[Any]:
    """Chromium that may reach 127.0.0.1 (the live API), nothing else on purpose."""
    with chromium(offline=False) as driver:
        yield driver


@pytest.fixture(scope="module")
def graph_store() -> tuple[MemoryStore, Synthetic, tuple[str, str]]:
    store = MemoryStore(None)
    ids = build_synthetic(store, 1200, seed=5)
    hostile = add_hostile_claims(store, ids.claims[0])
    return store, ids, hostile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_api(graph_store: tuple[MemoryStore, Synthetic, tuple[str, str]]) -> Iterator[str]:
    """The real API over the synthetic store, served by uvicorn on a free local port."""
    import uvicorn

    from api.app import create_app

    store = graph_store[0]
    port = _free_port()
    settings = Settings(api_token=TOKEN, frame_ancestors="'self'")  # type: ignore[call-arg, arg-type]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
