"""Match: given new text, the known claims it most likely repeats, with their debunks and narratives.

`TextIndex` holds the vectors of every claim in memory, and the vectors of each claim's sentences;
a query is scored against both, so a quote matches the one sentence of a long case that says it,
and a whole article matches the claim one of its sentences repeats. `Matcher` wraps the index with
what the store knows about each claim and is refreshed after loads.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from graph.analysis.corpus import ClaimCorpus
from graph.analysis.embedders import Embedder, LexicalEmbedder, fit_embed
from graph.analysis.text import clean, sentences
from graph.exc import InvalidInputError, LimitExceededError
from graph.ontology import EdgeType, NodeLabel
from graph.store import GraphStore

MAX_K = 100
MAX_QUERY_CHARS = 100_000
MAX_QUERY_SENTENCES = 200
SNIPPET_CHARS = 280
# How much the whole-text cosine counts against the best sentence-to-sentence cosine.
WHOLE_WEIGHT = 0.5


class TextIndex:
    """Documents embedded whole and sentence by sentence; `search` ranks them for a text."""

    def __init__(
        self,
        documents: Sequence[str],
        embedder: Embedder | None = None,
        *,
        whole_weight: float = WHOLE_WEIGHT,
        units: bool = True,
    ) -> None:
        if not documents:
            raise InvalidInputError("cannot index no documents")
        self.embedder = embedder or LexicalEmbedder()
        self.whole_weight = whole_weight
        self.size = len(documents)
        self.vectors = sp.csr_matrix(fit_embed(self.embedder, documents), dtype=np.float32)
        # Postings (feature -> documents) answer a query by touching only the documents that
        # share a feature with it.
        self._postings = self.vectors.T.tocsr()
        self._unit_postings: sp.csr_matrix | None = None
        self._unit_doc = np.zeros(0, dtype=np.int64)
        if units:
            texts: list[str] = []
            owners: list[int] = []
            for i, doc in enumerate(documents):
                parts = sentences(doc)
                if len(parts) > 1:
                    texts.extend(parts)
                    owners.extend([i] * len(parts))
            if texts:
                units_matrix = sp.csr_matrix(self.embedder.embed(texts), dtype=np.float32)
                self._unit_postings = units_matrix.T.tocsr()
                self._unit_doc = np.asarray(owners, dtype=np.int64)

    def scores(self, text: str) -> np.ndarray:
        """The score of every document for the text, from 0 to 1."""
        text = clean(text)[:MAX_QUERY_CHARS]
        if not text:
            raise InvalidInputError("the text to match is empty")
        parts = sentences(text)[:MAX_QUERY_SENTENCES]
        query = sp.csr_matrix(self.embedder.embed([text, *parts] if len(parts) > 1 else [text]))
        per_doc = _dot(query, self._postings, self.size)
        whole = per_doc[0]
        # Best pairing of the query or one of its sentences with a document or one of its sentences.
        best = per_doc.max(axis=0)
        if self._unit_postings is not None:
            per_unit = _dot(query, self._unit_postings, len(self._unit_doc)).max(axis=0)
            np.maximum.at(best, self._unit_doc, per_unit)
        combined: np.ndarray = np.clip(self.whole_weight * whole + (1 - self.whole_weight) * best, 0.0, 1.0)
        return combined

    def search(self, text: str, k: int = 10, exclude: int | None = None) -> list[tuple[int, float]]:
        """The `k` best documents for the text, as (position, score), best first, ties by position."""
        scores = self.scores(text)
        if exclude is not None:
            scores[exclude] = -1.0
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k] if k < self.size else np.arange(self.size)
        ordered = sorted(top.tolist(), key=lambda i: (-scores[i], i))
        return [(i, round(float(scores[i]), 4)) for i in ordered if scores[i] > 0]


def _dot(queries: sp.csr_matrix, postings: sp.csr_matrix, n: int) -> np.ndarray:
    """queries @ postings as a dense (queries x n) array, walking only the postings of the query's
    features: far cheaper than a general sparse product for a handful of query rows."""
    lengths = np.diff(queries.indptr)
    features = queries.indices
    starts = postings.indptr[features]
    spans = postings.indptr[features + 1] - starts
    total = int(spans.sum())
    if not total:
        return np.zeros((queries.shape[0], n), dtype=np.float32)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(spans)[:-1]], spans) + np.arange(total)
    cols = postings.indices[offsets]
    vals = postings.data[offsets] * np.repeat(queries.data, spans)
    rows = np.repeat(np.repeat(np.arange(queries.shape[0]), lengths), spans)
    flat = np.bincount(rows * n + cols, weights=vals, minlength=queries.shape[0] * n)
    return flat.reshape(queries.shape[0], n).astype(np.float32)


@dataclass(slots=True, frozen=True)
class MatchedDebunk:
    """A debunk of a matched claim."""

    id: str
    text: str  # the start of the disproof
    url: str | None = None
    rating: str | None = None


@dataclass(slots=True, frozen=True)
class MatchedNarrative:
    """A narrative a matched claim feeds."""

    id: str
    name: str
    kind: str = ""


@dataclass(slots=True, frozen=True)
class MatchResult:
    """A known claim the text likely repeats."""

    claim_id: str
    title: str
    score: float
    date: str | None = None
    debunks: tuple[MatchedDebunk, ...] = field(default_factory=tuple)
    narratives: tuple[MatchedNarrative, ...] = field(default_factory=tuple)


class Matcher:
    """An in-memory index of every claim in a store; `refresh()` re-reads the store after loads."""

    def __init__(self, store: GraphStore, embedder_factory: type[LexicalEmbedder] | None = None) -> None:
        self._store = store
        self._factory = embedder_factory or LexicalEmbedder
        self._lock = threading.Lock()
        self._corpus = ClaimCorpus([])
        self._index: TextIndex | None = None
        self._debunks: dict[str, tuple[MatchedDebunk, ...]] = {}

    @classmethod
    def from_store(cls, store: GraphStore) -> Matcher:
        matcher = cls(store)
        matcher.refresh()
        return matcher

    @property
    def size(self) -> int:
        """How many claims the index holds."""
        return len(self._corpus)

    def refresh(self) -> None:
        """Rebuilds the index from the store (a query meanwhile still sees the previous one)."""
        corpus = ClaimCorpus.from_store(self._store)
        index = TextIndex(corpus.documents, self._factory()) if len(corpus) else None
        debunks = self._read_debunks(corpus)
        with self._lock:
            self._corpus, self._index, self._debunks = corpus, index, debunks

    def _read_debunks(self, corpus: ClaimCorpus) -> dict[str, tuple[MatchedDebunk, ...]]:
        of_claim: dict[str, list[str]] = defaultdict(list)
        for edge in self._store.iter_edges(EdgeType.DEBUNKS):
            if edge.target in corpus.index:
                of_claim[edge.target].append(edge.source)
        nodes = {n.id: n for n in self._store.iter_nodes(NodeLabel.DEBUNK)} if of_claim else {}
        out: dict[str, tuple[MatchedDebunk, ...]] = {}
        for claim_id, debunk_ids in of_claim.items():
            found = []
            for debunk_id in sorted(set(debunk_ids)):
                node = nodes.get(debunk_id)
                if node is None:
                    continue
                text = str(node.get("text", ""))
                found.append(
                    MatchedDebunk(
                        debunk_id,
                        text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…",
                        node.get("url"),
                        node.get("rating") or node.get("rating_value"),
                    )
                )
            out[claim_id] = tuple(found)
        return out

    def match(self, text: str, k: int = 10) -> list[MatchResult]:
        """The `k` known claims the text most likely repeats, best first."""
        if not 1 <= k <= MAX_K:
            raise LimitExceededError(f"k must be between 1 and {MAX_K}, got {k}")
        if not text or not text.strip():
            raise InvalidInputError("the text to match is empty")
        if len(text) > MAX_QUERY_CHARS:
            raise LimitExceededError(f"the text is longer than {MAX_QUERY_CHARS} characters")
        with self._lock:
            corpus, index, debunks = self._corpus, self._index, self._debunks
        if index is None:
            return []
        results = []
        for position, score in index.search(text, k):
            claim = corpus.claims[position]
            results.append(
                MatchResult(
                    claim.id,
                    claim.title,
                    score,
                    claim.date,
                    debunks.get(claim.id, ()),
                    tuple(
                        MatchedNarrative(
                            n, corpus.narrative_names.get(n, n), corpus.narrative_kinds.get(n, "")
                        )
                        for n in claim.narratives
                    ),
                )
            )
        return results
