"""Ranking quality: MAP@5, precision@1 and @5, recall@10 of our methods and of simple baselines.

A `Ranker` turns a task's corpus into an index and returns, per query, the corpus positions it
ranks best. The baselines are BM25 (Okapi, k1 = 1.2, b = 0.75) and a plain word TF-IDF cosine, run
on the same queries in the same run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from graph.analysis.embedders import BlendEmbedder, LexicalEmbedder, SemanticEmbedder, fit_embed
from graph.analysis.labelled import Task
from graph.analysis.match import TextIndex
from graph.analysis.text import words

DEPTH = 10
Ranker = Callable[[Task], list[list[int]]]


@dataclass(slots=True)
class Scores:
    """The figures of one method on one task."""

    task: str
    split: str
    method: str
    queries: int
    map5: float
    p1: float
    p5: float
    r10: float
    seconds: float
    ap: list[float] = field(default_factory=list, repr=False)  # AP@5 per query, for `compare`

    def as_dict(self) -> dict[str, object]:
        """The figures, without the per-query list."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "ap"}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Our best method against the best baseline on one task: the MAP@5 difference and its 95%
    interval from a paired bootstrap that resamples whole claim groups."""

    task: str
    ours: str
    baseline: str
    delta: float
    low: float
    high: float
    groups: int
    resamples: int

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def summary(self) -> str:
        return (
            f"{self.ours} - {self.baseline}: MAP@5 {self.delta:+.3f} (95% interval {self.low:+.3f} to "
            f"{self.high:+.3f}, {self.groups:,} claim groups resampled {self.resamples:,} times)"
        )


def average_precision(ranked: Sequence[int], relevant: set[int], depth: int = 5) -> float:
    """AP@depth: precision at each relevant rank within `depth`, over min(|relevant|, depth)."""
    hits = 0
    total = 0.0
    for rank, item in enumerate(ranked[:depth], start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), depth) if relevant else 0.0


def evaluate(task: Task, rankings: list[list[int]], method: str, split: str, seconds: float) -> Scores:
    """The figures of one set of rankings against the task's labels."""
    n = len(task.queries)
    aps = []
    p1 = p5 = r10 = 0.0
    for ranked, relevant in zip(rankings, task.relevant, strict=True):
        aps.append(average_precision(ranked, relevant))
        p1 += 1.0 if ranked[:1] and ranked[0] in relevant else 0.0
        p5 += sum(1 for i in ranked[:5] if i in relevant) / 5
        r10 += sum(1 for i in ranked[:10] if i in relevant) / len(relevant)
    return Scores(
        task.name,
        split,
        method,
        n,
        round(sum(aps) / n, 4),
        round(p1 / n, 4),
        round(p5 / n, 4),
        round(r10 / n, 4),
        round(seconds, 2),
        aps,
    )


