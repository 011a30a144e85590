"""A thin section that ranks (a role's title and dates) is answered with the sections
under it, where the substance is. With the real model: tests/test_assistant_real.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import FakeEmbedder, build_index

from assistant.answer import read_with_subsections
from assistant.search.live_index import LiveIndex
from assistant.search.search_index import SearchIndex

CORPUS = {
    "resume.md": (
        "# Experience\n\n"
        "## Staff Engineer\n\n"
        "Acme · 2020 - 2023\n\n"
        "### Key Achievements\n\n"
        "- Built the billing pipeline for 300 merchants\n"
        "- Cut deploy time in half\n\n"
        "## Team Lead\n\n"
        "Led a team of five across two offices, hiring three of them and running the weekly"
        " design review for the whole platform group.\n\n"
        "### Projects\n\n"
        "- Moved search onto Postgres full-text indexes\n"
    ),
}


def index_of(tmp_path: Path, write_corpus) -> SearchIndex:
    fake = FakeEmbedder(dimension=2048)  # wide: random cosines near zero
    build_index(write_corpus(tmp_path / "corpus", CORPUS), tmp_path / "index", fake)
    return LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake).current()


def chunk_titled(index: SearchIndex, *path: str) -> int:
    return next(at for at, chunk in enumerate(index.chunks) if chunk.path == path)


def test_a_thin_section_brings_its_subsections_at_its_rank(tmp_path, write_corpus) -> None:
    index = index_of(tmp_path, write_corpus)
    role = chunk_titled(index, "Experience", "Staff Engineer")
    achievements = chunk_titled(index, "Experience", "Staff Engineer", "Key Achievements")
    scores = np.zeros(len(index.chunks))
    scores[role] = 0.9
    chosen, raised = read_with_subsections(index, [role], scores)
    assert chosen == [role, achievements]
    assert raised[achievements] == 0.9
    assert scores[achievements] == 0.0  # the caller's scores are left alone


def test_a_section_with_substance_of_its_own_stands_alone(tmp_path, write_corpus) -> None:
    index = index_of(tmp_path, write_corpus)
    lead = chunk_titled(index, "Experience", "Team Lead")
    scores = np.zeros(len(index.chunks))
    scores[lead] = 0.9
    chosen, raised = read_with_subsections(index, [lead], scores)
    assert chosen == [lead] and raised is scores

