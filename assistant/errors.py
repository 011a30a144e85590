"""Errors the assistant reports to a user instead of answering."""

from corpus_index.errors import EmbedderUnavailable, IndexDamaged, IndexIncompatible, IndexMissing


class QuestionRejected(ValueError):
    """The question is empty, too long, or not text."""


__all__ = [
    "EmbedderUnavailable",
    "IndexDamaged",
    "IndexIncompatible",
    "IndexMissing",
    "QuestionRejected",
]
