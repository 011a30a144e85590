"""Which intent a question has: its nearest example questions in the intent book.

all-MiniLM-L6-v2 was trained on pairs of duplicate questions, so comparing a
question with example questions is what it does best. An intent is taken only
when its best example is close enough and clearly ahead of the runner-up
intent's; otherwise the question keeps the general hybrid search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from corpus_index.intents import IntentBook, IntentSpec

# Chosen leave-one-corpus-out on tests/eval (python -m assistant.measure.eval --intents).
MIN_SIMILARITY = 0.70
MIN_MARGIN = 0.0
# Below the threshold, a question still leans on its nearest intent this close: search
# prefers the quotes that intent prefers (its kind of section, answer type, cue words),
# but no strategy answers and nothing is declined on it.
LEAN_SIMILARITY = 0.50
# An intent that declines (salary, visa...) must be this much closer still: declining a
# question the portfolio does answer costs more than answering it by search.
DECLINE_EXTRA = 0.0


@dataclass(frozen=True)
class IntentMatch:
    """The intent taken (None: none), its similarity and its lead over the runner-up."""

    spec: IntentSpec | None
    similarity: float
    margin: float
    nearest: str | None  # the nearest intent's name, taken or not
    leaning: IntentSpec | None = None  # the nearest intent, when close enough to lean on


def intent_similarities(
    query_vector: np.ndarray, example_vectors: np.ndarray, example_intents: Sequence[str]
) -> dict[str, float]:
    """Each intent's similarity to the question: the cosine of its nearest example.
    An intent's examples lie next to each other, so one reduceat takes every maximum."""
    if not len(example_vectors):
        return {}
    starts = intent_starts(tuple(example_intents))
    best = np.maximum.reduceat(example_vectors @ query_vector, starts)
    return {example_intents[start]: float(value) for start, value in zip(starts, best,
                                                                         strict=True)}


@lru_cache(maxsize=8)
def intent_starts(example_intents: tuple[str, ...]) -> list[int]:
    """Where each intent's run of examples starts (computed once per index)."""
    return [at for at, name in enumerate(example_intents)
            if at == 0 or example_intents[at - 1] != name]


def classify(
    query_vector: np.ndarray,
    example_vectors: np.ndarray,
    example_intents: Sequence[str],
    book: IntentBook,
    min_similarity: float = MIN_SIMILARITY,
    min_margin: float = MIN_MARGIN,
    decline_extra: float = DECLINE_EXTRA,
    lean_similarity: float = LEAN_SIMILARITY,
) -> IntentMatch:
    """The question's intent, if one stands out, and the one it leans on."""
    similarities = intent_similarities(query_vector, example_vectors, example_intents)
    if not similarities:
        return IntentMatch(None, 0.0, 0.0, None)
    ranked = sorted(similarities.items(), key=lambda item: -item[1])
    name, similarity = ranked[0]
    margin = similarity - ranked[1][1] if len(ranked) > 1 else similarity
    spec = book.intent(name)
    needed = min_similarity + (decline_extra if spec and spec.answer == "decline" else 0.0)
    taken = similarity >= needed and margin >= min_margin
    leaning = spec if similarity >= lean_similarity else None
    return IntentMatch(spec if taken else None, similarity, margin, name, leaning)
