"""The answer's Markdown: escaped quotes with markers, an optional table, a plain decline."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from assistant.compose import FRAME, answer_text, decline_text, escape_markdown, marker
from assistant.records import Citation, FigureRow, Suggestion

# CommonMark plus the GFM pieces a chat front end renders (tables, ~~strike~~).
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered(markdown: str) -> str:
    """What a reader sees of inline Markdown, HTML entities decoded."""
    return html.unescape(MARKDOWN.renderInline(markdown))


def citation(n: int, quote: str, path: tuple[str, ...] = ("Work", "Lead Engineer")) -> Citation:
    return Citation(
        n=n,
        id="work/" + "/".join(part.lower().replace(" ", "-") for part in path),
        title=path[-1],
        path=path,
        quote=quote,
        source=f"work.md:{n}-{n + 2}",
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>", "\\<script\\>"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("a*b*c", "a\\*b\\*c"),
        ("__init__", "\\_\\_init\\_\\_"),
        ("[link](https://example.com)", "\\[link\\](https://example.com)"),
        ("# not a heading", "\\# not a heading"),
        ("a | b", "a \\| b"),
        ("`code`", "\\`code\\`"),
        ("~~struck~~", "\\~\\~struck\\~\\~"),
        ("C:\\path", "C:\\\\path"),
        ("99.9% uptime, 50+ services (p99): fine!", "99.9% uptime, 50+ services (p99): fine!"),
        ("", ""),
    ],
)
def test_escape_markdown(text, escaped):
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize("special", list("*_[]<>#|`~\\"))
def test_each_special_character_renders_literally(special):
    text = f"a{special}b{special}{special}c {special}d{special}"
    assert rendered(escape_markdown(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "**Billions** Contacts Managed",
        "[click](javascript:alert(1))",
        "<https://example.com>",
        "![img](x.png)",
        "snake_case_name and *args, **kwargs",
        "`rm -rf /` ~~oops~~ | col |",
        "trailing backslash \\",
    ],
)
def test_escaped_quotes_render_as_written(text):
    assert rendered(escape_markdown(text)) == text


# Entity references ("&copy;") are left out: units are decoded text, so a quote
# only holds one if the corpus wrote "&amp;copy;".
@given(st.text(alphabet=st.characters(blacklist_characters="&\r\n", blacklist_categories=["Cc"])))
def test_any_escaped_line_renders_as_written(text):
    assert rendered(escape_markdown(text)) == text


def test_marker():
    assert marker(1) == "[1]"
    assert marker(12) == "[12]"


def test_answer_text_lists_each_quote_with_its_marker():
    citations = [
        citation(1, "Led the migration of 50+ services."),
        citation(2, "Kept 99.9% uptime.", ("Work", "Senior Engineer")),
    ]
    text = answer_text(citations, [], [])
    assert text.splitlines() == [
        FRAME,
        "",
        "- “Led the migration of 50+ services.” [1]",
        "- “Kept 99.9% uptime.” [2]",
    ]


def test_answer_text_escapes_quotes():
    text = answer_text([citation(1, "Wrote <b>snake_case</b> code")], [], [])
    assert "- “Wrote \\<b\\>snake\\_case\\</b\\> code” [1]" in text.splitlines()


def test_answer_text_has_no_table_without_rows():
    text = answer_text([citation(1, "Kept 99.9% uptime.")], [], [])
    assert "|" not in text
    assert "Figure" not in text


def test_answer_text_puts_rows_in_a_table():
    citations = [citation(1, "Kept 99.9% uptime."), citation(2, "Served 500K+ monthly calls.")]
    rows = [
        FigureRow(figure="99.9%", measure="uptime", n=1),
        FigureRow(figure="500K+", measure="monthly calls", n=2),
    ]
    lines = answer_text(citations, rows, []).splitlines()
    at = lines.index("| Figure | What it measures | Source |")
    assert lines[at - 1] == ""
    assert lines[at + 1 :] == [
        "| --- | --- | --- |",
        "| 99.9% | uptime | [1] |",
        "| 500K+ | monthly calls | [2] |",
    ]


def test_a_pipe_in_a_table_cell_does_not_split_the_row():
    rows = [FigureRow(figure="10K+", measure="a|b users", n=1)]
    assert "| 10K+ | a\\|b users | [1] |" in answer_text([citation(1, "x")], rows, [])


def test_answer_text_names_nothing_missing_when_nothing_is():
    assert "does not mention" not in answer_text([citation(1, "Kept 99.9% uptime.")], [], [])


@pytest.mark.parametrize(
    ("missing", "sentence"),
    [
        (["Rust"], "The portfolio does not mention “Rust”."),
        (["Rust", "Go"], "The portfolio does not mention “Rust” or “Go”."),
        (["Rust", "Go", "C_lang"], "The portfolio does not mention “Rust”, “Go” or “C\\_lang”."),
    ],
)
def test_answer_text_names_what_is_missing(missing, sentence):
    text = answer_text([citation(1, "Kept 99.9% uptime.")], [], missing)
    assert text.splitlines()[-1] == sentence
    assert text.splitlines()[-2] == ""


def test_decline_without_words_or_suggestions():
    assert decline_text([], []) == "The portfolio does not say."


@pytest.mark.parametrize(
    ("missing", "first_line"),
    [
        (["Rust"], "The portfolio does not say anything about “Rust”."),
        (["Rust", "Haskell"], "The portfolio does not say anything about “Rust” or “Haskell”."),
    ],
)
def test_decline_names_the_missing_words(missing, first_line):
    assert decline_text(missing, []).splitlines() == [first_line]


def test_decline_labels_suggestions_as_suggestions():
    suggestions = [
        Suggestion(id="work/lead", title="Lead Engineer", path=("Work", "Lead Engineer")),
        Suggestion(id="skills", title="Skills", path=("Skills",)),
    ]
    lines = decline_text(["Rust"], suggestions).splitlines()
    assert lines[0].startswith("The portfolio does not say")
    assert lines[1] == ""
    assert "suggestions only" in lines[2]
    assert "do not answer the question" in lines[2]
    assert lines[3:] == ["- Work › Lead Engineer", "- Skills"]


def test_decline_escapes_section_names():
    suggestion = Suggestion(id="x", title="C# <and> *more*", path=("Skills", "C# <and> *more*"))
    assert decline_text([], [suggestion]).splitlines()[-1] == "- Skills › C\\# \\<and\\> \\*more\\*"
