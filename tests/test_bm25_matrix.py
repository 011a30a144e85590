"""The sparse BM25 matrix scores exactly as rank-bm25's own get_scores, for every variant."""

from __future__ import annotations

import numpy as np
import pytest
import rank_bm25
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.search.bm25_matrix import build_matrix

WORDS = st.sampled_from([f"w{i}" for i in range(12)])
CORPORA = st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=25)
QUERIES = st.lists(st.one_of(WORDS, st.just("absent")), max_size=5)


@pytest.mark.parametrize("variant", [rank_bm25.BM25Okapi, rank_bm25.BM25Plus, rank_bm25.BM25L])
@settings(max_examples=60, deadline=None)
@given(corpus=CORPORA, query=QUERIES)
def test_same_scores_as_rank_bm25(variant, corpus, query) -> None:
    model = variant(corpus)
    expected = np.asarray(model.get_scores(query), dtype=np.float64)
    np.testing.assert_allclose(build_matrix(model).scores(query), expected, rtol=1e-9,
                               atol=1e-9)
