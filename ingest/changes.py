"""What an ingest changes, section by section, for the owner to read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from corpus_index.records import PATH_SEPARATOR, Chunk


@dataclass(frozen=True)
class SectionChange:
    kind: Literal["added", "changed", "removed"]
    section_id: str
    heading_path: str
    where: str  # "file:line"


@dataclass(frozen=True)
class ChangeSummary:
    added: tuple[SectionChange, ...]
    changed: tuple[SectionChange, ...]
    removed: tuple[SectionChange, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def headline(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed,"
            f" {len(self.removed)} removed, {self.unchanged} unchanged"
        )


def _by_section(chunks: Iterable[Chunk]) -> dict[str, tuple[Chunk, ...]]:
    grouped: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        grouped.setdefault(chunk.section_id, []).append(chunk)
    return {key: tuple(value) for key, value in grouped.items()}


def _change(kind, chunks: tuple[Chunk, ...]) -> SectionChange:
    first = chunks[0]
    return SectionChange(
        kind=kind,
        section_id=first.section_id,
        heading_path=PATH_SEPARATOR.join(first.path),
        where=f"{first.source}:{first.lines[0]}",
    )


def diff_sections(old: Iterable[Chunk], new: Iterable[Chunk]) -> ChangeSummary:
    """Compare two indexes' chunks by section id; a section changed if any part's text did."""
    before, after = _by_section(old), _by_section(new)
    added, changed, unchanged = [], [], 0
    for key, chunks in after.items():
        if key not in before:
            added.append(_change("added", chunks))
        elif [c.hash for c in chunks] != [c.hash for c in before[key]]:
            changed.append(_change("changed", chunks))
        else:
            unchanged += 1
    removed = [_change("removed", chunks) for key, chunks in before.items() if key not in after]
    return ChangeSummary(tuple(added), tuple(changed), tuple(removed), unchanged)
