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
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from corpus_index.terms import analyse

from ..answer import AnswerOptions, answer_parsed
from ..records import Answer, Citation
from ..search.search_index import SearchIndex
from ..support import missing_words
from ..understand.answer_types import holds
from ..understand.question import Question, parse_question
from ..understand.understanding import Understanding, understand
from .asks import (
    covering,
    in_parentheses,
    is_skill_list,
    preferred,
    requirement_asks,
    shown_by,
    unshown,
    used_together,
)
from .cues import load_cues
from .errors import NoRequirements
from .job_file import MAX_CHARS  # one limit, pasted or attached
from .requirements import Requirement, extract_requirements

Status = Literal["evidence", "related", "absent"]
MAX_REQUIREMENT_CHARS = 1_000
STRONG = 0.5  # an answer's confidence from which its quotes may count as evidence
SHOWN = 3  # quotes shown per requirement; evidence must lie in them
CANDIDATES = AnswerOptions(max_quotes=8)  # the engine's best quotes, to pick those from
_DEPTH_ASKED = re.compile(
    r"\b(?:extensive|deep|expert|expertise|advanced|mastery|in-depth|strong)\b", re.IGNORECASE)
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
    # Examples in parentheses ("(e.g., logging, request tracing)") illustrate, filler
    # says how well, and a number of years is judged by `judge` alone ("7+ years" shows
    # "2+ years"): what is asked for is the rest.
    not_asked = (in_parentheses(requirement.plain) | preferred(requirement.plain)
                 | load_cues().requirement_words.filler | _years_words(requirement.plain))
    asks = requirement_asks(requirement.plain, question, not_asked, index.technologies)
    understanding = understand(question, vector, index)
    missing = _missing(index, question, understanding, not_asked)
    names = _names(index, question, understanding, missing, not_asked)
    unwritten = {name.lower() for name in names}
    dropped = asks.excused({ask.word.lower() for ask in asks.words} - unwritten) & unwritten
    if dropped:
        # "TypeScript or a different typed language" on a corpus that never names
        # TypeScript: asked without it, or the engine declines the whole requirement for
        # the one option the corpus cannot show.
        question = parse_question(_without(requirement.plain, dropped)[:MAX_REQUIREMENT_CHARS],
                                  MAX_REQUIREMENT_CHARS)
        vector = index.embed_texts([question.text])[0]
        understanding = understand(question, vector, index)
        missing = _missing(index, question, understanding, not_asked)
        names = _names(index, question, understanding, missing, not_asked)
    result = answer_parsed(question, index, vector, CANDIDATES)
    named = [t.name for t in understanding.technologies]
    read = [" ".join((*c.path, c.quote)) for c in result.citations]
    shown = [shown_by(asks, quote, understanding.expansions, index.technologies)
             for quote in read]
    # The quotes shown are those that together show most of what it asks for.
    picked = covering(shown, limit=SHOWN) or range(min(SHOWN, len(read)))
    picked = _with_years_quote(requirement.plain, list(picked), read)
    shown_by_quotes = tuple(result.citations[at] for at in picked)
    unshown_words = unshown(asks, (shown[at] for at in picked))
    forms = {form.lower() for technology in understanding.technologies
             for form in (*technology.forms, *technology.exact_forms)}
    together = used_together(asks, forms, ((read[at], shown[at]) for at in picked))
    evidence = Evidence(requirement.plain, result, names, named, missing, unshown_words,
                        shown_by_quotes, together is not False)
    status, note = judge(evidence)
    citations = shown_by_quotes if status != "absent" else ()
    return RequirementMatch(text=requirement.text, kind=requirement.kind, status=status,
                            citations=_renumbered(citations[:SHOWN]), note=note)


@dataclass(frozen=True)
class Evidence:
    """What a requirement's answer showed, for `judge`."""

    text: str  # the requirement, plain
    result: Answer
    names: Sequence[str]  # names it uses that the portfolio never does ("Go", "GCP")
    named: Sequence[str]  # technologies of the portfolio it names, by any alias
    missing: Sequence[str]  # its content words the portfolio never uses
    unshown: Sequence[str]  # the words it asks for that its shown quotes do not show
    shown: Sequence[Citation] = ()  # the quotes shown for it, which evidence must lie in
    in_use: bool = True  # a technology it names is shown with what it asks to do with it


