"""What every answer strategy reads: the question in context, the plan it returns,
the preferences an intent lends to search, and look-ups of units by kind of section,
cue words, answer type, technology and heading. Pure functions over the index."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from corpus_index.intents import IntentSpec
from corpus_index.knowledge import Technology
from corpus_index.terms import analyse

from ..evidence import Evidence, score_units
from ..search.search_index import SearchIndex
from ..understand.phrases import cue_keys, cue_pattern
from ..understand.question import Question
from ..understand.technologies import form_pattern
from ..understand.understanding import Understanding

MAX_LISTED_QUOTES = 6
KIND_BONUS = 0.08  # a quote from the kind of section that serves the intent
TYPE_BONUS = 0.10  # a quote holding the answer type the intent wants
CUE_BONUS = 0.08  # a quote holding one of the intent's cue words


@dataclass(frozen=True)
class Plan:
    """The quotes an intent's strategy chose, and how the answer presents them."""

    evidence: tuple[Evidence, ...] = ()
    titled: frozenset[int] = frozenset()  # units led by their section's title (a role's)
    listed: tuple[str, ...] = ()  # names the answer lists, as the corpus writes them
    figures: bool = False  # add the figures table
    missing_topic: str | None = None  # a decline that names what is missing


@dataclass(frozen=True)
class Context:
    """What every strategy reads."""

    index: SearchIndex
    question: Question
    understanding: Understanding
    query_vector: np.ndarray
    chunk_scores: np.ndarray

    @property
    def spec(self) -> IntentSpec:
        """The intent; strategies run only for a question that has one."""
        spec = self.understanding.intent.spec
        if spec is None:
            raise ValueError("a strategy was asked to answer a question with no intent")
        return spec

    def rank(self, units: Sequence[int], prefer_figures: bool = False) -> list[Evidence]:
        """The general scorer over `units`, with the intent's preferences."""
        return score_units(self.index, units, self.question.terms, self.query_vector,
                           self.chunk_scores, prefer_figures=prefer_figures,
                           expansions=self.understanding.expansions, bonus=intent_bonus(self))


def intent_bonus(context: Context) -> Callable[[int], float] | None:
    """What the intent prefers in a quote: its kind of section, answer type and cues; for
    a question below the intent threshold, what its nearest intent prefers."""
    intent = context.understanding.intent
    spec = intent.spec or intent.leaning
    if spec is None:
        return None
    index = context.index
    kinds = set(spec.sections)
    cued = set(units_with_cues(index, spec.cues))
    typed = typed_units(index, spec.wants)

    def bonus(unit: int) -> float:
        score = 0.0
        if kinds & index.chunk_kinds[int(index.unit_chunk[unit])]:
            score += KIND_BONUS
        if unit in typed:
            score += TYPE_BONUS
        if unit in cued:
            score += CUE_BONUS
        return score

    return bonus


def names_a_section(context: Context) -> bool:
    """Whether the question names one section by its heading ("as a lead engineer")."""
    return bool(named_sections(context.index, context.question))


def named_sections(index: SearchIndex, question: Question) -> list[int]:
    """The chunks whose heading the question names: it shares at least two terms, and at
    least half of the question's, with the heading; the closest headings only."""
    terms = set(question.terms)
    if len(terms) < 2:
        return []
    shared = [len(terms & set(analyse(chunk.title))) for chunk in index.chunks]
    best = max(shared, default=0)
    if best < 2 or 2 * best < len(terms):
        return []
    return [at for at, count in enumerate(shared) if count == best]


def units_of_kinds(index: SearchIndex, kinds: Sequence[str]) -> list[int]:
    """Every unit of the sections of the given kinds, in corpus order."""
    wanted = set(kinds)
    return [unit for at, chunk_kinds in enumerate(index.chunk_kinds) if wanted & chunk_kinds
            for unit in index.chunk_units[at]]


def units_with_cues(index: SearchIndex, cues: Sequence[str]) -> list[int]:
    """Every unit holding one of the cue words or phrases, in corpus order. The units
    holding a cue's stems are looked up first; only those are read."""
    pattern = cue_pattern(cues)
    if pattern is None:
        return []
    candidates: set[int] = set()
    for key in cue_keys(cues):
        if not key:
            continue
        postings = [set(index.term_units.get(term, ())) for term in key]
        candidates |= set.intersection(*postings)
    return sorted(u for u in candidates if pattern.search(index.unit_texts[u].lower()))


def typed_units(index: SearchIndex, kinds: Sequence[str]) -> frozenset[int]:
    """Every unit holding an answer of any of `kinds` (email, date_range, ...)."""
    found: frozenset[int] = frozenset()
    for kind in kinds:
        found |= index.typed_units.get(kind, frozenset())
    return found


def units_naming(index: SearchIndex, technology: Technology) -> list[int]:
    """The units that name a technology in one of the forms the corpus writes it."""
    exact = set(technology.exact_forms)
    forms = technology.in_corpus or (*technology.forms, *technology.exact_forms)
    pattern = form_pattern([f for f in forms if f not in exact], [f for f in forms if f in exact])
    candidates: set[int] = set()
    for form in forms:
        terms = analyse(form)
        if terms:
            candidates |= set.intersection(*(set(index.term_units.get(t, ())) for t in terms))
    return sorted(u for u in candidates if pattern.search(index.unit_texts[u]))
