"""Scoring, fusion and top-k: pure functions over arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEmbedder, build_index

from assistant.search.retrieval import (
    RRF_K,
    bm25_scores,
    fuse_convex,
    fuse_rrf,
    normalise_max,
    normalise_minmax,
    rank_chunks,
    top_k,
    top_k_rows,
)
from assistant.search.search_index import SearchIndex, build_search_index
from corpus_index.store import load_index

NORMALISERS = [normalise_max, normalise_minmax]


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_normalise_empty_gives_empty(normalise):
    result = normalise(np.array([], dtype=np.float64))
    assert result.shape == (0,)


@pytest.mark.parametrize("normalise", NORMALISERS)
@pytest.mark.parametrize("value", [0.0, 0.3, 7.0])
def test_normalise_constant_scores(normalise, value):
    result = normalise(np.full(4, value))
    if normalise is normalise_max and value > 0:
        np.testing.assert_array_equal(result, np.ones(4))  # all share the top score
    else:
        np.testing.assert_array_equal(result, np.zeros(4))  # nothing stands out


@pytest.mark.parametrize(
    ("normalise", "scores", "expected"),
    [
        (normalise_max, [1.0, 2.0, 4.0], [0.25, 0.5, 1.0]),
        (normalise_max, [0.0, 3.0, 0.0], [0.0, 1.0, 0.0]),
        (normalise_minmax, [-1.0, 0.0, 3.0], [0.0, 0.25, 1.0]),
        (normalise_minmax, [2.0, 4.0, 3.0], [0.0, 1.0, 0.5]),
    ],
)
def test_normalise_ordinary_scores(normalise, scores, expected):
    np.testing.assert_allclose(normalise(np.array(scores)), expected)


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_normalise_leaves_its_input_alone(normalise):
    scores = np.array([0.5, 2.0, 1.0])
    normalise(scores)
    np.testing.assert_array_equal(scores, [0.5, 2.0, 1.0])


@pytest.mark.parametrize("normalise", NORMALISERS)
def test_normalise_keeps_the_order(normalise):
    scores = np.array([0.2, 3.5, 1.1, 0.9, 2.0])
    assert top_k(normalise(scores), 5) == top_k(scores, 5)


DENSE = np.array([0.10, 0.90, 0.30, -0.20])
LEXICAL = np.array([5.0, 0.0, 2.0, 1.0])


@pytest.mark.parametrize(
    ("alpha", "ranking"),
    [(0.0, [0, 2, 3, 1]), (1.0, [1, 2, 0, 3])],  # lexical alone; dense alone
)
def test_fuse_convex_endpoints(alpha, ranking):
    fused = fuse_convex(DENSE, LEXICAL, alpha)
    assert top_k(fused, len(fused)) == ranking


def test_fuse_convex_endpoints_are_the_normalised_scores():
    np.testing.assert_allclose(fuse_convex(DENSE, LEXICAL, 0.0), normalise_max(LEXICAL))
    np.testing.assert_allclose(fuse_convex(DENSE, LEXICAL, 1.0), normalise_minmax(DENSE))


@pytest.mark.parametrize("alpha", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_fuse_convex_stays_in_unit_range(alpha):
    fused = fuse_convex(DENSE, LEXICAL, alpha)
    assert fused.min() >= 0.0
    assert fused.max() <= 1.0


@pytest.mark.parametrize("k", [RRF_K, 1])
def test_fuse_rrf_one_list_is_one_over_k_plus_rank(k):
    scores = np.array([0.1, 0.9, 0.5])  # ranks 3, 1, 2
    expected = np.array([1 / (k + 3), 1 / (k + 1), 1 / (k + 2)])
    np.testing.assert_allclose(fuse_rrf(scores, k=k), expected / expected.max())


def test_fuse_rrf_sums_over_lists():
    dense = np.array([0.9, 0.5, 0.1])  # ranks 1, 2, 3
    lexical = np.array([0.0, 7.0, 3.0])  # ranks 3, 1, 2
    k = RRF_K
    expected = np.array(
        [1 / (k + 1) + 1 / (k + 3), 1 / (k + 2) + 1 / (k + 1), 1 / (k + 3) + 1 / (k + 2)]
    )
    np.testing.assert_allclose(fuse_rrf(dense, lexical), expected / expected.max())
    assert top_k(fuse_rrf(dense, lexical), 3) == [1, 0, 2]


def test_fuse_rrf_uses_only_ranks_not_magnitudes():
    np.testing.assert_allclose(
        fuse_rrf(np.array([0.1, 0.9, 0.5])), fuse_rrf(np.array([-40.0, 1e9, 3.0]))
    )


def test_fuse_rrf_ties_within_a_list_keep_index_order():
    fused = fuse_rrf(np.array([1.0, 1.0, 1.0]))
    assert fused[0] > fused[1] > fused[2]
    assert top_k(fused, 3) == [0, 1, 2]


def test_fuse_rrf_ties_across_lists_keep_index_order():
    fused = fuse_rrf(np.array([0.9, 0.1]), np.array([0.1, 0.9]))  # ranks (1, 2) and (2, 1)
    assert fused[0] == fused[1]
    assert top_k(fused, 2) == [0, 1]


def test_fuse_rrf_of_empty_lists_is_empty():
    assert fuse_rrf(np.array([]), np.array([])).shape == (0,)


def test_fuse_rrf_leaves_its_inputs_alone():
    dense, lexical = np.array([0.9, 0.1, 0.5]), np.array([1.0, 3.0, 2.0])
    fuse_rrf(dense, lexical)
    np.testing.assert_array_equal(dense, [0.9, 0.1, 0.5])
    np.testing.assert_array_equal(lexical, [1.0, 3.0, 2.0])


@pytest.mark.parametrize("k", [0, -1, -10])
def test_top_k_with_no_room_is_empty(k):
    assert top_k(np.array([0.3, 0.9]), k) == []


@pytest.mark.parametrize("k", [0, 1, 5])
def test_top_k_of_no_scores_is_empty(k):
    assert top_k(np.array([]), k) == []


@pytest.mark.parametrize("k", [3, 4, 100])
def test_top_k_beyond_the_scores_gives_them_all_best_first(k):
    assert top_k(np.array([0.2, 0.9, 0.5]), k) == [1, 2, 0]


@pytest.mark.parametrize(
    ("k", "expected"), [(1, [1]), (2, [1, 3]), (3, [1, 3, 0]), (4, [1, 3, 0, 2])]
)
def test_top_k_ties_keep_index_order(k, expected):
    assert top_k(np.array([0.5, 0.9, 0.5, 0.9]), k) == expected


def test_top_k_returns_plain_ints():
    assert all(type(at) is int for at in top_k(np.array([0.5, 0.9]), 2))


# rank_chunks over a tiny real index: every mode gives one score in [0, 1] per chunk.

CORPUS = {
    "resume.md": (
        "# Ada Byron\n\n"
        "Backend engineer.\n\n"
        "## Skills\n\n"
        "Technologies: Kotlin, Swift\n\n"
        "## Experience\n\n"
        "Built a ledger for a bank. Mentored four junior developers.\n\n"
        "## Hobbies\n\n"
        "Sails small boats on weekends.\n"
    )
}


@pytest.fixture
def index(tmp_path: Path, write_corpus) -> SearchIndex:
    fake = FakeEmbedder()
    corpus_dir = write_corpus(tmp_path / "corpus", CORPUS)
    build_index(corpus_dir, tmp_path / "index", fake)
    return build_search_index(load_index(tmp_path / "index"), fake.vector)


MODES = [("hybrid", "convex"), ("hybrid", "rrf"), ("bm25", "convex"), ("dense", "convex")]


@pytest.mark.parametrize(("mode", "fusion"), MODES)
@pytest.mark.parametrize("question", ["kotlin", "ledger bank", "zeppelin", ""])
def test_rank_chunks_scores_every_chunk_in_unit_range(index, mode, fusion, question):
    terms = question.split()
    scores = rank_chunks(index, terms, index.embed_query(question), mode, fusion)
    assert scores.shape == (len(index.chunks),)
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


def test_bm25_mode_ranks_the_chunk_holding_the_term_first(index):
    scores = rank_chunks(index, ["kotlin"], index.embed_query("kotlin"), "bm25")
    assert index.chunks[top_k(scores, 1)[0]].path[-1] == "Skills"
    assert scores.max() == 1.0


def test_bm25_scores_of_an_empty_query_are_zero(index):
    np.testing.assert_array_equal(bm25_scores(index, []), np.zeros(len(index.chunks)))


def test_hybrid_rrf_without_a_lexical_match_falls_back_to_dense(index):
    vector = index.embed_query("zeppelin")
    np.testing.assert_allclose(
        rank_chunks(index, [], vector, "hybrid", "rrf"),
        rank_chunks(index, [], vector, "dense"),
    )


@pytest.mark.parametrize(
    ("scores", "k", "expected"),
    [
        ([], 3, []),
        ([0.0, 0.0], 3, []),  # only positive scores count
        ([0.5, 0.0, 0.9], 3, [0, 2]),
        ([0.5, 0.1, 0.9, 0.7], 2, [2, 3]),
    ],
)
def test_top_k_rows_keeps_the_best_positive_scores(scores, k, expected):
    rows = top_k_rows(np.array(scores, dtype=np.float64), k)
    assert sorted(int(row) for row in rows) == expected
