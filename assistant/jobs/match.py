"""Match a job description to the portfolio: for each requirement, the portfolio's own
cited evidence, a partial match that says what is missing, or "not mentioned".

Each requirement is asked as a question of the same answer engine (intents, aliases,
lexicon, answer types), all embedded in one batch. A requirement is `evidence` only
when the quotes show it: a number of years needs a quote stating as many, a degree a
quote naming one, and a named technology a quote naming it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..answer import answer_parsed
from ..question import Question, parse_question
from ..records import Answer, Citation
from ..search_index import SearchIndex
from ..support import missing_words
from ..understand.answer_types import holds
from ..understand.understanding import understand
from .errors import NoRequirements
from .requirements import Requirement, extract_requirements

Status = Literal["evidence", "related", "absent"]
MAX_CHARS = 20_000  # a job description, pasted or attached
MAX_REQUIREMENT_CHARS = 1_000
STRONG = 0.6  # an answer's confidence from which its quotes count as evidence
_YEARS = re.compile(r"(\d+)\s*\+?\s*(?:or more\s+)?years?", re.IGNORECASE)
_DEGREE_ASKED = re.compile(
    r"\b(?:degree|bachelor|master|ph\.?d|b\.?s\.?c?|m\.?s\.?c?|diploma)\b", re.IGNORECASE)


class RequirementMatch(BaseModel):
    """One requirement, its status and the quotes behind it."""

    model_config = ConfigDict(frozen=True)

    text: str
    kind: Literal["must", "nice", "unknown"]
    status: Status
    citations: tuple[Citation, ...] = ()
    note: str | None = None


class MatchReport(BaseModel):
    """Every requirement of one job description, matched."""

    model_config = ConfigDict(frozen=True)

    requirements: tuple[RequirementMatch, ...]

    def summary(self) -> dict[str, int]:
        """How many requirements have each status."""
        counts = {"evidence": 0, "related": 0, "absent": 0}
        for item in self.requirements:
            counts[item.status] += 1
        return counts

    def to_json_dict(self) -> dict:
        """The public JSON shape of `match --json` and `POST /api/match`."""
        return {
            "requirements": [
                {"text": r.text, "kind": r.kind, "status": r.status,
                 "citations": [c.model_dump(mode="json") for c in r.citations],
                 "note": r.note}
                for r in self.requirements
            ],
            "summary": self.summary(),
        }


def match_job(text: str, index: SearchIndex) -> MatchReport:
    """Match every requirement of a job description.

    Raises:
        NoRequirements: the text is empty, too long, or states no requirement.
    """
    if not text.strip():
        raise NoRequirements("the job description is empty: paste its text or attach a file")
    if len(text) > MAX_CHARS:
        raise NoRequirements(
            f"the job description is {len(text):,} characters long; the limit is"
            f" {MAX_CHARS:,}: paste the requirements part only")
    requirements = extract_requirements(text)
    if not requirements:
        raise NoRequirements(
            "no requirements found: paste a job description with its requirements"
            " (a list under a heading such as Requirements or What you'll bring)")
    questions = [parse_question(r.plain[:MAX_REQUIREMENT_CHARS], MAX_REQUIREMENT_CHARS)
                 for r in requirements]
    vectors = index.embed_texts([q.text for q in questions])
    return MatchReport(requirements=tuple(
        match_requirement(r, q, index, vector)
        for r, q, vector in zip(requirements, questions, vectors, strict=True)
    ))


def match_requirement(
    requirement: Requirement, question: Question, index: SearchIndex, vector: np.ndarray
) -> RequirementMatch:
    """One requirement's status, quotes and note. Pure, given the index and the vector."""
    result = answer_parsed(question, index, vector)
    understanding = understand(question, vector, index)
    missing = missing_words(index, question, understanding.covered)
    names = [word for word in missing if word.lower() in question.names]
    named = [t.name for t in understanding.technologies]
    status, note = judge(requirement.plain, result, names, named, missing)
    citations = result.citations if status != "absent" else ()
    return RequirementMatch(text=requirement.text, kind=requirement.kind, status=status,
                            citations=_renumbered(citations[:3]), note=note)


def judge(
    text: str, result: Answer, names: Sequence[str], named: Sequence[str],
    missing: Sequence[str],
) -> tuple[Status, str | None]:
    """Evidence, related or absent, and what is missing; never more than the quotes show."""
    if not result.answered:
        if named:
            return "related", f"{_listed(names or missing[:3])} not mentioned"
        return "absent", None
    quotes = [c.quote for c in result.citations]
    if names:
        present = f"; {_listed(named)} {'is' if len(named) == 1 else 'are'}" if named else ""
        return "related", f"{_listed(names)} not mentioned{present}"
    years = [int(found) for found in _YEARS.findall(text)]
    if years:
        stated = [int(found) for quote in quotes for found in _YEARS.findall(quote)]
        if not stated or max(stated) < max(years):
            return "related", f"no quote states {max(years)}+ years"
    if _DEGREE_ASKED.search(text) and not any(holds(quote, "degree") for quote in quotes):
        return "absent", "no degree is mentioned"
    if result.confidence >= STRONG and not missing:
        return "evidence", None
    if missing:
        return "related", f"{_listed(missing[:3])} not mentioned"
    return "related", None


def _listed(words: Sequence[str]) -> str:
    quoted = [f"“{word}”" for word in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _renumbered(citations: Sequence[Citation]) -> tuple[Citation, ...]:
    return tuple(c.model_copy(update={"n": n}) for n, c in enumerate(citations, start=1))
