"""The index in memory, ready to search: BM25 rebuilt, vectors and units laid out flat."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import rank_bm25

from corpus_index.knowledge import CompiledKnowledge
from corpus_index.records import Chunk, Manifest
from corpus_index.store import LoadedIndex
from corpus_index.terms import analyse

from ..understand.answer_types import ANSWER_TYPES, holds
from ..understand.person import person_headline, person_name
from ..understand.roles import Role, UndatedRole, find_roles, find_undated_roles
from ..understand.section_kinds import chunk_kinds
from ..understand.technologies import TechnologyFinder, build_finder
from .bm25_matrix import Bm25Matrix, build_matrix
from .dense_search import EXACT_LIMIT, DenseSearch, build_dense_search

Bm25Variant = Literal["okapi", "plus", "l"]
DEFAULT_BM25: Bm25Variant = "plus"


@dataclass(frozen=True)
class SearchIndex:
    """Everything a query needs, built once per index generation."""

    manifest: Manifest
    chunks: tuple[Chunk, ...]
    dense: DenseSearch  # the chunk vectors, searched exactly or through an IVF index
    unit_vectors: np.ndarray  # (units, dim)
    unit_texts: tuple[str, ...]
    unit_chunk: np.ndarray  # chunk index of each unit
    unit_terms: tuple[frozenset[str], ...]  # the unit's terms and its heading path's
    chunk_units: tuple[range, ...]  # unit indices of each chunk
    unit_centroid: np.ndarray  # mean unit vector: q·centroid is the query's mean similarity
    bm25: Bm25Matrix  # rank-bm25's fitted scores, as a sparse matrix
    document_frequency: dict[str, int]  # BM25 term -> number of chunks holding it
    section_chunks: dict[str, tuple[int, ...]]  # section id -> its chunks, in order
    child_chunks: tuple[tuple[int, ...], ...]  # each chunk's direct subsections' chunks
    embed_query: Callable[[str], np.ndarray]  # the model the index was built with
    embed_texts: Callable[[Sequence[str]], np.ndarray]  # the same, many texts in one batch
    knowledge: CompiledKnowledge  # intents, aliases and lexicon, compiled for this corpus
    example_vectors: np.ndarray  # the intents' example questions, embedded
    example_intents: tuple[str, ...]  # the intent of each example vector
    chunk_kinds: tuple[frozenset[str], ...]  # each chunk's kinds of section ("education")
    technologies: TechnologyFinder
    roles: tuple[Role, ...]  # dated roles, earliest first
    undated_roles: tuple[UndatedRole, ...]  # roles beside them whose dates cannot be read
    person: str | None  # the name the portfolio is about ("Jane Doe"), if its summary has one
    headline: str | None  # the line under that name ("Senior Developer"), if it reads as one
    term_units: dict[str, tuple[int, ...]]  # term -> the units holding it (with headings)
    typed_units: dict[str, frozenset[int]]  # answer type -> the units holding one

    @property
    def generation(self) -> str:
        return self.manifest.generation

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; a term the corpus never uses gets the most."""
        n = len(self.chunks)
        return math.log(1 + (n + 1) / (self.document_frequency.get(term, 0) + 0.5))


def make_bm25(documents: list[list[str]], variant: Bm25Variant) -> rank_bm25.BM25:
    """A rank-bm25 scorer of the chosen variant.

    BM25Okapi floors the IDF of a term found in half the documents or more to
    epsilon × mean IDF (often near zero in a few dozen sections); BM25Plus
    (Lv & Zhai 2011) and BM25L keep such terms positive. The evaluation compares them.
    """
    documents = [doc or ["\x00"] for doc in documents]  # rank-bm25 divides by doc length
    if variant == "okapi":
        return rank_bm25.BM25Okapi(documents)
    if variant == "plus":
        return rank_bm25.BM25Plus(documents)
    if variant == "l":
        return rank_bm25.BM25L(documents)
    raise ValueError(f"unknown BM25 variant {variant!r}: use okapi, plus or l")


def _section_chunks(chunks: tuple[Chunk, ...]) -> dict[str, tuple[int, ...]]:
    grouped: dict[str, list[int]] = {}
    for at, chunk in enumerate(chunks):
        grouped.setdefault(chunk.section_id, []).append(at)
    return {section: tuple(members) for section, members in grouped.items()}


