"""rank-bm25's scores, precomputed as a sparse term-document matrix.

rank-bm25 fits the statistics (document frequencies, IDF, lengths) but scores
a query with a Python loop over every document per term: ~35 ms for two terms
over 42,000 sections. Each variant's score is a sum over query terms of a
per-(term, document) contribution, which is a constant wherever the term is
absent (idf·δ for BM25+, zero for Okapi and for rank-bm25's BM25L). So
the contributions are computed once, from the fitted model, into a sparse
matrix of (contribution − constant) plus a constant per term; a query sums a
few columns (as bm25s does, Lù 2024). Tests check equality with get_scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import rank_bm25
from scipy import sparse


@dataclass(frozen=True)
class Bm25Matrix:
    contributions: sparse.csc_matrix  # documents × terms, (contribution − absent) where tf > 0
    absent: np.ndarray  # each term's contribution to a document without it
    columns: dict[str, int]

    def scores(self, terms: Sequence[str],
               weighted: Sequence[tuple[str, float]] = ()) -> np.ndarray:
        """The BM25 score of every document for the query terms (repeats count again),
        plus `weighted` terms counted at their weight (words a question's words stand for)."""
        total = np.zeros(self.contributions.shape[0], dtype=np.float64)
        for term, weight in [*((term, 1.0) for term in terms), *weighted]:
            column = self.columns.get(term)
            if column is None:
                continue
            start, end = self.contributions.indptr[column], self.contributions.indptr[column + 1]
            total[self.contributions.indices[start:end]] += (
                weight * self.contributions.data[start:end]
            )
            total += weight * self.absent[column]
        return total


def _contribution(model: rank_bm25.BM25, idf: float, tf: np.ndarray, lengths: np.ndarray,
                  ) -> np.ndarray:
    """One term's score in documents of the given lengths and term frequencies."""
    norm = 1 - model.b + model.b * lengths / model.avgdl
    if isinstance(model, rank_bm25.BM25Plus):
        return idf * (model.delta + tf * (model.k1 + 1) / (model.k1 * norm + tf))
    if isinstance(model, rank_bm25.BM25L):
        ctd = tf / norm  # rank-bm25's BM25L also multiplies by tf: mirrored exactly
        return idf * tf * (model.k1 + 1) * (ctd + model.delta) / (model.k1 + ctd + model.delta)
    if isinstance(model, rank_bm25.BM25Okapi):
        return idf * tf * (model.k1 + 1) / (tf + model.k1 * norm)
    raise TypeError(f"no matrix form for {type(model).__name__}")


def build_matrix(model: rank_bm25.BM25) -> Bm25Matrix:
    """Precompute a fitted rank-bm25 model's contributions."""
    columns = {term: at for at, term in enumerate(model.idf)}
    lengths = np.asarray(model.doc_len, dtype=np.float64)
    rows, cols, tfs = [], [], []
    for doc, frequencies in enumerate(model.doc_freqs):
        for term, tf in frequencies.items():
            if term in columns:
                rows.append(doc)
                cols.append(columns[term])
                tfs.append(tf)
    rows_a, cols_a = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    idf = np.asarray([model.idf[term] for term in columns], dtype=np.float64)
    absent = _contribution(model, idf, np.zeros(len(idf)), np.full(len(idf), model.avgdl))
    # The "absent" value must not depend on length; it does not for these variants.
    present = _contribution(model, idf[cols_a], np.asarray(tfs, dtype=np.float64),
                            lengths[rows_a]) - absent[cols_a]
    matrix = sparse.csc_matrix((present, (rows_a, cols_a)),
                               shape=(len(model.doc_freqs), len(columns)))
    matrix.sort_indices()
    return Bm25Matrix(contributions=matrix, absent=absent, columns=columns)
