"""Everything the answer path needs to know about a question beyond its words: its
intent, the corpus technologies it names by any alias, the kinds of skill it asks
about, and the corpus terms its words reach through aliases and the lexicon."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from corpus_index.knowledge import Technology
from corpus_index.terms import analyse

from .index_view import KnowledgeView
from .intents import (
    DECLINE_EXTRA,
    LEAN_SIMILARITY,
    MIN_MARGIN,
    MIN_SIMILARITY,
    IntentMatch,
    classify,
)
from .phrases import cue_pattern
from .question import Question

# An alias names the same thing: its corpus terms weigh as much as the question's own.
ALIAS_WEIGHT = 1.0


@dataclass(frozen=True)
class Understanding:
    """A question read against the index's knowledge: intent, technologies, expansions."""

    intent: IntentMatch
    technologies: tuple[Technology, ...] = ()  # the corpus's, named by any alias
    categories: tuple[str, ...] = ()  # kinds of skill asked about ("database")
    # question term -> corpus terms it also stands for, with their weight (< 1: related)
    expansions: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    covered: frozenset[str] = frozenset()  # key words the corpus lacks but knowledge covers
    related_only: frozenset[str] = frozenset()  # of those, the ones only a related word covers

    @property
    def intent_name(self) -> str | None:
        return self.intent.spec.name if self.intent.spec else None

    def extra_terms(self) -> tuple[tuple[str, float], ...]:
        """Every expanded corpus term with its weight, for BM25."""
        best: dict[str, float] = {}
        for links in self.expansions.values():
            for term, weight in links:
                best[term] = max(best.get(term, 0.0), weight)
        return tuple(best.items())


NO_INTENT = IntentMatch(None, 0.0, 0.0, None)


def understand(question: Question, query_vector: np.ndarray, index: KnowledgeView,
               with_intent: bool = True, min_similarity: float = MIN_SIMILARITY,
               min_margin: float = MIN_MARGIN, decline_extra: float = DECLINE_EXTRA,
               lean_similarity: float = LEAN_SIMILARITY) -> Understanding:
    """Read the question against the index's compiled knowledge (the intent only when
    `with_intent`: a follow-up keeps the previous turn's topic)."""
    knowledge = index.knowledge
    intent = (classify(query_vector, index.example_vectors, index.example_intents,
                       knowledge.intents, min_similarity, min_margin, decline_extra,
                       lean_similarity)
              if with_intent else NO_INTENT)
    leaning = intent.leaning
    if intent.spec is None and leaning is not None and leaning.asks:
        pattern = cue_pattern(leaning.asks)
        if pattern is not None and pattern.search(question.text.lower()):
            # "How much notice does she have to give?" leans on notice_period and says so.
            intent = replace(intent, spec=leaning)
    technologies = index.technologies.named_in(question.text)
    expansions: dict[str, dict[str, float]] = {}
    covered: set[str] = set()
    related_only: set[str] = set()
    for technology in technologies:
        surface_terms = {term for form in (*technology.forms, *technology.exact_forms)
                         for term in analyse(form)}
        corpus_terms = {term for form in technology.in_corpus for term in analyse(form)}
        for word, terms in question.key_words:
            if terms & surface_terms:
                covered.add(word.lower())
                for term in terms:
                    links = expansions.setdefault(term, {})
                    for target in corpus_terms - {term}:
                        links[target] = ALIAS_WEIGHT
    for word, terms in question.key_words:
        if word.lower() in question.names:
            continue  # a name reaches the corpus only through the alias table
        for term in terms:
            for link in knowledge.expansions.get(term, ()):
                if link.term in question.terms:
                    continue
                links = expansions.setdefault(term, {})
                links[link.term] = max(links.get(link.term, 0.0), link.weight)
                if word.lower() not in covered:
                    related_only.add(word.lower())
                covered.add(word.lower())
    return Understanding(
        intent=intent,
        technologies=technologies,
        categories=index.technologies.categories_named(question.text),
        expansions={term: tuple(links.items()) for term, links in expansions.items() if links},
        covered=frozenset(covered),
        related_only=frozenset(related_only),
    )
