"""Dense scores: exact for an ordinary corpus, through an IVF index for a large one."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.search.dense_search import CANDIDATES, DenseSearch, build_dense_search


def unit_rows(count: int, dimension: int = 32, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("count", [0, 1, 40, 500])
def test_an_ordinary_corpus_is_scored_exactly(count: int) -> None:
    vectors = unit_rows(count)
    search = build_dense_search(vectors, exact_limit=1000)
    assert search.ivf is None
    query = unit_rows(1, seed=1)[0]
    np.testing.assert_allclose(search.scores(query), vectors @ query, rtol=1e-6)


@pytest.fixture(scope="module")
def large() -> tuple[np.ndarray, DenseSearch]:
    vectors = unit_rows(3000)
    return vectors, build_dense_search(vectors, exact_limit=1000)


def test_a_large_corpus_finds_the_nearest_chunks_through_its_ivf_index(large) -> None:
    vectors, search = large
    assert search.ivf is not None
    noise = np.random.default_rng(2).normal(scale=0.05, size=vectors[:50].shape)
    for row, query in enumerate(vectors[:50] + noise.astype(np.float32)):
        query /= np.linalg.norm(query)
        scores = search.scores(query)
        assert int(np.argmax(scores)) == row
        assert scores[row] == pytest.approx(float(vectors[row] @ query), abs=1e-5)


def test_chunks_beyond_the_candidates_sit_at_a_floor_below_them(large) -> None:
    vectors, search = large
    query = unit_rows(1, seed=3)[0]
    scores = search.scores(query)
    exact = vectors @ query
    scored = np.isclose(scores, exact, atol=1e-5)
    assert CANDIDATES <= scored.sum() < len(vectors)
    floor = scores[~scored].max()
    assert np.all(scores[~scored] == floor) and floor <= scores[scored].min() + 1e-6


def test_chunks_asked_for_are_scored_exactly(large) -> None:
    vectors, search = large
    query = unit_rows(1, seed=4)[0]
    wanted = np.array([5, 777, 2999])
    scores = search.scores(query, exact_for=wanted)
    np.testing.assert_allclose(scores[wanted], vectors[wanted] @ query, rtol=1e-5)
