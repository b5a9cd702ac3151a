"""Computed SIMILAR_TO: the chunked top-k against brute force, and what re-computation respects."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from graph.analysis.similarity import LinkReport, all_pairs_top_k, link_claims, similar_pairs, top_k_rows
from graph.model import Edge, Source
from graph.ontology import EdgeType, SimilarityMethod, Verdict
from graph.settings import Settings
from graph.store import GraphStore
from tests.graph.analysis.helpers import seed


def _settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


def _random_unit_rows(n: int, f: int, seed_: int) -> sp.csr_matrix:
    rng = np.random.default_rng(seed_)
    dense = rng.random((n, f)) * (rng.random((n, f)) < 0.2)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    return sp.csr_matrix(dense / np.where(norms > 0, norms, 1))


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("threshold", [0.0, 0.1])
def test_chunked_top_k_equals_brute_force(threshold: float, threads: int) -> None:
    vectors = _random_unit_rows(60, 30, 1)
    full = (vectors @ vectors.T).toarray()
    np.fill_diagonal(full, -1)
    # A tiny cell budget forces many chunks.
    found: dict[int, list[int]] = {}
    for rows, cols, _ in all_pairs_top_k(vectors, 5, threshold, budget=200, threads=threads):
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            found.setdefault(i, []).append(j)
    for i in range(60):
        expected = [j for j in np.argsort(-full[i], kind="stable")[:5] if full[i, j] >= max(threshold, 1e-9)]
        assert set(found.get(i, [])) == set(expected)


@pytest.mark.parametrize("threshold", [0.0, 0.1])
def test_threads_change_nothing_in_the_answer(threshold: float) -> None:
    vectors = _random_unit_rows(300, 40, 3)

    def answer(threads: int) -> list[np.ndarray]:
        chunks = list(all_pairs_top_k(vectors, 7, threshold, budget=3_000, threads=threads))
        assert len(chunks) > 3 * threads  # more chunks than run at a time
        return [np.concatenate(part) for part in zip(*chunks, strict=True)]

    one = answer(1)
    assert len(one[0]) > 300
    for threads in (2, 4):
        assert all(np.array_equal(a, b) for a, b in zip(one, answer(threads), strict=True))


def test_top_k_rows_orders_and_limits() -> None:
    scores = sp.csr_matrix(np.array([[0.0, 0.9, 0.2, 0.5], [0.3, 0.0, 0.8, 0.1]]))
    rows, cols, vals = top_k_rows(scores, 2, 0.25)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 1), (0, 3), (1, 2), (1, 0)]
    assert all(v >= 0.25 for v in vals)


def test_similar_pairs_are_undirected() -> None:
    pairs = similar_pairs(_random_unit_rows(30, 20, 2), 3, 0.0)
    assert all(i < j for i, j in pairs)


def test_link_claims_links_retold_stories(store: GraphStore) -> None:
    ids = seed(store)
    report = link_claims(store, _settings(similarity_threshold=0.2))
    assert report.claims == 13
    assert report.created > 0
    edges = list(store.iter_edges(EdgeType.SIMILAR_TO))
    linked = {frozenset((e.source, e.target)) for e in edges}
    assert frozenset((ids["lab"][0], ids["repeat"][0])) in linked
    for e in edges:
        assert e.properties["method"] == SimilarityMethod.LEXICAL.value
        assert e.properties["verdict"] == Verdict.UNREVIEWED.value
        assert 0.2 <= e.properties["score"] <= 1.0
        assert e.properties["evidence"]
        # Never across stories: the labs and the troops share no words that matter.
        assert not ({e.source, e.target} & set(ids["lab"]) and {e.source, e.target} & set(ids["troops"]))
    unrelated = ids["other"][0]
    assert all(unrelated not in (e.source, e.target) for e in edges)


def test_link_claims_respects_editors_and_analysts(store: GraphStore) -> None:
    ids = seed(store)
    settings = _settings(similarity_threshold=0.2)
    lab = ids["lab"]
    # An editorial link between two lab claims, written by a fact-checker.
    store.upsert(
        edges=[
            Edge(
                EdgeType.SIMILAR_TO,
                lab[0],
                lab[1],
                {"score": 1.0, "method": SimilarityMethod.EDITORIAL.value, "evidence": "listed together"},
                [Source("tests", "editorial")],
            )
        ]
    )
    link_claims(store, settings)
    editorial = store.edges_of(lab[0], [EdgeType.SIMILAR_TO])
    kept = [e for e in editorial if {e.source, e.target} == {lab[0], lab[1]}]
    assert kept[0].properties["method"] == SimilarityMethod.EDITORIAL.value
    assert kept[0].properties["evidence"] == "listed together"

    computed = sorted(
        (
            e
            for e in store.iter_edges(EdgeType.SIMILAR_TO)
            if e.properties["method"] == SimilarityMethod.LEXICAL.value
        ),
        key=lambda e: -e.properties["score"],
    )
    confirmed, rejected = computed[-1], computed[-2]  # the weakest links
    store.set_edge_properties(
        EdgeType.SIMILAR_TO, confirmed.source, confirmed.target, {"verdict": Verdict.CONFIRMED.value}
    )
    store.set_edge_properties(
        EdgeType.SIMILAR_TO, rejected.source, rejected.target, {"verdict": Verdict.REJECTED.value}
    )
    # A threshold no pair reaches: every unreviewed computed link is stale now.
    report = link_claims(store, _settings(similarity_threshold=0.999))
    left = {frozenset((e.source, e.target)): e for e in store.iter_edges(EdgeType.SIMILAR_TO)}
    assert frozenset((confirmed.source, confirmed.target)) in left
    assert left[frozenset((confirmed.source, confirmed.target))].properties["verdict"] == "confirmed"
    assert frozenset((rejected.source, rejected.target)) in left  # the verdict itself is kept
    assert frozenset((lab[0], lab[1])) in left
    still_qualify = sum(1 for e in computed if e.properties["score"] >= 0.999)
    assert report.deleted == len(computed) - 2 - still_qualify
    assert report.kept_confirmed == 1

    # Back to the normal threshold: the rejected pair stays rejected, never reset to unreviewed.
    again = link_claims(store, settings)
    edge = {frozenset((e.source, e.target)): e for e in store.iter_edges(EdgeType.SIMILAR_TO)}
    assert edge[frozenset((rejected.source, rejected.target))].properties["verdict"] == "rejected"
    assert again.skipped_rejected == 1
    assert edge[frozenset((confirmed.source, confirmed.target))].properties["verdict"] == "confirmed"


def test_link_claims_is_idempotent(store: GraphStore) -> None:
    seed(store)
    settings = _settings(similarity_threshold=0.2)
    first = link_claims(store, settings)
    before = {(e.source, e.target): e.properties for e in store.iter_edges(EdgeType.SIMILAR_TO)}
    second = link_claims(store, settings)
    after = {(e.source, e.target): e.properties for e in store.iter_edges(EdgeType.SIMILAR_TO)}
    assert before == after
    assert second.created == 0 and second.updated == first.created and second.deleted == 0


def test_link_claims_on_an_empty_store(store: GraphStore) -> None:
    report = link_claims(store, _settings())
    assert report.claims == 0 and report.pairs == 0


@pytest.mark.parametrize("k", [1, 3])
def test_top_k_bounds_links_per_claim(store: GraphStore, k: int) -> None:
    seed(store)
    link_claims(store, _settings(similarity_threshold=0.05, similarity_top_k=k))
    # Each claim chose at most k neighbours; it may also be chosen by others.
    assert store.counts().edges[EdgeType.SIMILAR_TO.value] <= 13 * k


def test_link_report_reads_as_a_sentence_in_singular_and_plural() -> None:
    one = LinkReport(claims=1, pairs=1, created=1, seconds=0.04).summary()
    assert one == "1 claim compared, 1 similar pair: 1 new, 0 updated, 0 stale removed (0.0 s)"
    many = LinkReport(claims=2_500, pairs=0, kept_confirmed=3).summary()
    assert many.startswith("2,500 claims compared, 0 similar pairs: 0 new")
    assert "; 3 confirmed kept (" in many
