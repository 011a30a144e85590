"""Finding and reading the corpus: Markdown files, UTF-8, optional front matter."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from .errors import CorpusError

MARKDOWN_SUFFIXES = (".md", ".markdown")
FRONT_MATTER_KEYS = {
    "url": "public address of the page this file lays out; citations link to URL#anchor"
}


@dataclass(frozen=True)
class SourceFile:
    """One corpus file, read and decoded."""

    path: Path  # as found on disk, for messages
    name: str  # relative to the corpus folder, '/'-separated: the file's identity
    text: str
    sha256: str


@dataclass(frozen=True)
class Notice:
    """A warning about the corpus: ingest goes on with a sensible default."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


def find_sources(corpus_dir: Path) -> list[Path]:
    """Every Markdown file below `corpus_dir`, in a stable order; hidden folders skipped.

    Raises:
        CorpusError: the folder is missing or holds no Markdown file.
    """
    if not corpus_dir.is_dir():
        raise CorpusError(
            "corpus folder not found: create it and put the portfolio's Markdown files in it,"
            " or pass --corpus DIR",
            corpus_dir,
        )
    paths = sorted(
        path
        for path in corpus_dir.rglob("*")
        if path.suffix.lower() in MARKDOWN_SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(corpus_dir).parts)
    )
    if not paths:
        raise CorpusError(
            "no Markdown (.md) files in the corpus folder: add at least one", corpus_dir
        )
    return paths


def read_source(path: Path, corpus_dir: Path) -> SourceFile:
    """Read one corpus file as UTF-8.

    Raises:
        CorpusError: the file is not UTF-8 text, cannot be read, or vanished.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError("the file disappeared while the corpus was being read: run the"
                          " ingest again", path) from None
    except OSError as exc:
        raise CorpusError(f"cannot read the file ({exc.strerror}): check its permissions",
                          path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}):"
            " save the file as UTF-8",
            path,
            line,
        ) from None
    return SourceFile(
        path=path,
        name=path.relative_to(corpus_dir).as_posix(),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def parse_front_matter(raw: str | None, source: SourceFile) -> tuple[dict[str, str], list[Notice]]:
    """Validate a file's YAML front matter (`raw` is its text between the fences).

    Raises:
        CorpusError: the YAML is malformed or a known key has a bad value.
    """
    if raw is None or not raw.strip():
        return {}, []
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the opening ---
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(
            f"malformed front matter ({problem}): fix the YAML between the --- lines",
            source.path,
            line,
        ) from None
    if not isinstance(data, dict):
        raise CorpusError(
            "front matter must be 'key: value' lines, e.g. 'url: https://…'", source.path, 2
        )
    lines = _key_lines(raw)
    notices = [
        Notice(
            source.path,
            lines.get(key, 1),
            f"unknown front matter key {key!r} ignored (known: "
            + ", ".join(FRONT_MATTER_KEYS)
            + ")",
        )
        for key in data
        if key not in FRONT_MATTER_KEYS
    ]
    fields: dict[str, str] = {}
    url = data.get("url")
    if url is not None:
        parsed = urlparse(str(url))
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.fragment:
            raise CorpusError(
                f"front matter url {url!r} must be an http(s) address without '#'",
                source.path,
                lines.get("url", 2),
            )
        fields["url"] = str(url)
    return fields, notices


def _key_lines(raw: str) -> dict[object, int]:
    """The file line of each top-level front matter key (the opening --- is line 1)."""
    node = yaml.compose(raw)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 2 for key, _ in node.value}
