"""Shared fixtures: a clean store of each kind, and the real Neo4j the suite starts for itself.

Neo4j comes from `NEO4J_URI` when set, else from `tools/neo4j/run` (Neo4j 5.26 embedded with Bolt)
started once for the run when Java and Maven are present. Without either, Neo4j tests skip with one
line, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.memory import MemoryStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NARRATIVES_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"shared data: {SHARED} ({'present' if DATA.is_dir() else 'MISSING'}); CI={IN_CI}"]


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"Neo4j unavailable under CI=true: {reason}")
    pytest.skip(f"Neo4j tests skipped: {reason}")


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """The Bolt URI of a running Neo4j: NEO4J_URI, or one this run starts and stops."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    if not (shutil.which("java") and shutil.which("mvn")):
        _unavailable("no NEO4J_URI and no java/mvn to start tools/neo4j/run")
    from tests.neo4j_server import start_neo4j

    try:
        server = start_neo4j()
    except Exception as exc:  # a failed start is reported, never hidden
        _unavailable(f"tools/neo4j/run did not start: {exc}")
        raise
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str) -> Iterator[Any]:
    from neo4j import GraphDatabase

    user = os.environ.get("NEO4J_USER", "neo4j")
    password = os.environ.get("NEO4J_PASSWORD")
    driver = GraphDatabase.driver(neo4j_uri, auth=(user, password) if password else None)
    try:
        driver.verify_connectivity()
    except Exception as exc:
        _unavailable(f"cannot reach {neo4j_uri}: {exc}")
    yield driver
    driver.close()


def _neo4j_store(driver: Any) -> GraphStore:
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(driver)
    store.clear()
    return store


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A clean store of each kind; a test using it runs once per store."""
    if request.param == "memory":
        s: GraphStore = MemoryStore(tmp_path / "data")
    else:
        s = _neo4j_store(request.getfixturevalue("neo4j_driver"))
    yield s
    s.close()


@pytest.fixture
def memory_store(tmp_path: Path) -> MemoryStore:
    return MemoryStore(tmp_path / "data")


@pytest.fixture
def shared_data() -> Path:
    if not DATA.is_dir():
        if IN_CI:
            pytest.fail(f"shared datasets missing at {DATA}")
        pytest.skip(f"shared datasets missing at {DATA}")
    return DATA
