"""Markdown to sections: heading paths, plain-text blocks, line ranges, anchors, front matter."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.corpus import SourceFile
from ingest.errors import CorpusError
from ingest.sections import ParsedFile, Section, parse_file


def parse(text: str, name: str = "doc.md") -> ParsedFile:
    source = SourceFile(
        path=Path("corpus") / name,
        name=name,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    return parse_file(source)


def by_title(parsed: ParsedFile) -> dict[str, Section]:
    return {section.title: section for section in parsed.sections}


def texts(section: Section) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in section.blocks]


NESTED = """\
# Experience

Intro to experience.

## Lead Engineer

SaaS Labs

### Key Achievements

- Built things

## Senior Engineer

### Key Achievements

- Owned onboarding

# Skills

#### Deep Heading

Skipped levels.
"""


def test_heading_paths_follow_the_outline():
    parsed = parse(NESTED)
    assert [section.path for section in parsed.sections] == [
        ("Experience",),
        ("Experience", "Lead Engineer"),
        ("Experience", "Lead Engineer", "Key Achievements"),
        ("Experience", "Senior Engineer", "Key Achievements"),
        ("Skills", "Deep Heading"),
    ]
    assert [section.title for section in parsed.sections][-1] == "Deep Heading"
    assert all(section.source == "doc.md" for section in parsed.sections)


def test_a_heading_with_only_subsections_is_not_a_section_and_not_a_warning():
    parsed = parse(NESTED)
    assert ("Experience", "Senior Engineer") not in [s.path for s in parsed.sections]
    assert ("Skills",) not in [s.path for s in parsed.sections]
    assert parsed.notices == ()


def test_setext_headings_count_as_headings():
    parsed = parse("Title\n=====\n\ntext\n\nSub\n---\n\nmore\n")
    assert [(s.path, texts(s)) for s in parsed.sections] == [
        (("Title",), [("paragraph", "text")]),
        (("Title", "Sub"), [("paragraph", "more")]),
    ]


def test_paragraphs_and_items_are_separate_blocks():
    text = """\
# A

First sentence here. Second one with Node.js inside.

- **6+** Years Leading
- An item. With two sentences.
  - A nested item

1. Numbered

> A quoted paragraph.
"""
    (section,) = parse(text).sections
    assert texts(section) == [
        ("paragraph", "First sentence here. Second one with Node.js inside."),
        ("item", "6+ Years Leading"),
        ("item", "An item. With two sentences."),
        ("item", "A nested item"),
        ("item", "Numbered"),
        ("paragraph", "A quoted paragraph."),
    ]
    paragraph, item = section.blocks[0], section.blocks[2]
    assert paragraph.units == ("First sentence here.", "Second one with Node.js inside.")
    # A list item is quoted whole, never cut into sentences.
    assert item.units == ("An item. With two sentences.",)


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**6+** Years", "6+ Years"),
        ("__bold__ and *em* and _em_", "bold and em and em"),
        ("uses `Node.js` daily", "uses Node.js daily"),
        ("see [the docs](https://example.com) now", "see the docs now"),
        ("an ![architecture diagram](a.png) here", "an architecture diagram here"),
        ("~~not struck~~ kept", "~~not struck~~ kept"),
        ("soft\nbreak", "soft break"),
        ("Sub-millisecond p99 latency; 99.8% rate", "Sub-millisecond p99 latency; 99.8% rate"),
    ],
)
def test_markup_is_stripped_to_plain_text(markdown, plain):
    (section,) = parse(f"# A\n\n{markdown}\n").sections
    assert section.blocks[0].text == plain


def test_heading_markup_is_stripped_from_the_path():
    (section,) = parse("# The **Core** `API`\n\ntext\n").sections
    assert section.path == ("The Core API",)
    assert section.anchor == "the-core-api"


def test_table_rows_become_items_and_code_blocks_paragraphs():
    text = """\
# A

| Metric | Value |
|---|---|
| Uptime | **99.9%** |

```
make run
```
"""
    (section,) = parse(text).sections
    assert texts(section) == [
        ("item", "Metric | Value"),
        ("item", "Uptime | 99.9%"),
        ("paragraph", "make run"),
    ]


def test_line_ranges_run_from_heading_to_last_content_line():
    text = "# A\n\nalpha\n\n\n\n## B\n\nbeta\n\n\n# C\n\ngamma\ndelta\n"
    lines = {s.title: s.lines for s in parse(text).sections}
    assert lines == {"A": (1, 3), "B": (7, 9), "C": (12, 15)}


def test_line_range_of_a_section_ending_in_a_list_stops_at_its_last_item():
    """markdown-it counts the blank lines after a list as the list's; a citation must not."""
    text = "# A\n\n- one\n- two\n\n# B\n\nbeta\n"
    lines = {s.title: s.lines for s in parse(text).sections}
    assert lines == {"A": (1, 4), "B": (6, 8)}


def test_line_ranges_point_at_the_text():
    text = NESTED
    source_lines = text.splitlines()
    for section in parse(text).sections:
        first, last = section.lines
        span = "\n".join(source_lines[first - 1 : last])
        assert source_lines[first - 1].lstrip("#").strip() == section.title
        for block in section.blocks:
            assert block.text.split()[-1] in span


