"""What every reliability test asserts about a store after a load: integrity, and what was written.

`load_checked` is the fuzzers' oracle. It loads one file through the runner into a fresh store and
checks that the load either refused the file with a `LoadError` naming it (and wrote nothing), or
reported every record it could not take as a rejection naming the file, and that the store then holds
exactly what a load of only the accepted records gives: a rejected record leaves nothing behind.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from graph.exc import LoadError
from graph.memory import MemoryStore
from graph.model import validate_edge, validate_node
from graph.store import GraphStore
from loaders.base import Loader, Record, Rejection
from loaders.registry import choose_loader
from loaders.runner import LoadReport, Runner
from tests.reliability.conftest import tally

NodeView = tuple[str, str, tuple[str, ...]]  # label, properties as JSON, sorted sources
EdgeView = tuple[str, tuple[str, ...]]  # properties as JSON, sorted sources


@dataclass(frozen=True)
class Snapshot:
    """A store's whole content, comparable across stores and load orders (provenance as a set)."""

    nodes: dict[str, NodeView]
    edges: dict[tuple[str, str, str], EdgeView]

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        return Counter(v[0] for v in self.nodes.values()), Counter(k[0] for k in self.edges)

    def diff(self, other: Snapshot, limit: int = 8) -> str:
        """A short account of how two snapshots differ, for assertion messages."""
        lines: list[str] = []
        for what, mine, theirs in (("node", self.nodes, other.nodes), ("edge", self.edges, other.edges)):
            for key in sorted(set(mine) | set(theirs), key=str):
                if mine.get(key) != theirs.get(key):  # type: ignore[call-overload]
                    lines.append(f"{what} {key}: {mine.get(key)!r} != {theirs.get(key)!r}")  # type: ignore[call-overload]
        more = f"\n... and {len(lines) - limit} more" if len(lines) > limit else ""
        return "\n".join(lines[:limit]) + more


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def snapshot(store: GraphStore) -> Snapshot:
    nodes: dict[str, NodeView] = {}
    for node in store.iter_nodes():
        assert node.id not in nodes, f"duplicate node {node.id}"
        nodes[node.id] = (
            node.label.value,
            _json(node.properties),
            tuple(sorted(s.encode() for s in node.sources)),
        )
    edges: dict[tuple[str, str, str], EdgeView] = {}
    for edge in store.iter_edges():
        key = (edge.type.value, edge.source, edge.target)
        assert key not in edges, f"duplicate edge {key}"
        edges[key] = (_json(edge.properties), tuple(sorted(s.encode() for s in edge.sources)))
    return Snapshot(nodes, edges)


def check_integrity(store: GraphStore) -> Snapshot:
    """No duplicate, no node or edge without provenance or outside the ontology, no dangling edge,
    and `counts()` agrees with what iteration finds. Returns the snapshot it took."""
    snap = snapshot(store)
    for node in store.iter_nodes():
        assert node.sources, f"node {node.id} has no provenance"
        validate_node(node)
    for edge in store.iter_edges():
        assert edge.sources, f"edge {edge.key} has no provenance"
        assert edge.source in snap.nodes and edge.target in snap.nodes, f"edge {edge.key} to a missing node"
        validate_edge(edge)
    labels, types = snap.counts()
    counts = store.counts()
    assert {k: v for k, v in counts.nodes.items() if v} == dict(labels), (counts.nodes, labels)
    assert {k: v for k, v in counts.edges.items() if v} == dict(types), (counts.edges, types)
    return snap


def is_empty(store: GraphStore) -> bool:
    counts = store.counts()
    return not any(counts.nodes.values()) and not any(counts.edges.values())


def names_file(message: str, path: Path) -> bool:
    return path.name in message


class _Accepted(Loader):
    """Another loader's records without the ones named: what "only the accepted records" loads."""

    format: ClassVar[str] = "accepted"
    dataset: ClassVar[str] = "accepted"
    description: ClassVar[str] = "test: the records another loader yields, minus some"

    def __init__(self, inner: Loader, skip: set[int | None]) -> None:
        self.inner = inner
        self.skip = skip

    @classmethod
    def sniff(cls, path: Path, head: str) -> float:
        return 0.0

    def read(self, path: Path) -> Iterator[Record | Rejection]:
        for item in self.inner.read(path):
            if isinstance(item, Record) and line_of(item.locator) not in self.skip:
                yield item


