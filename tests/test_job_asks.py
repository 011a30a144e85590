"""What a job requirement asks for, and which of it a set of quotes shows
(`assistant.jobs.asks`): examples, filler and "or" alternatives are not asked for; a
kind of skill is shown by a technology of that kind; the quotes shown are those that
together show the most; every verdict short of evidence says why."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.jobs.asks import (
    Asks,
    choices_in,
    covering,
    requirement_asks,
    shown_by,
    unshown,
    used_together,
)
from assistant.jobs.cues import load_cues
from assistant.jobs.match import Evidence, judge
from assistant.records import Answer, Citation
from assistant.understand.question import parse_question
from assistant.understand.technologies import TechnologyFinder, form_pattern
from corpus_index.knowledge import Technology

AWS = Technology(name="Amazon Web Services", forms=("Amazon Web Services", "AWS"),
                 categories=("cloud",), in_corpus=("AWS",))
TYPESCRIPT = Technology(name="TypeScript", forms=("TypeScript",),
                        categories=("programming_language",), in_corpus=("TypeScript",))
FINDER = TechnologyFinder(
    patterns=tuple((t, form_pattern(t.forms)) for t in (AWS, TYPESCRIPT)),
    category_phrases={"cloud": (("cloud", ("cloud",)), ("cloud", ("cloud", "platform"))),
                      "program": (("programming_language", ("program", "languag")),)},
)
FILLER = load_cues().requirement_words.filler


def _shown(asks: Asks, quotes: Sequence[str], expansions=None) -> list[frozenset[str]]:
    return [shown_by(asks, quote, expansions or {}, FINDER) for quote in quotes]


def _pairs(asks: Asks, quotes: Sequence[str]) -> list[tuple[str, frozenset[str]]]:
    return list(zip(quotes, _shown(asks, quotes), strict=True))


def _unshown(requirement: str, *quotes: str) -> tuple[str, ...]:
    asks = requirement_asks(requirement, parse_question(requirement), FILLER, FINDER)
    return unshown(asks, _shown(asks, quotes))


def test_every_asked_word_must_be_shown_by_some_quote() -> None:
    assert _unshown("Experience securing billing systems",
                    "Built billing systems.") == ("securing",)
    assert _unshown("Experience securing billing systems",
                    "Built billing systems.", "Led work securing signups.") == ()


def test_examples_in_parentheses_and_filler_are_not_asked_for() -> None:
    assert _unshown("Solid understanding of tracing (e.g., Jaeger, Zipkin).",
                    "Implemented distributed tracing.") == ()


@pytest.mark.parametrize("quote, missing", [
    ("TypeScript, Node.js", ()),  # the first option is enough ...
    ("Wrote tools in Go, a programming language", ()),  # ... and so is the second
    ("Node.js, Express", ("TypeScript", "programming", "language")),
])
def test_one_of_two_alternatives_is_enough(quote: str, missing: tuple[str, ...]) -> None:
    assert _unshown("Familiarity with TypeScript or a different typed programming language.",
                    quote) == missing


def test_a_kind_of_skill_is_shown_by_a_technology_of_that_kind() -> None:
    assert _unshown("Deploying services to cloud providers", "Deployed services on AWS.",
                    "Worked with providers.") == ()
    assert _unshown("Deploying services to cloud providers", "Deployed services.",
                    "Worked with providers.") == ("cloud",)


def test_a_related_word_is_not_the_word_itself() -> None:
    requirement = "Experience load testing distributed systems."
    asks = requirement_asks(requirement, parse_question(requirement), FILLER, FINDER)
    expansions = {"test": (("check", 0.6),)}  # the lexicon: related, not the same word
    quotes = ("Deployed load balancers and health checking for distributed systems.",)
    assert unshown(asks, _shown(asks, quotes, expansions)) == ("testing",)
    same = {"test": (("check", 1.0),)}  # an alias or a lemma stands for the word
    assert unshown(asks, _shown(asks, quotes, same)) == ()


def test_the_quotes_picked_together_show_the_most_and_keep_their_order() -> None:
    requirement = "Experience with billing, fraud detection and onboarding"
    asks = requirement_asks(requirement, parse_question(requirement), FILLER, FINDER)
    quotes = ["Owned billing.", "Billing and onboarding systems.", "Unrelated work.",
              "Fraud detection for signups."]
    assert covering(_shown(asks, quotes), limit=3) == (1, 3)
    assert covering(_shown(asks, quotes), limit=1) == (1,)
    assert covering(_shown(asks, ["Nothing here."]), limit=3) == ()


@pytest.mark.parametrize("requirement", [
    "Experience on small teams, preferably tech startups.",
    "Experience on small teams (startups preferred).",
    "Experience on small and/or distributed teams.",
])
def test_a_preference_and_and_or_are_not_asked_for(requirement: str) -> None:
    assert _unshown(requirement, "Worked on small teams.") == ()


@pytest.mark.parametrize("requirement, asked, choices", [
    ("Familiarity with TypeScript or a different typed programming language.",
     {"typescript", "programming", "language"}, [{"typescript"}, {"programming", "language"}]),
    ("Professional experience using Python, Java, or Scala for data processing",
     {"professional", "python", "java", "scala", "data", "processing"},
     [{"python"}, {"java"}, {"scala"}]),
    # a clause before the list is not one more option
    ("Experience with Kafka, and a degree in CS or related field.",
     {"kafka", "degree", "cs", "field"}, [{"cs"}, {"field"}]),
    ("Published blog posts and/or tech talks about your work.",
     {"published", "blog", "posts", "tech", "talks", "work"},
     [{"published", "blog", "posts"}, {"tech", "talks"}]),
    ("Experience with Postgres and Redis.", {"postgres", "redis"}, None),
])
def test_the_options_around_an_or(requirement: str, asked: set[str],
                                   choices: list[set[str]] | None) -> None:
    found = choices_in(requirement, asked)
    assert found == (() if choices is None else (tuple(frozenset(c) for c in choices),))


def _citation(quote: str) -> Citation:
    return Citation(n=1, id="s", title="T", path=("T",), quote=quote, source="a.md:1")


def _verdict(answered: bool, confidence: float, names=(), named=(), missing=(), unshown=(),
             quotes=("Designed security infrastructure.",)) -> tuple[str, str | None]:
    shown = tuple(_citation(q) for q in quotes)
    result = Answer(question="q", answered=answered, text="", citations=shown,
                    confidence=confidence)
    return judge(Evidence("Requirement", result, names, named, missing, unshown, shown))


def test_every_verdict_short_of_evidence_says_why() -> None:
    assert _verdict(False, 0.1, names=["Golang", "Rust"]) == (
        "absent", "“Golang” and “Rust” not mentioned")
    assert _verdict(True, 0.9, unshown=["testing"]) == (
        "related", "the quotes do not show “testing”")
    assert _verdict(True, 0.3) == (
        "related", "the quotes use its words, but none states it as asked")
    assert _verdict(True, 0.9) == ("evidence", None)


def test_a_number_of_years_must_be_stated_by_a_quote_shown() -> None:
    def years(requirement: str, quote: str) -> str:
        shown = (_citation(quote),)
        result = Answer(question="q", answered=True, text="", citations=shown, confidence=0.9)
        return judge(Evidence(requirement, result, (), (), (), (), shown))[0]

    assert years("5+ years of backend work", "6+ years architecting backend platforms") == (
        "evidence")
    assert years("5+ years of backend work", "2 years of backend work") == "related"


def test_a_technology_in_a_skills_list_is_not_shown_doing_what_is_asked() -> None:
    requirement = "Cloud infrastructure automation using TypeScript"
    asks = requirement_asks(requirement, parse_question(requirement), FILLER, FINDER)
    skills = "TypeScript, Node.js, NestJS, Infrastructure as Code, AWS"
    sentence = "Built infrastructure automation in TypeScript on AWS."
    assert used_together(asks, {"typescript"}, _pairs(
        asks, [skills, "Automated cloud infrastructure."])) is False
    assert used_together(asks, {"typescript"}, _pairs(asks, [skills, sentence])) is True
    # Nothing asked besides the technology: a skills list is enough.
    only = "Familiarity with TypeScript."
    only_asks = requirement_asks(only, parse_question(only), FILLER, FINDER)
    assert used_together(only_asks, {"typescript"}, _pairs(only_asks, [skills])) is None


def test_a_word_names_a_kind_of_skill_only_in_a_whole_phrase_for_it() -> None:
    finder = TechnologyFinder(patterns=FINDER.patterns, category_phrases={
        **FINDER.category_phrases, "test": (("testing", ("test", "autom")),)})
    for requirement, kinds in [("Test automation for cloud services", {"testing", "cloud"}),
                               ("Infrastructure automation", set())]:
        asks = requirement_asks(requirement, parse_question(requirement), FILLER, finder)
        assert {kind for ask in asks.words for kind in ask.kinds} == kinds
