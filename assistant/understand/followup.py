"""Follow-up questions ("tell me more", "what stack did it use?") against the previous turn."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Answer
from .index_view import ChunksView
from .question import Question


def topic_of(path: Sequence[str]) -> tuple[str, ...]:
    """The unit a follow-up talks about: a sub-section's parent (a case study, a role),
    or the section itself when it is not nested that deep."""
    return tuple(path[:-1]) if len(path) >= 3 else tuple(path)


def previous_turn(history: Sequence[Answer]) -> Answer | None:
    """The last turn that pointed at sections (its citations or suggestions)."""
    for turn in reversed(history):
        if turn.citations or turn.suggestions:
            return turn
    return None


def context_chunks(
    index: ChunksView,
    question: Question,
    history: Sequence[Answer],
) -> tuple[list[int], str | None, set[str]]:
    """Chunks a follow-up may draw on, the previous question, and the quotes already given.

    Empty when the question stands on its own.
    """
    turn = previous_turn(history)
    if turn is None or not question.leans_on_context:
        return [], None, set()
    pointed = [c.path for c in turn.citations] or [s.path for s in turn.suggestions[:1]]
    topics = {topic_of(path) for path in pointed}
    chunks = [
        at
        for at, chunk in enumerate(index.chunks)
        if any(tuple(chunk.path[: len(topic)]) == topic for topic in topics)
    ]
    return chunks, turn.question, {c.quote for c in turn.citations}
