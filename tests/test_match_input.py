"""Matching a job description: bad input gets one clear message each."""

from __future__ import annotations

import pytest
from conftest import FakeEmbedder, build_index

from assistant.jobs.errors import NoRequirements
from assistant.jobs.match import MAX_CHARS, match_job
from assistant.search.live_index import LiveIndex

POEM = "\n".join(["The fog comes", "on little cat feet.", "It sits looking",
                  "over harbor and city", "on silent haunches", "and then moves on."])


@pytest.fixture
def index(tmp_path, write_corpus):
    fake = FakeEmbedder(dimension=384)
    corpus = write_corpus(tmp_path / "corpus", {
        "profile.md": "# Profile\n\nBackend engineer.\n\n## Skills\n\n- PostgreSQL, Redis\n"})
    build_index(corpus, tmp_path / "index", fake)
    return LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake).current()


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "empty"), ("   \n ", "empty"), (POEM, "no requirements"),
     ("Has he used Kafka?", "no requirements"), ("x" * (MAX_CHARS + 1), "limit")],
)
def test_bad_input_gets_one_clear_message(index, text, says) -> None:
    with pytest.raises(NoRequirements) as caught:
        match_job(text, index)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_every_requirement_comes_back_verbatim_with_its_kind(index) -> None:
    text = ("## Requirements\n\n- Experience with PostgreSQL and Redis.\n- Rust in production.\n"
            "\n## Nice to have\n\n- Kafka.\n")
    report = match_job(text, index)
    assert [(r.text, r.kind) for r in report.requirements] == [
        ("Experience with PostgreSQL and Redis.", "must"), ("Rust in production.", "must"),
        ("Kafka.", "nice")]
    assert sum(report.summary().values()) == 3
    body = report.to_json_dict()
    assert set(body) == {"requirements", "summary"}
    assert set(body["requirements"][0]) == {"text", "kind", "status", "citations", "note"}
