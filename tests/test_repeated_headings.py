"""Repeated headings, as real CVs have them: ids told apart by what follows, stable, unique."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import build_index
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from ingest.corpus import SourceFile
from ingest.errors import CorpusError
from ingest.section_ids import heading_slug, section_id
from ingest.sections import ParsedFile, parse_file


def parse(text: str, name: str = "cv.md") -> ParsedFile:
    source = SourceFile(
        path=Path("corpus") / name,
        name=name,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    return parse_file(source)


def ids(parsed: ParsedFile) -> list[str]:
    return [section.id for section in parsed.sections]


CV = """\
# Jane Doe

## Experience

### Software Engineer

Globex Inc · 2021 - 2023

#### Key Achievements

- Cut billing latency by half

### Software Engineer

Acme Corp · 2019 - 2021

#### Key Achievements

- Shipped the onboarding flow

## Projects

### Portfolio Assistant

A chat assistant over my CV.

## Skills

Python, Go, SQL.

## Projects

### Billing Engine

Usage-based pricing for a SaaS.
"""


def test_one_job_title_at_two_employers_gets_two_ids_from_the_employer_line():
    parsed = parse(CV)
    roles = [s for s in parsed.sections if s.title == "Software Engineer"]
    assert [s.id for s in roles] == [
        "cv/jane-doe/experience/software-engineer",
        "cv/jane-doe/experience/software-engineer-acme-corp-2019-2021",
    ]
    assert [s.path for s in roles] == [("Jane Doe", "Experience", "Software Engineer")] * 2


def test_subsections_of_repeated_headings_follow_their_parents_id():
    achievements = [s for s in parse(CV).sections if s.title == "Key Achievements"]
    assert [s.id for s in achievements] == [
        "cv/jane-doe/experience/software-engineer/key-achievements",
        "cv/jane-doe/experience/software-engineer-acme-corp-2019-2021/key-achievements",
    ]


def test_two_projects_parts_are_told_apart_by_their_first_subsection():
    projects = [s for s in parse(CV).sections if s.path[1] == "Projects"]
    assert [s.id for s in projects] == [
        "cv/jane-doe/projects/portfolio-assistant",
        "cv/jane-doe/projects-billing-engine/billing-engine",
    ]


def test_every_id_and_every_anchor_in_a_file_is_unique():
    parsed = parse(CV)
    assert len(set(ids(parsed))) == len(parsed.sections)
    anchors = [s.anchor for s in parsed.sections]
    assert len(set(anchors)) == len(anchors)


def test_anchors_match_the_rendered_page():
    """Links end in '#anchor': it must be the id the renderer gives that heading."""
    tokens = MarkdownIt("commonmark").use(anchors_plugin, max_level=6).parse(CV)
    rendered = {t.map[0] + 1: t.attrs["id"] for t in tokens if t.type == "heading_open" and t.map}
    parsed = parse(CV)
    assert {s.lines[0]: s.anchor for s in parsed.sections} == {
        s.lines[0]: rendered[s.lines[0]] for s in parsed.sections
    }
    assert [s.anchor for s in parsed.sections if s.title == "Software Engineer"] == [
        "software-engineer",
        "software-engineer-1",
    ]


def test_a_file_without_repeats_keeps_the_ids_it_always_had():
    text = "# A\n\nalpha\n\n## B\n\nbeta\n\n# C++\n\ngamma\n\n## !!!\n\ndelta\n"
    parsed = parse(text, name="sub/notes.md")
    assert ids(parsed) == [
        section_id("sub/notes.md", [heading_slug(h) for h in s.path]) for s in parsed.sections
    ]
    assert ids(parsed) == ["sub/notes/a", "sub/notes/a/b", "sub/notes/c", "sub/notes/c/untitled"]


@pytest.mark.parametrize(
    ("leads", "expected"),
    [
        # Same first line, different text further down: the occurrence number decides.
        (["Remote", "Remote", "Remote"], ["engineer", "engineer-remote", "engineer-3"]),
        # A first line with nothing to slug.
        (["Remote", "· — ·", "Berlin"], ["engineer", "engineer-2", "engineer-berlin"]),
        # Long lines are cut at a word boundary.
        (
            ["x", "Initech, Austin, Texas · January 2015 - December 2018 · full time"],
            ["engineer", "engineer-initech-austin-texas-january-2015"],
        ),
    ],
)
def test_repeats_fall_back_to_their_occurrence_number(leads, expected):
    text = "".join(f"## Engineer\n\n{lead}\n\nrole {n}\n\n" for n, lead in enumerate(leads))
    assert ids(parse(text, name="a.md")) == [f"a/{segment}" for segment in expected]


@pytest.mark.parametrize("sibling_first", [True, False])
def test_a_qualified_id_never_takes_a_sibling_headings_own_id(sibling_first):
    sibling = "## Engineer Lead\n\nanother heading\n\n"
    repeats = "## Engineer\n\nfirst\n\n## Engineer\n\nLead\n\n"
    text = sibling + repeats if sibling_first else repeats + sibling
    assert sorted(ids(parse(text, name="a.md"))) == [
        "a/engineer",
        "a/engineer-2",
        "a/engineer-lead",
    ]


def test_repeated_headings_with_nothing_under_them_are_skipped_not_errors():
    parsed = parse("# A\n\n## Empty\n\n## Empty\n\n## B\n\ntext\n")
    assert ids(parsed) == ["cv/a/b"]
    assert [notice.line for notice in parsed.notices] == [3, 5]


def test_an_empty_first_occurrence_leaves_the_id_to_the_one_with_text():
    parsed = parse("## Role\n\n## Role\n\nAcme\n", name="a.md")
    assert ids(parsed) == ["a/role"]


@pytest.mark.parametrize(
    ("text", "line", "also"),
    [
        ("# A\n\n## B\n\none\n\n## B\n\none\n", 7, 3),
        (
            "## Projects\n\n### Alpha\n\ntext\n\n## Skills\n\nGo\n\n"
            "## Projects\n\n### Alpha\n\ntext\n",
            11,
            1,
        ),
    ],
)
def test_a_repeat_word_for_word_is_the_one_remaining_error(text, line, also):
    with pytest.raises(CorpusError) as raised:
        parse(text)
    assert str(raised.value).startswith(f"{Path('corpus') / 'cv.md'}:{line}: ")
    assert f"also line {also}" in str(raised.value)
    assert "remove one" in str(raised.value)


def test_same_heading_and_text_with_different_subsections_is_not_ambiguous():
    text = "## Role\n\nAcme\n\n### Stack\n\nGo\n\n## Role\n\nAcme\n\n### Stack\n\nRust\n"
    assert ids(parse(text, name="a.md")) == [
        "a/role",
        "a/role/stack",
        "a/role-acme",
        "a/role-acme/stack",
    ]


def test_ids_survive_a_re_ingest_after_an_unrelated_edit(tmp_path, write_corpus, fake_embedder):
    corpus = write_corpus(tmp_path / "corpus", {"cv.md": CV, "other.md": "# Other\n\ntext\n"})
    before = build_index(corpus, tmp_path / "index", fake_embedder).corpus.chunks
    edited = CV.replace("Python, Go, SQL.", "Python, Go, SQL, Rust.").replace(
        "Cut billing latency by half", "Cut billing latency by two thirds"
    )
    write_corpus(corpus, {"cv.md": edited, "other.md": "# Other\n\nnew text\n"})
    fake_embedder.seen.clear()
    after = build_index(corpus, tmp_path / "index", fake_embedder).corpus.chunks
    assert [c.id for c in after] == [c.id for c in before]
    assert len({c.id for c in after}) == len(after)
    changed = {c.id for c in after} - {c.id for c in after if c.hash in {b.hash for b in before}}
    assert changed == {
        "cv/jane-doe/experience/software-engineer/key-achievements",
        "cv/jane-doe/skills",
        "other/other",
    }
