"""The index a long-running process answers from, swapped in when ingestion publishes a new one."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from corpus_index import store
from corpus_index.embedding import MODEL_ENV, Embedder, load_embedder
from corpus_index.errors import IndexIncompatible, IndexProblem
from corpus_index.onnx_backend import export_folder

from .search_index import DEFAULT_BM25, Bm25Variant, SearchIndex, build_search_index


class LiveIndex:
    """Holds the loaded model and the current index generation.

    The model loads once per process. Before each question `current()` looks at
    manifest.json (one stat); when ingestion has swapped in a new generation it
    loads that whole before serving from it. A new generation that cannot be
    read leaves the loaded one serving and records the problem.
    """

    def __init__(
        self,
        index_dir: Path,
        model: str | None = None,
        bm25_variant: Bm25Variant = DEFAULT_BM25,
        embedder_factory: Callable[[str], Embedder] | None = None,
    ) -> None:
        self.index_dir = Path(index_dir)
        self._model = model
        # By default the ONNX export ingestion made (no torch), else sentence-transformers.
        self._embedder_factory = embedder_factory or (
            lambda name: load_embedder(name, export_folder(self.index_dir, name))
        )
        self._bm25_variant = bm25_variant
        self._embedder: Embedder | None = None
        self._index: SearchIndex | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()
        self.problem: str | None = None  # why the newest generation is not the one serving

    def current(self) -> SearchIndex:
        """The newest readable index.

        Raises:
            IndexMissing, IndexDamaged, IndexIncompatible: no index can be served at all.
            EmbedderUnavailable: the model cannot be loaded.
        """
        stamp = self._manifest_stamp()
        if self._index is not None and stamp == self._stamp:
            return self._index
        with self._lock:
            if self._index is None or stamp != self._stamp:
                try:
                    self._index = self._load()
                    self.problem = None
                except IndexProblem as exc:
                    if self._index is None:
                        raise
                    self.problem = str(exc)
                self._stamp = stamp
            return self._index

    def embed_query(self, text: str) -> np.ndarray:
        """The question's unit vector, from the model the index was built with."""
        if self._embedder is None:
            raise RuntimeError("embed_query called before an index was loaded")
        return self._embedder.embed([text])[0]

    def _manifest_stamp(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.index_dir / store.MANIFEST)
        except FileNotFoundError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def _load(self) -> SearchIndex:
        loaded = store.load_index(self.index_dir)
        model = loaded.manifest.model
        wanted = self._model or os.environ.get(MODEL_ENV)
        if wanted and wanted != model:
            raise IndexIncompatible(
                f"the index was built with embedding model {model!r} but the assistant is set to"
                f" {wanted!r}: run `python -m ingest --model {wanted}` or unset the setting"
            )
        if self._embedder is None or self._embedder.name != model:
            self._embedder = self._embedder_factory(model)
        if self._embedder.dimension != loaded.manifest.dimension:
            raise IncompatibleDimension(self._embedder.dimension, loaded.manifest.dimension)
        return build_search_index(loaded, self.embed_query, self._bm25_variant)


class IncompatibleDimension(IndexIncompatible):
    """The model's vectors are not as long as the index's."""

    def __init__(self, model_dimension: int, index_dimension: int) -> None:
        super().__init__(
            f"the embedding model gives {model_dimension}-dimensional vectors but the index holds"
            f" {index_dimension}: run `python -m ingest` to rebuild it with this model"
        )
