"""Shared test fixtures: a temporary working folder, a fake embedder, an inline corpus.

Every test runs in its own `tmp_path` with the embedding model unset and the
Hugging Face libraries offline, so nothing is written into the repository and
nothing reaches the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import ingest.cli as ingest_cli_module
from ingest.build import IngestOptions, IngestReport, ingest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_PORTFOLIO = REPO_ROOT.parent / "shared/source/portfolio.txt"
REAL_CORPUS = REPO_ROOT / "corpus"


class FakeEmbedder:
    """Deterministic stand-in for the model: a vector from a hash of each text.

    Records every text it is asked to embed in `seen`, so a test can prove what
    was (and was not) embedded again.
    """

    # 64 dimensions keep random cosines near zero (sd 0.125): far below the similarity at
    # which a question is taken to have an intent, so hashed vectors never fake one.
    def __init__(self, name: str = "fake-model", dimension: int = 64, batch_size: int = 32):
        self.name = name
        self.dimension = dimension
        self.batch_size = batch_size
        self.seen: list[str] = []

    def vector(self, text: str) -> np.ndarray:
        """The unit vector this embedder gives `text`."""
        blocks = -(-self.dimension * 4 // 32)  # sha256 gives 8 uint32 per block
        digest = b"".join(hashlib.sha256(f"{n}:{text}".encode()).digest() for n in range(blocks))
        raw = np.frombuffer(digest, dtype=np.uint32)[: self.dimension]
        centred = raw.astype(np.float64) / np.iinfo(np.uint32).max - 0.5
        return (centred / np.linalg.norm(centred)).astype(np.float32)

    def embed(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed `texts` in batches, calling `progress(n)` after each batch of n."""
        rows = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            self.seen.extend(batch)
            rows.extend(self.vector(text) for text in batch)
            if progress:
                progress(len(batch))
        if not rows:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack(rows)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a temporary folder, with the default model and backend, and no network."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PORTFOLIO_EMBEDDING_MODEL", raising=False)
    monkeypatch.delenv("PORTFOLIO_EMBEDDING_BACKEND", raising=False)
    # Log files too, also those of a `python -m ingest` a test starts in the repository.
    monkeypatch.setenv("PORTFOLIO_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.delenv("PORTFOLIO_VERBOSE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    # Anything the Hugging Face libraries would cache goes to the temporary folder.
    monkeypatch.setenv("HF_HOME", str(tmp_path / ".hf-home"))


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """A fresh `FakeEmbedder`."""
    return FakeEmbedder()


WriteCorpus = Callable[[Path, Mapping[str, str | bytes]], Path]


@pytest.fixture
def write_corpus() -> WriteCorpus:
    """`write_corpus(folder, {relpath: text})` writes the files and returns the folder.

    Text is written as UTF-8 exactly as given (no newline translation); bytes as they are.
    """

    def write(folder: Path, files: Mapping[str, str | bytes]) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for relpath, content in files.items():
            path = folder / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return folder

    return write


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by relative path, with its bytes: compare before and after."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_index(
    corpus_dir: Path, index_dir: Path, embedder: FakeEmbedder, **options: object
) -> IngestReport:
    """Ingest `corpus_dir` into `index_dir` with `embedder` (model name: the embedder's)."""
    settings = {"model": embedder.name, **options}
    return ingest(
        IngestOptions(corpus_dir=corpus_dir, index_dir=index_dir, **settings),
        embedder_factory=lambda name: embedder,
    )


@dataclass(frozen=True)
class CliRun:
    """What one run of `python -m ingest` returned and printed."""

    code: int
    out: str
    err: str

    def lines(self, prefix: str) -> list[str]:
        """stderr lines starting with `prefix` (progress bars' carriage returns split lines)."""
        return [
            line for line in self.err.replace("\r", "\n").splitlines() if line.startswith(prefix)
        ]


@pytest.fixture
def ingest_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_embedder: FakeEmbedder
) -> Callable[..., CliRun]:
    """`ingest_cli(*args)` runs `python -m ingest` in-process with `fake_embedder` as the model."""
    real_ingest = ingest_cli_module.ingest

    def with_fake_model(options: IngestOptions, **kwargs: object) -> IngestReport:
        return real_ingest(options, embedder_factory=lambda name: fake_embedder, **kwargs)

    monkeypatch.setattr(ingest_cli_module, "ingest", with_fake_model)

    def run(*args: object) -> CliRun:
        capsys.readouterr()
        code = ingest_cli_module.main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return CliRun(code, out, err)

    return run


def pdf_bytes(text: str | None) -> bytes:
    """A minimal one-page PDF; with `text`, the page shows it in Helvetica, without it the
    page has no text layer (a scan, as far as text extraction goes)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    resources = b"/Resources << /Font << /F1 4 0 R >> >>" if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        + resources
        + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
