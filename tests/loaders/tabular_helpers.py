"""What the tabular loader tests share: reading a loader's output and loading it through the runner."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore
from loaders.base import Loader, Record, Rejection
from loaders.runner import LoadReport, Runner


def read_all(loader: Loader, path: Path) -> tuple[list[Record], list[Rejection]]:
    records: list[Record] = []
    rejections: list[Rejection] = []
    for item in loader.read(path):
        (rejections if isinstance(item, Rejection) else records).append(item)  # type: ignore[arg-type]
    return records, rejections


def load(store: GraphStore, *paths: Path, fmt: str = "auto", mapping: Path | None = None) -> LoadReport:
    return Runner(store, link=False).load(list(paths), fmt, mapping)
