"""Concurrent loads and reads on each store: several writers (different files, and the same file
twice at once) while many readers query. Afterwards the store holds exactly what a serial load of the
same files holds: no duplicate node, no lost provenance, the same counts, the same properties.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.runner import LoadReport, Runner
from tests.reliability.checks import Snapshot, check_integrity
from tests.reliability.conftest import examples, tally
from tests.reliability.seeds import CLAIMREVIEW, KALKUN, PAGE

_COUNTRIES = ["Russia", "Germany", "Poland", "Latvia", "Ukraine", "Estonia", "France"]
_KEYWORDS = ["Energy", "NATO", "Elections", "Sanctions", "Migration", "Vladimir Putin", "Baltic states"]
_OUTLETS = ["Example Channel", "Example Radio", "Example Daily", "Example Weekly"]


def _posts(rows: range) -> str:
    """A cknabs posts file of made-up cases; the shared countries, keywords and outlets make writers
    contend for the same nodes. A case reads the same in every file that has it (two files that
    disagree on a property leave whichever was written last, in any load order)."""
    lines = ["date,id,title,countries,keywords,languages,outlets"]
    for i in rows:
        rnd = random.Random(i)
        countries = "+".join(rnd.sample(_COUNTRIES, rnd.randint(1, 3)))
        keywords = "+".join(rnd.sample(_KEYWORDS, rnd.randint(1, 3)))
        outlets = "+".join(rnd.sample(_OUTLETS, rnd.randint(1, 2)))
        lines.append(
            f"2022-{1 + i % 12:02d}-{1 + i % 28:02d},https://cases.example.org/report/case-{i}/,"
            f"Made-up case number {i} about {keywords.split('+')[0].lower()},{countries},{keywords},"
            f"English,{outlets}"
        )
    return "\n".join(lines) + "\n"


def _files(folder: Path) -> dict[str, Path]:
    n = examples(120, 1200)
    # a and b overlap on a third of their cases: the same claims arrive from two files at once.
    texts = {
        "posts_a.csv": _posts(range(0, n)),
        "posts_b.csv": _posts(range(2 * n // 3, 2 * n // 3 + n)),
        "posts_c.csv": _posts(range(2 * n, 3 * n)),
        "full_dataset.csv": KALKUN,
        "reviews.json": CLAIMREVIEW,
    }
    out = {}
    for name, text in texts.items():
        out[name] = folder / name
        out[name].write_text(text, encoding="utf-8")
    return out


def _serial(paths: list[Path]) -> Snapshot:
    reference = MemoryStore()
    for path in paths:
        Runner(reference, link=False).load([path])
    return check_integrity(reference)


def _reader(store: GraphStore, stop: threading.Event, errors: list[BaseException], reads: list[int]) -> None:
    """Queries of every kind, checking each answer is well formed, until told to stop."""
    done = 0
    try:
        while not stop.is_set():
            counts = store.counts()
            assert all(v >= 0 for v in counts.nodes.values())
            page = store.find_nodes(NodeLabel.CLAIM, query="case", limit=20)
            assert page.total >= len(page.items)
            for node in page.items:
                assert node.sources, f"{node.id} read without provenance"
            countries = store.find_nodes(NodeLabel.COUNTRY, limit=5).items
            if countries:
                sub = store.neighbourhood(countries[0].id, depth=1, limit=50)
                ids = {n.id for n in sub.nodes}
                assert all(e.source in ids and e.target in ids for e in sub.edges)
            edges = store.adjacent([n.id for n in page.items], [EdgeType.CONCERNS])
            assert all(e.sources for e in edges)
            store.find_nodes(NodeLabel.CLAIM, order_by="-date", offset=10, limit=10)
            done += 1
    except BaseException as exc:  # reported to the test thread, which fails with it
        errors.append(exc)
    reads.append(done)


def _load(store: GraphStore, path: Path, reports: list[LoadReport], errors: list[BaseException]) -> None:
    try:
        reports.append(Runner(store, link=False).load([path]))
    except BaseException as exc:
        errors.append(exc)


def _concurrently(store: GraphStore, paths: list[Path], readers: int) -> tuple[list[LoadReport], int]:
    errors: list[BaseException] = []
    reports: list[LoadReport] = []
    reads: list[int] = []
    stop = threading.Event()
    reader_threads = [
        threading.Thread(target=_reader, args=(store, stop, errors, reads)) for _ in range(readers)
    ]
    writer_threads = [threading.Thread(target=_load, args=(store, p, reports, errors)) for p in paths]
    for t in reader_threads:
        t.start()
    time.sleep(0.05)  # readers first: some reads see the empty store, most a half-loaded one
    for t in writer_threads:
        t.start()
    for t in writer_threads:
        t.join(timeout=examples(600, 300))
    stop.set()
    for t in reader_threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in writer_threads + reader_threads), "a thread hung"
    if errors:
        raise errors[0]
    tally("concurrency: loads", len(paths))
    tally("concurrency: reader passes", sum(reads))
    return reports, sum(reads)


@pytest.mark.parametrize("round_", range(examples(1, 2)))
def test_concurrent_loads_equal_a_serial_load(store: GraphStore, tmp_path: Path, round_: int) -> None:
    files = _files(tmp_path)
    # Every file once, the first two twice more: the same file loaded by three writers at once.
    paths = [*files.values(), files["posts_a.csv"], files["posts_a.csv"], files["posts_b.csv"]]
    random.Random(round_).shuffle(paths)
    reports, reads = _concurrently(store, paths, readers=examples(6, 12))
    for report in reports:
        assert report.rejected == 0, report.rejections[:3]
    assert reads > 0
    got = check_integrity(store)
    expected = _serial(paths)
    assert got == expected, got.diff(expected)


def test_replace_while_reading_never_shows_a_half_file(store: GraphStore, tmp_path: Path) -> None:
    """Re-loading a file with --replace while readers count: a reader sees either the old file or
    the new one in its count of that file's claims (embedded store), or a count between them that
    only ever grows back (Neo4j, which commits a load in chunks), never a lost node at the end."""
    files = _files(tmp_path)
    path = files["posts_c.csv"]
    Runner(store, link=False).load([path])
    before = check_integrity(store)
    seen: list[int] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def count() -> None:
        try:
            while not stop.is_set():
                seen.append(store.counts().nodes[NodeLabel.CLAIM.value])
        except BaseException as exc:
            errors.append(exc)

    watcher = threading.Thread(target=count)
    watcher.start()
    for _ in range(examples(2, 10)):
        Runner(store, link=False, replace=True).load([path])
    stop.set()
    watcher.join(timeout=60)
    if errors:
        raise errors[0]
    tally("concurrency: replace passes watched", len(seen))
    after = check_integrity(store)
    assert after == before, after.diff(before)
    full = before.counts()[0][NodeLabel.CLAIM.value]
    if isinstance(store, MemoryStore):
        assert set(seen) <= {full}, f"a reader saw {sorted(set(seen))} claims, the file has {full}"


def _page_files(folder: Path, copies: int) -> list[Path]:
    out = []
    for i in range(copies):
        path = folder / f"cases_{i}.txt"
        path.write_text(PAGE, encoding="utf-8")
        out.append(path)
    return out


def test_concurrent_page_loads_with_references(store: GraphStore, tmp_path: Path) -> None:
    """Pages whose cases refer to each other in words, loaded at once: stubs and the claims that
    complete them meet as in a serial load."""
    paths = _page_files(tmp_path, examples(3, 8))
    _concurrently(store, paths, readers=4)
    got = check_integrity(store)
    expected = _serial(paths)
    assert got == expected, got.diff(expected)
