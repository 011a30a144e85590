"""The Chainlit chat: a thin shell over `answer()`.

Run with `chainlit run assistant/web/app.py` (the README's `make run` does).
The model and index load once per process; each question first checks for a
newer index generation, so a re-ingest shows up without a restart.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path

import chainlit as cl
import chainlit.server as chainlit_server
from chainlit.config import config as chainlit_config

from assistant.compose import escape_markdown
from assistant.errors import QuestionRejected
from assistant.jobs import JobFileError, looks_like_job_description, read_job_file
from assistant.jobs.errors import NoRequirements
from assistant.jobs.match import MatchReport, match_job
from assistant.records import Answer
from assistant.search.live_index import LiveIndex
from assistant.search.search_index import SearchIndex
from assistant.timeline.picture import timeline_png
from assistant.web.answer_cache import AnswerCache
from assistant.web.api import build_router, limiter_from_env, mount
from assistant.web.chat import Reply, load_starters, render_answer, render_match, render_topic
from assistant.web.landing import build_landing_router
from assistant.web.panels import PanelStore, build_panel_router
from corpus_index.embedding import set_offline
from corpus_index.errors import EmbedderUnavailable, IndexProblem
from corpus_index.log_routing import route_app_logs

set_offline()
ROOT = Path(__file__).resolve().parents[2]
SERVING = LiveIndex(Path(os.environ.get("PORTFOLIO_INDEX", ROOT / "index")))
ANSWERS = AnswerCache()  # shared by the chat and the API
PANELS = PanelStore()  # citation panels, fetched by the page
STARTERS = Path(os.environ.get("PORTFOLIO_STARTERS", ROOT / "starters.toml"))
NO_INDEX = ("The portfolio index cannot be read right now: {problem}\n\n"
            "The owner can rebuild it with `make index` (or `python -m ingest`).")


# At server start, before the URL is announced: library logs to logs/app.log, not the console.
cl.on_app_startup(route_app_logs)

# The JSON API shares this process, its model and its live index.
mount(chainlit_server.app,
      build_router(lambda: SERVING, limiter_from_env(), ANSWERS.answer, ANSWERS.lookup))
mount(chainlit_server.app, build_panel_router(PANELS))
# The empty chat's introduction and the tab's title, drawn by public/landing.js.
mount(chainlit_server.app, build_landing_router(lambda: SERVING, lambda: chainlit_config.ui.name))


@cl.set_starters
async def starters(user=None, language=None) -> list[cl.Starter]:
    return [cl.Starter(label=s.label, message=s.message) for s in load_starters(STARTERS)]


@cl.on_chat_start
async def start() -> None:
    # No greeting: a message would hide the starters. Warm the model off the loop.
    cl.user_session.set("history", [])
    with contextlib.suppress(IndexProblem, EmbedderUnavailable):
        await cl.make_async(SERVING.current)()  # a problem is told when a question arrives


@cl.on_message
async def on_message(message: cl.Message) -> None:
    attached = [element for element in message.elements or [] if element.path]
    if attached:  # the upload allows one file (.chainlit/config.toml)
        await match_and_send(lambda: read_job_file(Path(attached[0].path), attached[0].name))
        return
    if looks_like_job_description(message.content):
        await match_and_send(lambda: message.content)
        return
    # A starter that explains a feature (matching a job) has a fixed reply: Chainlit 2.10.1
    # sends a starter's message as the user's, so it would otherwise be answered as a question.
    fixed = fixed_replies(STARTERS.stat().st_mtime_ns if STARTERS.exists() else 0)
    if message.content in fixed:
        await cl.Message(content=fixed[message.content]).send()
        return
    await reply_to(message.content)


@cl.action_callback("ask")
async def on_ask(action: cl.Action) -> None:
    question = action.payload.get("question")
    if not isinstance(question, str) or not question.strip():
        return  # a tampered button: nothing to ask
    await cl.Message(content=question, author="You", type="user_message").send()
    await reply_to(question)


@cl.action_callback("topic")
async def on_topic(action: cl.Action) -> None:
    try:
        index = await cl.make_async(SERVING.current)()
    except (IndexProblem, EmbedderUnavailable) as exc:
        await cl.Message(content=NO_INDEX.format(problem=exc)).send()
        return
    topic = action.payload.get("topic")
    if not isinstance(topic, list) or not topic or not all(isinstance(t, str) for t in topic):
        topic = ["(unknown)"]  # a tampered button: answered as a topic not in the index
    await send(render_topic(index, topic))


async def reply_to(question: str) -> None:
    """Answer one question in this chat, keeping its history for follow-ups."""
    history = cl.user_session.get("history") or []
    index = SERVING.loaded()  # never blocks; a repeated question is answered right here
    result = ANSWERS.lookup(question, index, history) if index is not None else None
    try:
        if result is None:
            index, result = await cl.make_async(answer_now)(question, history)
    except QuestionRejected as exc:
        await cl.Message(content=f"Sorry, {exc}.").send()
        return
    except (IndexProblem, EmbedderUnavailable) as exc:
        await cl.Message(content=NO_INDEX.format(problem=exc)).send()
        return
    cl.user_session.set("history", [*history, result][-10:])
    shown = cl.user_session.get("citations_shown") or 0
    cl.user_session.set("citations_shown", shown + len(result.citations) + len(result.related))
    await send(render_answer(result, index, offset=shown))


@lru_cache(maxsize=1)
def fixed_replies(_stamp: int) -> dict[str, str]:
    """The starters' fixed replies by message, read again only when starters.toml changes
    (`_stamp` is its modification time), not on every message."""
    return {s.message: s.reply for s in load_starters(STARTERS) if s.reply}


async def match_and_send(read: Callable[[], str]) -> None:
    """Match the job description that `read` (blocking) returns and send the report."""
    try:
        index, report = await cl.make_async(match_now)(read)
    except (JobFileError, NoRequirements) as exc:
        # A file's name is the uploader's: escaped, so it is shown and never rendered.
        await cl.Message(content=f"Sorry, {escape_markdown(str(exc))}.").send()
        return
    except (IndexProblem, EmbedderUnavailable) as exc:
        await cl.Message(content=NO_INDEX.format(problem=exc)).send()
        return
    shown = cl.user_session.get("citations_shown") or 0
    reply = render_match(report, index, offset=shown)
    cl.user_session.set("citations_shown", shown + len(reply.panels))
    await send(reply)


def match_now(read: Callable[[], str]) -> tuple[SearchIndex, MatchReport]:
    """Read a job description and match it on the newest index (blocking)."""
    text = read()
    index = SERVING.current()
    return index, match_job(text, index)


def answer_now(question: str, history: list[Answer]) -> tuple[SearchIndex, Answer]:
    """Answer from the newest index (blocking: run it off the event loop)."""
    index = SERVING.current()
    return index, ANSWERS.answer(question, index, history)


async def send(reply: Reply) -> None:
    elements = [cl.Text(name=p.name, url=PANELS.put(p.markdown), display="side")
                for p in reply.panels]
    # A File element with a URL renders as a download link (`<a download>`) in Chainlit
    # 2.10.1; served from memory like the panels, so a report writes no file either.
    elements += [cl.File(name=d.name, url=PANELS.put_download(d.markdown, d.name),
                         display="inline") for d in reply.downloads]
    if reply.picture is not None:
        # Drawn off the event loop (the first picture imports matplotlib, ~0.9 s in all;
        # later ones ~0.1 s, a repeat nothing); the element's name is the image's alt text.
        png = await cl.make_async(timeline_png)(reply.picture.timeline, date.today())
        elements.append(cl.Image(name=reply.picture.alt, url=PANELS.put_picture(png),
                                 display="inline", size="large"))
    actions = [cl.Action(name=b.action, label=b.label, payload=b.payload) for b in reply.buttons]
    await cl.Message(content=reply.content, elements=elements, actions=actions).send()
