"""Mapping-driven loading: CSV with its own delimiter, JSON at a path, JSON Lines; bad mappings."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.exc import LoadError
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.mapping import MappingLoader, get_path
from tests.loaders.tabular_helpers import load, read_all

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mapping"
DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def test_csv_mapping(store: GraphStore) -> None:
    loader = MappingLoader(FIXTURES / "cases.yaml")
    records, rejections = read_all(loader, FIXTURES / "cases.csv")
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [
        (4, "field 'date'"),
        (5, "missing required field 'title' (or 'claim')"),
        (6, "wrong column count"),
    ]
    assert [r.locator for r in records] == ["line 2", "line 3"]
    report = load(store, FIXTURES / "cases.csv", mapping=FIXTURES / "cases.yaml")
    assert report.rejected == 3
    claim = store.find_nodes(NodeLabel.CLAIM, query="sanctions europe").items[0]
    assert claim.get("date") == "2020-02-03" and claim.get("url") == "https://cases.example.org/a-1"
    assert {s.dataset for s in claim.sources} == {"example-cases"}

    def targets(edge_type: EdgeType) -> list[str]:
        return sorted(
            store.get_node(e.target).get("name")
            for e in store.edges_of(claim.id, [edge_type])
            if e.source == claim.id
        )

    assert targets(EdgeType.CONCERNS) == ["Germany", "Russia"]
    assert targets(EdgeType.PUBLISHED_BY) == ["Example Radio", "Example TV"]
    assert targets(EdgeType.ATTRIBUTED_TO) == ["Ivan Example"]
    assert targets(EdgeType.PART_OF) == ["Sanctions", "Sanctions backfire"]
    strand = store.find_nodes(NodeLabel.NARRATIVE, query="backfire").items[0]
    wider = store.edges_of(strand.id, [EdgeType.SUBNARRATIVE_OF])
    assert [store.get_node(e.target).get("name") for e in wider] == ["Sanctions"]
    debunk = store.get_node(next(e.source for e in store.edges_of(claim.id, [EdgeType.DEBUNKS])))
    assert debunk.get("publisher") == "Example Checkers" and "Trade data" in debunk.get("text")
    before = store.counts()
    load(store, FIXTURES / "cases.csv", mapping=FIXTURES / "cases.yaml")
    assert store.counts() == before


def test_json_mapping_in_toml(store: GraphStore) -> None:
    records, rejections = read_all(MappingLoader(FIXTURES / "items.toml"), FIXTURES / "items.json")
    assert [r.locator for r in records] == ["/data/items/0", "/data/items/1"]
    assert [r.reason for r in rejections] == [
        "/data/items/2: a record must be a JSON object",
        "missing required field 'title' (or 'claim')",
    ]
    first = records[0]
    claim = first.nodes[0]
    assert claim.properties["date"] == "2022-01-09"
    assert claim.properties["title"] == "Kazakh officials sold the country's grain reserves abroad."
    assert "Atlantis" in records[1].notes[0]
    load(store, FIXTURES / "items.json", mapping=FIXTURES / "items.toml")
    stored = store.get_node(claim.id)
    speakers = sorted(
        store.get_node(e.target).get("name") for e in store.edges_of(stored.id, [EdgeType.ATTRIBUTED_TO])
    )
    assert speakers == ["A. Speaker", "B. Speaker"]
    assert [e.target for e in store.edges_of(stored.id, [EdgeType.CONCERNS])] == ["country:KZ"]
    debunk = store.get_node(next(e.source for e in store.edges_of(stored.id, [EdgeType.DEBUNKS])))
    assert (debunk.get("rating"), debunk.get("rating_value")) == ("Misleading", "misleading")
    assert debunk.get("url") == "https://checks.example.net/7"


def test_jsonl_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("dataset: lines\nfields:\n  id: uid\n  claim: claim.text\n  date: when\n")
    records, rejections = read_all(MappingLoader(mapping), FIXTURES / "items.jsonl")
    assert [r.locator for r in records] == ["line 1"]
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [
        (2, "broken JSON"),
        (4, "missing required field 'title' (or 'claim')"),
    ]


def test_latin1_and_bad_bytes(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "dataset: enc\ninput: {encoding: latin-1, delimiter: '|'}\nfields: {title: t, date: d}\n"
    )
    data = tmp_path / "d.csv"
    data.write_bytes("t|d\nCaf\u00e9 claim|2020-01-01\n".encode("latin-1"))
    records, rejections = read_all(MappingLoader(mapping), data)
    assert rejections == [] and records[0].nodes[0].properties["title"] == "Café claim"
    utf8 = tmp_path / "u.yaml"
    utf8.write_text("dataset: enc\ninput: {delimiter: '|'}\nfields: {title: t, date: d}\n")
    records, rejections = read_all(MappingLoader(utf8), data)
    assert [(r.line, r.reason.split(":")[0]) for r in rejections] == [(2, "bad encoding")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dataset: x\nfields: {titel: a}\n", "fields.titel"),
        ("fields: {title: a}\n", "dataset"),
        ("dataset: x\nfields: {title: a}\nrequired: [colour]\n", "required"),
        ("- just a list\n", "table of keys"),
        ("dataset: [unclosed\n", "not valid"),
    ],
)
def test_bad_mappings_are_load_errors_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(LoadError, match=message) as info:
        MappingLoader(path)
    assert "bad.yaml" in str(info.value)


def test_missing_column_is_a_load_error(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n")
    with pytest.raises(LoadError, match="missing ref, headline"):
        list(MappingLoader(FIXTURES / "cases.yaml").read(data))


def test_get_path() -> None:
    doc = {"a": {"b": [{"n": "x"}, {"n": "y"}], "c": "z"}}
    assert get_path(doc, "a.c") == "z"
    assert get_path(doc, "a.b[].n") == ["x", "y"]
    assert get_path(doc, "a.b.1.n") == "y"
    assert get_path(doc, "a.missing.q") is None


def test_documented_example_loads(store: GraphStore) -> None:
    example = DOCS / "examples"
    report = load(store, example / "factchecks.csv", mapping=example / "factchecks-mapping.yaml")
    assert report.rejected == 0 and store.counts().nodes["Claim"] == 3
