"""Computed SIMILAR_TO: each claim linked to its most similar claims by text.

The scores are cosines of the lexical vectors (`LexicalEmbedder`). All pairs are scored as a
sparse matrix product, a chunk of rows at a time, so memory stays bounded by the chunk rather than
by the square of the number of claims; only the top `k` of each row above the threshold are kept.

Re-computation respects people: an editorial link is never touched, a link an analyst confirmed
stays even if its score falls, a pair an analyst rejected is never added again, and an unreviewed
computed link that no longer qualifies is deleted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

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
    vectors: Matrix, k: int, threshold: float, budget: int = CELL_BUDGET
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For every row, its `k` most similar other rows scoring at least `threshold`, by chunk.

    Yields (rows, columns, scores) arrays per chunk, each row's best first; a row never pairs
    with itself. With a threshold, only the few products above it are sorted; without one, each
    chunk is made dense and partitioned, which is cheaper than sorting every product.
    """
    matrix = sp.csr_matrix(vectors, dtype=np.float32)
    n = matrix.shape[0]
    transposed = matrix.T.tocsr()
    step = chunk_rows(n, budget)
    for start in range(0, n, step):
        block = sp.csr_matrix(matrix[start : start + step] @ transposed)
        if threshold > 0:
            coo = block.tocoo()
            keep = (coo.data >= threshold) & (coo.row + start != coo.col)
            block = sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=block.shape)
            rows, cols, vals = top_k_rows(block, k, threshold)
            yield rows + start, cols, vals
            continue
        scores = block.toarray()
        height = scores.shape[0]
        scores[np.arange(height), np.arange(start, start + height)] = -1.0
        depth = min(k, n - 1)
        if depth < 1:
            continue
        top = np.argpartition(-scores, depth - 1, axis=1)[:, :depth]
        values = np.take_along_axis(scores, top, axis=1)
        order = np.lexsort((top, -values), axis=1)
        top = np.take_along_axis(top, order, axis=1)
        values = np.take_along_axis(values, order, axis=1)
        rows = np.repeat(np.arange(height), depth)
        keep = values.ravel() > 0
        yield rows[keep] + start, top.ravel()[keep], values.ravel()[keep]


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
