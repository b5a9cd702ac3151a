"""schemathesis against the running API (real uvicorn) on the real Neo4j: no server error.

A few cases per operation in `make test`; 100 per operation under `SOAK=1` (over 1,000 cases in all).
tests/api/test_openapi.py runs the in-process version on the embedded store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from graph.neo4j_store import Neo4jStore
from tests.api.conftest import auth, graph_records, make_settings
from tests.neo4j_server import free_port
from tests.reliability.conftest import SOAK, tally

pytestmark = pytest.mark.neo4j

PER_OPERATION = 100 if SOAK else 3


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # runs in a thread of the test process
        pass


@pytest.fixture(scope="module")
def api_base(neo4j_driver: Any) -> Iterator[str]:
    store = Neo4jStore(neo4j_driver)
    store.clear()
    store.upsert(*graph_records())
    port = free_port()
    server = _Server(
        uvicorn.Config(
            create_app(make_settings(store="neo4j"), store=store),
            host="127.0.0.1",
            port=port,
            log_level="error",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def api_schema(api_base: str) -> Any:
    return schemathesis.openapi.from_url(f"{api_base}/openapi.json")


def _operations() -> list[tuple[str, str]]:
    # Known at collection from the app's own document (building it needs no store); the cases are
    # drawn from the document the running server serves.
    spec = create_app(make_settings()).openapi()
    return sorted((method, path) for path, item in spec["paths"].items() for method in item)


@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda v: str(v))
def test_no_server_error_on_neo4j(api_schema: Any, api_base: str, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=not SOAK,
    )
    def run(case: Any) -> None:
        tally("schemathesis: cases on Neo4j")
        # As in tests/api: every check but "schema-valid data is accepted" (some rules span parameters).
        case.call_and_validate(base_url=api_base, headers=auth(), excluded_checks=[positive_data_acceptance])

    run()
