"""The corpus says what the portfolio says: no word added, dropped or reworded.

`portfolio.txt` (in ../shared, beside the repository) is the owner's page as
plain text. The corpus re-lays it out as Markdown: headings, lists, tag lists
joined on one line with ", " and job facts joined with " · ", a "Technologies:"
label before a tag list, and two added headings. Everything else must be the
owner's lines, whole.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import REAL_CORPUS, SHARED_PORTFOLIO
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

if not SHARED_PORTFOLIO.is_file():
    pytest.skip(
        f"{SHARED_PORTFOLIO} is absent (../shared is not part of a user's clone):"
        " nothing to compare the corpus with",
        allow_module_level=True,
    )

# Page furniture the corpus may leave out (see ../shared/source/README.md).
FURNITURE = {"01", "02", "03", "04", "Build Scalable Systems Together"}
ADDED_HEADINGS = {"Headline Figures", "Contact"}
LABEL = "Technologies: "
SEPARATORS = (", ", " · ")
CORPUS_FILES = sorted(REAL_CORPUS.glob("*.md"))


def normalise(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=1)
def source_lines() -> tuple[str, ...]:
    """The portfolio's lines, bullets dropped, whitespace normalised, blank lines skipped."""
    text = SHARED_PORTFOLIO.read_text(encoding="utf-8")
    lines = (normalise(re.sub(r"^\s*•\s*", "", line)) for line in text.splitlines())
    return tuple(line for line in lines if line)


@lru_cache(maxsize=1)
def longest_first() -> tuple[str, ...]:
    return tuple(sorted(set(source_lines()), key=len, reverse=True))


def decompose(text: str) -> list[str] | None:
    """`text` as whole source lines joined by separators, longest line first; None if it isn't.

    Longest first keeps "AWS (EC2, RDS, S3)" whole rather than stopping at "AWS".
    """
    if not text:
        return []
    for line in longest_first():
        if not text.startswith(line):
            continue
        rest = text[len(line) :]
        if not rest:
            return [line]
        for separator in SEPARATORS:
            if rest.startswith(separator):
                tail = decompose(rest[len(separator) :])
                if tail is not None:
                    return [line, *tail]
    return None


def _segments(inline: Token) -> list[str]:
    """Plain text of one line of Markdown, cut where bold starts or ends ("**6+** Years")."""
    segments = [""]
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            segments[-1] += child.content
        elif child.type in ("strong_open", "strong_close", "softbreak", "hardbreak"):
            segments.append("")
    return [normalise(segment) for segment in segments if normalise(segment)]


def corpus_lines(path: Path) -> list[tuple[int, bool, list[str]]]:
    """(line number, is a heading, text segments) for every line of text in a corpus file."""
    tokens = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .parse(path.read_text(encoding="utf-8"))
    )
    found = []
    for at, token in enumerate(tokens):
        if token.type == "inline":
            heading = tokens[at - 1].type == "heading_open"
            found.append((token.map[0] + 1, heading, _segments(token)))
    return found


def pieces(path: Path) -> list[tuple[str, str | None, list[str] | None]]:
    """(where, segment, its source lines or None) for every segment a corpus file shows."""
    out = []
    for line, heading, segments in corpus_lines(path):
        if heading and segments == [s for s in segments if s in ADDED_HEADINGS]:
            continue
        for segment in segments:
            text = segment.removeprefix(LABEL)
            out.append((f"{path.name}:{line}", text, decompose(text)))
    return out


def test_the_checker_keeps_source_lines_with_commas_whole():
    assert decompose("Docker, Kubernetes, AWS (EC2, RDS, S3), GitHub Actions") == [
        "Docker",
        "Kubernetes",
        "AWS (EC2, RDS, S3)",
        "GitHub Actions",
    ]
    assert decompose("SaaS Labs · Oct 2023 - Present · 2+ years") == [
        "SaaS Labs",
        "Oct 2023 - Present",
        "2+ years",
    ]


@pytest.mark.parametrize(
    "invented",
    [
        "Docker, Kubernetes, Terraform",  # a tag the owner never listed
        "SaaS Labs · Oct 2023 - Present · 3+ years",  # a reworded fact
        "Docker Kubernetes",  # joined without a separator
        "AWS (EC2, RDS)",  # part of a source line
    ],
)
def test_the_checker_rejects_what_the_owner_did_not_write(invented):
    assert decompose(invented) is None


def test_the_checker_finds_a_reworded_line_in_a_corpus_file(tmp_path):
    edited = tmp_path / "skills.md"
    text = (REAL_CORPUS / "skills.md").read_text(encoding="utf-8")
    edited.write_text(text.replace("Kafka, MongoDB", "Kafka, RabbitMQ, MongoDB"), encoding="utf-8")
    strays = [(where, text) for where, text, lines in pieces(edited) if lines is None]
    assert strays == [
        (
            "skills.md:13",
            "PostgreSQL, Query Optimization, Redis, Kafka, RabbitMQ, MongoDB, Indexing Strategies",
        )
    ]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_every_corpus_line_is_made_of_whole_source_lines(path):
    strays = [(where, text) for where, text, lines in pieces(path) if lines is None]
    assert strays == []


def test_every_source_line_is_in_the_corpus_as_often_as_in_the_portfolio():
    shown = Counter(
        line for path in CORPUS_FILES for _, _, lines in pieces(path) for line in lines or ()
    )
    wanted = Counter(line for line in source_lines() if line not in FURNITURE)
    assert shown - wanted == Counter(), "in the corpus more often than in the portfolio"
    assert wanted - shown == Counter(), "dropped from the corpus"


def test_only_the_allowed_headings_were_added():
    added = {
        segment
        for path in CORPUS_FILES
        for _, heading, segments in corpus_lines(path)
        if heading
        for segment in segments
        if segment not in source_lines()
    }
    assert added == ADDED_HEADINGS
