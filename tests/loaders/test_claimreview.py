"""ClaimReview: the ClaimsKG samples and JSON-LD in every shape we accept."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.exc import LoadError
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.claimreview import ClaimReviewLoader, normalise_rating
from loaders.registry import detect
from tests.loaders.tabular_helpers import load, read_all

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "claimreview"


def test_claimskg_samples_load_with_ratings(shared_data: Path) -> None:
    folder = shared_data / "claimskg-extractor-samples"
    total = 0
    for path in sorted(folder.glob("*.csv")):
        assert detect(path)[0] is ClaimReviewLoader
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        records, rejections = read_all(ClaimReviewLoader(), path)
        assert rejections == [] and len(records) == len(rows), path.name
        for record, row in zip(records, rows, strict=True):
            debunk = next(n for n in record.nodes if n.label is NodeLabel.DEBUNK)
            assert debunk.properties["rating"] == row["rating_alternateName"].strip('"')
            assert debunk.properties["rating_value"] in {"false", "misleading", "mixed", "true", "unrated"}
        total += len(records)
    assert total == 510


@pytest.mark.parametrize(
    ("rating", "value"),
    [
        ("False", "false"),
        ("Pants on Fire", "false"),
        ("Mostly False", "misleading"),
        ("Misleading", "misleading"),
        ("Half True", "mixed"),
        ("Mixture", "mixed"),
        ("Correct", "true"),
        ("Incorrect", "false"),
        ("Falso", "false"),
        ("Engañoso", "misleading"),
        ("Faux", "false"),
        ("مضلل", "misleading"),
        ("Unproven", "unrated"),
        ("False, the photo is from 2015", "false"),
        ("", "unrated"),
    ],
)
def test_ratings_normalise(rating: str, value: str) -> None:
    assert normalise_rating(rating) == value


def test_numeric_rating_when_no_words() -> None:
    assert normalise_rating(None, 1, 5, 1) == "false"
    assert normalise_rating(None, 3, 5, 1) == "mixed"
    assert normalise_rating(None, 5, 5, 1) == "true"


@pytest.mark.parametrize("name", ["single.json", "page.html"])
def test_object_and_html_page_load_the_same_review(name: str) -> None:
    path = FIXTURES / name
    assert detect(path)[0] is ClaimReviewLoader
    records, rejections = read_all(ClaimReviewLoader(), path)
    assert rejections == [] and len(records) == 1
    nodes = {n.label: n for n in records[0].nodes}
    claim, debunk = nodes[NodeLabel.CLAIM], nodes[NodeLabel.DEBUNK]
    assert claim.properties["date"] == "2021-02-26"
    assert claim.properties["url"] == "https://social.example.com/post/4411"
    assert debunk.properties["rating"] == "Pants on Fire" and debunk.properties["rating_value"] == "false"
    assert debunk.properties["publisher"] == "Example Fact Desk"
    assert debunk.properties["date"] == "2021-03-02"
    attributed = [e for e in records[0].edges if e.type is EdgeType.ATTRIBUTED_TO]
    by_id = nodes_by_id(records[0].nodes)
    assert [by_id[e.target].properties["name"] for e in attributed] == ["Jordan Avery"]


def nodes_by_id(nodes: list) -> dict:  # type: ignore[type-arg]
    return {n.id: n for n in nodes}


def test_single_json_and_html_page_meet_in_one_claim(store: GraphStore) -> None:
    load(store, FIXTURES / "single.json")
    before = store.counts()
    load(store, FIXTURES / "page.html")
    assert store.counts() == before
    assert before.nodes["Claim"] == before.nodes["Debunk"] == 1


def test_list_and_graph(store: GraphStore) -> None:
    report = load(store, FIXTURES / "list.json", FIXTURES / "graph.jsonld")
    assert report.rejected == 0
    debunks = {n.get("rating"): n for n in store.iter_nodes(NodeLabel.DEBUNK)}
    assert {k: v.get("rating_value") for k, v in debunks.items()} == {
        "Miscaptioned": "misleading",
        "Half True": "mixed",
        "Falso": "false",
    }
    spanish = store.find_nodes(NodeLabel.CLAIM, query="precio pan").items[0]
    assert spanish.get("languages") == ["Spanish"] and spanish.get("date") == "2022-05-03"
    speaker = [store.get_node(e.target) for e in store.edges_of(spanish.id, [EdgeType.ATTRIBUTED_TO])]
    assert [a.get("name") for a in speaker] == ["Marta Quintero"]
    kyiv = store.find_nodes(NodeLabel.CLAIM, query="bridge").items[0]
    assert [e.target for e in store.edges_of(kyiv.id, [EdgeType.CONCERNS])] == []  # Kyiv is a city
    organisation = [store.get_node(e.target) for e in store.edges_of(kyiv.id, [EdgeType.ATTRIBUTED_TO])]
    assert [a.get("kind") for a in organisation] == ["organisation"]


def test_bad_lines_of_json_lines_are_rejected() -> None:
    records, rejections = read_all(ClaimReviewLoader(), FIXTURES / "broken.jsonl")
    assert len(records) == 1
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [
        (2, "broken JSON"),
        (3, "missing required field 'claimReviewed' (and no headline)"),
        (4, "unparseable date 'yesterday'"),
    ]


def test_json_without_reviews_and_empty_files_are_load_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("")
    other = tmp_path / "other.json"
    other.write_text('{"@type": "NewsArticle", "headline": "x"}')
    for path in (empty, other):
        with pytest.raises(LoadError, match=path.name):
            list(ClaimReviewLoader().read(path))


def test_broken_json_file_is_a_rejection_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"@type": "ClaimReview",\n "claimReviewed": "x",\n oops}\n')
    records, rejections = read_all(ClaimReviewLoader(), path)
    assert records == [] and [(r.line, r.reason.split(":")[0]) for r in rejections] == [(3, "broken JSON")]
