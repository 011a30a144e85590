"""Matching words and phrases by their stemmed terms, so "databases" meets "database"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from corpus_index.terms import analyse, tokenize


def phrase_terms(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each phrase as its sequence of stemmed terms (phrases of stop words alone dropped)."""
    return tuple(terms for terms in (tuple(analyse(phrase)) for phrase in phrases) if terms)


def contains_phrase(terms: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether `phrase` occurs in `terms` as a run of consecutive terms."""
    width = len(phrase)
    return any(tuple(terms[at:at + width]) == tuple(phrase)
               for at in range(len(terms) - width + 1))


def contains_any(terms: Sequence[str], phrases: Iterable[Sequence[str]]) -> bool:
    """Whether any of `phrases` occurs in `terms`."""
    return any(contains_phrase(terms, phrase) for phrase in phrases)


def cue_pattern(cues: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for any cue as whole words in lower-cased text, a cue's last word
    taking any ending ("mentor" meets "mentored", "based in" does not meet "usage-based")."""
    alternatives = [
        r"\s+".join(_inflected(word) for word in tokenize(cue)) for cue in cues if tokenize(cue)
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


def _inflected(word: str) -> str:
    """A word with the common English endings ("relocate" -> relocated, relocating)."""
    if word.endswith("e"):
        return re.escape(word[:-1]) + "(?:e|es|ed|er|ers|ing|ion|ions)"
    return re.escape(word) + "(?:s|es|ed|d|ing|er|ers|ship|ment|ments)?"


def cue_keys(cues: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """For each cue, the stemmed content terms a unit must hold to be worth checking."""
    return tuple(tuple(analyse(cue)) for cue in cues)
