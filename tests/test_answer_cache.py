"""Repeated questions come from the cache; follow-ups and new index generations never do."""

from __future__ import annotations

from pathlib import Path

from conftest import FakeEmbedder, build_index

from assistant.search.live_index import LiveIndex
from assistant.web.answer_cache import AnswerCache

CORPUS = {"resume.md": "# Dana Reyes\n\n## Skills\n\nTechnologies: Kotlin, Swift\n\n"
          "## Experience\n\nShe led the payments team at Harbor Bank.\n"}


def test_cache(tmp_path: Path, write_corpus) -> None:
    fake = FakeEmbedder(dimension=384)
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    build_index(corpus, tmp_path / "index", fake)
    serving = LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake)
    cache = AnswerCache(size=2)
    index = serving.current()

    first = cache.answer("Has she used Kotlin?", index)
    embedded = len(fake.seen)
    again = cache.answer("  Has she used   Kotlin? ", index)  # same question once normalised
    assert again is first and cache.hits == 1 and len(fake.seen) == embedded
    assert cache.lookup("Has she used Kotlin?", index) is first  # as typed: no parsing
    assert cache.lookup("Has she used Swift?", index) is None
    assert cache.lookup(42, index) is None

    follow = cache.answer("Tell me more about that", index, history=[first])
    assert cache.answer("Tell me more about that", index, history=[first]) is not follow

    write_corpus(corpus, {"resume.md": CORPUS["resume.md"] + "\n## More\n\nShe ships Kotlin.\n"})
    build_index(corpus, tmp_path / "index", fake)
    fresh = cache.answer("Has she used Kotlin?", serving.current())
    assert fresh is not first  # a new generation is a new key

    cache.answer("Swift?", index)
    cache.answer("Harbor Bank?", index)
    assert cache.answer("Has she used Kotlin?", index) is not first  # evicted (size 2)
