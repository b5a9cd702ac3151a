"""The cknabs EUvsDisinfo scrape: posts.csv (both list styles) and the publications files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.exc import LoadError
from graph.memory import MemoryStore
from graph.ontology import ActorKind, EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.cknabs import CknabsPostsLoader, CknabsPublicationsLoader, match_outlet
from loaders.registry import detect
from tests.loaders.tabular_helpers import load, read_all

HEADER = "date,id,title,countries,keywords,languages,outlets\n"


def _posts(shared_data: Path) -> Path:
    return shared_data / "euvsdisinfo-cknabs" / "posts.csv"


def test_sniffs_posts(shared_data: Path) -> None:
    cls, score = detect(_posts(shared_data))
    assert cls is CknabsPostsLoader and score >= 0.9


def test_posts_load_every_case_with_resolved_countries(shared_data: Path, memory_store: MemoryStore) -> None:
    path = _posts(shared_data)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    report = load(memory_store, path)
    assert report.rejected == 0
    assert not [n for f in report.files for n in f.notes if "country" in n]
    counts = memory_store.counts()
    assert counts.nodes["Claim"] == len({r["id"] for r in rows}) == 10_892
    outlets = {n for r in rows for n in r["outlets"].split("+") if n}
    stored = list(memory_store.iter_nodes(NodeLabel.ACTOR))
    assert sum(1 for n in stored if n.get("kind") == ActorKind.OUTLET.value) >= len(outlets) * 0.9
    # Every country value of the file is a CONCERNS edge of the case that names it.
    first = rows[0]
    claims = memory_store.find_nodes(NodeLabel.CLAIM, filters={"url": first["id"]}).items
    assert len(claims) == 1
    concerned = {e.target for e in memory_store.edges_of(claims[0].id, [EdgeType.CONCERNS])}
    assert concerned == {"country:RU", "country:DE"}
    published = memory_store.edges_of(claims[0].id, [EdgeType.PUBLISHED_BY])
    assert [memory_store.get_node(e.target).get("name") for e in published] == ["TASS - Russian"]

    before = memory_store.counts()
    again = load(memory_store, path)
    assert again.rejected == 0
    assert memory_store.counts() == before


def test_same_title_same_day_cases_stay_apart(shared_data: Path) -> None:
    records, rejections = read_all(CknabsPostsLoader(), _posts(shared_data))
    assert rejections == []
    ids = {r.nodes[0].id for r in records}
    assert len(ids) == len(records) == 10_892


def test_older_scrape_with_python_lists(shared_data: Path) -> None:
    path = shared_data / "euvsdisinfo-cknabs" / "posts_2020-09-17.csv"
    records, rejections = read_all(CknabsPostsLoader(), path)
    assert rejections == [] and len(records) == 9_553
    first = records[0]
    concerned = sorted(e.target for e in first.edges if e.type is EdgeType.CONCERNS)
    assert concerned == ["country:BY", "country:UA", "country:US"]
    assert first.nodes[0].properties["languages"] == ["Russian"]
    assert not any(n for r in records for n in r.notes if "country" in n)


def test_publications_add_article_urls(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "euvsdisinfo-cknabs"
    lines = (source / "publications_2020-09-17.csv").read_text(encoding="utf-8").splitlines()[:40]
    pubs = tmp_path / "publications_2020-09-17.csv"
    pubs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, rejections = read_all(CknabsPublicationsLoader(source / "posts_2020-09-17.csv"), pubs)
    assert rejections == [] and len(records) == 39
    urls = [e.properties.get("url") for r in records for e in r.edges if e.type is EdgeType.PUBLISHED_BY]
    assert urls[0] == "https://nk.org.ua/politika/kolybel-trekh-revoliutsii-250728"
    assert len(urls) >= 30
    # Defaults only: a publications row never overwrites the case's own properties.
    assert all(r.nodes[0].properties == {} and "title" in r.nodes[0].defaults for r in records)


def test_publications_need_their_posts_file(tmp_path: Path) -> None:
    pubs = tmp_path / "publications_2099-01-01.csv"
    pubs.write_text("id,publication,archive\nhttps://euvsdisinfo.eu/report/x/,https://a.example/1,\n")
    with pytest.raises(LoadError, match="posts"):
        list(CknabsPublicationsLoader().read(pubs))


def test_match_outlet_by_host() -> None:
    outlets = ("RT English - YouTube", "nk.org.ua", "Sputnik Greece")
    assert match_outlet("https://youtube.com/watch?v=1", outlets) == "RT English - YouTube"
    assert match_outlet("https://nk.org.ua/a/b", outlets) == "nk.org.ua"
    assert match_outlet("https://sputniknews.gr/x", outlets) == "Sputnik Greece"
    assert match_outlet("https://unrelated.example/x", outlets) is None


def test_bad_rows_are_rejected_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(
        (
            HEADER
            + "2020-01-02,https://x.example/1,A fine case,Ukraine,Crimea,English,Outlet One\n"
            + "2020-13-45,https://x.example/2,Bad date,Ukraine,,,\n"
            + ",https://x.example/3,No date,Ukraine,,,\n"
            + "2020-01-02,https://x.example/4,,Ukraine,,,\n"
            + "2020-01-02,https://x.example/5,Too few\n"
            + '2020-01-02,https://x.example/6,"A quoted\ntitle on two lines",Ukraine,,,\n'
        ).encode()
        + b"2020-01-03,https://x.example/7,Bad \xff bytes,Ukraine,,,\n"
        + b"2020-01-04,https://x.example/8,Last case,Atlantis,,,\n"
    )
    records, rejections = read_all(CknabsPostsLoader(), path)
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [
        (3, "field 'date'"),
        (4, "missing required field 'date'"),
        (5, "missing required field 'title'"),
        (6, "wrong column count"),
        (9, "bad encoding"),
    ]
    assert [r.locator for r in records] == ["line 2", "line 7", "line 10"]
    assert records[-1].notes and "Atlantis" in records[-1].notes[0]


@pytest.mark.parametrize("content", ["", HEADER, "a,b,c\n1,2,3\n"])
def test_empty_or_foreign_files_are_load_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(content)
    with pytest.raises(LoadError, match="posts.csv"):
        list(CknabsPostsLoader().read(path))


def test_small_file_into_each_store(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        HEADER + "2020-01-02,https://x.example/1,Case one,Ukraine+Donbas,NATO+Colour revolutions,"
        "Spanish+Castilian,Outlet One+Outlet Two\n"
        + "2020-01-03,https://x.example/2,Case two,UK,Colour revolutions,English,Outlet One\n"
    )
    report = load(store, path)
    assert report.rejected == 0
    counts = store.counts()
    assert counts.nodes["Claim"] == 2
    assert counts.edges["PUBLISHED_BY"] == 3
    assert counts.edges["CONCERNS"] == 3  # Ukraine and Donbas (which brings Ukraine again), UK
    narrative = store.find_nodes(NodeLabel.NARRATIVE, query="colour revolutions").items
    assert len(narrative) == 1 and len(store.edges_of(narrative[0].id, [EdgeType.PART_OF])) == 2
    assert store.get_node("country:XDONBAS").get("part_of") == "country:UA"
    claim = store.find_nodes(NodeLabel.CLAIM, filters={"url": "https://x.example/1"}).items[0]
    assert claim.get("languages") == ["Spanish"]
    before = store.counts()
    load(store, path)
    assert store.counts() == before
