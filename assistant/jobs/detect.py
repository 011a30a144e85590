"""Telling a pasted job description from a question typed into the chat."""

from __future__ import annotations

from .cues import has_cue, load_cues, words
from .requirements import has_requirement_part

MIN_LINES = 5
MIN_CHARS = 400
MIN_REQUIREMENT_LINES = 3


def looks_like_job_description(text: str) -> bool:
    """Whether `text` reads as a pasted job description rather than a question.

    It must span several lines (at least 5, or 400 characters over more than one line)
    and state requirements: at least 3 requirement-like lines, or a requirement heading
    with something under it. A question stays a question however long it is.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or (len(lines) < MIN_LINES and len(text) < MIN_CHARS):
        return False
    # Mostly questions, line after line: a recruiter asking, not pasting.
    if sum(line.endswith("?") for line in lines) * 2 > len(lines):
        return False
    requirement_like = load_cues().sentences.requirement_like
    if sum(has_cue(words(line), requirement_like) for line in lines) >= MIN_REQUIREMENT_LINES:
        return True
    return has_requirement_part(text)
