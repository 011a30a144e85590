"""Does the portfolio support an answer? Evidence relative to the corpus at hand.

A fixed cosine threshold does not carry across corpora: prose in the third
person sits closer to "has he ...?" questions and lifts every similarity. So
the meaning signal is a *margin*: how far the best quote stands above the
question's mean similarity to every unit of this corpus (q · centroid), which
cancels such a shift. The lexical signal is whether the question's key terms
occur in this corpus at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from corpus_index.terms import analyse, tokenize

from .evidence import Evidence
from .question import FRAMING_WORDS, Question
from .search_index import SearchIndex

# Chosen on tests/eval across both corpora (python -m assistant.eval).
MARGIN_CLEAR = 0.42  # meaning alone, with none of the question's key terms in the corpus
MARGIN_SUPPORTED = 0.20  # meaning, when the key terms are present
MIN_TERM_SHARE = 0.34  # the best quote must hold this share of the known key terms


@dataclass(frozen=True)
class Support:
    answered: bool
    confidence: float
    margin: float
    missing: tuple[str, ...]  # question words (as typed) that the corpus never uses


def missing_words(index: SearchIndex, question: Question) -> tuple[str, ...]:
    """The question's key words, as typed, whose terms this corpus never uses."""
    absent = {term for term in question.terms if term not in index.document_frequency}
    named = []
    for word in dict.fromkeys(tokenize(question.text)):
        terms = analyse(word)
        if terms and set(terms) <= absent and not set(terms) & FRAMING_WORDS:
            match = re.search(re.escape(word), question.text, flags=re.IGNORECASE)
            named.append(match.group(0) if match else word)
    return tuple(named)


def assess_support(
    index: SearchIndex, question: Question, query_vector: np.ndarray, evidence: Sequence[Evidence]
) -> Support:
    """Decide whether the chosen evidence answers the question."""
    missing = missing_words(index, question)
    if not evidence:
        return Support(False, 0.0, 0.0, missing)
    baseline = float(index.unit_centroid @ query_vector)
    margin = max(item.meaning for item in evidence) - baseline
    share = max(item.term_share for item in evidence)
    if not question.terms:
        answered = margin >= MARGIN_SUPPORTED
    elif missing:
        # The question names something this corpus never mentions: only a strong
        # match in meaning may answer it, never the words it does know.
        answered = margin >= MARGIN_CLEAR
    else:
        answered = share >= MIN_TERM_SHARE or margin >= MARGIN_CLEAR
    confidence = float(np.clip(0.5 * min(margin / MARGIN_CLEAR, 1.0) + 0.5 * share, 0.0, 1.0))
    return Support(answered, confidence if answered else min(confidence, 0.2), margin, missing)