def line_of(locator: str) -> int | None:
    """The line a record's locator names, as the runner reports a record it rejects."""
    last = locator.split()[-1] if locator.split() else ""
    digits = "".join(ch for ch in last if ch.isdigit())
    return int(digits) if digits else None


@dataclass(frozen=True)
class KnownBug:
    """A bug in a loader this suite found and reported; its regression test is a strict xfail in
    test_loader_regressions.py. When the owner fixes it that test passes, fails as XPASS, and the
    entry here goes with its xfail mark."""

    name: str
    error: type[BaseException]
    message: str  # a substring of the error's message

    def matches(self, exc: BaseException) -> bool:
        return isinstance(exc, self.error) and self.message in str(exc)


KNOWN_BUGS: tuple[KnownBug, ...] = ()  # all fixed; see test_loader_regressions.py


def known_bug(exc: BaseException) -> KnownBug | None:
    return next((bug for bug in KNOWN_BUGS if bug.matches(exc)), None)


@dataclass
class Outcome:
    """What one checked load did."""

    refused: LoadError | None = None
    report: LoadReport | None = None
    records: int = 0
    rejected: int = 0
    snapshot: Snapshot | None = None
    rejections: list[Rejection] = field(default_factory=list)
    bug: KnownBug | None = None  # the load hit a known, reported bug: nothing else was checked

    @property
    def reported(self) -> bool:
        """The input was refused or at least one of its units rejected."""
        return self.refused is not None or self.rejected > 0


def load_checked(path: Path, fmt: str, mapping: Path | None, store: GraphStore | None = None) -> Outcome:
    """Loads one file into `store` (a fresh in-memory store when None), checking the oracle above.

    Any exception but a `LoadError` fails the test, except one of `KNOWN_BUGS`: that is counted
    (`known bug: ...` in the figures) and the input passed over, so the fuzzing goes on."""
    try:
        return _load_checked(path, fmt, mapping, store)
    except Exception as exc:
        bug = known_bug(exc)
        if bug is None:
            raise
        tally(f"known bug: {bug.name}")
        return Outcome(bug=bug)


def _load_checked(path: Path, fmt: str, mapping: Path | None, store: GraphStore | None) -> Outcome:
    store = store if store is not None else MemoryStore()
    assert is_empty(store)
    try:
        loader, how = choose_loader(path, fmt, mapping)
    except LoadError as exc:
        assert names_file(str(exc), path) or fmt == "mapping", f"LoadError does not name the file: {exc}"
        return Outcome(refused=exc)
    direct: list[Record | Rejection] = []
    read_error: LoadError | None = None
    try:
        direct.extend(loader.read(path))
    except LoadError as exc:
        read_error = exc
    try:
        report = Runner(store, link=False).run([(path, choose_loader(path, fmt, mapping)[0], how)])
    except LoadError as exc:
        where = mapping if (mapping is not None and mapping.name in str(exc)) else path
        assert names_file(str(exc), where), f"LoadError does not name the file: {exc}"
        assert is_empty(store), f"refused with {exc!s} but wrote {store.counts()}"
        return Outcome(refused=exc)
    assert read_error is None, f"the loader raised {read_error!s} when read directly, yet the load went on"
    loader_rejections = [r for r in direct if isinstance(r, Rejection)]
    loader_records = [r for r in direct if isinstance(r, Record)]
    assert report.records + report.rejected >= 1, "a load that took nothing and rejected nothing"
    for rejection in report.rejections:
        assert names_file(str(rejection), path), f"a rejection does not name the file: {rejection}"
        assert rejection.reason.strip(), "a rejection without a reason"
    reported = Counter(str(r) for r in report.rejections)
    reported.subtract(Counter(str(r) for r in loader_rejections))
    assert all(v >= 0 for v in reported.values()), "a rejection the loader made went unreported"
    at_write = [r for r in report.rejections if reported[str(r)] > 0]
    assert report.rejected == len(loader_rejections) + len(at_write)
    assert report.records == len(loader_records) - len(at_write), (report.records, len(loader_records))
    snap = check_integrity(store)
    # Nothing half-written: the store equals a load of only the records that were accepted.
    expected_store = MemoryStore()
    skip = {r.line for r in at_write}
    accepted = _Accepted(choose_loader(path, fmt, mapping)[0], skip)
    if report.records:
        Runner(expected_store, link=False).run([(path, accepted, how)])
    expected = snapshot(expected_store)
    assert snap == expected, f"the store differs from a load of the accepted records:\n{snap.diff(expected)}"
    return Outcome(None, report, report.records, report.rejected, snap, list(report.rejections))
