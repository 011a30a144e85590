"""The landing: the person's name and headline, read from the index in service, and how
the page gets them (`GET /api/landing`). The browser test checks what a recruiter sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REAL_CORPUS, REPO_ROOT, FakeEmbedder, build_index
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.search.live_index import LiveIndex
from assistant.understand.person import MAX_HEADLINE_WORDS, person_headline, person_name
from assistant.understand.section_kinds import chunk_kinds
from assistant.web.api import mount
from assistant.web.landing import NOTE, build_landing_router, landing_of
from corpus_index.intents import load_intents
from corpus_index.knowledge import DEFAULT_KNOWLEDGE_DIR, INTENTS_FILE
from corpus_index.records import Block, Chunk
from ingest.chunking import chunk_sections
from ingest.corpus import find_sources, read_source
from ingest.sections import parse_file

BOOK = load_intents(DEFAULT_KNOWLEDGE_DIR / INTENTS_FILE)
SUMMARY = frozenset({"summary"})
APP = "Portfolio Assistant"


def _chunk(path: tuple[str, ...], *blocks: Block) -> Chunk:
    return Chunk(id="/".join(path), section_id="/".join(path), title=path[-1], path=path,
                 source="profile.md", lines=(1, 2), anchor="a", blocks=blocks, terms=(),
                 hash="h")


def _line(text: str) -> Block:
    return Block(kind="paragraph", text=text, units=(text,))


@pytest.mark.parametrize(
    ("blocks", "headline"),
    [
        ((_line("Backend Platform Engineer"), _line("I build platforms.")),
         "Backend Platform Engineer"),
        ((_line("Senior Developer / Code Ninja"),), "Senior Developer / Code Ninja"),
        ((_line("Chief Scientist · OpenAI · https://openai.com/"),),
         "Chief Scientist · OpenAI · https://openai.com/"),
        # A biography, not a headline: two sentences, or one long one.
        ((Block(kind="paragraph", text="Senior mobile engineer. She ships apps.",
                units=("Senior mobile engineer.", "She ships apps.")),), None),
        ((_line(" ".join(["word"] * (MAX_HEADLINE_WORDS + 1))),), None),
        # A list first (contact details, skills) is not a headline either.
        ((Block(kind="item", text="Email: jane@example.com",
                units=("Email: jane@example.com",)),), None),
        ((), None),  # the name heading alone
    ],
)
def test_the_headline_is_the_short_line_under_the_name(blocks, headline) -> None:
    name = _chunk(("Jane Doe",), *blocks)
    about = _chunk(("Jane Doe", "About"), _line("Staff engineer at Acme."))
    assert person_headline([name, about], [SUMMARY, SUMMARY]) == headline


def test_no_name_no_headline() -> None:
    title = _chunk(("Backend Platform Engineering at Scale 2024",), _line("Staff Engineer"))
    assert person_name([title], [SUMMARY]) is None
    assert person_headline([title], [SUMMARY]) is None
    assert person_headline([], []) is None


def _parsed(corpus: Path) -> tuple[list[Chunk], tuple[frozenset[str], ...]]:
    """A corpus folder's chunks and their kinds, as the index holds them (no embedding)."""
    sources = [read_source(path, corpus) for path in find_sources(corpus)]
    chunks = list(chunk_sections([s for source in sources for s in parse_file(source).sections]))
    return chunks, chunk_kinds(chunks, BOOK)


@pytest.mark.parametrize(
    ("corpus", "name", "headline"),
    [
        (REAL_CORPUS, "Arunav Malhotra", "Backend Platform Engineer"),
        (REPO_ROOT / "tests/fixtures/jane-doe", "Jane Doe", "Senior Developer / Code Ninja"),
        (REPO_ROOT / "tests/fixtures/richard-hendriks", "Richard Hendriks", "Programmer"),
        (REPO_ROOT / "tests/fixtures/chien-shiung-wu", "Chien Shiung Wu",
         "Chief Scientist · OpenAI · https://openai.com/"),
        # The name is followed by a two-sentence biography: no headline is made from it.
        (REPO_ROOT / "tests/fixtures/resume", "Priya Raman", None),
    ],
)
def test_name_and_headline_of_real_portfolios(corpus: Path, name: str, headline: str | None
                                              ) -> None:
    chunks, kinds = _parsed(corpus)
    assert person_name(chunks, kinds) == name
    assert person_headline(chunks, kinds) == headline


def test_without_an_index_the_landing_names_no_one() -> None:
    landing = landing_of(None, APP)
    assert (landing.name, landing.headline, landing.title) == (None, None, APP)
    assert landing.note == NOTE


PROFILE = "# Dana Reyes\n\nMobile Platform Lead\n\n## Skills\n\nTechnologies: Kotlin, Swift\n"


def _client(serving: LiveIndex) -> TestClient:
    app = FastAPI()
    mount(app, build_landing_router(lambda: serving, lambda: APP))
    return TestClient(app)


def test_the_landing_follows_the_index_in_service(tmp_path: Path, write_corpus) -> None:
    fake = FakeEmbedder(dimension=384)
    corpus = write_corpus(tmp_path / "corpus", {"profile.md": PROFILE})
    build_index(corpus, tmp_path / "index", fake)
    client = _client(LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake))

    first = client.get("/api/landing")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    assert first.json() == {"name": "Dana Reyes", "headline": "Mobile Platform Lead",
                            "note": NOTE, "title": f"Dana Reyes · {APP}"}

    # The owner renames the portfolio and re-ingests: the next landing says so.
    (corpus / "profile.md").write_text(
        PROFILE.replace("Dana Reyes", "Dana Reyes Okafor").replace(
            "Mobile Platform Lead", "She leads the mobile platform team at Harbor Bank, where"
            " she rebuilt offline sync for two million users."), encoding="utf-8")
    build_index(corpus, tmp_path / "index", fake)
    after = client.get("/api/landing").json()
    assert (after["name"], after["headline"]) == ("Dana Reyes Okafor", None)
    assert after["title"] == f"Dana Reyes Okafor · {APP}"


def test_a_missing_index_gives_a_landing_without_a_name(tmp_path: Path) -> None:
    client = _client(LiveIndex(tmp_path / "nowhere", embedder_factory=lambda n: FakeEmbedder()))
    response = client.get("/api/landing")
    assert response.status_code == 200
    assert response.json() == {"name": None, "headline": None, "note": NOTE, "title": APP}
