"""The Chainlit handlers in `assistant/web/app.py`, driven in-process over a mocked Chainlit
context.

No server and no browser: each handler runs inside a `ChainlitContext` whose session
is a mock (so `cl.user_session` keeps one dict per session id, as in a real chat) and
whose emitter is a mock that records what would go to the browser. The pattern is
Chainlit's own (`backend/tests/conftest.py`, `create_chainlit_context`). The app's live
index is swapped for one built over a tiny inline corpus with the fake embedder.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import AsyncMock, Mock

import pytest
from conftest import FakeEmbedder, build_index, pdf_bytes

from assistant.records import Answer
from assistant.search.live_index import LiveIndex
from assistant.understand.question import MAX_QUESTION_CHARS

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

    @property
    def markers(self) -> list[int]:
        """The citation numbers in the text, each once, in order (a figures table repeats them)."""
        return list(dict.fromkeys(int(n) for n in MARKER.findall(self.content)))


class Chat:
    """One chat session: runs handlers in its Chainlit context and shows what they sent."""

    def __init__(self, app: ModuleType) -> None:
        from chainlit.emitter import BaseChainlitEmitter
        from chainlit.session import WebsocketSession

        self.app = app
        # spec= makes every async method of the real classes an AsyncMock.
        self.session = Mock(spec=WebsocketSession)
        self.session.id = f"test-session-{uuid.uuid4()}"
        self.session.thread_id = f"test-thread-{uuid.uuid4()}"
        self.session.user = None
        self.session.user_env = {}
        self.session.chat_settings = {}
        self.session.chat_profile = None
        self.session.client_type = "webapp"
        self.session.languages = ["en"]
        self.session.has_first_interaction = True
        # An element with inline content is stored as a file first; its key names the file.
        self.session.persist_file = AsyncMock(side_effect=lambda **_: {"id": str(uuid.uuid4())})
        self.emitter = Mock(spec=BaseChainlitEmitter)

    def run(self, handler: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        """Run one handler to completion, as Chainlit would for one event of this chat."""
        from chainlit.context import ChainlitContext, context_var

        async def in_context() -> Any:
            # asyncio.run runs this in a copy of the context: the variable does not leak.
            context_var.set(ChainlitContext(self.session, self.emitter))
            return await handler(*args)

        return asyncio.run(in_context())

    def ask(self, question: str) -> Sent:
        """Send `question` as the user would; the one message the app sent back."""
        import chainlit as cl

        before = len(self.sent())

        async def on_message() -> None:
            await self.app.on_message(cl.Message(content=question, type="user_message"))

        self.run(on_message)
        replies = self.sent()[before:]
        assert len(replies) == 1, [reply.content for reply in replies]
        return replies[0]

    def click(self, handler: Callable[..., Awaitable[Any]], name: str, payload: dict) -> list[Sent]:
        """Click an action button handled by `handler`; the messages sent in reply."""
        import chainlit as cl

        before = len(self.sent())
        self.run(handler, cl.Action(name=name, payload=payload, label=name))
        return self.sent()[before:]

    def get(self, key: str) -> Any:
        """A value this chat keeps in `cl.user_session`."""
        from chainlit.user_session import user_sessions

        return user_sessions.get(self.session.id, {}).get(key)

    def sent(self) -> list[Sent]:
        """Every message sent so far, in order, with its elements and actions."""
        messages: dict[str, Sent] = {}
        for call in self.emitter.send_step.await_args_list:
            step = call.args[0]
            messages[step["id"]] = Sent(step["output"], step["type"], step["name"])
        for call in self.emitter.send_element.await_args_list:
            element = call.args[0]
            messages[element["forId"]].elements.append(element)
        for call in self.emitter.emit.await_args_list:
            event, data = call.args
            if event == "action":
                messages[data["forId"]].actions.append(data)
        return list(messages.values())

    def panels(self) -> dict[str, str]:
        """The Markdown of every element sent, by element name, as the page fetches it from
        the element's URL (the app's panel route over its panel store)."""
        held = {}
        for message in self.sent():
            for element in message.elements:
                if element["type"] == "image":
                    continue  # a picture, not Markdown: see `pictures`
                key = element["url"].rsplit("/", 1)[-1]
                held[element["name"]] = self.app.PANELS.get(key)
        assert self.session.persist_file.await_count == 0, "a panel was written as a file"
        return held

    def pictures(self) -> dict[str, bytes | None]:
        """The PNG of every image sent, by element name (its alt text), as the page
        fetches it from the element's URL."""
        return {element["name"]: self.app.PANELS.get_picture(
                    element["url"].rsplit("/", 1)[-1].removesuffix(".png"))
                for message in self.sent() for element in message.elements
                if element["type"] == "image"}

    def everything_shown(self) -> list[str]:
        """Every piece of text the browser would be given to render."""
        texts = [message.content for message in self.sent()]
        texts += list(self.panels().values())
        texts += [action["label"] for message in self.sent() for action in message.actions]
        return texts

    def close(self) -> None:
        from chainlit.chat_context import chat_contexts
        from chainlit.user_session import user_sessions

        user_sessions.pop(self.session.id, None)
        chat_contexts.pop(self.session.id, None)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_corpus) -> ModuleType:
    """`assistant.web.app`, serving an index of `CORPUS` and starters from a temporary TOML."""
    for variable in ("DATABASE_URL", "LITERAL_API_KEY", "PORTFOLIO_INDEX", "PORTFOLIO_STARTERS"):
        monkeypatch.delenv(variable, raising=False)
    # Imported here, not at the top: importing Chainlit writes .chainlit/ and .files/
    # into the working folder, which the autouse fixture has made a temporary one.
    import assistant.web.app as app_module

    embedder = FakeEmbedder(dimension=384)  # near-orthogonal vectors: lexical matching decides
    index_dir = tmp_path / "index"
    build_index(write_corpus(tmp_path / "corpus", CORPUS), index_dir, embedder)
    monkeypatch.setattr(app_module, "SERVING",
                        LiveIndex(index_dir, embedder_factory=lambda name: embedder))
    starters = tmp_path / "starters.toml"
    starters.write_text(STARTERS_TOML, encoding="utf-8")
    monkeypatch.setattr(app_module, "STARTERS", starters)
    return app_module


