"""A mistake in a knowledge file (intents, aliases, lexicon) stops ingest with one line
naming file and line, and the index that was live keeps serving, byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import build_index, read_tree

from corpus_index.knowledge import ALIASES_FILE, DEFAULT_KNOWLEDGE_DIR, INTENTS_FILE, LEXICON_FILE

CORPUS = {"profile.md": "# Profile\n\nBackend engineer. Ships systems with PostgreSQL.\n"}


def _break_intents(text: str) -> str:
    return text.replace("answer: current_role", "answer: mind_reading", 1)


def _break_aliases(text: str) -> str:
    return text.replace("categories: [blockchain, testing]", "categories: [no_such_category]", 1)


def _break_lexicon(text: str) -> str:
    lines = text.splitlines(keepends=True)
    first_row = next(at for at, line in enumerate(lines) if not line.startswith("#"))
    lines[first_row] = lines[first_row].replace("\t", " ", 1)
    return "".join(lines)


BREAKS: dict[str, tuple[str, Callable[[str], str]]] = {
    "intents": (INTENTS_FILE, _break_intents),
    "aliases": (ALIASES_FILE, _break_aliases),
    "lexicon": (LEXICON_FILE, _break_lexicon),
}


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
    return folder


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_a_knowledge_mistake_stops_ingest_and_keeps_the_live_index(
    case, tmp_path, knowledge_dir, write_corpus, fake_embedder, ingest_cli
) -> None:
    corpus_dir = write_corpus(tmp_path / "corpus", CORPUS)
    index_dir = tmp_path / "index"
    build_index(corpus_dir, index_dir, fake_embedder, knowledge_dir=knowledge_dir)
    before = read_tree(index_dir)
    name, damage = BREAKS[case]
    path = knowledge_dir / name
    original = path.read_text(encoding="utf-8")
    assert damage(original) != original, "the damage must change the file"
    path.write_text(damage(original), encoding="utf-8")

    run = ingest_cli("--corpus", corpus_dir, "--index", index_dir, "--knowledge", knowledge_dir)

    assert run.code == 1
    errors = run.lines("error: ")
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {path}:"), errors[0]
    line = errors[0].removeprefix(f"error: {path}:").split(":")[0]
    assert line.isdigit() and int(line) > 1
    assert read_tree(index_dir) == before


def test_an_edited_knowledge_file_is_taken_up_by_the_next_ingest(
    tmp_path, knowledge_dir, write_corpus, fake_embedder
) -> None:
    corpus_dir = write_corpus(tmp_path / "corpus", CORPUS)
    index_dir = tmp_path / "index"
    build_index(corpus_dir, index_dir, fake_embedder, knowledge_dir=knowledge_dir)
    unchanged = build_index(corpus_dir, index_dir, fake_embedder, knowledge_dir=knowledge_dir)
    assert not unchanged.written  # nothing changed: a no-op

    path = knowledge_dir / INTENTS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - Who is he?\n", "      - Who is he?\n      - Who is this engineer exactly?\n"),
        encoding="utf-8")
    fake_embedder.seen.clear()
    report = build_index(corpus_dir, index_dir, fake_embedder, knowledge_dir=knowledge_dir)
    assert report.written
    # Only the new example (and its pronoun-swapped twin, identical here) is embedded.
    assert fake_embedder.seen == ["Who is this engineer exactly?"]
