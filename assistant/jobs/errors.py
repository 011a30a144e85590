"""Errors raised while reading a job description from a file."""

from __future__ import annotations


class JobFileError(ValueError):
    """A job description file cannot be read as text: wrong kind, unreadable, or too long."""
