"""The kalkun EUvsDisinfo export: claims with debunks, and the cases it shares with cknabs."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from graph.exc import LoadError
from graph.ids import normalise
from graph.memory import MemoryStore
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.cknabs import CknabsPostsLoader
from loaders.kalkun import COLUMNS, KalkunLoader
from loaders.registry import detect
from tests.loaders.tabular_helpers import load, read_all

HEADER = ";".join(f'"{c}"' for c in COLUMNS) + "\n"


def _kalkun(shared_data: Path) -> Path:
    return shared_data / "euvsdisinfo-kalkun-2017" / "full_dataset.csv"


def test_sniffs_kalkun(shared_data: Path) -> None:
    cls, score = detect(_kalkun(shared_data))
    assert cls is KalkunLoader and score >= 0.9


def test_every_row_gives_a_claim_with_a_debunk(shared_data: Path) -> None:
    path = _kalkun(shared_data)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    records, rejections = read_all(KalkunLoader(), path)
    assert rejections == [] and len(records) == len(rows) == 3_071
    with_summary = [r for r in records if "text" in r.nodes[0].properties]
    assert len(with_summary) == sum(1 for r in rows if r["summary"].strip()) == 3_069
    title_only = [n for r in records for n in r.notes if "no summary" in n]
    assert len(title_only) == 2
    for record in records:
        claim, debunk = record.nodes[0], record.nodes[1]
        assert (claim.label, debunk.label) == (NodeLabel.CLAIM, NodeLabel.DEBUNK)
        assert any(
            e.type is EdgeType.DEBUNKS and e.source == debunk.id and e.target == claim.id
            for e in record.edges
        )
    # Rows repeating a case (same title and day) are one claim.
    keys = {
        (normalise(r["title"]).rstrip("."), datetime.strptime(r["date"], "%d.%m.%Y").date()) for r in rows
    }
    assert len({r.nodes[0].id for r in records}) == len(keys)


def test_kalkun_after_cknabs_merges_shared_cases(shared_data: Path, memory_store: MemoryStore) -> None:
    posts = shared_data / "euvsdisinfo-cknabs" / "posts.csv"
    cknabs_ids = {r.nodes[0].id for r in read_all(CknabsPostsLoader(), posts)[0]}
    kalkun_ids = {r.nodes[0].id for r in read_all(KalkunLoader(), _kalkun(shared_data))[0]}
    merged = cknabs_ids & kalkun_ids
    assert len(merged) > 450  # the README counts 489 cknabs cases matching on normalised title + date

    load(memory_store, posts)
    report = load(memory_store, _kalkun(shared_data))
    assert report.rejected == 0
    counts = memory_store.counts()
    assert counts.nodes["Claim"] <= len(cknabs_ids) + len(kalkun_ids) - len(merged)
    assert counts.nodes["Debunk"] == counts.edges["DEBUNKS"] == len(kalkun_ids)
    shared = memory_store.get_node(sorted(merged)[0])
    datasets = {s.dataset for s in shared.sources}
    assert datasets == {"euvsdisinfo-cknabs", "euvsdisinfo-kalkun"}
    assert shared.get("text") and shared.get("url", "").startswith("https://euvsdisinfo.eu/report/")


def test_rows_become_the_right_nodes(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "full_dataset.csv"
    path.write_text(
        HEADER + '"1";"03.10.2017";"Example TV";"Russian";"Ukraine, US";"An NGO";"Military, NATO";'
        '"https://tv.example/1";"Soldiers staged the fire.";'
        '"The soldiers set the depot on fire themselves.";'
        '"No evidence supports this. The recurring pro-Kremlin disinformation narrative about NATO."\n'
        + '"1";"03.10.2017";"Other TV";"Czech";"Daesh";"";"";"";"Soldiers staged the fire";'
        '"The soldiers set the depot on fire.";"A second outlet repeated it."\n'
        + '"1";"31.02.2017";"Example TV";"Russian";"Ukraine";"";"";"";"Bad date";"x";"y"\n'
        + '"1";"01.03.2017";"Example TV";"Russian";"Ukraine";"";"";"";"No disproof";"x";""\n',
        encoding="utf-8",
    )
    records, rejections = read_all(KalkunLoader(), path)
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [
        (4, "field 'date'"),
        (5, "missing required field 'disproof'"),
    ]
    assert records[0].nodes[0].id == records[1].nodes[0].id  # the closing full stop does not count
    load(store, path)
    claim = store.get_node(records[0].nodes[0].id)
    assert claim.get("date") == "2017-10-03" and claim.get("title") == "Soldiers staged the fire"
    targets = {e.type: set() for e in store.edges_of(claim.id)}
    for edge in store.edges_of(claim.id):
        targets[edge.type].add(edge.target if edge.source == claim.id else edge.source)
    assert targets[EdgeType.CONCERNS] == {"country:UA", "country:US"}
    assert len(targets[EdgeType.PUBLISHED_BY]) == 2
    assert len(targets[EdgeType.DEBUNKS]) == 1
    names = {store.get_node(i).get("name") for i in targets[EdgeType.MENTIONS]}
    assert {"NATO", "Daesh"} <= names
    published = [e for e in store.edges_of(claim.id, [EdgeType.PUBLISHED_BY]) if e.properties.get("url")]
    assert [e.properties["url"] for e in published] == ["https://tv.example/1"]


def test_wrong_header_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "full_dataset.csv"
    path.write_text('"a";"b"\n"1";"2"\n')
    with pytest.raises(LoadError, match="full_dataset.csv"):
        list(KalkunLoader().read(path))
