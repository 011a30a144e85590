"""The Chainlit handlers in `assistant/app.py`, driven in-process over a mocked Chainlit context.

No server and no browser: each handler runs inside a `ChainlitContext` whose session
is a mock (so `cl.user_session` keeps one dict per session id, as in a real chat) and
whose emitter records what would go to the browser. The pattern is Chainlit's own
(`backend/tests/conftest.py`, `create_chainlit_context`). The app's live index is
swapped for one built over a tiny inline corpus with the fake embedder.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import AsyncMock, Mock

import pytest
from conftest import FakeEmbedder, build_index

from assistant.live_index import LiveIndex
from assistant.question import MAX_QUESTION_CHARS
from assistant.records import Answer

CORPUS = {
    "resume.md": "# Dana Reyes\n\n## Skills\n\nTechnologies: Kotlin, Swift\n\n"
    "## Case Studies\n\n### Offline Sync\n\n#### Challenge\n\n"
    "She rebuilt offline sync for 2M users.\n\n#### Impact\n\n- 40% fewer sync conflicts\n",
}
OFFLINE_SYNC = ["Dana Reyes", "Case Studies", "Offline Sync"]
STARTERS_TOML = """\
[[starter]]
label = "Mobile skills"
message = "Has she used Kotlin?"

[[starter]]
label = "Offline sync"
message = "Tell me about the offline sync rebuild"
"""
MARKER = re.compile(r"(?<!\\)\[(\d+)\]")  # a citation marker; a quote's own "\[1\]" is not one
QUOTE_THEN_MARKER = re.compile(r"“[^”]+” \[\d+\]")
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Sent:
    """One message as the browser would receive it, with what was attached to it."""

    content: str
    type: str
    author: str
    elements: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


class Chat:
    """One chat session: runs handlers in its Chainlit context and shows what they sent."""

    def __init__(self, app: ModuleType) -> None:
        self.app = app
        self.session = Mock(name="session")
        self.session.id = f"test-session-{uuid.uuid4()}"
        self.session.thread_id = f"test-thread-{uuid.uuid4()}"
        self.session.user = None
        self.session.user_env = {}
        self.session.chat_settings = {}
        self.session.chat_profile = None
        self.session.client_type = "webapp"
        self.session.languages = ["en"]
        self.session.has_first_interaction = True
        # Elements with inline content are stored as files first; the key names the file.
        self.session.persist_file = AsyncMock(side_effect=lambda **_: {"id": str(uuid.uuid4())})
        self.emitter = Mock(name="emitter")
        for method in ("emit", "send_step", "update_step", "delete_step", "send_element",
                       "stream_start", "send_token", "send_toast", "clear"):
            setattr(self.emitter, method, AsyncMock(name=method))

    def run(self, handler: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        """Run one handler to completion, as Chainlit would for one event of this chat."""
        from chainlit.context import ChainlitContext, context_var

        async def in_context() -> Any:
            context_var.set(ChainlitContext(self.session, self.emitter))
            return await handler(*args)

        # asyncio.run gives the handler its own copy of the context variables.
        return asyncio.run(in_context())

    def ask(self, question: str) -> None:
        """Send `question` as the user would, through the `on_message` handler."""
        import chainlit as cl

        async def send_message() -> None:
            await self.app.on_message(cl.Message(content=question, type="user_message"))

        self.run(send_message)

    def get(self, key: str) -> Any:
        """A value this chat keeps in `cl.user_session`."""
        from chainlit.user_session import user_sessions

        return user_sessions.get(self.session.id, {}).get(key)

    def sent(self) -> list[Sent]:
        """Every message sent so far, in order, with its elements and actions."""
        messages = {}
        for call in self.emitter.send_step.await_args_list:
            step = call.args[0]
            messages[step["id"]] = Sent(content=step["output"], type=step["type"],
                                        author=step["name"])
        for call in self.emitter.send_element.await_args_list:
            element = call.args[0]
            messages[element["forId"]].elements.append(element)
        for call in self.emitter.emit.await_args_list:
            event, data = call.args
            if event == "action":
                messages[data["forId"]].actions.append(data)
        return list(messages.values())

    def element_texts(self) -> list[str]:
        """The Markdown of every element sent (it travels as a stored file, not in the dict)."""
        return [call.kwargs["content"] for call in self.session.persist_file.await_args_list]

    def close(self) -> None:
        from chainlit.chat_context import chat_contexts
        from chainlit.user_session import user_sessions

        user_sessions.pop(self.session.id, None)
        chat_contexts.pop(self.session.id, None)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_corpus) -> ModuleType:
    """`assistant.app`, serving an index of `CORPUS` and starters from a temporary TOML."""
    for variable in ("DATABASE_URL", "LITERAL_API_KEY", "PORTFOLIO_INDEX", "PORTFOLIO_STARTERS"):
        monkeypatch.delenv(variable, raising=False)
    # Imported here, not at the top: importing Chainlit writes .chainlit/ and .files/
    # into the working folder, which the autouse fixture has made a temporary one.
    import assistant.app as app_module

    embedder = FakeEmbedder(dimension=384)  # random vectors: lexical matching decides
    index_dir = tmp_path / "index"
    build_index(write_corpus(tmp_path / "corpus", CORPUS), index_dir, embedder)
    monkeypatch.setattr(app_module, "SERVING",
                        LiveIndex(index_dir, embedder_factory=lambda name: embedder))
    starters = tmp_path / "starters.toml"
    starters.write_text(STARTERS_TOML, encoding="utf-8")
    monkeypatch.setattr(app_module, "STARTERS", starters)
    return app_module


@pytest.fixture
def chat(app: ModuleType) -> Chat:
    """A fresh chat session, started as the browser would start it."""
    session = Chat(app)
    session.run(app.start)
    yield session
    session.close()


def test_spike(chat: Chat) -> None:
    chat.ask("Has she used Kotlin?")
    chat.ask("What did she rebuild?")
    chat.ask("Does she know Rust?")
    chat.ask(SCRIPT)
    for s in chat.sent():
        print(repr(s.content), s.type, s.author)
        for e in s.elements:
            print("   E", e)
        for a in s.actions:
            print("   A", a)
    print(chat.element_texts())
    print(chat.get("history"))