def _child_chunks(chunks: tuple[Chunk, ...]) -> tuple[tuple[int, ...], ...]:
    """For each chunk, the chunks of the sections directly under its section."""
    by_path: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for at, chunk in enumerate(chunks):
        if chunk.path:
            by_path.setdefault((chunk.source, chunk.path[:-1]), []).append(at)
    return tuple(tuple(by_path.get((chunk.source, chunk.path), ())) for chunk in chunks)


def _unit_terms(chunks: tuple[Chunk, ...]) -> tuple[frozenset[str], ...]:
    """Each unit's terms, with those of its headings: a quote is read under its heading."""
    terms = []
    for chunk in chunks:
        heading = frozenset(analyse(" ".join(chunk.path)))
        terms.extend(heading | frozenset(analyse(unit)) for unit in chunk.units)
    return tuple(terms)


def build_search_index(
    loaded: LoadedIndex,
    embed_query: Callable[[str], np.ndarray],
    bm25_variant: Bm25Variant = DEFAULT_BM25,
    dense_exact_limit: int = EXACT_LIMIT,
    embed_texts: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> SearchIndex:
    """Lay a loaded index out for search; `embed_query` turns a question into a unit vector,
    `embed_texts` many at once (one at a time through `embed_query` if not given)."""
    unit_texts: list[str] = []
    unit_chunk: list[int] = []
    chunk_units: list[range] = []
    for at, chunk in enumerate(loaded.chunks):
        start = len(unit_texts)
        unit_texts.extend(chunk.units)
        unit_chunk.extend([at] * len(chunk.units))
        chunk_units.append(range(start, len(unit_texts)))
    documents = [list(chunk.terms) for chunk in loaded.chunks]
    frequency = Counter(term for doc in documents for term in set(doc))
    centroid = (
        loaded.unit_vectors.mean(axis=0)
        if len(loaded.unit_vectors)
        else np.zeros(loaded.manifest.dimension, dtype=np.float32)
    )
    kinds = chunk_kinds(loaded.chunks, loaded.knowledge.intents)
    unit_terms = _unit_terms(loaded.chunks)
    roles = find_roles(loaded.chunks, kinds, chunk_units, unit_texts)
    term_units: dict[str, list[int]] = {}
    for unit, terms in enumerate(unit_terms):
        for term in terms:
            term_units.setdefault(term, []).append(unit)
    return SearchIndex(
        manifest=loaded.manifest,
        chunks=loaded.chunks,
        dense=build_dense_search(loaded.vectors, dense_exact_limit),
        unit_vectors=np.ascontiguousarray(loaded.unit_vectors, dtype=np.float32),
        unit_texts=tuple(unit_texts),
        unit_chunk=np.asarray(unit_chunk, dtype=np.int64),
        unit_terms=unit_terms,
        chunk_units=tuple(chunk_units),
        unit_centroid=centroid.astype(np.float32),
        bm25=build_matrix(make_bm25(documents, bm25_variant)),
        document_frequency=dict(frequency),
        section_chunks=_section_chunks(loaded.chunks),
        child_chunks=_child_chunks(loaded.chunks),
        embed_query=embed_query,
        embed_texts=embed_texts or (lambda texts: np.vstack([embed_query(t) for t in texts])
                                    if texts else np.zeros((0, loaded.manifest.dimension))),
        knowledge=loaded.knowledge,
        example_vectors=np.ascontiguousarray(loaded.example_vectors, dtype=np.float32),
        example_intents=tuple(name for name, _ in loaded.knowledge.intents.examples()),
        chunk_kinds=kinds,
        technologies=build_finder(loaded.knowledge),
        roles=roles,
        undated_roles=find_undated_roles(loaded.chunks, kinds, roles),
        person=person_name(loaded.chunks, kinds),
        headline=person_headline(loaded.chunks, kinds),
        term_units={term: tuple(units) for term, units in term_units.items()},
        typed_units={kind: frozenset(u for u, text in enumerate(unit_texts) if holds(text, kind))
                     for kind in ANSWER_TYPES},
    )
