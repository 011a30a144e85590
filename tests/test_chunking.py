"""Sections to chunks: stable ids, content hashes, long sections split at block boundaries."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from corpus_index.records import Block
from corpus_index.terms import analyse
from ingest.chunking import (
    chunk_sections,
    embedding_text,
    embedding_texts,
    split_blocks,
    unit_embedding_text,
)
from ingest.corpus import SourceFile
from ingest.errors import CorpusError
from ingest.section_ids import heading_slug, section_id
from ingest.sections import parse_file


def chunks_of(text: str, name: str = "case-studies.md", max_chars: int = 1000):
    source = SourceFile(path=Path("corpus") / name, name=name, text=text, sha256="0" * 64)
    return chunk_sections(parse_file(source).sections, max_chars)


CASES = """\
---
url: https://example.com/work
---
# Case Studies

## Contact Management

### Challenge

Manage billions of contacts. Keep p99 latency sub-millisecond.

- **Billions** Contacts Managed

Across 10K+ users.

## Stateless Migration

### Challenge

Move 50+ services off a monolith.
"""


def block(text: str, kind: str = "item") -> Block:
    return Block(kind=kind, text=text, units=(text,))


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        ("case-studies.md", ("Case Studies", "Challenge"), "case-studies/case-studies/challenge"),
        (
            "sub/dir/notes.md",
            ("Billing & Usage-Based Pricing",),
            "sub/dir/notes/billing--usage-based-pricing",
        ),
        ("skills.markdown", ("C++",), "skills/c"),
        ("x.md", ("!!!",), "x/untitled"),
    ],
)
def test_section_id_comes_from_file_and_heading_path(source, path, expected):
    assert section_id(source, [heading_slug(heading) for heading in path]) == expected


def test_chunks_carry_id_path_anchor_url_and_lines():
    chunks = chunks_of(CASES)
    assert [(c.id, c.anchor, c.lines) for c in chunks] == [
        ("case-studies/case-studies/contact-management/challenge", "challenge", (8, 14)),
        ("case-studies/case-studies/stateless-migration/challenge", "challenge-1", (18, 20)),
    ]
    first = chunks[0]
    assert first.section_id == first.id
    assert first.part == 1
    assert first.title == "Challenge"
    assert first.path == ("Case Studies", "Contact Management", "Challenge")
    assert first.source == "case-studies.md"
    assert {c.url for c in chunks} == {"https://example.com/work"}
    assert first.text == (
        "Manage billions of contacts. Keep p99 latency sub-millisecond.\n"
        "Billions Contacts Managed\n"
        "Across 10K+ users."
    )
    assert first.units == (
        "Manage billions of contacts.",
        "Keep p99 latency sub-millisecond.",
        "Billions Contacts Managed",
        "Across 10K+ users.",
    )


def test_chunk_without_front_matter_has_no_url():
    (chunk,) = chunks_of("# A\n\ntext\n", name="a.md")
    assert chunk.url is None


def test_hash_is_sha256_of_the_embedded_text_and_terms_come_from_it():
    for chunk in chunks_of(CASES):
        text = embedding_text(chunk.path, chunk.blocks)
        assert text.startswith("Case Studies › ")
        assert chunk.hash == hashlib.sha256(text.encode()).hexdigest()
        assert chunk.terms == tuple(analyse(text))


def test_editing_text_keeps_the_id_and_changes_the_hash():
    before = {c.id: c for c in chunks_of(CASES)}
    after = {c.id: c for c in chunks_of(CASES.replace("50+ services", "60+ services"))}
    assert before.keys() == after.keys()
    moved = "case-studies/case-studies/stateless-migration/challenge"
    kept = "case-studies/case-studies/contact-management/challenge"
    assert after[moved].hash != before[moved].hash
    assert after[kept] == before[kept]


def test_moving_a_section_down_keeps_its_id_and_hash():
    before = {c.id: c for c in chunks_of(CASES)}
    pushed = CASES.replace("# Case Studies\n", "# Case Studies\n\nA new intro.\n\n\n")
    after = {c.id: c for c in chunks_of(pushed)}
    for key, chunk in before.items():
        assert after[key].hash == chunk.hash
        assert after[key].lines[0] > chunk.lines[0]


def test_renaming_a_heading_changes_the_id():
    ids = {c.id for c in chunks_of(CASES.replace("## Stateless Migration", "## Cloud Migration"))}
    assert "case-studies/case-studies/cloud-migration/challenge" in ids
    assert "case-studies/case-studies/stateless-migration/challenge" not in ids


def test_long_section_splits_at_block_boundaries_under_one_section_id():
    paragraphs = [f"Paragraph {n}. " + "word " * 50 for n in range(7)]
    text = "# Long\n\n" + "\n\n".join(paragraphs) + "\n\n# Short\n\nshort text\n"
    chunks = chunks_of(text, name="a.md", max_chars=600)
    long_parts = [c for c in chunks if c.section_id == "a/long"]
    assert [c.id for c in long_parts] == ["a/long", "a/long~2", "a/long~3", "a/long~4"]
    assert [c.part for c in long_parts] == [1, 2, 3, 4]
    assert all(len(c.text) <= 600 for c in long_parts)
    # Nothing lost, nothing repeated, nothing cut inside a block.
    assert [b.text for c in long_parts for b in c.blocks] == [p.strip() for p in paragraphs]
    assert len({c.hash for c in long_parts}) == 4
    assert {(c.title, c.anchor, c.lines) for c in long_parts} == {("Long", "long", (1, 15))}
    assert [c.id for c in chunks if c.section_id == "a/short"] == ["a/short"]


def test_a_block_longer_than_the_limit_stands_alone():
    parts = split_blocks([block("a" * 50), block("b" * 500), block("c" * 50)], max_chars=200)
    assert [[b.text[0] for b in part] for part in parts] == [["a"], ["b"], ["c"]]


@pytest.mark.parametrize(
    ("sizes", "max_chars", "expected"),
    [
        ([], 100, []),
        ([10], 100, [[10]]),
        ([49, 50], 100, [[49, 50]]),  # 49 + newline + 50 = 100: fits exactly
        ([50, 50], 100, [[50], [50]]),  # 101 characters joined: split
        ([30, 30, 30, 30], 100, [[30, 30, 30], [30]]),
        ([300], 100, [[300]]),
    ],
)
def test_split_blocks_keeps_each_part_within_the_limit(sizes, max_chars, expected):
    blocks = [block(str(n % 10) * size) for n, size in enumerate(sizes)]
    parts = split_blocks(blocks, max_chars)
    assert [[len(b.text) for b in part] for part in parts] == expected
    assert [b for part in parts for b in part] == blocks


def test_no_sections_give_no_chunks():
    assert chunk_sections([]) == ()


def test_headings_with_one_slug_are_an_error_naming_file_and_line():
    with pytest.raises(CorpusError) as raised:
        chunks_of("# C++\n\ntext\n\n# C\n\nmore\n", name="skills.md")
    message = str(raised.value)
    assert "skills.md:5: " in message
    assert "'C++'" in message
    assert "'skills/c'" in message
    assert raised.value.line == 5


def test_embedding_texts_list_chunks_then_units_in_order():
    chunks = chunks_of(CASES)
    chunk_texts, unit_texts = embedding_texts(chunks)
    assert chunk_texts == [embedding_text(c.path, c.blocks) for c in chunks]
    assert unit_texts == [unit_embedding_text(c.path, u) for c in chunks for u in c.units]
    assert unit_texts[0] == (
        "Case Studies › Contact Management › Challenge\nManage billions of contacts."
    )
    assert embedding_texts([]) == ([], [])