def paired_interval(
    ours: Sequence[float],
    baseline: Sequence[float],
    groups: Sequence[str],
    *,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float, float]:
    """The mean of `ours - baseline` over the queries, and its 95% percentile interval from
    `resamples` draws of the groups with replacement (each drawn group brings all its queries)."""
    diff = np.asarray(ours, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    if not len(diff) or len(groups) != len(diff):
        raise ValueError("one score per query in each, and one group per query")
    names, index = np.unique(np.asarray(groups), return_inverse=True)
    sums = np.bincount(index, weights=diff, minlength=len(names))
    sizes = np.bincount(index, minlength=len(names)).astype(np.float64)
    draws = np.random.default_rng(seed).integers(0, len(names), size=(resamples, len(names)))
    means = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(diff.mean()), float(low), float(high)


def compare(results: Sequence[Scores], task: Task, split: str, resamples: int = 2000) -> Comparison | None:
    """Our best method (by MAP@5) against the best baseline on `task`'s queries of `split` (the
    task as `run` ranked it: `task.subset(split)` unless `split` is "all")."""
    ours, base = _best(results, task.name, split)
    if ours is None or base is None or not ours.ap or not base.ap:
        return None
    groups = task.groups or [str(i) for i in range(len(task.queries))]
    delta, low, high = paired_interval(ours.ap, base.ap, groups, resamples=resamples)
    return Comparison(
        task.name,
        ours.method,
        base.method,
        round(delta, 4),
        round(low, 4),
        round(high, 4),
        len(set(groups)),
        resamples,
    )


def _top(scores: np.ndarray, exclude: int | None, depth: int = DEPTH) -> list[int]:
    if exclude is not None:
        scores[exclude] = -np.inf
    depth = min(depth, len(scores))
    top = np.argpartition(-scores, depth - 1)[:depth]
    return sorted(top.tolist(), key=lambda i: (-scores[i], i))


def _excluded(task: Task, q: int) -> int | None:
    return task.exclude[q] if task.exclude else None


def bm25_ranker(task: Task, k1: float = 1.2, b: float = 0.75) -> list[list[int]]:
    """Okapi BM25 over words (stop words left out)."""
    counts = CountVectorizer(analyzer=words, dtype=np.float32)
    tf = sp.csr_matrix(counts.fit_transform(task.corpus), dtype=np.float32)
    n = tf.shape[0]
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
    weights = tf.copy()
    row_norm = np.repeat(norm, np.diff(tf.indptr))
    weights.data = weights.data * (k1 + 1) / (weights.data + row_norm) * idf[weights.indices]
    queries = counts.transform(task.queries)
    queries.data[:] = 1.0
    out = []
    for q in range(queries.shape[0]):
        scores = np.asarray((weights @ queries[q].T).todense()).ravel()
        out.append(_top(scores, _excluded(task, q)))
    return out


def tfidf_ranker(task: Task) -> list[list[int]]:
    """Plain word TF-IDF cosine (scikit-learn defaults, English stop words)."""
    vectorizer = TfidfVectorizer(stop_words="english")
    docs = vectorizer.fit_transform(task.corpus)
    queries = vectorizer.transform(task.queries)
    out = []
    for q in range(queries.shape[0]):
        scores = np.asarray((docs @ queries[q].T).todense()).ravel()
        out.append(_top(scores, _excluded(task, q)))
    return out


def index_ranker(make_embedder: Callable[[], object], *, units: bool = True) -> Ranker:
    """Our match scoring (`TextIndex`: whole text and sentences) with the embedder given."""

    def rank(task: Task) -> list[list[int]]:
        index = TextIndex(task.corpus, make_embedder(), units=units)  # type: ignore[arg-type]
        return [
            [i for i, _ in index.search(query, DEPTH, _excluded(task, q))]
            for q, query in enumerate(task.queries)
        ]

    return rank


def pairs_ranker(task: Task) -> list[list[int]]:
    """What `link_claims` computes: whole-text lexical cosine between corpus entries, top 10 each.

    Only for tasks whose queries are corpus entries (`exclude` names each query's own position).
    """
    vectors = sp.csr_matrix(fit_embed(LexicalEmbedder(), task.corpus))
    out: list[list[int]] = []
    for q in range(len(task.queries)):
        position = _excluded(task, q)
        if position is None:
            out.append([])
            continue
        scores = np.asarray((vectors @ vectors[position].T).todense()).ravel()
        out.append(_top(scores, position))
    return out


def methods(task: Task, semantic: bool) -> list[tuple[str, Ranker]]:
    """The methods an evaluation compares: the baselines first, then ours."""
    out: list[tuple[str, Ranker]] = [
        ("baseline: BM25", bm25_ranker),
        ("baseline: TF-IDF words", tfidf_ranker),
    ]
    if task.name.startswith("similar"):
        out.append(("ours: link_claims (lexical)", pairs_ranker))
    out += [
        ("ours: lexical whole text", index_ranker(LexicalEmbedder, units=False)),
        ("ours: lexical + sentences", index_ranker(LexicalEmbedder)),
    ]
    if semantic and SemanticEmbedder.available():
        # Whole texts only: embedding every sentence of the corpus too costs minutes on a CPU.
        out.append(("ours: semantic", index_ranker(SemanticEmbedder, units=False)))
        out.append(
            (
                "ours: lexical+semantic blend",
                index_ranker(
                    lambda: BlendEmbedder([(LexicalEmbedder(), 0.5), (SemanticEmbedder(), 0.5)]), units=False
                ),
            )
        )
    return out


def run(tasks: Sequence[Task], splits: Sequence[str] = ("test",), semantic: bool = True) -> list[Scores]:
    """Every method on every task and split."""
    results = []
    for task in tasks:
        for split in splits:
            part = task_part(task, split)
            for name, ranker in methods(part, semantic):
                began = time.perf_counter()
                rankings = ranker(part)
                results.append(evaluate(part, rankings, name, split, time.perf_counter() - began))
    return results


def task_part(task: Task, split: str) -> Task:
    """The queries of one half ("dev" or "test"), or all of them ("all")."""
    return task.subset(split) if split != "all" else task


def _best(results: Sequence[Scores], task: str, split: str) -> tuple[Scores | None, Scores | None]:
    """Our best method and the best baseline on a task and split, by MAP@5."""
    mine = [r for r in results if r.task == task and r.split == split]
    ours = max((r for r in mine if r.method.startswith("ours")), key=lambda r: r.map5, default=None)
    base = max((r for r in mine if r.method.startswith("baseline")), key=lambda r: r.map5, default=None)
    return ours, base


def improvement(results: Sequence[Scores], task: str, split: str) -> float:
    """How much our best MAP@5 beats the best baseline's, as a ratio (1.0 = no better)."""
    ours, base = _best(results, task, split)
    if ours is None or base is None or not base.map5:
        return math.nan
    return ours.map5 / base.map5
