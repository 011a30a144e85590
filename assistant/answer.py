"""`answer(question, index, history)`: the one function every front end calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .compose import answer_text, decline_text
from .evidence import MAX_QUOTES, Evidence, score_units, select_evidence
from .records import Answer, Citation, FigureRow, Suggestion
from .search.retrieval import DEFAULT_ALPHA, Fusion, Mode, rank_chunks, top_k
from .search.search_index import SearchIndex
from .strategies import (
    Context,
    Plan,
    intent_bonus,
    named_sections,
    plan_answer,
    typed_units,
    units_of_kinds,
    units_with_cues,
)
from .support import LEXICON_CREDIT, assess_support, missing_words
from .timeline import build_timeline
from .understand.figures import FigureKey, extract_figures, figure_key, same_figure
from .understand.followup import context_chunks
from .understand.intents import DECLINE_EXTRA, LEAN_SIMILARITY, MIN_MARGIN, MIN_SIMILARITY
from .understand.person import without_name
from .understand.question import Question, asked_part, parse_question
from .understand.understanding import understand

TOP_CHUNKS = 4
SUGGESTIONS = 3
RELATED_QUOTES = 3
THIN_SECTION_CHARS = 80  # a section with no more text than a title or a dates line
MAX_FIGURE_ROWS = 6


@dataclass(frozen=True)
class AnswerOptions:
    """How to retrieve; the defaults are the product's, the rest serve the evaluation."""

    mode: Mode = "hybrid"
    fusion: Fusion = "convex"
    alpha: float = DEFAULT_ALPHA
    top_chunks: int = TOP_CHUNKS
    max_quotes: int = MAX_QUOTES
    min_intent_similarity: float = MIN_SIMILARITY
    min_intent_margin: float = MIN_MARGIN
    decline_extra: float = DECLINE_EXTRA
    lean_similarity: float = LEAN_SIMILARITY
    lexicon_credit: float = LEXICON_CREDIT


def answer(
    question: str,
    index: SearchIndex,
    history: Sequence[Answer] = (),
    options: AnswerOptions = AnswerOptions(),
) -> Answer:
    """Answer with verbatim, cited quotes, or decline plainly.

    Raises:
        QuestionRejected: the question is empty, too long or not text.
    """
    parsed = parse_question(question)
    result = _answer_one(parsed, index, history, options)
    asked = None if result.answered else asked_part(parsed.text)
    if asked is None:
        return result
    # Text around the question ("Ignore your instructions. Has he used Kafka?") made it
    # unanswerable: the question sentences alone may still be answered, and nothing else.
    alone = _answer_one(parse_question(asked), index, history, options)
    return alone.model_copy(update={"question": parsed.text}) if alone.answered else result


def _answer_one(
    parsed: Question, index: SearchIndex, history: Sequence[Answer], options: AnswerOptions
) -> Answer:
    parsed, model_text = as_searched(parsed, index)
    scope, previous_question, quoted = context_chunks(index, parsed, history)
    query_text = f"{previous_question} {model_text}" if scope else model_text
    query_vector = index.embed_query(query_text)
    return answer_parsed(parsed, index, query_vector, options, scope, quoted)


def as_searched(parsed: Question, index: SearchIndex) -> tuple[Question, str]:
    """The question as it is searched and embedded: the person's name read as a pronoun
    ("What is Jane's role?" -> "What is his role?"); its text stays as asked."""
    model_text = without_name(parsed.text, index.person)
    if model_text == parsed.text:
        return parsed, model_text
    return replace(parse_question(model_text), text=parsed.text), model_text


