"""The word cues that steer requirement extraction, loaded once from `cues.yaml`.

A cue is a short phrase; each of its words matches any text word that begins
with it, so one stem ("qualif") covers its inflections without a stemmer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from corpus_index.knowledge_files import read_yaml_model

CUES_PATH = Path(__file__).with_name("cues.yaml")

# Words, numbers and the dollar sign; an apostrophe stays inside a word ("you'll").
_WORD = re.compile(r"\$|[a-z0-9]+(?:'[a-z]+)*")

Cue = tuple[str, ...]


def words(text: str) -> tuple[str, ...]:
    """The lower-cased words of `text`, with typographic apostrophes read as '."""
    return tuple(_WORD.findall(text.lower().replace("’", "'").replace("‘", "'")))


class _CueList(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _phrases(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        for phrase in value:
            if not isinstance(phrase, str) or not words(phrase):
                raise ValueError(f"a cue must be a phrase with at least one word, not {phrase!r}")
        return value


class SectionCues(_CueList):
    """Heading words: which parts hold requirements, of which kind, and which to skip."""

    requirement: tuple[str, ...]
    nice: tuple[str, ...]
    must: tuple[str, ...]
    skip: tuple[str, ...]


class SentenceCues(_CueList):
    """Words inside a bullet or sentence: not a requirement, nice-to-have, or requirement-like."""

    skip: tuple[str, ...]
    nice: tuple[str, ...]
    requirement_like: tuple[str, ...]


class RequirementWords(BaseModel):
    """Whole words of a requirement that a quote need not repeat to show it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    filler: frozenset[str]

    @field_validator("filler", mode="after")
    @classmethod
    def _lower(cls, value: frozenset[str]) -> frozenset[str]:
        return frozenset(word.lower() for word in value)


class JobCues(BaseModel):
    """The whole of `cues.yaml`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sections: SectionCues
    sentences: SentenceCues
    requirement_words: RequirementWords


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_PATH) -> JobCues:
    """The cues in `path`, read and validated once.

    Raises:
        KnowledgeFileError: the file is missing or malformed; the message names file and line.
    """
    return read_yaml_model(path, JobCues)


def has_cue(text_words: tuple[str, ...], cues: Iterable[str]) -> bool:
    """Whether any cue occurs in `text_words`, each cue word matching a word it begins."""
    return first_cue_at(text_words, cues) is not None


def first_cue_at(text_words: tuple[str, ...], cues: Iterable[str]) -> int | None:
    """The index of the first word where any cue begins, or None if none occurs."""
    starts = [at for cue in cues if (at := _first(words(cue), text_words)) is not None]
    return min(starts, default=None)


def is_cue(text_words: tuple[str, ...], cues: Iterable[str]) -> bool:
    """Whether `text_words` is exactly one of the cues (and nothing else)."""
    return any(
        len(cue) == len(text_words) and _first(cue, text_words) == 0 for cue in map(words, cues)
    )


def _first(cue: Cue, text_words: tuple[str, ...]) -> int | None:
    width = len(cue)
    for start in range(len(text_words) - width + 1):
        if all(text_words[start + i].startswith(cue[i]) for i in range(width)):
            return start
    return None
