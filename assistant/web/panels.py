"""Citation panels served from memory, so a chat answer writes no files.

Chainlit stores a side element's text as a file under `.files/` (one write per
panel, five per answer) unless the element has a URL, which the page then
fetches. Panels are content-addressed, so the same section with the same
highlights is held once however many recruiters open it. A download (a job match
report) is held the same way and served as an attachment under its file name, and a
picture (the career timeline) as PNG, in a smaller store of its own: a picture weighs
tens of KB where a panel weighs a few.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

ROUTE = "/panel"
PICTURE_ROUTE = "/picture"
DEFAULT_SIZE = 4096  # panels of a few KB each: tens of MB at most
PICTURES_SIZE = 64  # pictures of ~50 KB: a few MB at most; one per index and day in practice
EXPIRED = ("This source panel is no longer held by the server. Ask the question again to"
           " see its source.")
PICTURE_EXPIRED = ("This picture is no longer held by the server. Ask the question again to"
                   " see it.")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # safe inside a header as it is


class PanelStore:
    """A bounded, least-recently-used map from content hash to panel Markdown."""

    def __init__(self, size: int = DEFAULT_SIZE, pictures: int = PICTURES_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, str] = OrderedDict()
        self._pictures_size = pictures
        self._pictures: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, markdown: str) -> str:
        """Hold a panel; returns the URL the page fetches it from."""
        key = hashlib.sha256(markdown.encode("utf-8")).hexdigest()[:32]
        with self._lock:
            self._items[key] = markdown
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return f"{ROUTE}/{key}"

    def put_download(self, markdown: str, name: str) -> str:
        """Hold a file's Markdown; returns the URL that serves it as `name` to save.

        Raises:
            ValueError: `name` is not a plain file name (letters, digits, ".", "_", "-").
        """
        if not _FILE_NAME.fullmatch(name):
            raise ValueError(f"{name!r} is not a plain file name: use letters, digits, . _ -")
        return f"{self.put(markdown)}/{name}"

    def get(self, key: str) -> str | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put_picture(self, png: bytes) -> str:
        """Hold a PNG; returns the URL the page fetches it from."""
        key = hashlib.sha256(png).hexdigest()[:32]
        with self._lock:
            self._pictures[key] = png
            self._pictures.move_to_end(key)
            while len(self._pictures) > self._pictures_size:
                self._pictures.popitem(last=False)
        return f"{PICTURE_ROUTE}/{key}.png"

    def get_picture(self, key: str) -> bytes | None:
        with self._lock:
            found = self._pictures.get(key)
            if found is not None:
                self._pictures.move_to_end(key)
            return found


def build_panel_router(store: PanelStore) -> APIRouter:
    """`GET /panel/{key}`: a held panel as Markdown text, or 404 saying to ask again;
    `GET /panel/{key}/{name}` a download, `GET /picture/{key}.png` a picture."""
    router = APIRouter()

    @router.get(ROUTE + "/{key}")
    async def panel(key: str) -> PlainTextResponse:
        markdown = store.get(key)
        if markdown is None:
            return PlainTextResponse(EXPIRED, status_code=404)
        # Content-addressed: the same key always holds the same text.
        return PlainTextResponse(markdown, headers={"Cache-Control": "private, max-age=86400"})

    @router.get(ROUTE + "/{key}/{name}")
    async def download(key: str, name: str) -> PlainTextResponse:
        markdown = store.get(key)
        if markdown is None or not _FILE_NAME.fullmatch(name):
            return PlainTextResponse(EXPIRED, status_code=404)
        return PlainTextResponse(markdown, media_type="text/markdown", headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, max-age=86400"})

    @router.get(PICTURE_ROUTE + "/{key}.png")
    async def picture(key: str) -> Response:
        png = store.get_picture(key)
        if png is None:
            return PlainTextResponse(PICTURE_EXPIRED, status_code=404)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "private, max-age=86400"})

    return router
