"""`python -m assistant ask`, in-process, against a tiny index built with the fake embedder.

The fake embedder's similarities are random, so these tests assert only what
follows from the words: a key term held by exactly one unit gets that unit
quoted, and a name the corpus never uses is declined by name. A wide fake
vector keeps the random cosines near zero so that the words decide.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FakeEmbedder, build_index

import assistant.cli as cli_module
from assistant.measure.verbatim import quote_in_source
from assistant.search.live_index import LiveIndex

CORPUS = {
    "resume.md": (
        "# Grace Liu\n\n"
        "Mobile engineer who ships offline-first apps.\n\n"
        "## Skills\n\n"
        "Technologies: Kotlin, Swift\n\n"
        "## Experience\n\n"
        "Shipped a banking app used by 2 million customers. Cut cold start time by 40% with"
        " lazy loading. Mentored four junior developers on code review.\n"
    ),
    "projects.md": (
        "---\n"
        "url: https://example.com/projects\n"
        "---\n\n"
        "# Projects\n\n"
        "## Trail Map\n\n"
        "Built a hiking trail map that caches tiles for use without signal.\n"
    ),
}
KOTLIN, RUST = "Has she used Kotlin?", "Does she know Rust?"
KOTLIN_QUOTE = "Technologies: Kotlin, Swift"
ANSWER_KEYS = {"question", "answered", "text", "citations", "confidence", "intent", "related",
               "timeline"}
CITATION_KEYS = {"n", "id", "title", "path", "quote", "source", "url"}


@dataclass(frozen=True)
class Run:
    """What one run of `python -m assistant` returned and printed."""

    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture
def corpus_dir(tmp_path: Path, write_corpus) -> Path:
    return write_corpus(tmp_path / "corpus", CORPUS)


@pytest.fixture
def fake() -> FakeEmbedder:
    return FakeEmbedder(dimension=384)


@pytest.fixture
def index_dir(tmp_path: Path, corpus_dir: Path, fake: FakeEmbedder) -> Path:
    build_index(corpus_dir, tmp_path / "index", fake)
    return tmp_path / "index"


@pytest.fixture
def ask(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake: FakeEmbedder
) -> Callable[..., Run]:
    """`ask(*args)` runs `python -m assistant ask *args` with `fake` as the model."""

    def live_index_with_fake_model(index_dir: Path, **options: object) -> LiveIndex:
        return LiveIndex(index_dir, embedder_factory=lambda name: fake, **options)

    monkeypatch.setattr(cli_module, "LiveIndex", live_index_with_fake_model)

    def run(*args: object) -> Run:
        capsys.readouterr()
        code = cli_module.main(["ask", *(str(arg) for arg in args)])
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def test_json_answer_has_the_public_shape_and_quotes_the_corpus(ask, index_dir, corpus_dir):
    run = ask("--index", index_dir, "--json", KOTLIN)
    assert run.code == 0
    assert run.err == ""
    [reply] = run.json_lines()
    assert set(reply) == ANSWER_KEYS
    assert reply["question"] == KOTLIN
    assert reply["answered"] is True
    assert 0.0 < reply["confidence"] <= 1.0
    assert reply["citations"], reply
    for n, citation in enumerate(reply["citations"], start=1):
        assert set(citation) == CITATION_KEYS
        assert citation["n"] == n
        assert f"“{citation['quote']}” [{n}]" in reply["text"]
        assert quote_in_source(citation["quote"], corpus_dir, citation["source"]), citation
    kotlin = reply["citations"][0]
    assert kotlin["quote"] == KOTLIN_QUOTE
    assert kotlin["path"] == ["Grace Liu", "Skills"]
    assert kotlin["title"] == "Skills"
    assert re.fullmatch(r"resume\.md:\d+-\d+", kotlin["source"])
    assert kotlin["url"] is None


def test_json_citation_links_to_the_page_from_front_matter(ask, index_dir, corpus_dir):
    [reply] = ask("--index", index_dir, "--json", "Did she build a hiking trail map?").json_lines()
    trail = reply["citations"][0]
    assert trail["quote"] == "Built a hiking trail map that caches tiles for use without signal."
    assert trail["url"].startswith("https://example.com/projects#")
    assert quote_in_source(trail["quote"], corpus_dir, trail["source"])


def test_a_name_the_corpus_never_uses_is_declined_by_name(ask, index_dir):
    run = ask("--index", index_dir, "--json", RUST)
    assert run.code == 0
    [reply] = run.json_lines()
    assert set(reply) == ANSWER_KEYS
    assert reply["answered"] is False
    assert reply["citations"] == []
    assert reply["text"].startswith("The portfolio does not say")
    assert "“Rust”" in reply["text"]


def test_several_questions_as_arguments_give_one_line_each(ask, index_dir):
    run = ask("--index", index_dir, "--json", KOTLIN, RUST)
    assert run.code == 0
    replies = run.json_lines()
    assert [reply["question"] for reply in replies] == [KOTLIN, RUST]


def test_stdin_gives_one_json_line_per_question(ask, index_dir, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{KOTLIN}\n\n{RUST}\n"))  # blank line skipped
    run = ask("--index", index_dir, "--json")
    assert run.code == 0
    assert run.err == ""
    replies = run.json_lines()
    assert [reply["question"] for reply in replies] == [KOTLIN, RUST]
    assert [reply["answered"] for reply in replies] == [True, False]
    assert replies[0]["citations"][0]["quote"] == KOTLIN_QUOTE


@pytest.mark.parametrize("json_flag", [["--json"], []])
def test_a_missing_index_is_one_error_line(ask, tmp_path, json_flag):
    run = ask("--index", tmp_path / "nowhere", *json_flag, KOTLIN)
    assert run.code == 1
    assert run.out == ""
    lines = run.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert "python -m ingest" in lines[0]
    assert "Traceback" not in run.err


def test_a_damaged_index_is_one_error_line(ask, index_dir):
    (index_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    run = ask("--index", index_dir, "--json", KOTLIN)
    assert run.code == 1
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith("error: ")
    assert "Traceback" not in run.err


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_in_json_mode_is_an_error_object(ask, index_dir, question):
    run = ask("--index", index_dir, "--json", question)
    assert run.code == 1
    [reply] = run.json_lines()
    assert set(reply) == {"question", "error"}
    assert "empty" in reply["error"]
    assert "Traceback" not in run.err


def test_a_rejected_question_does_not_stop_the_others(ask, index_dir):
    run = ask("--index", index_dir, "--json", "  ", KOTLIN)
    assert run.code == 1
    rejected, answered = run.json_lines()
    assert "error" in rejected
    assert answered["citations"][0]["quote"] == KOTLIN_QUOTE


def test_an_empty_question_in_the_terminal_is_an_error_line(ask, index_dir):
    run = ask("--index", index_dir, "   ")
    assert run.code == 1
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith("error: the question is empty")


def test_terminal_answer_lists_its_sources(ask, index_dir):
    [reply] = ask("--index", index_dir, "--json", KOTLIN).json_lines()
    run = ask("--index", index_dir, KOTLIN)
    assert run.code == 0
    lines = run.out.rstrip("\n").splitlines()
    assert f"- “{KOTLIN_QUOTE}” [1]" in lines
    sources = [line for line in lines if re.match(r"\[\d+\] ", line)]
    assert re.fullmatch(r"\[1\] Grace Liu › Skills — resume\.md:\d+-\d+", sources[0])
    assert sources == [
        f"[{c['n']}] {' › '.join(c['path'])} — {c['url'] or c['source']}"
        for c in reply["citations"]
    ]
    assert re.fullmatch(r"\(confidence \d\.\d\d\)", lines[-1])


def test_terminal_source_is_the_page_url_when_there_is_one(ask, index_dir):
    run = ask("--index", index_dir, "Did she build a hiking trail map?")
    assert re.search(r"^\[1\] Projects › Trail Map — https://example\.com/projects#\S+$",
                     run.out, re.MULTILINE)


def test_terminal_decline_shows_closest_passages_as_such_and_no_confidence(ask, index_dir):
    run = ask("--index", index_dir, RUST)
    assert run.code == 0
    assert run.out.startswith("The portfolio does not say anything about “Rust”.")
    assert "Not stated; closest passages (they do not answer the question):" in run.out
    # Each closest passage names where it is, as a quote of an answer does.
    markers = re.findall(r"” \[(\d+)\]$", run.out, re.MULTILINE)
    sources = re.findall(r"^\[(\d+)\] ", run.out, re.MULTILINE)
    assert markers and markers == sources
    assert "confidence" not in run.out


def test_timeline_draws_the_career_to_a_png_and_says_what_it_drew(
    monkeypatch, capsys, fake, tmp_path, write_corpus
) -> None:
    corpus = write_corpus(tmp_path / "career", {"work.md": (
        "# Work\n\n## Staff Engineer\n\nHarbor Bank · 2021 - Present\n\n"
        "## Engineer\n\nTidewater · Jun 2016 - 2020\n\n## Freelance\n\nVarious clients.\n")})
    build_index(corpus, tmp_path / "career-index", fake)
    monkeypatch.setattr(cli_module, "LiveIndex", lambda index_dir, **options: LiveIndex(
        index_dir, embedder_factory=lambda name: fake, **options))
    out = tmp_path / "timeline.png"
    code = cli_module.main(["timeline", str(out), "--index", str(tmp_path / "career-index")])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert printed.out.splitlines() == [
        "Career timeline: Staff Engineer, 2021 - Present (current); Engineer, Jun 2016 - 2020."
        " Not on the timeline (dates could not be read): Freelance.",
        f"Wrote {out}",
    ]


def test_timeline_without_a_dated_role_says_so_and_writes_nothing(
    monkeypatch, capsys, fake, index_dir, tmp_path
) -> None:
    monkeypatch.setattr(cli_module, "LiveIndex", lambda index_dir, **options: LiveIndex(
        index_dir, embedder_factory=lambda name: fake, **options))
    out = tmp_path / "timeline.png"
    code = cli_module.main(["timeline", str(out), "--index", str(index_dir)])
    assert code == 1
    assert capsys.readouterr().err.startswith("error: no role in the portfolio has dates")
    assert not out.exists()