@pytest.fixture
def new_chat(app: ModuleType) -> Iterator[Callable[[], Chat]]:
    """`new_chat()` opens a chat session that has not started yet."""
    chats: list[Chat] = []

    def open_chat() -> Chat:
        chats.append(Chat(app))
        return chats[-1]

    yield open_chat
    for opened in chats:
        opened.close()


@pytest.fixture
def chat(app: ModuleType, new_chat: Callable[[], Chat]) -> Chat:
    """A chat session, started as the browser starts one."""
    started = new_chat()
    started.run(app.start)
    return started


@pytest.fixture
def no_index(app: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The app pointed at an empty folder instead of an index."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(app, "SERVING",
                        LiveIndex(empty, embedder_factory=lambda name: FakeEmbedder(dimension=384)))
    return app


def assert_cited(reply: Sent) -> None:
    """Quotes with markers, and one side panel per marker, named by it."""
    assert QUOTE_THEN_MARKER.search(reply.content), reply.content
    names = [element["name"] for element in reply.elements]
    assert names == [f"[{n}]" for n in reply.markers]
    assert all(element["type"] == "text" for element in reply.elements)
    assert all(element["display"] == "side" for element in reply.elements)
    assert all(name in reply.content for name in names)


# Starters


def test_starters_come_from_the_toml_file(app: ModuleType) -> None:
    import chainlit as cl

    starters = asyncio.run(app.starters())

    assert all(isinstance(starter, cl.Starter) for starter in starters)
    assert [(s.label, s.message) for s in starters] == [
        ("Mobile skills", "Has she used Kotlin?"),
        ("Offline sync", "Tell me about the offline sync rebuild"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        None,  # no file at all
        b"",
        b"[[starter]\nlabel = ",  # not TOML
        b"\xff\xfe[[starter]]",  # not UTF-8
        b'starter = "Has she used Kotlin?"',  # TOML, but not a list of tables
        b"starter = 3",
        b'[starter]\nlabel = "Skills"\nmessage = "Has she used Kotlin?"',
        b'[[starter]]\nlabel = "No message"\n',
    ],
    ids=["missing", "empty", "bad-toml", "bad-utf8", "string", "number", "table", "no-message"],
)
def test_a_missing_or_malformed_starters_file_gives_none(
    app: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes | None
) -> None:
    path = tmp_path / "malformed.toml"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setattr(app, "STARTERS", path)

    assert asyncio.run(app.starters()) == []


