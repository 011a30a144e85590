"""`answer(question, index, history)`: the one function every front end calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .compose import answer_text, decline_text
from .evidence import MAX_QUOTES, Evidence, score_units, select_evidence
from .figures import extract_figures
from .followup import context_chunks
from .question import Question, asked_part, parse_question
from .records import Answer, Citation, FigureRow, Suggestion
from .retrieval import DEFAULT_ALPHA, Fusion, Mode, rank_chunks, top_k
from .search_index import SearchIndex
from .support import assess_support

TOP_CHUNKS = 4
SUGGESTIONS = 3
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
    scope, previous_question, quoted = context_chunks(index, parsed, history)
    query_text = f"{previous_question} {parsed.text}" if scope else parsed.text
    query_vector = index.embed_query(query_text)
    return answer_parsed(parsed, index, query_vector, options, scope, quoted)


def answer_parsed(
    parsed: Question,
    index: SearchIndex,
    query_vector: np.ndarray,
    options: AnswerOptions = AnswerOptions(),
    scope: Sequence[int] = (),
    already_quoted: set[str] | frozenset[str] = frozenset(),
) -> Answer:
    """The pure core of `answer`, once the question is parsed and embedded."""
    chunk_scores = rank_chunks(
        index, parsed.terms, query_vector, options.mode, options.fusion, options.alpha
    )
    if scope:
        # A follow-up: its topic is the previous turn's, ranked among themselves.
        in_scope = np.zeros(len(index.chunks), dtype=bool)
        in_scope[list(scope)] = True
        chunk_scores = np.where(in_scope, 0.5 + 0.5 * chunk_scores, 0.0)
    best_chunks = top_k(chunk_scores, options.top_chunks)
    best_chunks, chunk_scores = read_with_subsections(index, best_chunks, chunk_scores)
    units = [
        unit
        for chunk in best_chunks
        for unit in index.chunk_units[chunk]
        if not (scope and index.unit_texts[unit] in already_quoted)
    ]
    scored = score_units(
        index, units, parsed.terms, query_vector, chunk_scores, prefer_figures=parsed.asks_figures
    )
    chosen = select_evidence(index, scored, options.max_quotes)
    support = assess_support(index, parsed, query_vector, chosen)
    if scope and chosen:
        support = replace(support, answered=True, confidence=max(support.confidence, 0.5))
    if not support.answered:
        suggestions = _suggestions(index, best_chunks)
        return Answer(
            question=parsed.text,
            answered=False,
            text=decline_text(support.missing_names or support.missing[:3], suggestions),
            confidence=support.confidence,
            missing=support.missing,
            suggestions=suggestions,
        )
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
    )


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


def _figure_rows(citations: Sequence[Citation]) -> tuple[FigureRow, ...]:
    rows = [
        FigureRow(figure=figure.figure, measure=figure.measure, n=citation.n)
        for citation in citations
        for figure in extract_figures(citation.quote)
    ]
    return tuple(rows[:MAX_FIGURE_ROWS])


def _suggestions(index: SearchIndex, best_chunks: Sequence[int]) -> tuple[Suggestion, ...]:
    seen: dict[str, Suggestion] = {}
    for at in best_chunks:
        chunk = index.chunks[at]
        seen.setdefault(
            chunk.section_id, Suggestion(id=chunk.section_id, title=chunk.title, path=chunk.path)
        )
    return tuple(seen.values())[:SUGGESTIONS]
