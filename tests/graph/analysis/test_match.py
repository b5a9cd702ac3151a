"""Match: new text to the known claims it repeats, with their debunks and narratives."""

from __future__ import annotations

import pytest

from graph.analysis.match import Matcher, TextIndex
from graph.exc import InvalidInputError, LimitExceededError
from graph.model import Node
from graph.ontology import NodeLabel
from graph.store import GraphStore
from tests.graph.analysis.helpers import SRC, claim_id, seed


def test_a_quote_finds_its_claim_with_debunk_and_narrative(store: GraphStore) -> None:
    ids = seed(store)
    matcher = Matcher.from_store(store)
    results = matcher.match("They say hidden American laboratories in Georgia breed infected mosquitoes", k=3)
    assert results[0].claim_id in ids["lab"] + ids["repeat"]
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    first_lab = next(
        r
        for r in matcher.match("Secret laboratories in Georgia breed mosquitoes", k=10)
        if r.claim_id == ids["lab"][0]
    )
    assert first_lab.debunks and first_lab.debunks[0].url == "https://example.org/debunk"
    assert [n.id for n in first_lab.narratives] == ids["editorial_lab"]
    assert first_lab.narratives[0].name == "Secret biolabs"


def test_an_article_matches_the_claim_one_sentence_repeats(store: GraphStore) -> None:
    ids = seed(store)
    article = (
        "The weather in the capital was mild on Monday. Markets opened higher. "
        "Meanwhile a commentator insisted that NATO masses troops on the border of Belarus to invade. "
        "The football season starts next week."
    )
    assert Matcher.from_store(store).match(article, k=1)[0].claim_id in ids["troops"]


def test_refresh_sees_new_claims(store: GraphStore) -> None:
    seed(store)
    matcher = Matcher.from_store(store)
    size = matcher.size
    title = "Wind turbines cause migraines in whole villages"
    store.upsert([Node(claim_id(title, "2021-01-01"), NodeLabel.CLAIM, {"title": title}, [SRC])])
    assert matcher.size == size
    matcher.refresh()
    assert matcher.size == size + 1
    assert matcher.match("turbines migraines villages", k=1)[0].title == title


def test_bad_queries_are_refused(store: GraphStore) -> None:
    seed(store)
    matcher = Matcher.from_store(store)
    with pytest.raises(InvalidInputError):
        matcher.match("   ")
    with pytest.raises(LimitExceededError):
        matcher.match("mosquitoes", k=0)
    with pytest.raises(LimitExceededError):
        matcher.match("x" * 200_000)


def test_an_empty_store_matches_nothing(store: GraphStore) -> None:
    assert Matcher.from_store(store).match("anything at all") == []


def test_text_index_ranks_whole_and_sentences() -> None:
    docs = ["Cats sleep all day long. Dogs bark at night.", "Rockets launch from the coast.", "Bread rises."]
    index = TextIndex(docs)
    assert index.search("dogs bark at night", 1)[0][0] == 0
    assert index.search("rockets launch", 1)[0][0] == 1
    assert all(0 <= s <= 1 for _, s in index.search("cats", 3))