def judge(evidence: Evidence) -> tuple[Status, str | None]:
    """Evidence, related or absent, and what is missing; never more than the quotes show."""
    result = evidence.result
    names, named, missing = evidence.names, evidence.named, evidence.missing
    if not result.answered:
        if named:
            return "related", f"{_listed(names or missing[:3])} not mentioned"
        return "absent", f"{_listed(names)} not mentioned" if names else None
    quotes = [c.quote for c in evidence.shown]
    if names and not named:
        return "absent", f"{_listed(names)} not mentioned"
    if names:
        present = f"; {_listed(named)} {'is' if len(named) == 1 else 'are'}"
        return "related", f"{_listed(names)} not mentioned{present}"
    years = [int(found) for found in _YEARS.findall(evidence.text)]
    if years:
        stated = [int(found) for quote in quotes for found in _YEARS.findall(quote)]
        if not stated or max(stated) < max(years):
            return "related", f"no quote states {max(years)}+ years"
    if _DEGREE_ASKED.search(evidence.text) and not any(holds(q, "degree") for q in quotes):
        return "absent", "no degree is mentioned"
    if _DEPTH_ASKED.search(evidence.text) and all(is_skill_list(q) for q in quotes):
        return "related", "named in a list of skills; its depth is not stated"
    if result.confidence >= STRONG and not evidence.unshown:
        if not evidence.in_use:
            return "related", "named in a list of skills, not in what it was used for"
        return "evidence", None
    if missing:
        return "related", f"{_listed(missing[:3])} not mentioned"
    if evidence.unshown:
        return "related", f"the quotes do not show {_listed(evidence.unshown[:3])}"
    return "related", "the quotes use its words, but none states it as asked"


def _missing(index: SearchIndex, question: Question, understanding: Understanding,
             not_asked: frozenset[str]) -> list[str]:
    """The asked words, as typed, that the corpus never uses (nor reaches by alias, nor,
    for a kind of skill such as "cloud", by naming a technology of that kind)."""
    kinds = {kind for technology in index.knowledge.technologies
             for kind in technology.categories}
    return [word for word in missing_words(index, question, understanding.covered)
            if word.lower().strip(".") not in not_asked
            and not kinds.intersection(index.technologies.categories_named(word))]


def _names(index: SearchIndex, question: Question, understanding: Understanding,
           missing: Sequence[str], not_asked: frozenset[str]) -> list[str]:
    """The asked words written as names ("Go", "GCP") that the corpus never writes (or
    that are `missing` from it), and that no technology the corpus names stands for."""
    return [word for word in dict.fromkeys([*missing, *_names_not_written(index, question)])
            if word.lower() in question.names and word.lower() not in not_asked
            and not any(word.lower() in (f.lower() for f in t.forms + t.exact_forms)
                        for t in understanding.technologies)]


def _without(text: str, words: frozenset[str]) -> str:
    """`text` with each of `words` (lower-cased) taken out where it stands as a word."""
    for word in words:
        text = re.sub(rf"(?<![\w.+#-]){re.escape(word)}(?![\w+#])", "", text,
                      flags=re.IGNORECASE)
    return text


def _with_years_quote(text: str, picked: list[int], read: Sequence[str]) -> list[int]:
    """`picked`, with the first quote stating as many years as the requirement asks for
    in place of the last one, when none picked states them: the years are asked too."""
    asked = [int(found) for found in _YEARS.findall(text)]
    if not asked:
        return picked
    states = [at for at, quote in enumerate(read)
              if any(int(found) >= max(asked) for found in _YEARS.findall(quote))]
    if not states or any(at in picked for at in states):
        return picked
    return sorted([*picked[:SHOWN - 1], states[0]])


def _years_words(text: str) -> frozenset[str]:
    """The words of a number of years ("2+", "years") the requirement writes, lower-cased."""
    return frozenset(word.lower() for match in _YEARS.finditer(text)
                     for word in re.findall(r"[\w.+#-]+", match.group(0)))


def _names_not_written(index: SearchIndex, question: Question) -> list[str]:
    """Words the requirement writes as names ("Go") that no quote writes that way: the
    corpus's "go-to-market" does not make it mention Go."""
    words = re.findall(r"[\w.+#-]+", question.text)
    return [word.strip(".") for at, word in enumerate(words)
            if at and word[:1].isupper() and word.strip(".").lower() in question.names
            and not _written(index, word.strip("."))]


def _written(index: SearchIndex, word: str) -> bool:
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    candidates = index.term_units.get((analyse(word) or [""])[0], ())
    return any(pattern.search(index.unit_texts[u]) for u in candidates)


def _listed(words: Sequence[str]) -> str:
    quoted = [f"“{word}”" for word in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _renumbered(citations: Sequence[Citation]) -> tuple[Citation, ...]:
    return tuple(c.model_copy(update={"n": n}) for n, c in enumerate(citations, start=1))
