"""One ingest: read the corpus, chunk it, embed only what changed, swap the index in."""

from __future__ import annotations

import logging
import platform
import secrets
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path

import filelock
import numpy as np

from corpus_index import store
from corpus_index.embedding import (
    Embedder,
    configured_backend,
    load_embedder,
    model_path,
    vector_kind,
)
from corpus_index.errors import EmbedderUnavailable, IndexMissing, IndexProblem
from corpus_index.knowledge import DEFAULT_KNOWLEDGE_DIR, CompiledKnowledge
from corpus_index.onnx_backend import export_folder, export_model, read_export
from corpus_index.records import Chunk, Counts, Manifest
from corpus_index.terms import ANALYSER_VERSION

from .changes import ChangeSummary, diff_sections
from .chunking import DEFAULT_MAX_CHARS, chunk_sections, embedding_texts, text_hash
from .corpus import Notice, SourceFile, find_sources, read_source
from .errors import CorpusError, IngestBusy
from .knowledge import compile_knowledge, knowledge_hashes
from .sections import parse_file

log = logging.getLogger(__name__)
CHUNKER_VERSION = "sections-2"
RECORDED_PACKAGES = (
    "sentence-transformers",
    "transformers",
    "torch",
    "faiss-cpu",
    "rank-bm25",
    "markdown-it-py",
    "pysbd",
    "pydantic",
)

ProgressBar = Callable[[int], AbstractContextManager[Callable[[int], None]]]


@dataclass(frozen=True)
class IngestOptions:
    corpus_dir: Path
    index_dir: Path
    model: str
    max_chars: int = DEFAULT_MAX_CHARS
    check: bool = False
    wait_seconds: float = 0.0
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR


@dataclass(frozen=True)
class Corpus:
    """The corpus as read and chunked, before anything is embedded."""

    sources: tuple[SourceFile, ...]
    chunks: tuple[Chunk, ...]
    notices: tuple[Notice, ...]

    @property
    def section_count(self) -> int:
        return len({chunk.section_id for chunk in self.chunks})


@dataclass(frozen=True)
class IngestReport:
    corpus: Corpus
    changes: ChangeSummary
    embedded: int
    written: bool
    generation: str | None
    previous_problem: str | None
    seconds: float


def read_corpus(corpus_dir: Path, max_chars: int = DEFAULT_MAX_CHARS) -> Corpus:
    """Read, parse and chunk every Markdown file below `corpus_dir`.

    Raises:
        CorpusError: the folder, a file or a heading is unusable (the message says which).
    """
    sources = tuple(read_source(path, corpus_dir) for path in find_sources(corpus_dir))
    parsed = [parse_file(source) for source in sources]
    sections = [section for result in parsed for section in result.sections]
    notices = tuple(notice for result in parsed for notice in result.notices)
    chunks = chunk_sections(sections, max_chars)
    if not chunks:
        raise CorpusError(
            "no section has any text to index: write something under a heading", corpus_dir
        )
    return Corpus(sources=sources, chunks=chunks, notices=notices)


