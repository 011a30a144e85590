"""Turning chosen evidence into the answer's Markdown. Adds no words but a fixed frame."""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus_index.records import PATH_SEPARATOR

from .records import Citation, FigureRow, Suggestion

FRAME = "From the portfolio:"
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown syntax so a quote renders exactly as written."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def marker(n: int) -> str:
    """The citation marker placed after a quote."""
    return f"[{n}]"


def answer_text(
    citations: Sequence[Citation],
    figures: Sequence[FigureRow],
    missing: Sequence[str],
    titled: frozenset[int] = frozenset(),
    listed: Sequence[str] = (),
) -> str:
    """Quotes with their markers, an optional figures table, and what was not found.

    The citations numbered in `titled` lead with their section's heading (a role's
    title before its dates); `listed` names the items a list question asked for, as
    the corpus writes them.
    """
    lines = [FRAME, ""]
    if listed:
        lines += ["Named: " + " · ".join(escape_markdown(name) for name in listed), ""]
    lines += [
        f"- {_title(c) if c.n in titled else ''}“{escape_markdown(c.quote)}” {marker(c.n)}"
        for c in citations
    ]
    if figures:
        lines += ["", "| Figure | What it measures | Source |", "| --- | --- | --- |"]
        lines += [
            f"| {escape_markdown(row.figure)} | {escape_markdown(row.measure)} | {marker(row.n)} |"
            for row in figures
        ]
    if missing:
        lines += ["", f"The portfolio does not mention {_listed(missing)}."]
    return "\n".join(lines)


def _title(citation: Citation) -> str:
    return f"**{escape_markdown(citation.title)}**: "


CLOSEST = "Not stated; closest passages (they do not answer the question):"


def decline_text(
    missing: Sequence[str],
    suggestions: Sequence[Suggestion],
    related: Sequence[Citation] = (),
    topic: str | None = None,
) -> str:
    """The plain decline, naming what is missing (`topic`, or the question's words),
    with the closest quotes and sections marked as such."""
    if topic:
        lines = [f"The portfolio does not mention {escape_markdown(topic)}."]
    elif missing:
        lines = [f"The portfolio does not say anything about {_listed(missing)}."]
    else:
        lines = ["The portfolio does not say."]
    if related:
        lines += ["", CLOSEST]
        lines += [f"- “{escape_markdown(c.quote)}” {marker(c.n)}" for c in related]
        return "\n".join(lines)
    if suggestions:
        lines += ["", "Closest sections, as suggestions only (they do not answer the question):"]
        lines += [f"- {escape_markdown(PATH_SEPARATOR.join(s.path))}" for s in suggestions]
    return "\n".join(lines)


def _listed(words: Sequence[str]) -> str:
    quoted = [f"“{escape_markdown(word)}”" for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
