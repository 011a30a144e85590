"""LiveIndex: loads once, serves the newest whole generation, reports problems plainly."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from conftest import FakeEmbedder, build_index

from assistant.answer import answer
from assistant.search import live_index
from assistant.search.live_index import LiveIndex
from corpus_index import store
from corpus_index.errors import IndexDamaged, IndexIncompatible, IndexMissing

CORPUS = {
    "resume.md": "# Dana Reyes\n\n## Skills\n\nTechnologies: Kotlin, Swift\n\n"
    "## Experience\n\nShe led the payments team at Harbor Bank.\n",
}


@pytest.fixture
def built(tmp_path: Path, write_corpus, fake_embedder: FakeEmbedder) -> tuple[Path, Path]:
    corpus_dir = write_corpus(tmp_path / "corpus", CORPUS)
    index_dir = tmp_path / "index"
    build_index(corpus_dir, index_dir, fake_embedder)
    return corpus_dir, index_dir


def live(index_dir: Path, embedder: FakeEmbedder, **options) -> LiveIndex:
    # A question waits for a new generation up to reload_wait; here, long enough to finish.
    options.setdefault("reload_wait", 30.0)
    return LiveIndex(index_dir, embedder_factory=lambda name: embedder, **options)


def test_missing_index_says_what_to_run(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    with pytest.raises(IndexMissing, match="python -m ingest"):
        live(tmp_path / "nowhere", fake_embedder).current()


def test_loads_once_and_serves_the_same_object(built, fake_embedder: FakeEmbedder) -> None:
    _, index_dir = built
    calls = []

    def factory(name: str) -> FakeEmbedder:
        calls.append(name)
        return fake_embedder

    serving = LiveIndex(index_dir, embedder_factory=factory)
    first = serving.current()
    assert serving.current() is first
    answer("Has she used Kotlin?", first)
    assert calls == [fake_embedder.name]


def test_picks_up_a_new_generation_without_restart(built, write_corpus, fake_embedder) -> None:
    corpus_dir, index_dir = built
    serving = live(index_dir, fake_embedder)
    before = serving.current()
    assert not answer("Has she used Flutter?", before).answered
    write_corpus(corpus_dir, {"resume.md": CORPUS["resume.md"] + "\n## Mobile\n\nShe ships"
                              " Flutter apps.\n"})
    build_index(corpus_dir, index_dir, fake_embedder)
    after = serving.current()
    assert after.generation != before.generation
    result = answer("Has she used Flutter?", after)
    assert result.answered
    assert any("Flutter" in c.quote for c in result.citations)


def test_a_damaged_new_generation_keeps_the_old_one_serving(built, fake_embedder) -> None:
    _, index_dir = built
    serving = live(index_dir, fake_embedder)
    before = serving.current()
    manifest = json.loads((index_dir / store.MANIFEST).read_text())
    chunks = index_dir / manifest["files"]["chunks"]["name"]
    chunks.write_bytes(chunks.read_bytes()[:40])  # truncated
    manifest["generation"] = "tampered"
    (index_dir / store.MANIFEST).write_text(json.dumps(manifest))
    assert serving.current() is before
    assert serving.problem and "python -m ingest" in serving.problem


@pytest.mark.parametrize("damage", ["not json", "{}", '{"format_version": 99}'])
def test_a_damaged_or_foreign_manifest_is_a_clear_error(built, fake_embedder, damage) -> None:
    _, index_dir = built
    (index_dir / store.MANIFEST).write_text(damage)
    with pytest.raises((IndexDamaged, IndexIncompatible), match="python -m ingest"):
        live(index_dir, fake_embedder).current()


def test_another_model_than_the_index_was_built_with_is_refused(built, fake_embedder) -> None:
    _, index_dir = built
    with pytest.raises(IndexIncompatible, match="built with embedding model"):
        live(index_dir, fake_embedder, model="some-other-model").current()


def test_a_model_of_another_dimension_is_refused(built) -> None:
    _, index_dir = built
    wider = FakeEmbedder(dimension=128)
    with pytest.raises(IndexIncompatible, match="dimensional"):
        live(index_dir, wider).current()


def test_a_slow_new_generation_loads_while_the_old_one_answers(
    built, write_corpus, fake_embedder, monkeypatch
) -> None:
    corpus_dir, index_dir = built
    serving = live(index_dir, fake_embedder, reload_wait=0.05)
    before = serving.current()
    release = threading.Event()
    real_build = live_index.build_search_index

    def slow_build(*args, **kwargs):
        assert release.wait(30), "the test never released the load"
        return real_build(*args, **kwargs)

    monkeypatch.setattr(live_index, "build_search_index", slow_build)
    write_corpus(corpus_dir, {"resume.md": CORPUS["resume.md"] + "\n## Mobile\n\nShe ships"
                              " Flutter apps.\n"})
    build_index(corpus_dir, index_dir, fake_embedder)

    assert serving.loaded() is None  # a newer generation waits: no fast path
    assert serving.current() is before  # still loading: the question is not held up
    release.set()
    after = serving.current(wait=30)
    assert after is not before
    assert answer("Has she used Flutter?", after).answered
    assert serving.loaded() is after


def test_loaded_never_loads_the_first_index(built, fake_embedder) -> None:
    _, index_dir = built
    serving = live(index_dir, fake_embedder)
    assert serving.loaded() is None
    first = serving.current()
    assert serving.loaded() is first


def test_an_unexpected_failure_loading_a_new_generation_keeps_the_old_one(
    built, write_corpus, fake_embedder, monkeypatch
) -> None:
    corpus_dir, index_dir = built
    serving = live(index_dir, fake_embedder)
    before = serving.current()

    def broken(*args, **kwargs):
        raise MemoryError("no room for the new generation")

    monkeypatch.setattr(live_index, "build_search_index", broken)
    write_corpus(corpus_dir, {"resume.md": CORPUS["resume.md"] + "\n## More\n\nShe ships.\n"})
    build_index(corpus_dir, index_dir, fake_embedder)
    assert serving.current() is before
    assert serving.problem and "no room for the new generation" in serving.problem
    assert serving.current() is before  # settled: not retried on every question
