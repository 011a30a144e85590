"""`/api/ask`: the same answers as JSON, for the owner's website; `/api/match`: a job
description's requirements matched with cited quotes. Mounted on the chat's server."""

from __future__ import annotations

import os
from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from corpus_index.errors import EmbedderUnavailable, IndexProblem

from ..answer import answer
from ..errors import QuestionRejected
from ..jobs.errors import NoRequirements
from ..jobs.match import MAX_CHARS as MAX_JOB_CHARS
from ..jobs.match import MatchReport, match_job
from ..records import Answer
from ..search.live_index import LiveIndex
from ..search.search_index import SearchIndex
from .rate_limit import RateLimiter

MAX_BODY_BYTES = 16_384
# 20,000 characters of job description, each up to six bytes as a JSON \uXXXX escape.
MAX_MATCH_BODY_BYTES = 6 * MAX_JOB_CHARS + 1_024


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def build_router(serving: Callable[[], LiveIndex], limiter: RateLimiter,
                 answer_with: Callable[..., Answer] = answer,
                 cached: Callable[[object, SearchIndex], Answer | None] = lambda q, i: None,
                 ) -> APIRouter:
    """The API's routes over a live index; `serving` returns it (so tests can swap it).
    `cached` finds an answer already given, on the event loop; the rest runs in a worker
    thread, so a repeated question never pays for the hop. A request that says
    `Cache-Control: no-cache` is answered afresh by `answer` itself."""
    router = APIRouter()

    def answer_now(question: object, fresh: bool) -> Answer:
        return (answer if fresh else answer_with)(question, serving().current())

    def throttled(request: Request) -> JSONResponse | None:
        client = request.client.host if request.client else "unknown"
        allowed, wait = limiter.allow(client)
        if allowed:
            return None
        return error(429, "too many questions: slow down and try again shortly",
                     {"Retry-After": str(max(1, round(wait)))})

    async def respond(request: Request, question: object) -> JSONResponse:
        if (refused := throttled(request)) is not None:
            return refused
        if question is None:
            return error(400, "missing question: send {\"question\": \"...\"} or ?q=...")
        fresh = "no-cache" in request.headers.get("cache-control", "").lower()
        index = None if fresh else serving().loaded()
        result = cached(question, index) if index is not None else None
        if result is not None:
            return JSONResponse(result.to_json_dict())
        try:
            result = await run_in_threadpool(answer_now, question, fresh)
        except QuestionRejected as exc:
            status = 413 if "characters long" in str(exc) else 400
            return error(status, str(exc))
        except (IndexProblem, EmbedderUnavailable) as exc:
            return error(503, f"the portfolio index cannot be read: {exc}")
        return JSONResponse(result.to_json_dict())

    @router.get("/api/ask")
    async def ask_get(request: Request, q: str | None = None) -> JSONResponse:
        return await respond(request, q)

    @router.post("/api/ask")
    async def ask_post(request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return error(413, f"request body over {MAX_BODY_BYTES} bytes")
        try:
            payload = await request.json()
        except ValueError:
            return error(400, "body must be JSON: {\"question\": \"...\"}")
        if not isinstance(payload, dict):
            return error(400, "body must be a JSON object: {\"question\": \"...\"}")
        return await respond(request, payload.get("question"))

    def match_now(text: str) -> MatchReport:
        return match_job(text, serving().current())

    @router.post("/api/match")
    async def match_post(request: Request) -> JSONResponse:
        if (refused := throttled(request)) is not None:
            return refused
        body = await request.body()
        if len(body) > MAX_MATCH_BODY_BYTES:
            return error(413, f"request body over {MAX_MATCH_BODY_BYTES} bytes")
        try:
            payload = await request.json()
        except ValueError:
            return error(400, "body must be JSON: {\"text\": \"...\"}")
        if not isinstance(payload, dict):
            return error(400, "body must be a JSON object: {\"text\": \"...\"}")
        text = payload.get("text")
        if text is None:
            return error(400, "missing text: send {\"text\": \"the job description\"}")
        if not isinstance(text, str):
            return error(400, "text must be a string: the job description")
        if not text.strip():
            return error(400, "the job description is empty: paste its text")
        if len(text) > MAX_JOB_CHARS:
            return error(413, f"the job description is {len(text):,} characters long; the limit"
                              f" is {MAX_JOB_CHARS:,}: send the requirements part only")
        try:
            report = await run_in_threadpool(match_now, text)
        except NoRequirements as exc:
            return error(400, str(exc))
        except (IndexProblem, EmbedderUnavailable) as exc:
            return error(503, f"the portfolio index cannot be read: {exc}")
        return JSONResponse(report.to_json_dict())

    return router


def mount(app: FastAPI, router: APIRouter) -> None:
    """Add the API ahead of Chainlit's catch-all page route, which would shadow GET."""
    before = len(app.router.routes)
    app.include_router(router)
    added = app.router.routes[before:]
    app.router.routes[:] = added + app.router.routes[:before]


def limiter_from_env() -> RateLimiter:
    """$PORTFOLIO_API_PER_MINUTE requests a minute per client (default 60), in bursts of up
    to $PORTFOLIO_API_BURST (default 10)."""
    return RateLimiter(per_minute=float(os.environ.get("PORTFOLIO_API_PER_MINUTE", "60")),
                       burst=int(os.environ.get("PORTFOLIO_API_BURST", "10")))