# Starting a chat


def test_chat_start_sends_nothing_so_the_starters_stay(
    app: ModuleType, new_chat: Callable[[], Chat]
) -> None:
    chat = new_chat()
    chat.run(app.start)

    assert chat.sent() == []
    chat.emitter.send_step.assert_not_awaited()
    chat.emitter.emit.assert_not_awaited()
    assert chat.get("history") == []


def test_chat_start_without_an_index_stays_silent(
    no_index: ModuleType, new_chat: Callable[[], Chat]
) -> None:
    chat = new_chat()
    chat.run(no_index.start)  # the problem is told when a question arrives

    assert chat.sent() == []
    assert chat.get("history") == []


# Answers


def test_an_in_scope_question_gets_quotes_and_side_panels(chat: Chat) -> None:
    reply = chat.ask("Has she used Kotlin?")

    assert reply.type == "assistant_message"
    assert "“Technologies: Kotlin, Swift” [1]" in reply.content
    assert_cited(reply)
    assert "**Technologies: Kotlin, Swift**" in chat.panels()["[1]"]
    history = chat.get("history")
    assert len(history) == 1
    assert isinstance(history[0], Answer)
    assert history[0].answered
    assert history[0].question == "Has she used Kotlin?"


CAREER = {
    "experience.md": "# Experience\n\n## Staff Engineer\n\nHarbor Bank · 2021 - Present\n\n"
    "### Key Achievements\n\n- Led the Kotlin payments rewrite\n\n"
    "## Engineer\n\nTidewater · Jun 2016 - 2020\n\n## Freelance\n\nVarious clients.\n",
}


def test_a_career_question_shows_the_timeline_picture_under_the_answer(
    app: ModuleType, new_chat: Callable[[], Chat], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, write_corpus,
) -> None:
    embedder = FakeEmbedder(dimension=384)
    build_index(write_corpus(tmp_path / "career", CAREER), tmp_path / "career-index", embedder)
    monkeypatch.setattr(app, "SERVING", LiveIndex(tmp_path / "career-index",
                                                  embedder_factory=lambda name: embedder))
    chat = new_chat()
    chat.run(app.start)
    # An intent's own example question: the fake embedder matches it exactly.
    reply = chat.ask("Walk me through his career.")

    assert "- **Staff Engineer**: “Harbor Bank · 2021 - Present” [1]" in reply.content
    assert [e["type"] for e in reply.elements] == ["text", "text", "image"]
    image = reply.elements[-1]
    assert image["display"] == "inline"
    # The name is the image's alt text: every role, latest first, and what was left out.
    assert image["name"] == (
        "Career timeline: Staff Engineer, 2021 - Present (current); Engineer, Jun 2016 - 2020."
        " Not on the timeline (dates could not be read): Freelance.")
    png = chat.pictures()[image["name"]]
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chat.session.persist_file.await_count == 0, "the picture was written as a file"
    # Asked again, the same picture (drawn once, cached) under the same URL.
    again = chat.ask("Walk me through his career.")
    assert again.elements[-1]["url"] == image["url"]


def test_a_question_beside_the_career_shows_no_picture(chat: Chat) -> None:
    reply = chat.ask("Has she used Kotlin?")
    assert not [e for e in reply.elements if e["type"] == "image"]


@pytest.mark.parametrize(
    "second_question",
    ["Tell me about offline sync", "How many users did the offline sync serve?"],
    ids=["quotes", "figures-table"],
)
def test_markers_run_on_through_the_chat(chat: Chat, second_question: str) -> None:
    first = chat.ask("Has she used Kotlin?")
    second = chat.ask(second_question)

    k = len(first.markers)
    assert first.markers == list(range(1, k + 1))
    assert second.markers == list(range(k + 1, k + 1 + len(second.markers)))
    assert second.markers, second.content
    assert_cited(first)
    assert_cited(second)
    names = [element["name"] for message in chat.sent() for element in message.elements]
    assert len(names) == len(set(names)), names
    assert len(chat.get("history")) == 2
    assert chat.get("citations_shown") == len(names)


def test_history_keeps_the_last_ten_turns(chat: Chat) -> None:
    for turn in range(12):
        chat.ask(f"Has she used Kotlin? ({turn})")

    history = chat.get("history")
    assert len(history) == 10
    assert history[-1].question == "Has she used Kotlin? (11)"


