"""The index a long-running process answers from, swapped in when ingestion publishes a new one."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from corpus_index import store
from corpus_index.embedding import MODEL_ENV, Embedder, load_embedder, query_backend
from corpus_index.errors import EmbedderUnavailable, IndexIncompatible, IndexProblem
from corpus_index.onnx_backend import export_folder

from .search_index import DEFAULT_BM25, Bm25Variant, SearchIndex, build_search_index

log = logging.getLogger(__name__)
Stamp = tuple[int, int, int]  # manifest.json's inode, mtime and size
RELOAD_WAIT = 2.0  # seconds a question waits for a new generation before the old one answers


class LiveIndex:
    """Holds the loaded model and the current index generation.

    The model loads once per process. Before each question `current()` looks at
    manifest.json (one stat). The first index loads before anything is served;
    when ingestion later swaps in a new generation, it loads in a background
    thread while the one in hand keeps serving, so no question waits longer
    than `reload_wait` seconds after its load began (a 40,000-section index
    takes ~11 s to load). A new generation that cannot be read leaves the loaded
    one serving and records the problem.
    """

    def __init__(
        self,
        index_dir: Path,
        model: str | None = None,
        bm25_variant: Bm25Variant = DEFAULT_BM25,
        embedder_factory: Callable[[str], Embedder] | None = None,
        reload_wait: float = RELOAD_WAIT,
    ) -> None:
        self.index_dir = Path(index_dir)
        self._model = model
        self._embedder_factory = embedder_factory
        self._bm25_variant = bm25_variant
        self._reload_wait = reload_wait
        self._embedder: Embedder | None = None
        self._vectors = "float"  # what the serving index's vectors are
        self._index: SearchIndex | None = None
        self._stamp: Stamp | None = None
        self._lock = threading.Lock()
        self._reload: tuple[Stamp | None, threading.Thread, float] | None = None
        self.problem: str | None = None  # why the newest generation is not the one serving

    def current(self, wait: float | None = None) -> SearchIndex:
        """The newest readable index. A newer generation is loaded in the background;
        questions wait for it until `wait` seconds (default `reload_wait`) after its load
        began, and are answered from the index in hand after that.

        Raises:
            IndexMissing, IndexDamaged, IndexIncompatible: no index can be served at all.
            EmbedderUnavailable: the model cannot be loaded.
        """
        stamp = self._manifest_stamp()
        index = self._index
        if index is not None and stamp == self._stamp:
            return index
        if index is None:
            return self._first_load(stamp)
        thread, began = self._reloading(stamp)
        wait = self._reload_wait if wait is None else wait
        thread.join(max(0.0, began + wait - time.monotonic()))
        return self._index

    def loaded(self) -> SearchIndex | None:
        """The index in hand when it is the newest, without ever blocking: for an event
        loop's fast path. None before the first load or while a newer generation waits
        (it starts loading); `current()` then decides."""
        stamp = self._manifest_stamp()
        index = self._index
        if index is not None and stamp == self._stamp:
            return index
        if index is not None:
            self._reloading(stamp)
        return None

    def _first_load(self, stamp: Stamp | None) -> SearchIndex:
        with self._lock:  # concurrent first questions share one load
            if self._index is None:
                self._index = self._load()
                self._stamp = stamp
            return self._index

    def _reloading(self, stamp: Stamp | None) -> tuple[threading.Thread, float]:
        """The background load of generation `stamp` and when it began; started if not
        already running."""
        with self._lock:
            if self._reload is None or self._reload[0] != stamp:
                thread = threading.Thread(target=self._swap_in, args=(stamp,),
                                          name="index-reload", daemon=True)
                self._reload = (stamp, thread, time.monotonic())
                thread.start()
            return self._reload[1], self._reload[2]

    def _swap_in(self, stamp: Stamp | None) -> None:
        try:
            index, problem = self._load(), None
        except (IndexProblem, EmbedderUnavailable) as exc:
            log.warning("the new index generation cannot be served; keeping the loaded one: %s",
                        exc)
            index, problem = None, str(exc)
        except Exception as exc:  # a thread's edge: keep serving the old index, say why
            log.exception("loading the new index generation failed")
            index, problem = None, f"loading the new index failed unexpectedly: {exc!r}"
        with self._lock:
            if index is not None:
                self._index = index
            self.problem = problem
            self._stamp = stamp  # this generation is settled, served or not
            if self._reload is not None and self._reload[0] == stamp:
                self._reload = None

    def _manifest_stamp(self) -> Stamp | None:
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
        vectors = str(loaded.manifest.settings.get("vectors", "float"))
        embedder = self._embedder
        if embedder is None or (embedder.name, self._vectors) != (model, vectors):
            embedder = self._make_embedder(model, vectors)
        if embedder.dimension != loaded.manifest.dimension:
            raise IncompatibleDimension(embedder.dimension, loaded.manifest.dimension)
        index = build_search_index(loaded, lambda text: embedder.embed([text])[0],
                                   self._bm25_variant, embed_texts=embedder.embed)
        self._embedder, self._vectors = embedder, vectors
        return index

    def _make_embedder(self, model: str, vectors: str) -> Embedder:
        """By default the ONNX export ingestion made (no torch), else sentence-transformers,
        embedding questions as the index was embedded (float or int8)."""
        if self._embedder_factory is not None:
            return self._embedder_factory(model)
        return load_embedder(model, export_folder(self.index_dir, model), query_backend(vectors))


class IncompatibleDimension(IndexIncompatible):
    """The model's vectors are not as long as the index's."""

    def __init__(self, model_dimension: int, index_dimension: int) -> None:
        super().__init__(
            f"the embedding model gives {model_dimension}-dimensional vectors but the index holds"
            f" {index_dimension}: run `python -m ingest` to rebuild it with this model"
        )
