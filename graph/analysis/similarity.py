"""Computed SIMILAR_TO: each claim linked to its most similar claims by text.

The scores are cosines of the lexical vectors (`LexicalEmbedder`). All pairs are scored as a
sparse matrix product, a chunk of rows at a time, so memory stays bounded by the chunk rather than
by the square of the number of claims; only the top `k` of each row above the threshold are kept.
With a threshold, symmetry and prefix filtering leave most of that product uncomputed, exactly
(`_thresholded_top_k`).

Re-computation respects people: an editorial link is never touched, a link an analyst confirmed
stays even if its score falls, a pair an analyst rejected is never added again, and an unreviewed
computed link that no longer qualifies is deleted.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from graph.analysis.corpus import ClaimCorpus
from graph.analysis.embedders import LexicalEmbedder, Matrix
from graph.model import Edge, Source
from graph.ontology import EdgeType, SimilarityMethod, Verdict
from graph.settings import Settings
from graph.store import GraphStore

# Budget of matrix cells one chunk may produce: rows per chunk = budget / number of claims.
CELL_BUDGET = 20_000_000
EVIDENCE_TERMS = 5
WRITE_BATCH = 5_000
PROVENANCE = Source("computed", "similarity", SimilarityMethod.LEXICAL.value)
MAX_THREADS = 8

_T = TypeVar("_T")


@dataclass(slots=True)
class LinkReport:
    """What one `link_claims` run did."""

    claims: int = 0
    pairs: int = 0  # pairs that qualified this run
    created: int = 0
    updated: int = 0
    deleted: int = 0  # stale unreviewed computed links removed
    kept_confirmed: int = 0  # confirmed links kept although they no longer qualify
    skipped_editorial: int = 0
    skipped_rejected: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for a person: what was compared, what changed, what was left alone."""
        kept = [
            f"{count:,} {what}"
            for count, what in (
                (self.kept_confirmed, "confirmed kept"),
                (self.skipped_editorial, "editorial left alone"),
                (self.skipped_rejected, "rejected not re-added"),
            )
            if count
        ]
        return (
            f"{self.claims:,} claim{'' if self.claims == 1 else 's'} compared, "
            f"{self.pairs:,} similar pair{'' if self.pairs == 1 else 's'}: {self.created:,} new, "
            f"{self.updated:,} updated, {self.deleted:,} stale removed"
            + (f"; {', '.join(kept)}" if kept else "")
            + f" ({self.seconds:.1f} s)"
        )