def ingest(
    options: IngestOptions,
    embedder_factory: Callable[[str], Embedder] | None = None,
    progress_bar: ProgressBar | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus, embedding only new or changed text.

    A failure at any point leaves the previous index as it was.

    Raises:
        CorpusError: the corpus cannot be indexed.
        KnowledgeFileError: a knowledge file has a mistake (named by file and line).
        IngestBusy: another ingest holds the lock.
        EmbedderUnavailable: the model cannot be loaded.
    """
    started = time.perf_counter()
    corpus = read_corpus(options.corpus_dir, options.max_chars)
    if options.check:
        compile_knowledge(options.knowledge_dir, corpus.chunks)
        previous, problem = _previous(options.index_dir)
        changes = diff_sections(previous.chunks if previous else (), corpus.chunks)
        return IngestReport(corpus, changes, 0, False, None, problem, time.perf_counter() - started)

    options.index_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(options.index_dir / store.LOCK, timeout=options.wait_seconds)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise IngestBusy(
            f"another ingest is writing {options.index_dir}/ (lock {lock.lock_file}):"
            " wait for it to finish, or pass --wait SECONDS"
        ) from None
    try:
        factory = embedder_factory or partial(exported_embedder, options.index_dir)
        return _ingest_locked(options, corpus, factory, progress_bar, started)
    finally:
        lock.release()


def _ingest_locked(
    options: IngestOptions,
    corpus: Corpus,
    embedder_factory: Callable[[str], Embedder],
    progress_bar: ProgressBar | None,
    started: float,
) -> IngestReport:
    settings = _settings(options)
    sources = {source.name: source.sha256 for source in corpus.sources}
    knowledge_sources = knowledge_hashes(options.knowledge_dir)
    manifest, problem = _previous_manifest(options.index_dir)
    if (
        manifest is not None
        and manifest.model == options.model
        and manifest.settings == settings
        and manifest.sources == sources
        and manifest.knowledge == knowledge_sources
    ):
        # Nothing to do: answer from the manifest alone, never loading the model, but
        # clear what a killed run may have left beside the live generation.
        store.remove_unreferenced(options.index_dir, manifest)
        changes = ChangeSummary((), (), (), corpus.section_count)
        return IngestReport(
            corpus, changes, 0, False, manifest.generation, None, time.perf_counter() - started
        )

    knowledge = compile_knowledge(options.knowledge_dir, corpus.chunks)
    previous, load_problem = _previous(options.index_dir) if manifest else (None, None)
    problem = problem or load_problem
    changes = diff_sections(previous.chunks if previous else (), corpus.chunks)
    reusable: dict[str, np.ndarray] = {}
    if (
        previous is not None
        and previous.manifest.model == options.model
        and previous.manifest.settings.get("vectors", "float") == settings["vectors"]
    ):
        old_chunk_texts, old_unit_texts = embedding_texts(previous.chunks)
        old_examples = _example_texts(previous.knowledge)
        reusable = dict(
            zip(
                map(text_hash, old_chunk_texts + old_unit_texts + old_examples),
                [*previous.vectors, *previous.unit_vectors, *previous.example_vectors],
                strict=True,
            )
        )
    chunk_texts, unit_texts = embedding_texts(corpus.chunks)
    example_texts = _example_texts(knowledge)
    missing = sorted({text for text in chunk_texts + unit_texts + example_texts
                      if text_hash(text) not in reusable})
    if missing:
        embedder = embedder_factory(options.model)
        with progress_bar(len(missing)) if progress_bar else nullcontext(None) as advance:
            fresh = embedder.embed(missing, progress=advance)
        reusable.update(zip(map(text_hash, missing), fresh, strict=True))

    def matrix(texts: list[str]) -> np.ndarray:
        return np.vstack([reusable[text_hash(text)] for text in texts]).astype(np.float32)

    vectors, unit_vectors = matrix(chunk_texts), matrix(unit_texts)
    contents = {
        "chunks": store.encode_chunks(corpus.chunks),
        "vectors": store.encode_vectors(vectors),
        "unit_vectors": store.encode_vectors(unit_vectors),
        "knowledge": store.encode_knowledge(knowledge),
        "examples": store.encode_vectors(matrix(example_texts)),
    }
    generation = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    files = store.describe_files(generation, contents)
    new_manifest = Manifest(
        generation=generation,
        built_at=datetime.now(UTC),
        model=options.model,
        dimension=int(vectors.shape[1]),
        settings=settings,
        versions=_versions(),
        sources=sources,
        knowledge=knowledge_sources,
        counts=Counts(
            files=len(corpus.sources),
            sections=corpus.section_count,
            chunks=len(corpus.chunks),
            units=len(unit_texts),
        ),
        files=files,
    )
    store.write_generation(
        options.index_dir,
        new_manifest,
        {getattr(files, field).name: data for field, data in contents.items()},
    )
    return IngestReport(
        corpus, changes, len(missing), True, generation, problem, time.perf_counter() - started
    )


def _example_texts(knowledge: CompiledKnowledge) -> list[str]:
    """The intents' example questions, in the order their vectors are stored."""
    return [text for _intent, text in knowledge.intents.examples()]


def exported_embedder(index_dir: Path, model: str, backend: str | None = None) -> Embedder:
    """The model for this index, exported to ONNX on first use so that later ingests and
    every query run without torch; sentence-transformers if the export cannot be made.

    Raises:
        EmbedderUnavailable: the backend (see `configured_backend`) is unknown, or asks
            for what cannot be loaded.
    """
    backend = configured_backend(backend)
    folder = export_folder(index_dir, model)
    if backend != "torch" and read_export(folder, model) is None:
        try:
            export_model(model, model_path(model), folder)
        except (EmbedderUnavailable, ImportError, RuntimeError, OSError, ValueError) as exc:
            log.warning("ONNX export of %r failed (%s); using sentence-transformers", model, exc)
    return load_embedder(model, folder, backend)


def _settings(options: IngestOptions) -> dict[str, int | str]:
    return {
        "max_chars": options.max_chars,
        "analyser": ANALYSER_VERSION,
        "chunker": CHUNKER_VERSION,
        # Float and int8 vectors do not mix: a change of backend re-embeds everything,
        # and the assistant embeds questions the way the index was embedded.
        "vectors": vector_kind(configured_backend()),
    }


def _previous_manifest(index_dir: Path) -> tuple[Manifest | None, str | None]:
    """The live manifest if its data files are whole, else None and why."""
    try:
        manifest = store.read_manifest(index_dir)
        store.verify_files(index_dir, manifest)
    except IndexMissing:
        return None, None
    except IndexProblem as exc:
        return None, str(exc)
    return manifest, None


def _previous(index_dir: Path) -> tuple[store.LoadedIndex | None, str | None]:
    """The live index if it loads, else None and why (it will be rebuilt whole)."""
    try:
        return store.load_index(index_dir), None
    except IndexMissing:
        return None, None
    except IndexProblem as exc:
        return None, str(exc)


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found
