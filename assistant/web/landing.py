"""What the empty chat shows before any question: whose portfolio this is, what they do,
and that every answer is the portfolio's own words with sources.

Read from the index in service (`SearchIndex.person` and `.headline`), so a re-ingest
shows a new name on the next new chat without a restart. The page fetches it from
`GET /api/landing` (public/landing.js draws it above the starters and puts the name in
the browser tab): Chainlit hides starters once a message is in the thread, so the
introduction cannot be a message.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from corpus_index.errors import EmbedderUnavailable, IndexProblem

from ..search.live_index import LiveIndex
from ..search.search_index import SearchIndex

ROUTE = "/api/landing"
NOTE = "Every answer quotes the portfolio word for word and names its source."
TITLE_SEPARATOR = " · "


class Landing(BaseModel):
    """The introduction on the empty chat, as the page receives it."""

    model_config = ConfigDict(frozen=True)

    name: str | None  # the person, or None when the portfolio names no one in its summary
    headline: str | None  # the line under the name, quoted as written, or None
    note: str  # how answers are made: quotes, each with its source
    title: str  # the browser tab's title


def landing_of(index: SearchIndex | None, app_name: str) -> Landing:
    """The landing for `index` (None: it cannot be read); `app_name` is the product's name,
    the tab's title after the person's name, or alone when there is none."""
    name = index.person if index is not None else None
    headline = index.headline if index is not None else None
    title = f"{name}{TITLE_SEPARATOR}{app_name}" if name else app_name
    return Landing(name=name, headline=headline, note=NOTE, title=title)


def build_landing_router(serving: Callable[[], LiveIndex], app_name: Callable[[], str]
                         ) -> APIRouter:
    """`GET /api/landing`: the landing of the newest index as JSON. An index that cannot be
    read gives the landing without a name (the chat says what is wrong when asked)."""
    router = APIRouter()

    @router.get(ROUTE)
    async def landing() -> JSONResponse:
        live = serving()
        index = live.loaded()  # never blocks; None before the first load or on a new one
        if index is None:
            try:
                index = await run_in_threadpool(live.current)
            except (IndexProblem, EmbedderUnavailable):
                index = None
        return JSONResponse(landing_of(index, app_name()).model_dump(),
                            headers={"Cache-Control": "no-store"})

    return router