def chunk_rows(n: int, budget: int = CELL_BUDGET) -> int:
    """How many rows of an n-column score matrix one chunk may hold."""
    return max(1, min(4096, budget // max(n, 1)))


def top_k_rows(scores: sp.csr_matrix, k: int, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best `k` entries of each row at or above `threshold`: (rows, columns, scores), best first."""
    coo = scores.tocoo()
    keep = coo.data >= threshold
    rows, cols, vals = coo.row[keep], coo.col[keep], coo.data[keep]
    if not len(rows):
        return rows, cols, vals
    order = np.lexsort((cols, -vals, rows))  # ties broken by column for determinism
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    lengths = np.diff(np.r_[starts, len(rows)])
    rank = np.arange(len(rows)) - np.repeat(starts, lengths)
    keep = rank < k
    return rows[keep], cols[keep], vals[keep]


def all_pairs_top_k(
    vectors: Matrix, k: int, threshold: float, budget: int = CELL_BUDGET, threads: int | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For every row, its `k` most similar other rows scoring at least `threshold`, by chunk.

    Yields (rows, columns, scores) arrays per chunk, each row's best first; a row never pairs
    with itself. With a threshold, only the few products above it are kept and sorted; without
    one, each chunk is made dense and partitioned, which is cheaper than sorting every product.
    `threads` chunks are computed at a time (default: one per core this process may use): the
    sparse products and the sorts run outside the interpreter lock. The answer does not depend on it.
    """
    threads = threads if threads is not None else _cores()
    matrix = sp.csr_matrix(vectors, dtype=np.float32)
    if threshold > 0:
        yield from _thresholded_top_k(matrix, k, threshold, budget, threads)
        return
    n = matrix.shape[0]
    transposed = matrix.T.tocsr()
    depth = min(k, n - 1)
    if depth < 1:
        return

    def top(start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        scores = sp.csr_matrix(matrix[start:stop] @ transposed).toarray()
        height = scores.shape[0]
        scores[np.arange(height), np.arange(start, stop)] = -1.0
        best = np.argpartition(-scores, depth - 1, axis=1)[:, :depth]
        values = np.take_along_axis(scores, best, axis=1)
        order = np.lexsort((best, -values), axis=1)
        best = np.take_along_axis(best, order, axis=1)
        values = np.take_along_axis(values, order, axis=1)
        rows = np.repeat(np.arange(height), depth)
        keep = values.ravel() > 0
        return rows[keep] + start, best.ravel()[keep], values.ravel()[keep]

    step = chunk_rows(n, budget // threads)
    spans = [(start, min(start + step, n)) for start in range(0, n, step)]
    yield from _in_order(top, spans, threads)


def _cores() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), MAX_THREADS))


def _in_order(work: Callable[[int, int], _T], spans: Sequence[tuple[int, int]], threads: int) -> Iterator[_T]:
    """`work(start, stop)` for each span, `threads` at a time, the results in span order. At most
    `threads` spans are in progress or waiting to be taken, so memory stays bounded."""
    if threads <= 1 or len(spans) <= 1:
        for start, stop in spans:
            yield work(start, stop)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="all-pairs") as pool:
        todo = iter(spans)
        running = deque(pool.submit(work, *span) for span in islice(todo, threads))
        while running:
            result = running.popleft().result()
            span = next(todo, None)
            if span is not None:
                running.append(pool.submit(work, *span))
            yield result


def _thresholded_top_k(
    matrix: sp.csr_matrix, k: int, threshold: float, budget: int, threads: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`all_pairs_top_k` with a threshold: exact, but most of the product is never computed.

    Two ideas from the all-pairs similarity search literature (Bayardo et al., "Scaling up all
    pairs similarity search", 2007):

    * The score matrix is symmetric: each chunk of rows is multiplied only by itself and the rows
      after it, and a pair above the threshold is kept for both its rows.
    * Prefix filtering. Each row j is split into a prefix P_j, its entries on the most common
      features, as many as keep |P_j| below a bound b < threshold, and the rest S_j. For rows i and
      j, x_i . x_j = x_i . S_j + x_i . P_j, and x_i . P_j <= g_i |P_j|, where g_i is the norm of x_i
      on the features any prefix uses. So a pair can reach the threshold only if
      x_i . S_j >= threshold - g_i |P_j| > 0. The product with S, which leaves out the common
      features that make every text touch every other, finds every such pair; only those are
      then scored in full.

    Each row keeps only its best `k` between chunks, so memory stays at k per row plus the chunks in
    progress, which share the cell budget. Once a chunk is done, its rows have met every other row
    and are final.
    """
    n = matrix.shape[0]
    matrix = matrix.copy()  # the caller's vectors stay as they were
    matrix.sum_duplicates()
    # Keeping g_i |P_j| below the threshold is what makes the filter exact; rows are unit length
    # here, but a longer row would need a shorter prefix.
    squares = np.bincount(
        np.repeat(np.arange(n), np.diff(matrix.indptr)),
        weights=matrix.data.astype(np.float64) ** 2,
        minlength=n,
    )
    bound = PREFIX_SHARE * threshold / max(float(np.sqrt(squares.max(initial=0.0))), 1.0)
    # `matrix` comes back with its columns renumbered and its indices sorted, which the exact
    # re-scoring relies on to look entries up by key.
    matrix, prefix, suffix, prefix_norm, common_norm = _split(matrix, bound)
    width = matrix.shape[1]

    def candidates(start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs of rows start..stop with the rows from `start` on that reach the threshold."""
        chunk = matrix[start:stop]
        block = sp.csr_matrix(chunk @ suffix[start:].T)
        # A cheap bound for the whole chunk first, then the exact bound for the few left.
        floor = threshold - float(common_norm[start:stop].max(initial=0.0)) * float(
            prefix_norm.max(initial=0.0)
        )
        where = np.flatnonzero(block.data >= floor)
        rows = np.searchsorted(block.indptr, where, "right") - 1 + start
        cols = block.indices[where].astype(np.int64) + start
        partial = block.data[where].astype(np.float64)
        keep = (cols > rows) & (partial + common_norm[rows] * prefix_norm[cols] >= threshold)
        rows, cols, partial = rows[keep], cols[keep], partial[keep]
        vals = (partial + _dot_prefix(chunk, start, width, prefix, rows, cols)).astype(np.float32)
        keep = vals >= threshold
        return rows[keep], cols[keep], vals[keep]

    # Later chunks meet fewer rows, so they may hold more rows within the same cell budget, which
    # the chunks computed at the same time share.
    spans = []
    start = 0
    while start < n:
        stop = min(start + chunk_rows(n - start, budget // threads), n)
        spans.append((start, stop))
        start = stop
    held = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    for (_, stop), (rows, cols, vals) in zip(spans, _in_order(candidates, spans, threads), strict=True):
        held = _best_per_row(
            np.concatenate([held[0], rows, cols]),
            np.concatenate([held[1], cols, rows]),
            np.concatenate([held[2], vals, vals]),
            k,
        )
        done = np.searchsorted(held[0], stop)  # `held` is sorted by row: rows before `stop` are final
        yield held[0][:done], held[1][:done], held[2][:done]
        held = (held[0][done:], held[1][done:], held[2][done:])


# The prefix bound as a share of the threshold: higher skips more of the product but leaves more
# pairs to score in full; 0.8 was the fastest on the shared EUvsDisinfo texts.
PREFIX_SHARE = 0.8


def _split(
    matrix: sp.csr_matrix, bound: float
) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix, np.ndarray, np.ndarray]:
    """Each row's prefix (its entries on the most common features, norm below `bound`) and the
    rest, with each prefix's norm and each row's norm on the features of any prefix.

    The columns come back renumbered, most common feature first (dot products do not change):
    then sorting each row's indices, done by scipy in C, puts its entries in prefix order."""
    n, width = matrix.shape
    df = np.bincount(matrix.indices, minlength=width)
    rank = np.empty(width, dtype=np.int32)
    rank[np.argsort(-df, kind="stable")] = np.arange(width, dtype=np.int32)
    ordered = sp.csr_matrix(
        (matrix.data.copy(), rank[matrix.indices], matrix.indptr.copy()), shape=matrix.shape
    )
    ordered.has_canonical_format = False
    ordered.sum_duplicates()
    lengths = np.diff(ordered.indptr)
    rows = np.repeat(np.arange(n), lengths)
    squares = ordered.data.astype(np.float64) ** 2
    running = np.cumsum(squares)
    before = np.r_[0.0, running][ordered.indptr[:-1]]
    in_prefix = running - np.repeat(before, lengths) < bound * bound
    parts = []
    for mask in (in_prefix, ~in_prefix):
        indptr = np.r_[0, np.cumsum(np.bincount(rows[mask], minlength=n))]
        parts.append(sp.csr_matrix((ordered.data[mask], ordered.indices[mask], indptr), shape=matrix.shape))
    prefix_norm = np.sqrt(np.bincount(rows[in_prefix], weights=squares[in_prefix], minlength=n))
    common = np.zeros(width, dtype=bool)
    common[parts[0].indices] = True
    on_common = common[ordered.indices]
    common_norm = np.sqrt(np.bincount(rows[on_common], weights=squares[on_common], minlength=n))
    return ordered, parts[0], parts[1], prefix_norm, common_norm


def _dot_prefix(
    chunk: sp.csr_matrix, start: int, width: int, prefix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """x_i . P_j for each pair (rows[p], cols[p]), the rows i within `chunk` (which starts at row
    `start`): each prefix entry of j is looked up in row i by its (row, feature) key."""
    lengths = np.diff(prefix.indptr)[cols]
    total = int(lengths.sum())
    if not total:
        return np.zeros(len(rows), dtype=np.float64)
    offsets = np.repeat(prefix.indptr[cols] - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    owner = np.repeat(np.arange(len(rows)), lengths)
    chunk_rows_of = np.repeat(np.arange(chunk.shape[0], dtype=np.int64), np.diff(chunk.indptr))
    keys = chunk_rows_of * width + chunk.indices  # sorted: rows in order, indices sorted in each row
    wanted = (rows[owner] - start) * width + prefix.indices[offsets]
    at = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    hit = keys[at] == wanted if len(keys) else np.zeros(total, dtype=bool)
    products = np.where(hit, chunk.data[at].astype(np.float64), 0.0) * prefix.data[offsets]
    return np.bincount(owner, weights=products, minlength=len(rows))


def _best_per_row(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best `k` entries of each row, sorted by row then score (ties by column)."""
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    if not len(rows):
        return rows, cols, vals
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = rank < k
    return rows[keep], cols[keep], vals[keep]


def similar_pairs(vectors: Matrix, k: int, threshold: float) -> dict[tuple[int, int], float]:
    """Each row's top-k neighbours as undirected pairs (i < j) with their score."""
    pairs: dict[tuple[int, int], float] = {}
    for rows, cols, vals in all_pairs_top_k(vectors, k, threshold):
        for i, j, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
            pairs[(i, j) if i < j else (j, i)] = round(min(float(v), 1.0), 4)
    return pairs


def shared_terms(
    word_vectors: sp.csr_matrix, terms: np.ndarray, pairs: list[tuple[int, int]], n: int = EVIDENCE_TERMS
) -> list[list[str]]:
    """For each pair, the words that contribute most to its similarity, strongest first."""
    out: list[list[str]] = []
    for start in range(0, len(pairs), 20_000):
        chunk = pairs[start : start + 20_000]
        left = word_vectors[[i for i, _ in chunk]]
        right = word_vectors[[j for _, j in chunk]]
        product = sp.csr_matrix(left.multiply(right))
        for row in range(product.shape[0]):
            lo, hi = product.indptr[row], product.indptr[row + 1]
            idx, vals = product.indices[lo:hi], product.data[lo:hi]
            best = idx[np.argsort(-vals, kind="stable")[:n]]
            out.append([str(terms[b]) for b in best])
    return out


def link_claims(store: GraphStore, settings: Settings) -> LinkReport:
    """Computes lexical SIMILAR_TO links for every claim and writes them back to the store."""
    began = time.perf_counter()
    corpus = ClaimCorpus.from_store(store, context=False)
    report = LinkReport(claims=len(corpus))
    pairs: dict[tuple[int, int], float] = {}
    embedder = LexicalEmbedder()
    if len(corpus) >= 2:
        vectors = embedder.fit_embed(corpus.documents)
        pairs = similar_pairs(vectors, settings.similarity_top_k, settings.similarity_threshold)
    report.pairs = len(pairs)
    ids = [c.id for c in corpus.claims]
    wanted = {(ids[i], ids[j]): score for (i, j), score in pairs.items()}

    stale: list[tuple[EdgeType, str, str]] = []
    skip: set[tuple[str, str]] = set()
    for edge in store.iter_edges(EdgeType.SIMILAR_TO):
        key = (edge.source, edge.target)
        method = edge.properties.get("method")
        verdict = edge.properties.get("verdict", Verdict.UNREVIEWED.value)
        if method != SimilarityMethod.LEXICAL.value:
            if key in wanted:
                report.skipped_editorial += 1
            skip.add(key)
        elif verdict == Verdict.REJECTED.value:
            if key in wanted:
                report.skipped_rejected += 1
            skip.add(key)
        elif key not in wanted:
            if verdict == Verdict.CONFIRMED.value:
                report.kept_confirmed += 1
            else:
                stale.append(edge.key)
        else:
            report.updated += 1

    todo = [(key, score) for key, score in sorted(wanted.items()) if key not in skip]
    report.created = len(todo) - report.updated
    if todo:
        index = corpus.index
        words = embedder.word_vectors(corpus.documents)
        evidence = shared_terms(words, embedder.terms(), [(index[a], index[b]) for (a, b), _ in todo])
        with store.bulk():
            for start in range(0, len(todo), WRITE_BATCH):
                batch = todo[start : start + WRITE_BATCH]
                store.upsert(
                    edges=[
                        Edge(
                            EdgeType.SIMILAR_TO,
                            a,
                            b,
                            {
                                "score": score,
                                "method": SimilarityMethod.LEXICAL.value,
                                "evidence": ", ".join(terms),
                            },
                            [PROVENANCE],
                            defaults={"verdict": Verdict.UNREVIEWED.value},
                        )
                        for ((a, b), score), terms in zip(
                            batch, evidence[start : start + WRITE_BATCH], strict=True
                        )
                    ]
                )
            if stale:
                report.deleted = store.delete_edges(stale)
    elif stale:
        report.deleted = store.delete_edges(stale)
    report.seconds = round(time.perf_counter() - began, 3)
    return report
