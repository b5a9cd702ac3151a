"""The evaluation: metrics, baselines, and the labelled set built from the shared data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.analysis import labelled
from graph.analysis.embedders import BlendEmbedder, LexicalEmbedder, SemanticEmbedder
from graph.analysis.evaluation import (
    Scores,
    average_precision,
    bm25_ranker,
    compare,
    evaluate,
    index_ranker,
    paired_interval,
    tfidf_ranker,
)
from graph.analysis.labelled import Task
from graph.exc import InvalidInputError, LoadError


def test_average_precision_follows_its_definition() -> None:
    assert average_precision([1, 2, 3], {1}) == 1.0
    assert average_precision([9, 1], {1}) == 0.5
    assert average_precision([9, 8, 7, 6, 5, 1], {1}) == 0.0  # beyond depth 5
    assert average_precision([1, 9, 2], {1, 2}) == pytest.approx((1 + 2 / 3) / 2)


def _toy() -> Task:
    corpus = [
        "NATO troops gather on the border",
        "Vaccines contain microchips",
        "Bread prices rise",
        "Microchips hidden in vaccines track people",
        "Troops of NATO mass at the border",
    ]
    queries = ["they put microchips into the vaccines", "NATO moves troops to the border"]
    return Task("toy", "toy", queries, corpus, [{1, 3}, {0, 4}], ["test", "test"], [None, None])


@pytest.mark.parametrize("ranker", [bm25_ranker, tfidf_ranker, index_ranker(LexicalEmbedder)])
def test_rankers_find_the_toy_answers(ranker: object) -> None:
    task = _toy()
    rankings = ranker(task)  # type: ignore[operator]
    scores = evaluate(task, rankings, "m", "test", 0.0)
    assert scores.map5 == 1.0 and scores.p1 == 1.0 and scores.r10 == 1.0


def test_paired_interval_is_exact_when_every_query_agrees() -> None:
    assert paired_interval([0.5, 0.2, 1.0], [0.5, 0.2, 1.0], ["a", "b", "c"]) == (0.0, 0.0, 0.0)
    assert paired_interval([1.0] * 4, [0.0] * 4, ["a", "a", "b", "c"]) == (1.0, 1.0, 1.0)


def test_paired_interval_resamples_groups_not_queries() -> None:
    # One claim told ten times is better; nine claims told once are the same. Resampling queries
    # would call that a sure gain; resampling claims sees that it rests on one claim.
    ours = [1.0] * 10 + [0.5] * 9
    base = [0.0] * 10 + [0.5] * 9
    groups = ["big"] * 10 + [f"single {i}" for i in range(9)]
    delta, low, high = paired_interval(ours, base, groups)
    assert delta == pytest.approx(10 / 19)
    assert low == 0.0 < delta < high <= 1.0
    by_query = paired_interval(ours, base, [str(i) for i in range(19)])
    assert by_query[1] > 0.2


def test_compare_takes_the_best_of_each_side() -> None:
    task = _toy()
    results = [
        Scores("toy", "test", "baseline: a", 2, 0.5, 0, 0, 0, 0, [1.0, 0.0]),
        Scores("toy", "test", "baseline: b", 2, 0.25, 0, 0, 0, 0, [0.5, 0.0]),
        Scores("toy", "test", "ours: c", 2, 1.0, 0, 0, 0, 0, [1.0, 1.0]),
        Scores("toy", "test", "ours: d", 2, 0.0, 0, 0, 0, 0, [0.0, 0.0]),
    ]
    found = compare(results, task, "test")
    assert found is not None
    assert (found.ours, found.baseline, found.delta, found.groups) == ("ours: c", "baseline: a", 0.5, 2)
    assert found.low <= 0.5 <= found.high
    assert "MAP@5 +0.500" in found.summary()
    assert compare(results[:2], task, "test") is None
    assert "ap" not in results[0].as_dict()


def test_lexical_rows_are_unit_vectors() -> None:
    embedder = LexicalEmbedder()
    vectors = embedder.fit_embed(["tanks roll east", "tanks and drones", "harvest"])
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)
    again = embedder.embed(["tanks roll east"])
    assert np.allclose(again.toarray(), vectors[0].toarray(), atol=1e-6)


def test_blend_weights_are_checked() -> None:
    with pytest.raises(InvalidInputError):
        BlendEmbedder([(LexicalEmbedder(), 0.7), (LexicalEmbedder(), 0.7)])


@pytest.mark.skipif(not SemanticEmbedder.available(), reason="the optional semantic extra is not installed")
def test_semantic_embedder_puts_paraphrases_closer() -> None:
    vectors = SemanticEmbedder().embed(
        [
            "NATO is preparing to attack Russia",
            "The Western alliance plans a war on Russia",
            "Apple pie needs cinnamon",
        ]
    )
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2]


def test_labelled_set_from_shared_data(shared_data: Path) -> None:
    tasks = {t.name: t for t in labelled.all_tasks(shared_data)}
    match = tasks["match"]
    assert len(match.queries) > 2000 and len(match.corpus) > 10_000
    assert {"dev", "test"} == set(match.split)
    for task in tasks.values():
        assert len(task.queries) == len(task.relevant) == len(task.split) == len(task.groups)
        sides: dict[str, set[str]] = {}
        for side, group in zip(task.split, task.groups, strict=True):
            sides.setdefault(group, set()).add(side)
        assert all(len(s) == 1 for s in sides.values())  # a claim's queries stay on one side
        assert all(r and all(0 <= i < len(task.corpus) for i in r) for r in task.relevant)
        if task.exclude:
            assert all(e is None or e not in r for e, r in zip(task.exclude, task.relevant, strict=True))
    # The split is by claim: no query's answers are queries of the other half.
    similar = tasks["similar"]
    side = dict(zip(similar.exclude, similar.split, strict=True))
    for e, rel, s in zip(similar.exclude, similar.relevant, similar.split, strict=True):
        assert all(side.get(j, s) == s for j in rel), e


def test_missing_shared_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no EUvsDisinfo data"):
        labelled.shared_data_dir(tmp_path)