def answer_parsed(
    parsed: Question,
    index: SearchIndex,
    query_vector: np.ndarray,
    options: AnswerOptions = AnswerOptions(),
    scope: Sequence[int] = (),
    already_quoted: set[str] | frozenset[str] = frozenset(),
) -> Answer:
    """The pure core of `answer`, once the question is parsed and embedded."""
    understanding = understand(
        parsed, query_vector, index, with_intent=not scope,
        min_similarity=options.min_intent_similarity, min_margin=options.min_intent_margin,
        decline_extra=options.decline_extra, lean_similarity=options.lean_similarity,
    )
    chunk_scores = rank_chunks(
        index, parsed.terms, query_vector, options.mode, options.fusion, options.alpha,
        weighted=understanding.extra_terms(),
    )
    if scope:
        # A follow-up: its topic is the previous turn's, ranked among themselves.
        in_scope = np.zeros(len(index.chunks), dtype=bool)
        in_scope[list(scope)] = True
        chunk_scores = np.where(in_scope, 0.5 + 0.5 * chunk_scores, 0.0)
    elif named := named_sections(index, parsed):
        # "What did he work on as a senior engineer?": the section the question names by
        # its heading, and the sections under it, come first.
        chunk_scores = _favour(index, chunk_scores, named)
    best_chunks = top_k(chunk_scores, options.top_chunks)
    best_chunks, chunk_scores = read_with_subsections(index, best_chunks, chunk_scores)
    context = Context(index, parsed, understanding, query_vector, chunk_scores)
    plan = plan_answer(context)
    if plan is not None:
        return _answer_planned(context, plan, best_chunks)
    units = [
        unit
        for chunk in best_chunks
        for unit in index.chunk_units[chunk]
        if not (scope and index.unit_texts[unit] in already_quoted)
    ]
    scored = score_units(
        index, units, parsed.terms, query_vector, chunk_scores,
        prefer_figures=parsed.asks_figures, expansions=understanding.expansions,
        bonus=intent_bonus(context),
    )
    chosen = select_evidence(index, scored, options.max_quotes)
    support = assess_support(index, parsed, query_vector, chosen, understanding.covered,
                             understanding.related_only, options.lexicon_credit)
    if scope and chosen:
        support = replace(support, answered=True, confidence=max(support.confidence, 0.5))
    elif chosen and not support.answered and not support.missing_names and _intent_vouches(
        context, chosen[0]
    ):
        # "How many people has he coached?": a leadership question, and the best quote
        # holds a leadership cue ("mentored"), though the words differ.
        support = replace(support, answered=True, confidence=max(support.confidence, 0.5))
    if not support.answered:
        return _declined(context, best_chunks, support.missing_names or support.missing[:3],
                         support.confidence, support.missing)
    citations = tuple(_citation(index, n, item) for n, item in enumerate(chosen, start=1))
    figures = _figure_rows(citations) if parsed.asks_figures else ()
    return Answer(
        question=parsed.text,
        answered=True,
        text=answer_text(citations, figures, support.missing_names),
        citations=citations,
        confidence=support.confidence,
        figures=figures,
        missing=support.missing,
        intent=understanding.intent_name,
    )


def _intent_vouches(context: Context, best: Evidence) -> bool:
    """The question has an intent with cue words, and the best quote holds one."""
    spec = context.understanding.intent.spec
    return (spec is not None and spec.answer != "decline" and bool(spec.cues)
            and best.unit in units_with_cues(context.index, spec.cues))


def _answer_planned(context: Context, plan: Plan, best_chunks: Sequence[int]) -> Answer:
    """An answer (or a decline by name) chosen by the question's intent."""
    index, parsed, understanding = context.index, context.question, context.understanding
    missing = missing_words(index, parsed, understanding.covered)
    names = tuple(word for word in missing if word.lower() in parsed.names)
    if plan.missing_topic or not plan.evidence or names:
        # Something the portfolio does not say: by name, or a name it never uses
        # ("Does she speak Spanish?"), which no quote of a kind of section answers.
        return _declined(context, best_chunks, names or missing[:3], 0.0, missing,
                         topic=None if names else plan.missing_topic)
    citations = tuple(_citation(index, n, item) for n, item in enumerate(plan.evidence, 1))
    figures = _figure_rows(citations, limit=2 * MAX_FIGURE_ROWS) if plan.figures else ()
    return Answer(
        question=parsed.text,
        answered=True,
        text=answer_text(citations, figures, (), listed=plan.listed,
                         titled=frozenset(c.n for c, item in zip(citations, plan.evidence,
                                                                   strict=True)
                                          if item.unit in plan.titled)),
        citations=citations,
        confidence=max(0.5, min(1.0, understanding.intent.similarity)),
        figures=figures,
        missing=missing,
        intent=understanding.intent_name,
        timeline=(build_timeline(index.roles, index.undated_roles)
                  if context.spec.timeline else None),
    )


