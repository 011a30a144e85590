"""Quiet by default: library warnings and INFO logs go to a log file, not the console.

What the console shows is decided per record by one pure function; the routing is
then exercised in-process (the ingest CLI with an embedder that makes a library's
noise) and once through `python -m ingest` in a subprocess with a broken corpus.
The real model's noise (torch's TracerWarnings) is checked in test_ingest_real.py,
the app's in test_faults_live.py.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from conftest import REPO_ROOT, FakeEmbedder

from corpus_index.log_routing import (
    LOG_DIR_ENV,
    VERBOSE_ENV,
    routed_logs,
    shows_on_console,
)

INFO, WARNING, ERROR = logging.INFO, logging.WARNING, logging.ERROR
URL_LINE = "Your app is available at http://localhost:8000"

CONSOLE = [
    # (logger, level, message, shown when quiet, shown when verbose)
    ("ingest.build", WARNING, "ONNX export failed", True, True),
    ("corpus_index.log_routing", WARNING, "cannot write the log file", True, True),
    ("assistant.search.live_index", ERROR, "loading failed", True, True),
    ("py.warnings", WARNING, "TracerWarning: Converting a tensor", False, True),
    ("chainlit", WARNING, "Translated markdown file for en-US not found", False, True),
    ("faiss.loader", INFO, "Loading faiss with AVX2 support.", False, True),
    ("chainlit", INFO, URL_LINE, True, True),
    ("chainlit", INFO, "Missing custom logo. Falling back to default logo.", False, True),
    ("chainlit", ERROR, "Traceback in a handler", True, True),
    ("ingestion", WARNING, "a library whose name starts like ours", False, True),
    ("assistant", INFO, "our own INFO", False, True),
    ("faiss.loader", logging.DEBUG, "debug detail", False, False),
]


@pytest.mark.parametrize(("name", "level", "message", "quiet", "verbose"), CONSOLE)
def test_what_the_console_shows(name, level, message, quiet, verbose):
    assert shows_on_console(name, level, message, verbose=False) is quiet
    assert shows_on_console(name, level, message, verbose=True) is verbose


def _library_noise() -> None:
    """What torch and faiss do while an index is built: a Python warning and INFO lines."""
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("TracerWarning-like: Converting a tensor to a Python boolean", UserWarning,
                      stacklevel=1)
    logging.getLogger("faiss.loader").info("Loading faiss with AVX2 support.")


def test_routing_splits_console_and_file_and_puts_everything_back(tmp_path, capsys):
    root = logging.getLogger()
    handlers_before, level_before = root.handlers[:], root.level
    showwarning_before = warnings.showwarning
    log_file = tmp_path / "logs" / "run.log"
    with routed_logs(log_file, verbose=False) as route:
        _library_noise()
        logging.getLogger("ingest.build").warning("our own warning")
        logging.getLogger("chainlit").error("a library's error")
        logging.getLogger("chainlit").info(URL_LINE)
        assert route.hidden_warnings == 1
    err = capsys.readouterr().err
    assert err.splitlines() == ["warning: our own warning", "error (chainlit): a library's error",
                                URL_LINE]
    logged = log_file.read_text(encoding="utf-8")
    for line in ("WARNING py.warnings:", "TracerWarning-like", "INFO faiss.loader: Loading faiss",
                 "our own warning", "a library's error", URL_LINE):
        assert line in logged
    assert root.handlers == handlers_before and root.level == level_before
    assert warnings.showwarning is showwarning_before


def test_verbose_shows_library_logs_on_the_console_too(tmp_path, capsys):
    log_file = tmp_path / "run.log"
    with routed_logs(log_file, verbose=True) as route:
        _library_noise()
    err = capsys.readouterr().err
    assert "warning (py.warnings): " in err and "TracerWarning-like" in err
    assert "info (faiss.loader): Loading faiss with AVX2 support." in err
    assert route.hidden_warnings == 0
    assert "TracerWarning-like" in log_file.read_text(encoding="utf-8")


def test_an_unwritable_log_folder_is_one_warning_and_the_run_goes_on(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with routed_logs(blocker / "run.log", verbose=False):
        _library_noise()
        logging.getLogger("ingest").warning("still shown")
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"warning: cannot write the log file {blocker / 'run.log'}")
    assert err[1] == "warning: still shown"


class NoisyEmbedder(FakeEmbedder):
    """The fake model, making the noise the real one makes while it embeds."""

    def embed(self, texts: Sequence[str],
              progress: Callable[[int], None] | None = None) -> np.ndarray:
        _library_noise()
        return super().embed(texts, progress)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """Overrides conftest's: `ingest_cli` embeds with the noisy one in this module."""
    return NoisyEmbedder()


CORPUS = {"profile.md": "# Profile\n\nBackend engineer. Ships systems.\n\n## Skills\n\n- Kafka\n"}


def test_the_ingest_cli_prints_its_summary_and_keeps_library_noise_in_its_log(
        tmp_path, write_corpus, ingest_cli):
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    run = ingest_cli("--corpus", corpus, "--index", tmp_path / "index")
    assert run.code == 0
    assert "Changes: 2 added, 0 changed, 0 removed, 0 unchanged" in run.out
    for noise in ("TracerWarning", "faiss", "INFO", "info"):
        assert noise not in run.err
    log_file = tmp_path / "logs" / "ingest.log"  # conftest sets $PORTFOLIO_LOG_DIR
    assert run.lines(f"1 library warning went to {log_file} (--verbose prints them here)")
    logged = log_file.read_text(encoding="utf-8")
    assert "TracerWarning-like" in logged and "faiss.loader" in logged

    (corpus / "profile.md").write_text(CORPUS["profile.md"] + "- Redis\n", encoding="utf-8")
    verbose = ingest_cli("--corpus", corpus, "--index", tmp_path / "index", "--verbose")
    assert verbose.code == 0
    assert "Changes: 0 added, 1 changed" in verbose.out
    assert verbose.lines("warning (py.warnings): ")
    assert verbose.lines("info (faiss.loader): Loading faiss")
    assert not verbose.lines("1 library warning went")  # shown, so not pointed to


def test_the_log_folder_and_verbosity_come_from_the_environment(
        tmp_path, write_corpus, ingest_cli, monkeypatch):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "elsewhere"))
    monkeypatch.setenv(VERBOSE_ENV, "1")
    corpus = write_corpus(tmp_path / "corpus", CORPUS)
    run = ingest_cli("--corpus", corpus, "--index", tmp_path / "index")
    assert run.code == 0 and run.lines("info (faiss.loader): ")
    assert "faiss.loader" in (tmp_path / "elsewhere" / "ingest.log").read_text(encoding="utf-8")
    assert not (tmp_path / "logs").exists()


def test_a_broken_corpus_file_still_prints_its_one_clear_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_bytes("# A\n\nCaf\xe9 in Latin-1\n".encode("latin-1"))
    env = {key: value for key, value in os.environ.items() if key != VERBOSE_ENV}
    env.update(PYTHONPATH=str(REPO_ROOT), HF_HUB_OFFLINE="1")
    env.pop(LOG_DIR_ENV, None)
    run = subprocess.run(
        [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index",
         str(tmp_path / "index")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stdout == ""
    error, kept = run.stderr.splitlines()  # nothing else: no library line, no traceback
    assert error.startswith(f"error: {corpus / 'a.md'}:3: not UTF-8")
    assert kept == "The previous index, if any, is unchanged."
