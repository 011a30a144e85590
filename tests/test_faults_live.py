"""The app under load and under faults: many recruiters at once, a killed ingest, a
damaged new index, two ingests at once.

The real app runs on a free port over an index of a copy of the corpus; the
checks go through /api/ask, as a website embedding the answers would.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import filelock
import httpx
import pytest
from conftest import REPO_ROOT

from assistant.measure import load
from corpus_index import store

pytestmark = [pytest.mark.e2e, pytest.mark.integration]
NEW_FACT = "He maintains an open-source Terraform provider for feature flags."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ingest_command(corpus: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index", str(index)]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Path, Path]]:
    work = tmp_path_factory.mktemp("faults")
    corpus, index = work / "corpus", work / "index"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    logs = {"PORTFOLIO_LOG_DIR": str(work / "logs")}
    subprocess.run(_ingest_command(corpus, index), check=True, cwd=REPO_ROOT,
                   capture_output=True, timeout=300, env={**os.environ, **logs})
    port = _free_port()
    env = {**os.environ, "PORTFOLIO_INDEX": str(index), "PORTFOLIO_API_PER_MINUTE": "100000",
           "PORTFOLIO_API_BURST": "1000", **logs}
    env.pop("PORTFOLIO_VERBOSE", None)
    # CI=true starts Chainlit in its own CI mode, which logs "Running in CI mode" before
    # the app is loaded; the app under test is started as the owner's `make run` does.
    env.pop("CI", None)
    log = (work / "app.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "chainlit", "run", "assistant/web/app.py", "--host", "127.0.0.1",
         "--port", str(port), "--headless"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if client.get("/api/ask", params={"q": "Has he used Kafka?"}).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((work / "app.log").read_text())
            time.sleep(0.5)
        yield client, corpus, index
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_the_console_shows_the_url_and_errors_not_library_logs(app) -> None:
    """Chainlit's URL line is on the console; faiss.loader's INFO lines and Chainlit's own
    notices went to logs/app.log."""
    client, _, index = app
    _ask(client, "Has he used Kafka?")  # the index (and faiss) is loaded by now
    console = (index.parent / "app.log").read_text(encoding="utf-8").splitlines()
    assert console[0] == f"Your app is available at http://localhost:{client.base_url.port}"
    assert [line for line in console
            if "faiss" in line or "INFO" in line or line.startswith("info")] == []
    logged = (index.parent / "logs" / "app.log").read_text(encoding="utf-8")
    assert "INFO faiss.loader: Loading faiss" in logged
    assert "INFO chainlit: Your app is available at" in logged


def _ask(client: httpx.Client, question: str) -> dict:
    response = client.get("/api/ask", params={"q": question})
    assert response.status_code == 200, response.text
    return response.json()


def test_many_recruiters_at_once(app) -> None:
    """50 API clients and 10 socket chats at once, bounded: every question answered, no
    errors. Latency is printed by `python -m assistant.measure.load`, not asserted here."""
    client, _, _ = app
    result = asyncio.run(load.run(str(client.base_url), api_clients=50, chat_sessions=10,
                                  per_client=2, timeout=60, think=0.2))
    api, chat = result["api"], result["chat"]
    assert api.errors == [] and chat.errors == []
    assert len(api.latencies_ms) == 50 * 2
    assert len(chat.latencies_ms) == 10 * 2


def test_faults_while_serving(app) -> None:
    client, corpus, index = app
    before = _ask(client, "Has he used Terraform?")
    assert not before["answered"]
    generation = json.loads((index / store.MANIFEST).read_text())["generation"]

    # 1. An ingest killed with SIGKILL mid-run: the app keeps serving the old index.
    # A large addition keeps the run embedding for seconds; it is killed while it
    # holds the lock, i.e. inside the run.
    bulk = corpus / "bulk.md"
    bulk.write_text("".join(f"## Note {n}\n\nNote number {n} covers topic {n * 7919 % 1000}.\n\n"
                            for n in range(600)), encoding="utf-8")
    run = subprocess.Popen(_ingest_command(corpus, index), cwd=REPO_ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    held_since = None
    while run.poll() is None:
        try:
            filelock.FileLock(index / store.LOCK, timeout=0).acquire().lock.release()
            held_since = None
        except filelock.Timeout:
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since > 1.0:
                break
        time.sleep(0.02)
    assert run.poll() is None, "the ingest finished before it could be killed"
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    bulk.unlink()
    assert json.loads((index / store.MANIFEST).read_text())["generation"] == generation
    assert _ask(client, "Has he used Kafka?")["answered"]
    assert not _ask(client, "Has he used Terraform?")["answered"]
    with (corpus / "contact.md").open("a", encoding="utf-8") as handle:
        handle.write(f"\n## Open Source\n\n{NEW_FACT}\n")

    # 2. Two ingests at once: one writes, the other refuses with a clear message.
    first = subprocess.Popen(_ingest_command(corpus, index), cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    second = subprocess.run(_ingest_command(corpus, index), cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=300)
    _, first_err = first.communicate(timeout=300)
    outcomes = sorted([first.returncode, second.returncode])
    if outcomes == [0, 75]:
        refused = second if second.returncode == 75 else first
        message = refused.stderr if refused is second else first_err
        assert "another ingest is writing" in message
    else:  # the first finished before the second started: both succeed, the second a no-op
        assert outcomes == [0, 0], (first_err, second.stderr)

    # 3. The completed ingest is picked up by the running app, without a restart.
    after = _ask(client, "Has he used Terraform?")
    assert after["answered"]
    assert any(NEW_FACT in c["quote"] for c in after["citations"])

    # 4. A damaged newer generation: the app keeps answering from the one it holds.
    manifest = json.loads((index / store.MANIFEST).read_text())
    chunks = index / manifest["files"]["chunks"]["name"]
    chunks.write_bytes(chunks.read_bytes()[:100])
    manifest["generation"] = "damaged-on-purpose"
    (index / store.MANIFEST).write_text(json.dumps(manifest))
    still = _ask(client, "Has he used Terraform?")
    assert still["answered"] and still == after
    rebuilt = subprocess.run(_ingest_command(corpus, index), cwd=REPO_ROOT, capture_output=True,
                             text=True, timeout=300)
    assert rebuilt.returncode == 0 and "rebuilding it whole" in rebuilt.stdout
    assert _ask(client, "Has he used Terraform?")["answered"]