def test_each_chat_has_its_own_history_and_numbering(
    app: ModuleType, new_chat: Callable[[], Chat]
) -> None:
    one, other = new_chat(), new_chat()
    one.run(app.start)
    other.run(app.start)
    one.ask("Has she used Kotlin?")

    reply = other.ask("Has she used Kotlin?")

    assert reply.markers == [1]
    assert len(one.get("history")) == len(other.get("history")) == 1


def test_an_out_of_scope_question_is_declined_with_suggestions(chat: Chat) -> None:
    reply = chat.ask("Does she know Rust?")

    assert "does not say" in reply.content
    assert "Rust" in reply.content
    assert "closest passages" in reply.content
    # The closest passages open their sections, like any citation.
    assert reply.markers and len(reply.elements) == len(reply.markers)
    assert reply.actions
    assert all(action["name"] == "ask" for action in reply.actions)
    assert all(action["payload"]["question"] for action in reply.actions)
    assert all(action["label"] for action in reply.actions)


# Questions that cannot be answered at all


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   \n\t ",
        "\u200b\u00ad",  # only invisible characters
        "x" * (MAX_QUESTION_CHARS + 1),
        "Has she used Kotlin? " * 100,
        "a" * 100_000,
    ],
    ids=["empty", "blank", "invisible", "one-over", "repeated", "huge"],
)
def test_empty_or_over_long_questions_get_a_polite_message(chat: Chat, question: str) -> None:
    reply = chat.ask(question)  # raises if the handler raised

    assert reply.content.startswith("Sorry,")
    assert "Traceback" not in reply.content
    assert reply.elements == reply.actions == []
    assert len(reply.content) < 500
    assert chat.get("history") == []


@pytest.mark.parametrize(
    "question",
    [SCRIPT, f"Has she used Kotlin? {SCRIPT}", f"Does she know Rust{SCRIPT}?",
     f"{SCRIPT} " * 30],
    ids=["alone", "after-a-question", "inside-a-word", "too-long"],
)
def test_markup_in_a_question_is_never_sent_back_raw(chat: Chat, question: str) -> None:
    chat.ask(question)

    shown = chat.everything_shown()
    assert shown
    assert not [text for text in shown if "<script" in text.lower()], shown


def test_without_an_index_the_reply_says_how_to_build_one(
    no_index: ModuleType, new_chat: Callable[[], Chat]
) -> None:
    chat = new_chat()
    chat.run(no_index.start)

    reply = chat.ask("Has she used Kotlin?")

    assert "cannot be read" in reply.content
    assert "`make index`" in reply.content
    assert "Traceback" not in reply.content
    assert reply.elements == reply.actions == []
    assert chat.get("history") == []


# Action buttons


def test_the_topic_button_shows_the_whole_case_study(app: ModuleType, chat: Chat) -> None:
    replies = chat.click(app.on_topic, "topic", {"topic": OFFLINE_SYNC})

    assert len(replies) == 1
    content = replies[0].content
    assert content.startswith("## Dana Reyes › Case Studies › Offline Sync")
    assert content.index("### Challenge") < content.index("She rebuilt offline sync for 2M users.")
    assert content.index("She rebuilt offline sync") < content.index("### Impact")
    assert content.index("### Impact") < content.index("40% fewer sync conflicts")
    assert "Kotlin" not in content
    assert replies[0].elements == []


def test_an_answer_offers_the_topic_button_of_its_case_study(chat: Chat) -> None:
    reply = chat.ask("Has she reduced sync conflicts?")

    assert_cited(reply)
    topics = [action for action in reply.actions if action["name"] == "topic"]
    assert [action["payload"] for action in topics] == [{"topic": OFFLINE_SYNC}]


def test_a_topic_no_longer_in_the_index_is_said_so(app: ModuleType, chat: Chat) -> None:
    replies = chat.click(app.on_topic, "topic", {"topic": ["Dana Reyes", "Gone"]})

    assert [reply.content for reply in replies] == [
        "That part of the portfolio is no longer in the index."
    ]


