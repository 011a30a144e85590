"""Choosing the sentences and list items that answer a question. Pure functions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .search.search_index import SearchIndex
from .understand.figures import has_figure

# Weights of a unit's score: its own meaning, its share of the question's key
# terms, and its section's rank. Chosen on tests/eval (python -m assistant.measure.eval).
MEANING_WEIGHT = 0.55
TERMS_WEIGHT = 0.30
SECTION_WEIGHT = 0.35
FIGURE_BONUS = 0.10
KEEP_RATIO = 0.60  # keep units scoring at least this share of the best one
DUPLICATE_COSINE = 0.92
MAX_QUOTES = 5
SAME_SECTION_PENALTY = 0.05


@dataclass(frozen=True)
class Evidence:
    """A candidate quote and why it was chosen."""

    unit: int  # index into SearchIndex.unit_texts
    chunk: int
    score: float
    meaning: float  # cosine of unit and question
    term_share: float  # idf-weighted share of the question's known terms it holds


Expansions = Mapping[str, Sequence[tuple[str, float]]]


def term_share(index: SearchIndex, terms: Sequence[str], unit_terms: frozenset[str],
               expansions: Expansions | None = None) -> float:
    """Idf-weighted share of the question's key terms that a unit holds; a term the
    corpus never uses weighs the most and is never held. A term the unit lacks but one
    of whose expansions (alias, related word) it holds counts at that expansion's weight."""
    wanted = set(terms)
    total = sum(index.idf(term) for term in wanted)
    if total == 0:
        return 0.0
    held = 0.0
    for term in wanted:
        if term in unit_terms:
            held += index.idf(term)
        elif expansions and term in expansions:
            weight = max((w for target, w in expansions[term] if target in unit_terms),
                         default=0.0)
            held += weight * index.idf(term)
    return held / total


def score_units(
    index: SearchIndex,
    units: Iterable[int],
    terms: Sequence[str],
    query_vector: np.ndarray,
    chunk_scores: np.ndarray,
    prefer_figures: bool = False,
    expansions: Expansions | None = None,
    bonus: Callable[[int], float] | None = None,
) -> list[Evidence]:
    """Score each candidate unit; best first. `bonus(unit)` adds what the question's
    intent prefers (a quote holding the answer type it wants, from the kind of section
    that serves it)."""
    units = list(dict.fromkeys(units))
    if not units:
        return []
    meanings = index.unit_vectors[units] @ query_vector
    scored = []
    for unit, meaning in zip(units, meanings, strict=True):
        chunk = int(index.unit_chunk[unit])
        share = term_share(index, terms, index.unit_terms[unit], expansions)
        score = (
            MEANING_WEIGHT * float(meaning)
            + TERMS_WEIGHT * share
            + SECTION_WEIGHT * float(chunk_scores[chunk])
        )
        if prefer_figures and has_figure(index.unit_texts[unit]):
            score += FIGURE_BONUS
        if bonus is not None:
            score += bonus(unit)
        scored.append(Evidence(unit, chunk, score, float(meaning), share))
    return sorted(scored, key=lambda evidence: -evidence.score)


def select_evidence(
    index: SearchIndex,
    scored: Sequence[Evidence],
    max_quotes: int = MAX_QUOTES,
    keep_ratio: float = KEEP_RATIO,
    same_section_penalty: float = SAME_SECTION_PENALTY,
    listing: bool = False,
) -> list[Evidence]:
    """The best units, at most `max_quotes`, near-duplicates dropped. A `listing` (every
    degree, every award) keeps items that differ only in a word or two ("MEng Artificial
    Intelligence · MIT" beside "BSc Artificial Intelligence · MIT") and drops exact repeats.

    Greedy, in the spirit of maximal marginal relevance (Carbonell & Goldstein
    1998): each pick pays a small penalty per quote already taken from its
    section, so an overview question hears the challenge, the solution and the
    impact rather than three sentences of one.
    """
    if not scored:
        return []
    floor = scored[0].score * keep_ratio if scored[0].score > 0 else scored[0].score
    pool = [item for item in scored if item.score >= floor]
    chosen: list[Evidence] = []
    taken: dict[str, int] = {}
    while pool and len(chosen) < max_quotes:
        def adjusted(item: Evidence) -> float:
            section = index.chunks[item.chunk].section_id
            return item.score - same_section_penalty * taken.get(section, 0)

        best = max(pool, key=adjusted)
        pool.remove(best)
        if any(index.unit_texts[best.unit] == index.unit_texts[kept.unit] if listing
               else _near_duplicate(index, best.unit, kept.unit) for kept in chosen):
            continue
        chosen.append(best)
        section = index.chunks[best.chunk].section_id
        taken[section] = taken.get(section, 0) + 1
    return chosen


def _near_duplicate(index: SearchIndex, a: int, b: int) -> bool:
    """Two units that say the same thing: near-identical meaning or mostly shared terms."""
    if float(index.unit_vectors[a] @ index.unit_vectors[b]) >= DUPLICATE_COSINE:
        return True
    terms_a, terms_b = index.unit_terms[a], index.unit_terms[b]
    union = terms_a | terms_b
    return bool(union) and len(terms_a & terms_b) / len(union) >= 0.7
