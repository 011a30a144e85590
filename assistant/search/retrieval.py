"""Ranking chunks for a query: BM25, dense, and their fusion. Pure functions over arrays."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from .search_index import SearchIndex

Mode = Literal["hybrid", "bm25", "dense"]
Fusion = Literal["convex", "rrf"]
RRF_K = 60  # Cormack, Clarke & Büttcher 2009
DEFAULT_ALPHA = 0.5  # weight of the dense scores in the convex fusion (see tests/eval)
LEXICAL_EXACT = 1024  # a large corpus's best BM25 chunks, always scored densely in full


def bm25_scores(
    index: SearchIndex, terms: Sequence[str], weighted: Sequence[tuple[str, float]] = ()
) -> np.ndarray:
    """BM25 score of every chunk for the query terms and weighted extra terms (zeros for
    an empty query)."""
    if not terms and not weighted:
        return np.zeros(len(index.chunks), dtype=np.float64)
    return index.bm25.scores(terms, weighted)


def dense_scores(
    index: SearchIndex, query_vector: np.ndarray, exact_for: np.ndarray | None = None
) -> np.ndarray:
    """Cosine similarity of every chunk to the query (vectors are unit length); past
    `dense_search.EXACT_LIMIT` chunks, exact for the nearest and for `exact_for`."""
    return index.dense.scores(query_vector, exact_for)


def normalise_max(scores: np.ndarray) -> np.ndarray:
    """Scale non-negative scores into [0, 1] by their maximum."""
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def normalise_minmax(scores: np.ndarray) -> np.ndarray:
    """Min-max scaling into [0, 1] (Bruch, Gai & Ingber 2023 find it a sound default)."""
    if not len(scores):
        return scores
    low, high = float(scores.min()), float(scores.max())
    return (scores - low) / (high - low) if high > low else np.zeros_like(scores)


def fuse_convex(dense: np.ndarray, lexical: np.ndarray, alpha: float = DEFAULT_ALPHA) -> np.ndarray:
    """alpha·dense + (1−alpha)·lexical, each normalised first."""
    return alpha * normalise_minmax(dense) + (1 - alpha) * normalise_max(lexical)


def fuse_rrf(*score_lists: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Reciprocal rank fusion: Σ 1/(k + rank), rank counted from 1 in each list."""
    fused = np.zeros(len(score_lists[0]), dtype=np.float64)
    for scores in score_lists:
        ranks = np.empty(len(scores), dtype=np.int64)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
        fused += 1.0 / (k + ranks)
    return normalise_max(fused)


def rank_chunks(
    index: SearchIndex,
    terms: Sequence[str],
    query_vector: np.ndarray,
    mode: Mode = "hybrid",
    fusion: Fusion = "convex",
    alpha: float = DEFAULT_ALPHA,
    weighted: Sequence[tuple[str, float]] = (),
) -> np.ndarray:
    """A relevance score in [0, 1] for every chunk under the chosen retriever; `weighted`
    terms (aliases, related words) count at their weight."""
    if mode == "bm25":
        return normalise_max(bm25_scores(index, terms, weighted))
    if mode == "dense":
        return normalise_minmax(dense_scores(index, query_vector))
    lexical = bm25_scores(index, terms, weighted)
    # Past the exact limit, the best lexical matches get their true dense score too.
    exact_for = top_k_rows(lexical, LEXICAL_EXACT) if index.dense.approximate else None
    dense = dense_scores(index, query_vector, exact_for)
    if fusion == "rrf":
        return fuse_rrf(dense, lexical) if lexical.any() else normalise_minmax(dense)
    return fuse_convex(dense, lexical, alpha)


def top_k_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the (at most) k highest positive scores, in no particular order."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) <= k:
        return positive
    return positive[np.argpartition(scores[positive], len(positive) - k)[len(positive) - k:]]


def top_k(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best scores, best first; ties keep index order."""
    if k <= 0 or not len(scores):
        return []
    if k >= len(scores):
        candidates = np.arange(len(scores))
    else:
        # Partition first: a full sort of a large corpus's scores costs more than the rest.
        threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= threshold)
    order = np.lexsort((candidates, -scores[candidates]))
    return [int(at) for at in candidates[order][:k]]