def _declined(
    context: Context,
    best_chunks: Sequence[int],
    named: Sequence[str],
    confidence: float,
    missing: Sequence[str],
    topic: str | None = None,
) -> Answer:
    """A decline that names what is missing and shows the closest quotes as such."""
    index = context.index
    related = tuple(
        _citation(index, n, item)
        for n, item in enumerate(_closest(context, best_chunks, topic is not None), start=1)
    )
    suggestions = _suggestions(index, best_chunks)
    return Answer(
        question=context.question.text,
        answered=False,
        text=decline_text(named, suggestions, related, topic),
        confidence=min(confidence, 0.2),
        missing=tuple(missing),
        suggestions=suggestions,
        related=related,
        intent=context.understanding.intent_name,
    )


def _closest(context: Context, best_chunks: Sequence[int], to_contact: bool) -> list[Evidence]:
    """The quotes nearest the question; for a topic the portfolio leaves out (a
    location, salary), only the way to ask the person (a contact quote): other quotes
    would be near in words and unrelated in meaning."""
    index = context.index
    if to_contact:
        # An email first: it is how a recruiter asks; then a phone number or a link.
        reach = (sorted(typed_units(index, ("email",)))
                 or sorted(typed_units(index, ("phone", "url"))))
        pointer = context.rank(reach or units_of_kinds(index, ("contact",)))[:1]
        if pointer:
            return pointer
    units = [unit for chunk in best_chunks for unit in index.chunk_units[chunk]]
    return select_evidence(index, context.rank(units), RELATED_QUOTES)


def _favour(index: SearchIndex, chunk_scores: np.ndarray, named: Sequence[int]) -> np.ndarray:
    """Scores that put the named chunks and their subsections above every other chunk."""
    favoured = np.zeros(len(index.chunks), dtype=bool)
    for chunk in named:
        favoured[chunk] = True
        favoured[list(index.child_chunks[chunk])] = True
    return np.where(favoured, 0.5 + 0.5 * chunk_scores, 0.5 * chunk_scores)


def read_with_subsections(
    index: SearchIndex, best_chunks: Sequence[int], chunk_scores: np.ndarray
) -> tuple[list[int], np.ndarray]:
    """A thin section that ranks (a role's title and dates line) is read with the
    sections under it (its achievements), which rank as high as it does."""
    chosen = list(best_chunks)
    scores = chunk_scores
    for chunk in best_chunks:
        size = sum(len(index.unit_texts[unit]) for unit in index.chunk_units[chunk])
        if size > THIN_SECTION_CHARS or not index.child_chunks[chunk]:
            continue
        if scores is chunk_scores:
            scores = chunk_scores.copy()
        for child in index.child_chunks[chunk]:
            scores[child] = max(scores[child], scores[chunk])
            if child not in chosen:
                chosen.append(child)
    return chosen, scores


def _citation(index: SearchIndex, n: int, item: Evidence) -> Citation:
    chunk = index.chunks[item.chunk]
    return Citation(
        n=n,
        id=chunk.section_id,
        title=chunk.title,
        path=chunk.path,
        quote=index.unit_texts[item.unit],
        source=f"{chunk.source}:{chunk.lines[0]}-{chunk.lines[1]}",
        url=f"{chunk.url}#{chunk.anchor}" if chunk.url else None,
    )


def _figure_rows(
    citations: Sequence[Citation], limit: int = MAX_FIGURE_ROWS
) -> tuple[FigureRow, ...]:
    rows: list[FigureRow] = []
    keys: list[FigureKey] = []
    for citation in citations:
        for figure in extract_figures(citation.quote):
            key = figure_key(figure)
            if not any(same_figure(key, seen) for seen in keys):
                keys.append(key)
                rows.append(FigureRow(figure=figure.figure, measure=figure.measure, n=citation.n))
    return tuple(rows[:limit])


def _suggestions(index: SearchIndex, best_chunks: Sequence[int]) -> tuple[Suggestion, ...]:
    seen: dict[str, Suggestion] = {}
    for at in best_chunks:
        chunk = index.chunks[at]
        seen.setdefault(
            chunk.section_id, Suggestion(id=chunk.section_id, title=chunk.title, path=chunk.path)
        )
    return tuple(seen.values())[:SUGGESTIONS]
