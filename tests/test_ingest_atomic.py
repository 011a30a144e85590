"""A failed, killed or concurrent ingest never leaves a broken or half-written index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import filelock
import numpy as np
import pytest
from conftest import REPO_ROOT, FakeEmbedder, build_index, read_tree

from corpus_index import store
from corpus_index.store import load_index
from ingest import cli
from ingest.build import IngestOptions, ingest
from ingest.errors import IngestBusy

CORPUS = {
    "profile.md": "# Profile\n\nBackend engineer.\n\n## Skills\n\n- Node.js\n- PostgreSQL\n",
    "work.md": "# Work\n\n## Lead\n\nLed 50+ services. Kept 99.9% uptime.\n",
}

# Runs one ingest in a child process and parks it at a chosen point, so the test
# can SIGKILL it there: "embed" sleeps inside the embedder, "replace" sleeps just
# before manifest.json is swapped, after the new data files are written.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path

    from conftest import FakeEmbedder
    from corpus_index import store
    from ingest.build import IngestOptions, ingest

    corpus, index, marker, stage = sys.argv[1:5]

    def park():
        Path(marker).touch()
        time.sleep(120)
        sys.exit("was not killed")

    class SlowEmbedder(FakeEmbedder):
        def embed(self, texts, progress=None):
            park()

    class ParkingOs:
        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def replace(src, dst):
            park()

    embedder = SlowEmbedder() if stage == "embed" else FakeEmbedder()
    if stage == "replace":
        store.os = ParkingOs()
    ingest(
        IngestOptions(Path(corpus), Path(index), model=embedder.name),
        embedder_factory=lambda name: embedder,
    )
    """
)


@pytest.fixture
def corpus_dir(tmp_path, write_corpus) -> Path:
    return write_corpus(tmp_path / "corpus", CORPUS)


@pytest.fixture
def index_dir(corpus_dir, tmp_path, fake_embedder) -> Path:
    """A previous index, built from CORPUS."""
    index_dir = tmp_path / "index"
    build_index(corpus_dir, index_dir, fake_embedder)
    return index_dir


def edit_corpus(corpus_dir: Path) -> None:
    work = corpus_dir / "work.md"
    work.write_text(work.read_text() + "\n## Staff\n\nSet direction.\n")


def kill_at(stage: str, corpus_dir: Path, index_dir: Path, tmp_path: Path) -> None:
    """Start an ingest in a child process, wait until it reaches `stage`, SIGKILL it."""
    marker = tmp_path / f"reached-{stage}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "tests")])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(corpus_dir), str(index_dir), str(marker), stage],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if child.poll() is not None:
                _, err = child.communicate()
                pytest.fail(f"child ended before reaching {stage!r}:\n{err.decode()}")
            if time.monotonic() > deadline:
                pytest.fail(f"child never reached {stage!r}")
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()


def assert_same_index(index_dir: Path, before: store.LoadedIndex) -> None:
    after = load_index(index_dir)
    assert after.manifest == before.manifest
    assert after.chunks == before.chunks
    assert np.array_equal(after.vectors, before.vectors)
    assert np.array_equal(after.unit_vectors, before.unit_vectors)


def assert_only_live_files(index_dir: Path) -> None:
    manifest = store.read_manifest(index_dir)
    named = {data_file.name for data_file in manifest.files.all()}
    assert {path.name for path in index_dir.iterdir()} == {store.MANIFEST, store.LOCK, *named}


def test_killed_while_embedding_leaves_the_previous_index_as_it_was(
    corpus_dir, index_dir, tmp_path
):
    before, files = load_index(index_dir), read_tree(index_dir)
    edit_corpus(corpus_dir)
    kill_at("embed", corpus_dir, index_dir, tmp_path)

    assert read_tree(index_dir) == files
    assert_same_index(index_dir, before)
    # The killed run's lock died with it.
    report = build_index(corpus_dir, index_dir, FakeEmbedder())
    assert report.written
    assert "work/work/staff" in {chunk.id for chunk in load_index(index_dir).chunks}


