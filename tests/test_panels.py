"""Citation panels held in memory and fetched by the page: no file per panel."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.web.api import mount
from assistant.web.panels import EXPIRED, PICTURE_EXPIRED, PanelStore, build_panel_router


def client_over(store: PanelStore) -> TestClient:
    app = FastAPI()
    mount(app, build_panel_router(store))
    return TestClient(app)


def test_a_held_panel_is_served_as_text_under_its_content_hash() -> None:
    store = PanelStore()
    url = store.put("**Contacts Platform**\n\nServed <b>thousands</b> of customers.")
    assert store.put("**Contacts Platform**\n\nServed <b>thousands</b> of customers.") == url
    response = client_over(store).get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "**Contacts Platform**\n\nServed <b>thousands</b> of customers."


def test_an_unknown_or_evicted_panel_says_to_ask_again() -> None:
    store = PanelStore(size=2)
    first = store.put("one")
    store.put("two")
    store.put("three")  # evicts "one", the least recently used
    client = client_over(store)
    for url in (first, "/panel/not-a-key"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.text == EXPIRED
    assert client.get(store.put("two")).text == "two"


def test_a_download_is_served_as_an_attachment_under_its_name() -> None:
    store = PanelStore()
    url = store.put_download("# Report\n\n| a \\| b | c |\n", "match-report.md")
    assert url.endswith("/match-report.md")
    response = client_over(store).get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["content-disposition"] == 'attachment; filename="match-report.md"'
    assert response.text == "# Report\n\n| a \\| b | c |\n"


@pytest.mark.parametrize("name", ["", "../x.md", 'a".md', "a b.md", ".hidden"])
def test_a_download_name_must_be_a_plain_file_name(name: str) -> None:
    with pytest.raises(ValueError, match="not a plain file name"):
        PanelStore().put_download("text", name)


def test_a_picture_is_served_as_png_under_its_content_hash() -> None:
    store = PanelStore(pictures=1)
    png = b"\x89PNG\r\n\x1a\n" + b"picture one"
    url = store.put_picture(png)
    assert url.startswith("/picture/") and url.endswith(".png")
    assert store.put_picture(png) == url
    client = client_over(store)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == png
    # Pictures have a store of their own: panels do not evict them, a newer picture does.
    store.put("a panel")
    assert client.get(url).status_code == 200
    store.put_picture(b"\x89PNG\r\n\x1a\n" + b"picture two")
    gone = client.get(url)
    assert gone.status_code == 404 and gone.text == PICTURE_EXPIRED
