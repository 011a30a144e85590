"""/api/ask: the CLI's JSON over HTTP, with clear 4xx errors and a per-client rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder, build_index
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.search.live_index import LiveIndex
from assistant.web.answer_cache import AnswerCache
from assistant.web.api import build_router, mount
from assistant.web.rate_limit import RateLimiter

CORPUS = {"resume.md": "# Dana Reyes\n\n## Skills\n\nTechnologies: Kotlin, Swift\n\n"
          "## Experience\n\nShe led the payments team at Harbor Bank.\n"}
KEYS = {"question", "answered", "text", "citations", "confidence", "intent", "related",
        "timeline"}


def make_client(tmp_path: Path, write_corpus, limiter: RateLimiter) -> TestClient:
    """The API alone on a FastAPI app, over a tiny index with a fake model."""
    fake = FakeEmbedder(dimension=384)
    build_index(write_corpus(tmp_path / "corpus", CORPUS), tmp_path / "index", fake)
    serving = LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake)
    app = FastAPI()
    mount(app, build_router(lambda: serving, limiter))
    return TestClient(app)


@pytest.fixture
def client(tmp_path: Path, write_corpus) -> TestClient:
    return make_client(tmp_path, write_corpus, RateLimiter(per_minute=600, burst=100))


def test_post_and_get_give_the_cli_json(client: TestClient) -> None:
    posted = client.post("/api/ask", json={"question": "Has she used Kotlin?"})
    fetched = client.get("/api/ask", params={"q": "Has she used Kotlin?"})
    for response in (posted, fetched):
        assert response.status_code == 200
        body = response.json()
        assert set(body) == KEYS and body["answered"]
        assert any("Kotlin" in c["quote"] for c in body["citations"])
        assert set(body["citations"][0]) == {"n", "id", "title", "path", "quote", "source", "url"}
    assert posted.json() == fetched.json()


@pytest.mark.parametrize(
    ("request_kwargs", "status", "says"),
    [
        ({"json": {}}, 400, "missing question"),
        ({"json": {"question": ""}}, 400, "empty"),
        ({"json": {"question": "   "}}, 400, "empty"),
        ({"json": {"question": 42}}, 400, "must be text"),
        ({"json": {"question": ["a"]}}, 400, "must be text"),
        ({"json": ["Has she used Kotlin?"]}, 400, "JSON object"),
        ({"content": b"not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
        ({"json": {"question": "x" * 600}}, 413, "characters long"),
        ({"content": b"{" + b" " * 20_000 + b"}"}, 413, "bytes"),
    ],
)
def test_bad_input_gets_a_json_error(client: TestClient, request_kwargs, status, says) -> None:
    response = client.post("/api/ask", **request_kwargs)
    assert response.status_code == status
    assert says in response.json()["error"]


def test_get_without_q_is_a_clear_error(client: TestClient) -> None:
    response = client.get("/api/ask")
    assert response.status_code == 400
    assert "missing question" in response.json()["error"]


def test_a_missing_index_is_503_with_what_to_run(tmp_path: Path) -> None:
    serving = LiveIndex(tmp_path / "nowhere", embedder_factory=lambda name: FakeEmbedder())
    app = FastAPI()
    mount(app, build_router(lambda: serving, RateLimiter()))
    response = TestClient(app).get("/api/ask", params={"q": "Kotlin?"})
    assert response.status_code == 503
    assert "python -m ingest" in response.json()["error"]


def test_each_client_is_rate_limited_with_retry_after() -> None:
    clock = [0.0]
    limiter = RateLimiter(per_minute=60, burst=3, clock=lambda: clock[0])
    assert [limiter.allow("a")[0] for _ in range(4)] == [True, True, True, False]
    allowed, wait = limiter.allow("a")
    assert not allowed and 0 < wait <= 1.0
    assert limiter.allow("b")[0]  # another client has its own bucket
    clock[0] += 1.0
    assert limiter.allow("a")[0]


def test_the_api_answers_429_past_the_limit(tmp_path: Path, write_corpus) -> None:
    client = make_client(tmp_path, write_corpus, RateLimiter(per_minute=1, burst=2))
    codes = [client.get("/api/ask", params={"q": "Kotlin?"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.get("/api/ask", params={"q": "Kotlin?"})
    assert int(limited.headers["Retry-After"]) >= 1
    assert "slow down" in limited.json()["error"]


def test_the_api_routes_come_before_a_catch_all_page_route() -> None:
    app = FastAPI()

    @app.get("/{full_path:path}")
    async def page(full_path: str) -> dict:
        return {"page": full_path}

    mount(app, build_router(lambda: None, RateLimiter(per_minute=0.0001, burst=0)))
    response = TestClient(app).get("/api/ask", params={"q": "x"})
    assert response.status_code == 429  # ours answered, not the page


def test_a_repeated_question_is_served_from_the_cache(tmp_path: Path, write_corpus) -> None:
    fake = FakeEmbedder(dimension=384)
    build_index(write_corpus(tmp_path / "corpus", CORPUS), tmp_path / "index", fake)
    serving = LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake)
    cache = AnswerCache()
    app = FastAPI()
    mount(app, build_router(lambda: serving, RateLimiter(per_minute=600, burst=100),
                            cache.answer, cache.lookup))
    client = TestClient(app)
    first = client.post("/api/ask", json={"question": "Has she used Kotlin?"})
    embedded = len(fake.seen)
    again = client.get("/api/ask", params={"q": "Has she used Kotlin?"})
    assert again.status_code == 200 and again.json() == first.json()
    assert cache.hits == 1 and len(fake.seen) == embedded
    assert client.post("/api/ask", json={"question": ""}).status_code == 400  # never cached
    fresh = client.get("/api/ask", params={"q": "Has she used Kotlin?"},
                       headers={"Cache-Control": "no-cache"})
    assert fresh.json() == first.json()
    assert cache.hits == 1 and len(fake.seen) > embedded  # answered afresh
