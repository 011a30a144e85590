"""Errors that stop an ingest. Each names the file (and line) at fault and what to do."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """Base class: the ingest cannot go on; the previous index is left as it was."""


class CorpusError(IngestError):
    """The corpus folder or one of its files cannot be indexed as it is."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path is not None and line else f"{path}: " if path else ""
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class IngestBusy(IngestError):
    """Another ingest holds the lock on the index folder."""
