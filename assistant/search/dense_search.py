"""Dense scores of every chunk for a query: exact for a corpus of ordinary size, an
inverted-file index (FAISS IVF) past `EXACT_LIMIT` chunks.

Exact scoring is one matrix-vector product, but it reads every vector: at 40,000
chunks that is 61 MB and ~3.3 ms a question, more than half the embedding. An
IVF index (Jégou, Douze & Schmid 2011) scores only the lists nearest the query:
with √N lists and 16 probed, the true top 4 was always among its 256
candidates on clustered data of that size, in ~0.4 ms. Chunks outside the
candidates get the lowest score estimated from a fixed sample of rows, so
min-max fusion keeps its scale; chunks that BM25 matched are scored exactly,
so the lexical side of the fusion never meets a guessed dense score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EXACT_LIMIT = 10_000  # chunks; below this an exact scan costs under 1 ms
CANDIDATES = 256  # chunks the IVF index returns per question
PROBES = 16  # inverted lists searched per question
SAMPLE_ROWS = 1024  # rows whose lowest score stands in for the corpus's lowest


@dataclass(frozen=True)
class DenseSearch:
    """Chunk vectors, and for a large corpus their IVF index and a sample of rows."""

    vectors: np.ndarray  # (chunks, dim), unit length, float32
    ivf: object | None = None  # faiss.IndexIVFFlat over `vectors`
    sample: np.ndarray | None = None  # SAMPLE_ROWS rows of `vectors`

    @property
    def approximate(self) -> bool:
        """Whether chunks outside the candidates get a floor rather than their score."""
        return self.ivf is not None

    def scores(self, query: np.ndarray, exact_for: np.ndarray | None = None) -> np.ndarray:
        """Cosine of every chunk to the unit vector `query`: exact, or for a large corpus
        exact on the IVF candidates and on the chunks `exact_for`, the rest at a floor."""
        if self.ivf is None:
            return self.vectors @ query
        found, rows = self.ivf.search(query[None, :].astype(np.float32, copy=False),
                                      CANDIDATES)
        found, rows = found[0], rows[0]
        kept = rows >= 0  # fewer candidates than asked for: -1 rows
        floor = min(float((self.sample @ query).min()), float(found[kept].min()))
        scores = np.full(len(self.vectors), floor, dtype=np.float32)
        scores[rows[kept]] = found[kept]
        if exact_for is not None and len(exact_for):
            scores[exact_for] = self.vectors[exact_for] @ query
        return scores


def build_dense_search(vectors: np.ndarray, exact_limit: int = EXACT_LIMIT) -> DenseSearch:
    """Exact search, or past `exact_limit` chunks an IVF index over √N lists."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(vectors) <= exact_limit:
        return DenseSearch(vectors)
    import faiss  # only a large corpus pays for the import

    lists = max(1, round(math.sqrt(len(vectors))))
    quantiser = faiss.IndexFlatIP(vectors.shape[1])
    ivf = faiss.IndexIVFFlat(quantiser, vectors.shape[1], lists, faiss.METRIC_INNER_PRODUCT)
    ivf.train(vectors)
    ivf.add(vectors)
    ivf.nprobe = min(PROBES, lists)
    rows = np.random.default_rng(0).choice(len(vectors), SAMPLE_ROWS, replace=False)
    return DenseSearch(vectors, ivf, vectors[np.sort(rows)])
