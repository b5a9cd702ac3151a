"""Helpers for loader tests: load files through the runner, and read the graph back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph.model import Node
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.runner import LoadReport, Runner
from tests.conftest import SEEDS

SEED_PAGE = SEEDS / "001_e9a2efaa4669730c.txt"
SEED_BARE = SEEDS / "000_11459d139cddd6cb.txt"
SEED_NEWS = SEEDS / "004_5b75429abef9148f.txt"


@pytest.fixture
def seeds() -> Path:
    if not SEED_PAGE.is_file():
        pytest.skip(f"seed documents missing at {SEEDS}")
    return SEEDS


Loader = Callable[..., LoadReport]


@pytest.fixture
def load(store: GraphStore) -> Loader:
    """Loads paths into the test's store (no similarity linking: these tests pin the loaders)."""

    def run(*paths: Path, **options: object) -> LoadReport:
        return Runner(store, link=False, **options).load(list(paths))  # type: ignore[arg-type]

    return run


def claims(store: GraphStore, *, stubs: bool = False) -> list[Node]:
    return [n for n in store.iter_nodes(NodeLabel.CLAIM) if bool(n.get("stub")) == stubs]


def titled(store: GraphStore, title: str) -> Node:
    found = [n for n in store.iter_nodes(NodeLabel.CLAIM) if n.get("title") == title]
    assert len(found) == 1, f"{len(found)} claims titled {title!r}"
    return found[0]


def neighbours(store: GraphStore, node_id: str, edge_type: EdgeType) -> list[Node]:
    ids = [e.target if e.source == node_id else e.source for e in store.edges_of(node_id, [edge_type])]
    return store.get_nodes(ids)


def names(nodes: list[Node], key: str = "name") -> set[str]:
    return {str(n.get(key)) for n in nodes}