def test_killed_before_the_manifest_swap_leaves_the_previous_index_live(
    corpus_dir, index_dir, tmp_path
):
    before = load_index(index_dir)
    edit_corpus(corpus_dir)
    kill_at("replace", corpus_dir, index_dir, tmp_path)

    live = {store.MANIFEST, store.LOCK, *(f.name for f in before.manifest.files.all())}
    leftovers = {path.name for path in index_dir.iterdir()} - live
    # The kill landed after the new data files and the staged manifest were written.
    assert len(leftovers) == 6
    assert sum(name.endswith(".tmp") for name in leftovers) == 1
    assert_same_index(index_dir, before)

    report = build_index(corpus_dir, index_dir, FakeEmbedder())
    assert report.written
    assert_only_live_files(index_dir)
    assert "work/work/staff" in {chunk.id for chunk in load_index(index_dir).chunks}


def test_a_held_lock_makes_ingest_busy_and_writes_nothing(corpus_dir, index_dir, fake_embedder):
    edit_corpus(corpus_dir)
    files = read_tree(index_dir)
    with filelock.FileLock(index_dir / store.LOCK), pytest.raises(IngestBusy) as raised:
        build_index(corpus_dir, index_dir, fake_embedder)
    message = str(raised.value)
    assert f"{index_dir}/" in message
    assert "--wait SECONDS" in message
    assert read_tree(index_dir) == files


def test_cli_exits_75_with_one_clear_line_while_another_ingest_runs(
    corpus_dir, index_dir, ingest_cli
):
    edit_corpus(corpus_dir)
    files = read_tree(index_dir)
    with filelock.FileLock(index_dir / store.LOCK):
        run = ingest_cli("--corpus", corpus_dir, "--index", index_dir)
    assert run.code == cli.EXIT_BUSY == 75
    (error,) = run.lines("error:")
    assert error.startswith(f"error: another ingest is writing {index_dir}/")
    assert "Traceback" not in run.err
    assert run.out == ""
    assert read_tree(index_dir) == files


def test_cli_check_needs_no_lock(corpus_dir, index_dir, ingest_cli):
    edit_corpus(corpus_dir)
    with filelock.FileLock(index_dir / store.LOCK):
        run = ingest_cli("--corpus", corpus_dir, "--index", index_dir, "--check")
    assert run.code == 0
    assert "Would change: 1 added" in run.out


def test_cli_wait_waits_for_the_other_ingest(corpus_dir, index_dir, ingest_cli):
    edit_corpus(corpus_dir)
    held = threading.Event()

    def other_ingest() -> None:
        # filelock's locks are per thread: take and release it in one thread.
        with filelock.FileLock(index_dir / store.LOCK):
            held.set()
            time.sleep(0.5)

    other = threading.Thread(target=other_ingest)
    other.start()
    try:
        assert held.wait(timeout=10)
        started = time.monotonic()
        run = ingest_cli("--corpus", corpus_dir, "--index", index_dir, "--wait", 20)
        waited = time.monotonic() - started
    finally:
        other.join()
    assert run.code == 0, run.err
    assert 0.3 <= waited < 10
    assert "Changes: 1 added" in run.out


def test_cli_wait_gives_up_after_the_time_given(corpus_dir, index_dir, ingest_cli):
    with filelock.FileLock(index_dir / store.LOCK):
        started = time.monotonic()
        run = ingest_cli("--corpus", corpus_dir, "--index", index_dir, "--wait", 0.3)
        waited = time.monotonic() - started
    assert run.code == cli.EXIT_BUSY
    assert 0.25 <= waited < 10


class BrokenEmbedder(FakeEmbedder):
    def embed(self, texts, progress=None):
        raise RuntimeError("model crashed")


def test_a_failure_while_embedding_leaves_the_previous_index_byte_for_byte(corpus_dir, index_dir):
    edit_corpus(corpus_dir)
    files = read_tree(index_dir)
    with pytest.raises(RuntimeError, match="model crashed"):
        build_index(corpus_dir, index_dir, BrokenEmbedder())
    assert read_tree(index_dir) == files
    # And the lock was released on the way out.
    assert build_index(corpus_dir, index_dir, FakeEmbedder()).written


def test_an_embedder_returning_the_wrong_rows_changes_nothing(corpus_dir, index_dir):
    class ShortEmbedder(FakeEmbedder):
        def embed(self, texts, progress=None):
            return super().embed(texts[:-1], progress)

    edit_corpus(corpus_dir)
    files = read_tree(index_dir)
    with pytest.raises(ValueError):
        ingest(
            IngestOptions(corpus_dir, index_dir, model="fake-model"),
            embedder_factory=lambda name: ShortEmbedder(),
        )
    assert read_tree(index_dir) == files
