"""Rendering an answer for the chat: panels per marker, highlights, topic buttons."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder, build_index

from assistant.answer import answer
from assistant.search.live_index import LiveIndex
from assistant.web.chat import render_answer, render_topic, renumber

CORPUS = {
    "experience.md": "# Experience\n\n## Staff Engineer\n\nHarbor Bank · 2021 - Present\n\n"
    "### Key Achievements\n\n- Led the Kotlin payments rewrite for 2M users\n"
    "- Mentored five engineers\n",
}


@pytest.fixture
def index(tmp_path: Path, write_corpus):
    fake = FakeEmbedder(dimension=384)
    build_index(write_corpus(tmp_path / "corpus", CORPUS), tmp_path / "index", fake)
    return LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake).current()


def test_a_role_citation_offers_the_whole_role(index) -> None:
    result = answer("Where is Harbor Bank?", index)
    assert result.answered
    reply = render_answer(result, index)
    labels = [button.label for button in reply.buttons]
    assert "Read all of “Staff Engineer”" in labels
    whole = render_topic(index, ["Experience", "Staff Engineer"])
    assert "Harbor Bank · 2021 - Present" in whole.content
    assert "### Key Achievements" in whole.content
    assert "- Mentored five engineers" in whole.content


def test_each_marker_names_one_panel_with_the_quote_in_bold(index) -> None:
    result = answer("Kotlin payments rewrite?", index)
    reply = render_answer(result, index, offset=3)
    assert [panel.name for panel in reply.panels] == [f"[{c.n + 3}]" for c in result.citations]
    for panel, citation in zip(reply.panels, result.citations, strict=True):
        assert panel.name in reply.content
        assert f"**{citation.quote}**" in panel.markdown


def test_renumber_leaves_escaped_brackets_in_quotes_alone() -> None:
    shifted = renumber("- “see \\[1\\]” [1]\n| 9 | x | [2] |", 4)
    assert shifted == "- “see \\[1\\]” [5]\n| 9 | x | [6] |"


def test_a_match_report_numbers_on_and_opens_each_quote(index) -> None:
    from assistant.jobs.match import MatchReport, RequirementMatch
    from assistant.web.chat import render_match

    kotlin = answer("Kotlin payments rewrite?", index).citations[0]
    report = MatchReport(requirements=(
        RequirementMatch(text="Kotlin | Java", kind="must", status="evidence",
                         citations=(kotlin,)),
        RequirementMatch(text="Payments\nat scale", kind="nice", status="related",
                         citations=(kotlin,), note="“scale” not mentioned"),
        RequirementMatch(text="Rust", kind="unknown", status="absent"),
    ))
    reply = render_match(report, index, offset=4)
    assert reply.content.startswith(
        "**Evidence for 1 of 3 requirements, 1 related, 1 not mentioned**")
    assert f"| Kotlin \\| Java | Evidence | “{kotlin.quote}” [5] |" in reply.content
    assert (f"| Payments at scale _(nice to have)_ | Related: “scale” not mentioned"
            f" | “{kotlin.quote}” [5] |") in reply.content
    assert "| Rust | Not mentioned | — |" in reply.content
    assert [panel.name for panel in reply.panels] == ["[5]"]
    assert f"**{kotlin.quote}**" in reply.panels[0].markdown
    assert [d.name for d in reply.downloads] == ["match-report.md"]
    assert "[1]" in reply.downloads[0].markdown  # the download numbers from 1, on its own


def test_a_career_answer_carries_its_timeline_picture_and_alt_text(index) -> None:
    result = answer("Walk me through his career.", index)  # an intent's own example
    assert result.intent == "work_history"
    reply = render_answer(result, index)
    assert reply.picture is not None
    assert reply.picture.timeline == result.timeline
    assert reply.picture.alt == "Career timeline: Staff Engineer, 2021 - Present (current)."
    assert render_answer(answer("Kotlin payments rewrite?", index), index).picture is None


def test_roles_left_out_with_nothing_to_draw_are_named_under_the_quotes(index) -> None:
    from assistant.timeline import LeftOutRole, Timeline

    result = answer("Walk me through his career.", index)
    undrawable = Timeline(roles=(), left_out=(LeftOutRole(title="Freelance *Work*",
                                                          reason="dates could not be read"),))
    reply = render_answer(result.model_copy(update={"timeline": undrawable}), index)
    assert reply.picture is None
    assert reply.content.endswith(
        "\n\nNot on the timeline (dates could not be read): Freelance \\*Work\\*.")
