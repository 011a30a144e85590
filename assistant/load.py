"""`python -m assistant.load`: many recruiters at once, on loopback, bounded in count and time.

Against a running app: `--api-clients` concurrent clients each POST
`--questions` questions to /api/ask, and `--chat-sessions` concurrent chats
each send as many over the socket connection the page uses. Prints throughput,
p50/p95 latency and errors per channel, beside a single-user median measured
first. Run the app with a rate limit above the load (PORTFOLIO_API_PER_MINUTE),
since every client here shares one address.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse

import httpx
import socketio

from .bench import percentile
from .eval import QUESTION_SETS, REPO_ROOT, load_question_set


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self, name: str, seconds: float) -> str:
        done = len(self.latencies_ms)
        if not done:
            return f"{name:>6}: 0 answers, {len(self.errors)} errors {self.errors[:3]}"
        return (f"{name:>6}: {done} answers in {seconds:.1f} s ({done / seconds:.1f}/s),"
                f" p50 {statistics.median(self.latencies_ms):.0f} ms,"
                f" p95 {percentile(self.latencies_ms, 0.95):.0f} ms, {len(self.errors)} errors")


async def api_client(url: str, questions: Sequence[str], tally: Tally, timeout: float) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        for question in questions:
            started = time.perf_counter()
            try:
                response = await client.post("/api/ask", json={"question": question})
                body = response.json()
                if response.status_code != 200 or "answered" not in body:
                    tally.errors.append(f"HTTP {response.status_code}: {body}")
                    continue
            except (httpx.HTTPError, ValueError) as exc:
                tally.errors.append(repr(exc))
                continue
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)


async def chat_session(url: str, questions: Sequence[str], tally: Tally, timeout: float) -> None:
    """One browser-like chat over Chainlit's socket: connect, start, ask, await each answer."""
    client = socketio.AsyncClient(reconnection=False)
    answers: asyncio.Queue[dict] = asyncio.Queue()

    @client.on("new_message")
    async def on_message(step: dict) -> None:
        if step.get("type") == "assistant_message":
            await answers.put(step)

    thread = str(uuid.uuid4())
    auth = {"sessionId": str(uuid.uuid4()), "clientType": "webapp", "threadId": thread,
            "userEnv": "{}", "chatProfile": None}
    origin = f"{urlparse(url).scheme}://{urlparse(url).netloc}"
    try:
        await client.connect(url, auth=auth, socketio_path="/ws/socket.io",
                             transports=["websocket"], headers={"Origin": origin},
                             wait_timeout=timeout)
        await client.emit("connection_successful")
        for question in questions:
            started = time.perf_counter()
            await client.emit("client_message", {"message": {
                "id": str(uuid.uuid4()), "threadId": thread, "name": "User",
                "type": "user_message", "output": question,
                "createdAt": datetime.now(UTC).isoformat()}, "fileReferences": None})
            try:
                await asyncio.wait_for(answers.get(), timeout)
            except TimeoutError:
                tally.errors.append(f"no answer within {timeout} s to {question!r}")
                continue
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
    except (socketio.exceptions.SocketIOError, OSError) as exc:
        tally.errors.append(repr(exc))
    finally:
        await client.disconnect()


async def run(url: str, api_clients: int, chat_sessions: int, per_client: int,
              timeout: float) -> dict[str, object]:
    questions = [item.q for item in load_question_set(REPO_ROOT / QUESTION_SETS[0]).questions
                 if not item.out_of_scope]
    single = Tally()
    await api_client(url, questions[:10], single, timeout)  # one user alone: the baseline
    api, chat = Tally(), Tally()
    started = time.perf_counter()
    tasks = [api_client(url, questions[n % 7::7][:per_client], api, timeout)
             for n in range(api_clients)]
    tasks += [chat_session(url, questions[n % 5::5][:per_client], chat, timeout)
              for n in range(chat_sessions)]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=timeout * per_client + 30)
    seconds = time.perf_counter() - started
    baseline = statistics.median(single.latencies_ms) if single.latencies_ms else float("nan")
    return {"single": single, "api": api, "chat": chat, "seconds": seconds,
            "baseline_ms": baseline}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.load", description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--api-clients", type=int, default=50)
    parser.add_argument("--chat-sessions", type=int, default=10)
    parser.add_argument("--questions", type=int, default=4, help="questions per client")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per answer")
    args = parser.parse_args(argv)
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load test only targets this machine's loopback")
    result = asyncio.run(run(args.url, args.api_clients, args.chat_sessions, args.questions,
                             args.timeout))
    seconds = result["seconds"]
    print(f"single user: median {result['baseline_ms']:.0f} ms")
    print(result["api"].line("api", seconds))
    print(result["chat"].line("chat", seconds))
    worst = max((percentile(t.latencies_ms, 0.95) for t in (result["api"], result["chat"])
                 if t.latencies_ms), default=float("nan"))
    print(f"p95 / single-user median: {worst / result['baseline_ms']:.1f} (bar: under 10)")
    print(json.dumps({"errors": len(result["api"].errors) + len(result["chat"].errors)}))
    return 0 if not (result["api"].errors or result["chat"].errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
