"""The real model on the real corpus, end to end through `python -m ingest` (slow)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import REAL_CORPUS, REPO_ROOT, read_tree

from corpus_index.embedding import DEFAULT_MODEL, MODEL_ENV
from corpus_index.log_routing import LOG_DIR_ENV, VERBOSE_ENV
from corpus_index.store import load_index

pytestmark = pytest.mark.integration


def child_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in (MODEL_ENV, LOG_DIR_ENV, VERBOSE_ENV)}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        HF_HOME=str(home / ".hf-home"),
    )
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """The real corpus indexed with the default model by `python -m ingest`, once per module."""
    home = tmp_path_factory.mktemp("real")
    corpus_dir, index_dir = home / "corpus", home / "index"
    shutil.copytree(REAL_CORPUS, corpus_dir)
    run = subprocess.run(
        [sys.executable, "-m", "ingest", "--corpus", str(corpus_dir), "--index", str(index_dir)],
        cwd=home,
        env=child_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return corpus_dir, index_dir, run


def test_the_real_corpus_builds_with_the_default_model(built):
    corpus_dir, index_dir, run = built
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "warning:" not in run.stderr
    sections = len({chunk.section_id for chunk in load_index(index_dir).chunks})
    assert f"Changes: {sections} added, 0 changed, 0 removed, 0 unchanged" in run.stdout
    manifest = load_index(index_dir).manifest
    assert (manifest.model, manifest.dimension) == (DEFAULT_MODEL, 384)
    assert manifest.counts.files == len(list(corpus_dir.glob("*.md")))
    assert "sentence-transformers" in manifest.versions


def _shown(stderr: str) -> list[str]:
    """stderr's lines as a terminal leaves them: the progress bar erases itself."""
    return [line for line in stderr.replace("\r", "\n").splitlines()
            if line.strip() and not line.startswith("Embedding")]


def test_a_fresh_build_shows_the_summary_and_logs_the_libraries_noise(built):
    """The ONNX export makes torch warn (TracerWarning) and the index write loads faiss
    (INFO lines): all kept in logs/ingest.log, with one line pointing there."""
    _, index_dir, run = built
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Corpus: ") and "Embedded " in run.stdout
    (pointer,) = _shown(run.stderr)  # no warning itself, no INFO line
    assert re.fullmatch(r"\d+ library warnings? went to logs/ingest\.log"
                        r" \(--verbose prints them here\)", pointer)
    logged = (index_dir.parent / "logs" / "ingest.log").read_text(encoding="utf-8")
    assert "TracerWarning" in logged
    assert "INFO faiss.loader: " in logged


def test_verbose_prints_the_libraries_logs_as_well(built, tmp_path):
    corpus_dir, index_dir, _ = built
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus_dir, corpus)
    shutil.copytree(index_dir, index)
    with (corpus / "profile.md").open("a", encoding="utf-8") as file:
        file.write("\n## Open Source\n\nHe maintains a small Terraform provider.\n")
    run = subprocess.run(
        [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--index", str(index),
         "--verbose"],
        cwd=tmp_path, env=child_env(tmp_path), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Changes: 1 added, 0 changed, 0 removed" in run.stdout
    assert "info (faiss.loader): Loading faiss" in run.stderr
    assert "faiss.loader" in (tmp_path / "logs" / "ingest.log").read_text(encoding="utf-8")


def test_vectors_are_unit_length_with_384_dimensions(built):
    _, index_dir, _ = built
    index = load_index(index_dir)
    for matrix, rows in (
        (index.vectors, len(index.chunks)),
        (index.unit_vectors, sum(len(chunk.units) for chunk in index.chunks)),
    ):
        assert matrix.shape == (rows, 384)
        assert matrix.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
    # Different sections, different vectors: the model did read the text.
    assert len({row.tobytes() for row in index.vectors}) == len(index.chunks)


def test_a_second_run_reports_no_change_without_importing_the_model(built):
    corpus_dir, index_dir, _ = built
    before = read_tree(index_dir)
    script = textwrap.dedent(
        f"""
        import sys
        from ingest.cli import main
        code = main(["--corpus", {str(corpus_dir)!r}, "--index", {str(index_dir)!r}])
        print("sentence_transformers imported:", "sentence_transformers" in sys.modules)
        print("torch imported:", "torch" in sys.modules)
        sys.exit(code)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=index_dir.parent,
        env=child_env(index_dir.parent),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "No changes: nothing changed" in run.stdout
    assert "sentence_transformers imported: False" in run.stdout
    assert "torch imported: False" in run.stdout
    assert read_tree(index_dir) == before
