"""Errors raised while reading a job description from a file."""

from __future__ import annotations


class JobFileError(ValueError):
    """A job description file cannot be read as text: wrong kind, unreadable, or too long."""


class NoRequirements(ValueError):
    """A text holds no requirement to match (a poem, a single question, an empty text)."""
