"""The three seed documents through the loaders, alone and together, into each store."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import networkx as nx
import pytest

from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore
from loaders.casetext import references_in
from loaders.resolve import ClaimMatcher
from tests.loaders.conftest import (
    SEED_BARE,
    SEED_NEWS,
    SEED_PAGE,
    Loader,
    claims,
    names,
    neighbours,
    titled,
)

FULL_CASE = "Unrest in Kazakhstan is a conspiracy orchestrated from abroad"


def test_seed_001_full_case(seeds: Path, store: GraphStore, load: Loader) -> None:
    report = load(SEED_PAGE)
    assert report.files[0].format == "euvsdisinfo-page"
    assert report.rejected == 0
    assert len(claims(store)) == 4
    case = titled(store, FULL_CASE)
    assert case.get("date") == "2022-01-17"
    assert case.get("languages") == ["Spanish"]
    assert case.get("excerpt") is False
    assert names(neighbours(store, case.id, EdgeType.CONCERNS)) == {"Kazakhstan", "Russia"}
    assert {"Colour revolutions", "Destabilising Russia"} <= names(
        neighbours(store, case.id, EdgeType.PART_OF)
    )
    debunks = neighbours(store, case.id, EdgeType.DEBUNKS)
    assert len(debunks) == 1 and "no evidence" in str(debunks[0].get("text"))


def test_seed_001_see_other_examples(seeds: Path, store: GraphStore, load: Loader) -> None:
    load(SEED_PAGE)
    case = titled(store, FULL_CASE)
    listed = [
        c
        for _, clauses in references_in(str(neighbours(store, case.id, EdgeType.DEBUNKS)[0].get("text")))
        for c in clauses
    ]
    assert len(listed) == 4
    similar = store.edges_of(case.id, [EdgeType.SIMILAR_TO])
    assert len(similar) == 4
    assert {e.properties["method"] for e in similar} == {"editorial"}
    assert all("See other examples" in e.properties["evidence"] for e in similar)
    others = store.get_nodes([e.target if e.source == case.id else e.source for e in similar])
    matcher = ClaimMatcher()
    for node in others:
        matcher.add(node.id, node.get("title"), node.get("text"), stub=True)
    assert {m.claim_id for m in (matcher.best(text) for text in listed) if m} == {n.id for n in others}


def test_seed_001_excerpts(seeds: Path, store: GraphStore, load: Loader) -> None:
    load(SEED_PAGE)
    excerpts = [n for n in claims(store) if n.get("excerpt") is True]
    assert len(excerpts) == 3
    for excerpt in excerpts:
        assert excerpt.get("date") is None
        debunk = neighbours(store, excerpt.id, EdgeType.DEBUNKS)
        assert len(debunk) == 1 and debunk[0].get("text")
    nato = titled(store, "NATO was created for confrontation, not defence")
    assert "NATO" in names(neighbours(store, nato.id, EdgeType.MENTIONS))
    assert "NATO" in names(neighbours(store, nato.id, EdgeType.PART_OF))
    donbas = titled(store, "No Russian military in the Donbas or in other parts of Ukraine")
    assert {"Ukraine", "Donbas"} <= names(neighbours(store, donbas.id, EdgeType.CONCERNS))
    assert "War in Ukraine" in names(neighbours(store, donbas.id, EdgeType.PART_OF))


def test_seed_000_bare_case(seeds: Path, store: GraphStore, load: Loader) -> None:
    report = load(SEED_BARE)
    assert report.files[0].format == "bare-case"
    (case,) = claims(store)
    assert str(case.get("text")).startswith("Ukraine continues to stack military equipment")
    assert "This case mixes" not in str(case.get("text"))
    assert {"Ukraine", "Kazakhstan"} <= names(neighbours(store, case.id, EdgeType.CONCERNS))
    (debunk,) = neighbours(store, case.id, EdgeType.DEBUNKS)
    assert str(debunk.get("text")).startswith("This case mixes")
    assert "Colour revolutions" in names(neighbours(store, case.id, EdgeType.PART_OF))
    similar = store.edges_of(case.id, [EdgeType.SIMILAR_TO])
    assert len(similar) == 5 == len(claims(store, stubs=True))
    assert not any("disproof" in note for note in report.files[0].notes)


def test_seed_004_news(seeds: Path, store: GraphStore, load: Loader) -> None:
    report = load(SEED_NEWS)
    assert report.files[0].format == "news"
    by_speaker: dict[str, list[str]] = {}
    for claim in claims(store):
        for actor in neighbours(store, claim.id, EdgeType.ATTRIBUTED_TO):
            by_speaker.setdefault(str(actor.get("name")), []).append(str(claim.get("text")))
    assert len(by_speaker["Vladimir Putin"]) >= 3
    assert any("an attempted coup d’etat" in t for t in by_speaker["Kassym-Jomart Tokayev"])
    assert any("Social networks" in t and "This is not new" in t for t in by_speaker["Dmitry Peskov"])
    assert set(by_speaker) == {"Vladimir Putin", "Kassym-Jomart Tokayev", "Dmitry Peskov"}
    people = [n for n in store.iter_nodes(NodeLabel.ACTOR) if n.get("name") in by_speaker]
    assert {n.get("kind") for n in people} == {"person"}
    cst = [n for n in store.iter_nodes(NodeLabel.ACTOR) if n.get("name") == "CSTO"]
    assert cst and cst[0].get("kind") == "organisation"
    thread = ("Muscovy", "Liked by", "Leave a Reply", "Log Out", "Islamists", "dwarf", "Akismet", "a troll")
    lines = SEED_NEWS.read_text(encoding="utf-8").splitlines()
    first_comment = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("1."))
    for claim in claims(store):
        assert not any(word in str(claim.get("text")) for word in thread), claim.get("text")
        assert all(int(src.locator.split()[-1]) < first_comment for src in claim.sources)
    concerned = {
        str(n.get("name")) for c in claims(store) for n in neighbours(store, c.id, EdgeType.CONCERNS)
    }
    assert "Kazakhstan" in concerned and "Russia" in concerned


@pytest.mark.parametrize("order", list(permutations([SEED_PAGE, SEED_BARE, SEED_NEWS]))[::2])
def test_seeds_together_one_story(
    seeds: Path, store: GraphStore, load: Loader, order: tuple[Path, ...]
) -> None:
    for path in order:
        load(path)
    belarus = [c for c in store.iter_nodes(NodeLabel.CLAIM) if "Belarus" in str(c.get("text"))]
    assert len(belarus) == 1, [c.get("text") for c in belarus]
    sides = {n.id for n in neighbours(store, belarus[0].id, EdgeType.SIMILAR_TO)}
    case_001 = titled(store, FULL_CASE)
    case_000 = next(c for c in claims(store) if str(c.get("text")).startswith("Ukraine continues"))
    assert {case_001.id, case_000.id} <= sides
    colour = {n.id for n in neighbours(store, case_001.id, EdgeType.SIMILAR_TO)}
    assert case_000.id in colour  # the claim 001 references is the one 000 makes
    graph = nx.Graph((e.source, e.target) for e in store.iter_edges())
    graph.add_nodes_from(n.id for n in store.iter_nodes())
    assert nx.number_connected_components(graph) == 1
    assert len(claims(store)) == 4 + 1 + 7
    assert len(claims(store, stubs=True)) == 4 + 5 - 2


def test_reloading_seeds_changes_no_count(seeds: Path, store: GraphStore, load: Loader) -> None:
    for path in (SEED_PAGE, SEED_BARE, SEED_NEWS):
        load(path)
    before = store.counts()
    for path in (SEED_NEWS, SEED_BARE, SEED_PAGE):
        report = load(path)
        assert not report.written.nodes_created and not report.written.edges_created
    assert store.counts() == before
    load(SEED_PAGE, replace=True)
    assert store.counts() == before