def test_anchors_repeat_github_style():
    text = "".join(f"## Case {n}\n\n### Challenge\n\ntext {n}\n\n" for n in range(3))
    anchors = [s.anchor for s in parse(text).sections]
    assert anchors == ["challenge", "challenge-1", "challenge-2"]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Billing & Usage-Based Pricing", "billing--usage-based-pricing"),
        ("Let's Ship Reliable, Scalable Systems", "lets-ship-reliable-scalable-systems"),
        ("A/B Testing", "ab-testing"),
        ("Real-time Calling", "real-time-calling"),
    ],
)
def test_anchor_is_the_github_slug(heading, anchor):
    (section,) = parse(f"# {heading}\n\ntext\n").sections
    assert section.anchor == anchor


def test_anchors_in_one_file_are_unique_even_when_a_heading_looks_like_a_suffix():
    """GitHub (and mdit-py-plugins' anchors plugin) give the third heading 'challenge-1-1'."""
    text = "# X\n\n## Challenge\n\na\n\n# Y\n\n## Challenge\n\nb\n\n# Challenge 1\n\nc\n"
    anchors = [s.anchor for s in parse(text).sections]
    assert len(set(anchors)) == len(anchors), anchors
    assert anchors == ["challenge", "challenge-1", "challenge-1-1"]


@pytest.mark.parametrize(
    ("front_matter", "url"),
    [
        ("---\nurl: https://example.com/cases\n---\n", "https://example.com/cases"),
        ("---\nurl: http://example.com\n---\n", "http://example.com"),
        ("---\n---\n", None),
        ("", None),
    ],
)
def test_front_matter_url_reaches_every_section(front_matter, url):
    parsed = parse(front_matter + "# A\n\nalpha\n\n## B\n\nbeta\n")
    assert [s.url for s in parsed.sections] == [url, url]
    assert parsed.notices == ()


def test_front_matter_is_not_content():
    parsed = parse("---\nurl: https://example.com\n---\n# A\n\nalpha\n")
    assert [texts(s) for s in parsed.sections] == [[("paragraph", "alpha")]]
    assert parsed.sections[0].lines == (4, 6)


def test_preamble_before_the_first_heading_is_a_section_named_after_the_file():
    parsed = parse("Backend Platform Engineer\n\n# Experience\n\ntext\n", name="sub/my-notes.md")
    assert [(s.path, texts(s)) for s in parsed.sections] == [
        (("My Notes",), [("paragraph", "Backend Platform Engineer")]),
        (("Experience",), [("paragraph", "text")]),
    ]
    assert parsed.sections[0].lines == (1, 1)
    assert parsed.sections[0].source == "sub/my-notes.md"
    assert parsed.notices == ()


def test_preamble_and_a_heading_named_like_the_file_are_two_sections():
    """Text above '# Contact' in contact.md is ordinary Markdown and must not be an error."""
    parsed = parse("Reach me any time.\n\n# Contact\n\nme@example.com\n", name="contact.md")
    assert [texts(s) for s in parsed.sections] == [
        [("paragraph", "Reach me any time.")],
        [("paragraph", "me@example.com")],
    ]


def test_a_file_without_headings_is_one_section_with_a_warning():
    parsed = parse("just text\n\n- and an item\n", name="loose_notes.md")
    (section,) = parsed.sections
    assert section.path == ("Loose Notes",)
    assert texts(section) == [("paragraph", "just text"), ("item", "and an item")]
    (notice,) = parsed.notices
    assert "no headings" in notice.message
    assert str(notice).startswith(str(Path("corpus") / "loose_notes.md"))


def test_an_empty_section_is_skipped_with_a_warning_naming_its_line():
    parsed = parse("# A\n\nalpha\n\n## Empty\n\n# C\n\ngamma\n")
    assert [s.title for s in parsed.sections] == ["A", "C"]
    (notice,) = parsed.notices
    assert notice.line == 5
    assert "'Empty'" in notice.message
    assert str(notice).startswith(f"{Path('corpus') / 'doc.md'}:5: ")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "   \n",
        "---\n---\n",
        "---\nurl: https://example.com\n---\n",
        "# A\n",
        "# A\n## B\n",
    ],
)
def test_inputs_without_text_give_no_sections(text):
    assert parse(text).sections == ()


def test_a_section_repeated_word_for_word_is_an_error_naming_both_lines():
    with pytest.raises(CorpusError) as raised:
        parse("# A\n\ntext\n\n## B\n\nx\n\n# A\n\ntext\n\n## B\n\nx\n")
    message = str(raised.value)
    assert message.startswith(f"{Path('corpus') / 'doc.md'}:9: ")
    assert "also line 1" in message
    assert raised.value.line == 9


def test_same_heading_under_different_parents_is_fine():
    parsed = parse("# X\n\n## Challenge\n\na\n\n# Y\n\n## Challenge\n\nb\n")
    assert [s.path for s in parsed.sections] == [("X", "Challenge"), ("Y", "Challenge")]
