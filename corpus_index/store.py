"""The index folder on disk: plain files, a JSON manifest, no pickle.

    index/
      manifest.json                 names the live generation; replaced atomically
      chunks-<generation>.jsonl     one Chunk a line
      vectors-<generation>.faiss    L2-normalised chunk embeddings, inner-product FAISS index
      units-<generation>.faiss      the same for every quotable unit, in chunk order
      knowledge-<generation>.json   intents, aliases and lexicon, compiled for this corpus
      examples-<generation>.faiss   the intents' example questions, embedded
      .ingest.lock                  held by the one ingest that may write

A writer puts a new generation's data files beside the old ones, then swaps
`manifest.json` with one `os.replace`, then deletes every file the new
manifest does not name. A reader that loses the race to that deletion simply
reads the manifest again. A run killed at any point leaves the old manifest
and the files it names untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .errors import IndexDamaged, IndexIncompatible, IndexMissing
from .knowledge import CompiledKnowledge
from .records import FORMAT_VERSION, Chunk, DataFile, IndexFiles, Manifest

if TYPE_CHECKING:
    import numpy as np

MANIFEST = "manifest.json"
LOCK = ".ingest.lock"
_READ_ATTEMPTS = 3


@dataclass(frozen=True)
class LoadedIndex:
    """One generation of the index, fully read and checked."""

    manifest: Manifest
    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # float32, shape (len(chunks), manifest.dimension)
    unit_vectors: np.ndarray  # float32, one row per unit of every chunk, in order
    knowledge: CompiledKnowledge
    example_vectors: np.ndarray  # float32, one row per example of knowledge.intents


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def read_manifest(index_dir: Path) -> Manifest:
    """Read and validate `manifest.json`.

    Raises:
        IndexMissing: there is no manifest yet.
        IndexDamaged: the manifest is not valid JSON for this format.
        IndexIncompatible: the manifest is of another format version.
    """
    path = index_dir / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise IndexMissing(
            f"no index in {index_dir}/: run `python -m ingest` to build it"
        ) from None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexDamaged(
            f"{path} is damaged ({exc}): run `python -m ingest` to rebuild the index"
        ) from None
    version = data.get("format_version") if isinstance(data, dict) else None
    if version != FORMAT_VERSION:
        raise IndexIncompatible(
            f"{path} is index format {version!r}, this program reads format {FORMAT_VERSION}:"
            " run `python -m ingest` to rebuild the index"
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise IndexDamaged(
            f"{path} is damaged ({where}: {first['msg']}): run `python -m ingest` to rebuild it"
        ) from None


def load_index(index_dir: Path) -> LoadedIndex:
    """Read the live generation: manifest, chunks and vectors, checksums verified.

    Raises:
        IndexMissing, IndexDamaged, IndexIncompatible: as `read_manifest`, or when a
            data file is gone, truncated or altered.
    """
    for _ in range(_READ_ATTEMPTS):
        manifest = read_manifest(index_dir)
        try:
            return _load_generation(index_dir, manifest)
        except FileNotFoundError as exc:
            # An ingest may have swapped the manifest and removed this generation's
            # files after we read it; only a file missing from the live one is damage.
            if read_manifest(index_dir).generation == manifest.generation:
                raise IndexDamaged(
                    f"{exc.filename} is missing: run `python -m ingest` to rebuild the index"
                ) from None
    raise IndexDamaged(f"{index_dir}/ kept changing while being read: try again")


def verify_files(index_dir: Path, manifest: Manifest) -> None:
    """Check that the manifest's data files are present and unaltered, without parsing them.

    Raises:
        IndexDamaged: a file is missing or does not match its checksum.
    """
    for data_file in manifest.files.all():
        try:
            _checked_bytes(index_dir, data_file)
        except FileNotFoundError:
            raise IndexDamaged(
                f"{index_dir / data_file.name} is missing: run `python -m ingest` to rebuild the"
                " index"
            ) from None


def _load_generation(index_dir: Path, manifest: Manifest) -> LoadedIndex:
    files = manifest.files
    chunk_bytes = _checked_bytes(index_dir, files.chunks)
    vector_bytes = _checked_bytes(index_dir, files.vectors)
    unit_bytes = _checked_bytes(index_dir, files.unit_vectors)
    knowledge_bytes = _checked_bytes(index_dir, files.knowledge)
    example_bytes = _checked_bytes(index_dir, files.examples)
    try:
        chunks = tuple(
            Chunk.model_validate_json(line) for line in chunk_bytes.splitlines() if line.strip()
        )
        knowledge = CompiledKnowledge.model_validate_json(knowledge_bytes)
    except ValidationError as exc:
        raise IndexDamaged(
            f"{index_dir / files.chunks.name} or {files.knowledge.name} is damaged"
            f" ({exc.errors()[0]['msg']}): run `python -m ingest` to rebuild the index"
        ) from None
    vectors = decode_vectors(vector_bytes)
    unit_vectors = decode_vectors(unit_bytes)
    example_vectors = decode_vectors(example_bytes)
    unit_count = sum(len(chunk.units) for chunk in chunks)
    for name, matrix, rows in (
        (files.vectors.name, vectors, len(chunks)),
        (files.unit_vectors.name, unit_vectors, unit_count),
        (files.examples.name, example_vectors, len(knowledge.intents.examples())),
    ):
        if matrix.shape != (rows, manifest.dimension):
            raise IndexDamaged(
                f"{index_dir / name} holds vectors of shape {matrix.shape}, expected"
                f" ({rows}, {manifest.dimension}): run `python -m ingest` to rebuild the index"
            )
    return LoadedIndex(manifest=manifest, chunks=chunks, vectors=vectors,
                       unit_vectors=unit_vectors, knowledge=knowledge,
                       example_vectors=example_vectors)


def _checked_bytes(index_dir: Path, data_file: DataFile) -> bytes:
    path = index_dir / data_file.name
    data = path.read_bytes()
    if sha256_bytes(data) != data_file.sha256:
        raise IndexDamaged(
            f"{path} does not match its checksum in {MANIFEST} (truncated or edited?):"
            " run `python -m ingest` to rebuild the index"
        )
    return data


def encode_vectors(vectors: np.ndarray) -> bytes:
    """Serialise normalised vectors as a FAISS inner-product index."""
    import faiss
    import numpy as np

    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    flat = faiss.IndexFlatIP(matrix.shape[1])
    if len(matrix):
        flat.add(matrix)
    return faiss.serialize_index(flat).tobytes()


def decode_vectors(data: bytes) -> np.ndarray:
    """The vectors stored by `encode_vectors`."""
    import faiss
    import numpy as np

    try:
        flat = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
    except RuntimeError as exc:
        raise IndexDamaged(f"vector file is damaged ({exc}): run `python -m ingest`") from None
    return flat.reconstruct_n(0, flat.ntotal) if flat.ntotal else np.zeros((0, flat.d), "float32")


def encode_chunks(chunks: Iterable[Chunk]) -> bytes:
    """Chunks as JSON Lines."""
    return b"".join(chunk.model_dump_json().encode() + b"\n" for chunk in chunks)


_FILE_NAMES = {
    "chunks": "chunks-{}.jsonl",
    "vectors": "vectors-{}.faiss",
    "unit_vectors": "units-{}.faiss",
    "knowledge": "knowledge-{}.json",
    "examples": "examples-{}.faiss",
}


def describe_files(generation: str, contents: dict[str, bytes]) -> IndexFiles:
    """Names and checksums of one generation's data files; `contents` maps each field
    of IndexFiles ("chunks", "vectors", ...) to its bytes."""
    return IndexFiles(**{
        field: DataFile(name=pattern.format(generation), sha256=sha256_bytes(contents[field]))
        for field, pattern in _FILE_NAMES.items()
    })


def encode_knowledge(knowledge: CompiledKnowledge) -> bytes:
    """Compiled knowledge as JSON."""
    return knowledge.model_dump_json().encode()


def write_generation(index_dir: Path, manifest: Manifest, contents: dict[str, bytes]) -> None:
    """Write one generation beside the live one, swap it in, remove the rest.

    `contents` maps each of `manifest.files` names (from `describe_files`) to its bytes.
    The caller holds the ingest lock.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    for data_file in manifest.files.all():
        _write_durably(index_dir / data_file.name, contents[data_file.name])
    staged = index_dir / f".{MANIFEST}.{manifest.generation}.tmp"
    _write_durably(staged, manifest.model_dump_json(indent=2).encode() + b"\n")
    os.replace(staged, index_dir / MANIFEST)
    _fsync_dir(index_dir)
    remove_unreferenced(index_dir, manifest)


def remove_unreferenced(index_dir: Path, manifest: Manifest) -> list[str]:
    """Delete files of other generations and leftovers of killed runs; return their names."""
    keep = {MANIFEST, LOCK, *(data_file.name for data_file in manifest.files.all())}
    removed = []
    for entry in index_dir.iterdir():
        if entry.name not in keep and entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