@pytest.mark.parametrize(
    "payload",
    [{}, {"topic": []}, {"topic": None}, {"topic": 3}, {"topic": "Offline Sync"},
     {"topic": [None, {"a": 1}]}],
    ids=["no-topic", "empty", "null", "number", "string", "odd-items"],
)
def test_a_malformed_topic_payload_gets_a_reply_not_a_crash(
    app: ModuleType, chat: Chat, payload: dict
) -> None:
    # The browser sends the payload back, so it is loose input like a question.
    replies = chat.click(app.on_topic, "topic", payload)  # raises if the handler raised

    assert len(replies) == 1
    assert "Traceback" not in replies[0].content


def test_the_topic_button_without_an_index_says_how_to_build_one(
    no_index: ModuleType, new_chat: Callable[[], Chat]
) -> None:
    chat = new_chat()
    replies = chat.click(no_index.on_topic, "topic", {"topic": OFFLINE_SYNC})

    assert len(replies) == 1
    assert "`make index`" in replies[0].content


def test_a_suggestion_button_asks_its_question(app: ModuleType, chat: Chat) -> None:
    decline = chat.ask("Does she know Rust?")
    button = next(action for action in decline.actions if "Impact" in action["label"])

    replies = chat.click(app.on_ask, button["name"], button["payload"])

    assert len(replies) == 2
    asked, answered = replies
    assert asked.type == "user_message"
    assert asked.content == button["payload"]["question"]
    assert asked.elements == asked.actions == []
    assert answered.type == "assistant_message"
    assert "“40% fewer sync conflicts”" in answered.content
    assert_cited(answered)
    # Numbers run on after the decline's closest passages, so every marker names one panel.
    assert answered.markers[0] == len(decline.markers) + 1
    assert [turn.question for turn in chat.get("history")] == [
        "Does she know Rust?", button["payload"]["question"]
    ]



# Job descriptions: a match report instead of an answer

JOB = """\
# Senior Mobile Engineer

We are hiring a mobile engineer to work on our apps.

## Requirements

- Experience with Kotlin
- Rebuilt offline sync for millions of users
- Experience with Rust | WebAssembly

## Nice to have

- Experience with Swift
"""
POEM = """\
The fog comes
on little cat feet.
It sits looking
over harbor and city
on silent haunches
and then moves on.
"""
TABLE_ROW = re.compile(r"^\| .+ \| .+ \| .+ \|$", re.MULTILINE)


def attach(chat: Chat, path: Path, name: str, content: str = "") -> Sent:
    """Send a message with one uploaded file, as Chainlit hands it to the app: an element
    with the file's own name, stored under a random path."""
    import chainlit as cl

    before = len(chat.sent())

    async def on_message() -> None:
        upload = cl.File(name=name, path=str(path), mime="application/octet-stream")
        await chat.app.on_message(cl.Message(content=content, elements=[upload]))

    chat.run(on_message)
    replies = chat.sent()[before:]
    assert len(replies) == 1, [reply.content for reply in replies]
    return replies[0]


def assert_match_report(chat: Chat, reply: Sent) -> None:
    """A summary line, one table row per requirement, a panel per marker, one download."""
    assert re.match(r"\*\*Evidence for \d+ of 4 requirements, \d+ related, \d+ not mentioned\*\*",
                    reply.content), reply.content
    rows = TABLE_ROW.findall(reply.content)
    assert rows[:2] == ["| Requirement | Status | Evidence |", "| --- | --- | --- |"]
    assert len(rows) == 2 + 4
    assert "| Experience with Rust \\| WebAssembly |" in reply.content  # a pipe stays in its cell
    assert "Experience with Swift _(nice to have)_" in reply.content
    panels = [e for e in reply.elements if e["type"] == "text"]
    assert reply.markers, reply.content
    assert [e["name"] for e in panels] == [f"[{n}]" for n in reply.markers]
    assert all(e["display"] == "side" for e in panels)
    held = {e["name"]: chat.app.PANELS.get(e["url"].rsplit("/", 1)[-1]) for e in panels}
    assert all(markdown and "**" in markdown for markdown in held.values()), held
    downloads = [e for e in reply.elements if e["type"] == "file"]
    assert [(d["name"], d["display"]) for d in downloads] == [("match-report.md", "inline")]
    key, name = downloads[0]["url"].rsplit("/", 2)[-2:]
    assert name == "match-report.md"
    report = chat.app.PANELS.get(key)
    assert report.startswith("# ") and "| Requirement | Status | Evidence |" in report
    assert chat.session.persist_file.await_count == 0, "the report was written as a file"


