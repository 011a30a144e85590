"""Does the portfolio support an answer? Evidence relative to the corpus at hand.

A fixed cosine threshold does not carry across corpora: prose in the third
person sits closer to "has he ...?" questions and lifts every similarity. So
the meaning signal is a *margin*: how far the best quote stands above the
question's mean similarity to every unit of this corpus (q · centroid), which
cancels such a shift. The lexical signal is whether the question's key terms
occur in this corpus at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .evidence import Evidence
from .search.search_index import SearchIndex
from .understand.question import Question

# Chosen on tests/eval across both corpora (python -m assistant.measure.eval).
MARGIN_CLEAR = 0.42  # meaning alone, even though the question names something absent
MARGIN_STRONG = 0.25  # meaning, when most of the question's key words are absent
MARGIN_SUPPORTED = 0.20  # meaning, when the question has no key words at all
MARGIN_WITH_TERMS = 0.15  # meaning, when most key words are present and quoted in part
MIN_TERM_SHARE = 0.50  # or the best quote holds this idf-weighted share of the key terms
MIN_COVERAGE = 0.5  # share of the question's key words that this corpus uses at all
# A word the corpus lacks but reaches through the lexicon (coached -> mentored) counts
# this much towards coverage: a related word is weaker evidence than the word itself.
# Chosen leave-one-corpus-out (python -m assistant.measure.loo).
LEXICON_CREDIT = 0.75


@dataclass(frozen=True)
class Support:
    answered: bool
    confidence: float
    margin: float
    missing: tuple[str, ...]  # question words (as typed) that the corpus never uses
    missing_names: tuple[str, ...]  # those of them written as names ("Rust", "AWS")


def missing_words(index: SearchIndex, question: Question,
                  covered: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The question's key words, as typed, none of whose terms this corpus uses and
    that no alias or related word of the corpus covers (`covered`, lower-cased)."""
    return tuple(word for word, terms in question.key_words
                 if word.lower() not in covered
                 and not any(term in index.document_frequency for term in terms))


def assess_support(index: SearchIndex, question: Question, query_vector: np.ndarray,
                   evidence: Sequence[Evidence],
                   covered: frozenset[str] = frozenset(),
                   related_only: frozenset[str] = frozenset(),
                   lexicon_credit: float = LEXICON_CREDIT) -> Support:
    """Decide whether the chosen evidence answers the question; `covered` are key words
    the corpus lacks but reaches through an alias or a related word, `related_only`
    those of them reached only through a related word (they count `lexicon_credit`)."""
    missing = missing_words(index, question, covered)
    names = tuple(word for word in missing if word.lower() in question.names)
    if not evidence:
        return Support(False, 0.0, 0.0, missing, names)
    baseline = float(index.unit_centroid @ query_vector)
    margin = max(item.meaning for item in evidence) - baseline
    share = max(item.term_share for item in evidence)
    total = len(question.key_words)
    weak = sum(1 for word, terms in question.key_words if word.lower() in related_only
               and not any(term in index.document_frequency for term in terms))
    coverage = (total - len(missing) - (1 - lexicon_credit) * weak) / total if total else 1.0
    if names:
        # The question names something this corpus never mentions ("Rust", "Google"):
        # the words it shares with the corpus must not carry an answer about it.
        answered = margin >= MARGIN_CLEAR
    elif not total:
        answered = margin >= MARGIN_SUPPORTED
    elif coverage >= MIN_COVERAGE:
        answered = share > 0 and (share >= MIN_TERM_SHARE or margin >= MARGIN_WITH_TERMS)
    else:
        answered = margin >= MARGIN_STRONG
    confidence = float(np.clip(0.5 * min(margin / MARGIN_CLEAR, 1.0) + 0.5 * share, 0.0, 1.0))
    return Support(answered, confidence if answered else min(confidence, 0.2), margin, missing,
                   names)
