"""`python -m assistant.measure.load`: many recruiters at once, on loopback, bounded.

Against a running app: `--api-clients` concurrent clients each POST
`--questions` questions to /api/ask, and `--chat-sessions` concurrent chats
each send as many over the socket connection the page uses. Prints throughput,
p50/p95 latency and errors per channel, beside a single-user median measured
first (answers computed afresh: `Cache-Control: no-cache`). Run the app with a
rate limit above the load (PORTFOLIO_API_PER_MINUTE), since every client here
shares one address.

Each client, like a person, pauses between questions (`--think`, seconds on
average; its first question comes within one pause of the start). With no
pause (`--think 0`) the run measures saturation instead: N clients that never
pause wait N / throughput on average (Little's law), so on 2 cores 60 of them
must see tens of times one user's latency however fast each answer is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse

import aiohttp
import socketio

from .bench import percentile
from .eval import PORTFOLIO_SET, REPO_ROOT, load_question_set


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


class Pauses:
    """A person's pauses: the first within one mean pause, then 0.5-1.5 × the mean."""

    def __init__(self, mean: float, seed: int) -> None:
        self._mean = mean
        self._random = random.Random(seed)

    async def first(self) -> None:
        await asyncio.sleep(self._random.uniform(0, self._mean))

    async def between(self) -> None:
        await asyncio.sleep(self._random.uniform(0.5, 1.5) * self._mean)


async def paced(questions: Sequence[str], pauses: Pauses | None) -> AsyncIterator[str]:
    """The questions in turn, each after a person's pause (none without `pauses`)."""
    for at, question in enumerate(questions):
        if pauses:
            await (pauses.between() if at else pauses.first())
        yield question


async def api_client(url: str, questions: Sequence[str], tally: Tally, timeout: float,
                     pauses: Pauses | None = None, fresh: bool = False) -> None:
    """One website visitor: a keep-alive connection, one question after another.

    aiohttp rather than httpx: the clients share the machine with the server they
    measure, and aiohttp costs them about a third of the CPU per request."""
    limits = aiohttp.ClientTimeout(total=timeout)
    headers = {"Cache-Control": "no-cache"} if fresh else {}
    async with aiohttp.ClientSession(base_url=url, timeout=limits) as session:
        async for question in paced(questions, pauses):
            started = time.perf_counter()
            try:
                async with session.post("/api/ask", json={"question": question},
                                        headers=headers) as response:
                    body = await response.json()
                    if response.status != 200 or "answered" not in body:
                        tally.errors.append(f"HTTP {response.status}: {body}")
                        continue
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                tally.errors.append(repr(exc))
                continue
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)


async def chat_session(url: str, questions: Sequence[str], tally: Tally, timeout: float,
                       pauses: Pauses | None = None) -> None:
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
        async for question in paced(questions, pauses):
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
              timeout: float, think: float = 0.0) -> dict[str, object]:
    questions = [item.q for item in load_question_set(REPO_ROOT / PORTFOLIO_SET).questions
                 if not item.out_of_scope]
    single = Tally()
    # The baseline: one user alone, every answer computed afresh (not from the cache), so it
    # is the same whether or not the server has seen these questions before.
    await api_client(url, questions[:20], single, timeout, fresh=True)
    api, chat = Tally(), Tally()
    started = time.perf_counter()
    def pauses(n: int) -> Pauses | None:
        return Pauses(think, seed=n) if think > 0 else None

    tasks = [api_client(url, questions[n % 7::7][:per_client], api, timeout, pauses(n))
             for n in range(api_clients)]
    tasks += [chat_session(url, questions[n % 5::5][:per_client], chat, timeout,
                           pauses(api_clients + n))
              for n in range(chat_sessions)]
    await asyncio.wait_for(asyncio.gather(*tasks),
                           timeout=(timeout + 1.5 * think) * per_client + 30)
    seconds = time.perf_counter() - started
    baseline = statistics.median(single.latencies_ms) if single.latencies_ms else float("nan")
    return {"single": single, "api": api, "chat": chat, "seconds": seconds,
            "baseline_ms": baseline}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.measure.load", description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--api-clients", type=int, default=50)
    parser.add_argument("--chat-sessions", type=int, default=10)
    parser.add_argument("--questions", type=int, default=4, help="questions per client")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per answer")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a client's questions, s (0: saturation)")
    args = parser.parse_args(argv)
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load test only targets this machine's loopback")
    result = asyncio.run(run(args.url, args.api_clients, args.chat_sessions, args.questions,
                             args.timeout, args.think))
    seconds = result["seconds"]
    print(f"single user, fresh answers: median {result['baseline_ms']:.0f} ms")
    print(result["api"].line("api", seconds))
    print(result["chat"].line("chat", seconds))
    worst = max((percentile(t.latencies_ms, 0.95) for t in (result["api"], result["chat"])
                 if t.latencies_ms), default=float("nan"))
    print(f"p95 / single-user median: {worst / result['baseline_ms']:.1f} (bar: under 10)")
    print(json.dumps({"errors": len(result["api"].errors) + len(result["chat"].errors)}))
    return 0 if not (result["api"].errors or result["chat"].errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