def test_a_pasted_job_description_gets_a_match_report(chat: Chat) -> None:
    reply = chat.ask(JOB)

    assert_match_report(chat, reply)
    kotlin = "| Experience with Kotlin | Evidence | “Technologies: Kotlin, Swift” [1]"
    assert kotlin in reply.content
    assert "Not mentioned" in reply.content
    assert chat.get("history") == []  # a report is not a turn a follow-up refers to
    assert chat.get("citations_shown") == len(reply.markers)


def test_a_report_numbers_on_after_an_answer(chat: Chat) -> None:
    first = chat.ask("Has she used Kotlin?")
    report = chat.ask(JOB)
    after = chat.ask("Tell me about offline sync")

    k, m = len(first.markers), len(report.markers)
    assert report.markers == list(range(k + 1, k + m + 1))
    assert after.markers[0] == k + m + 1
    names = [e["name"] for message in chat.sent() for e in message.elements if e["type"] == "text"]
    assert len(names) == len(set(names)), names


def test_an_attached_text_file_gets_a_match_report(chat: Chat, tmp_path: Path) -> None:
    stored = tmp_path / "9f1c0e2a-upload"  # Chainlit stores an upload under a random name
    stored.write_text(JOB, encoding="utf-8")

    reply = attach(chat, stored, "mobile-engineer.txt")

    assert_match_report(chat, reply)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("job.docx", b"PK\x03\x04 word", "Sorry, job.docx: not a text or PDF file"),
        ("job.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "Sorry, job.txt: the content is binary"),
        ("job.pdf", pdf_bytes(None), "Sorry, job.pdf: the PDF has no text layer"),
        ("poem.md", POEM.encode(), "Sorry, no requirements found"),
        ("[click](x).txt", b"\x00", "Sorry, \\[click\\](x).txt: the content is binary"),
    ],
    ids=["docx", "binary", "scan", "poem", "markdown-in-name"],
)
def test_a_file_that_cannot_be_matched_gets_a_clear_message(
    chat: Chat, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    stored = tmp_path / "upload"
    stored.write_bytes(content)

    reply = attach(chat, stored, name)

    assert reply.content.startswith(message), reply.content
    assert str(stored) not in reply.content  # named as the recruiter named it
    assert "\n" not in reply.content and "Traceback" not in reply.content
    assert reply.elements == reply.actions == []
    # The chat keeps working.
    assert "“Technologies: Kotlin, Swift” [1]" in chat.ask("Has she used Kotlin?").content


@pytest.mark.parametrize(
    "question",
    [
        "Has she used Kotlin, and for how long, and on which apps, and was that on Android or"
        " on iOS as well, and did she lead that work herself or with a team, and what came of"
        " it for the users of those apps?",
        "Has she used Kotlin?\nAnd Swift?\nOn which apps?\nFor how long?\nWith a team?",
    ],
    ids=["long-question", "questions-line-after-line"],
)
def test_a_long_question_is_still_answered_as_a_question(chat: Chat, question: str) -> None:
    reply = chat.ask(question)

    assert "Evidence for" not in reply.content
    assert [e for e in reply.elements if e["type"] == "file"] == []
    assert_cited(reply)
    assert len(chat.get("history")) == 1


def test_a_pasted_poem_is_not_matched_as_a_job(chat: Chat) -> None:
    reply = chat.ask(POEM)

    assert "Evidence for" not in reply.content
    assert "| Requirement |" not in reply.content
    assert [e for e in reply.elements if e["type"] == "file"] == []


def test_the_match_starter_explains_the_feature(app: ModuleType, chat: Chat,
                                                tmp_path: Path, monkeypatch) -> None:
    starters = tmp_path / "with-reply.toml"
    starters.write_text(STARTERS_TOML + '\n[[starter]]\nlabel = "Match a job description"\n'
                        'message = "How do I match a job?"\nreply = "Paste it or attach it."\n',
                        encoding="utf-8")
    monkeypatch.setattr(app, "STARTERS", starters)

    assert ("Match a job description", "How do I match a job?") in [
        (s.label, s.message) for s in asyncio.run(app.starters())]
    reply = chat.ask("How do I match a job?")

    assert reply.content == "Paste it or attach it."
    assert reply.elements == reply.actions == []
    assert chat.get("history") == []
