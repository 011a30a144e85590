"""The roles of a career, read from the experience sections: a title (the section's
heading), the quote that dates it ("SaaS Labs · Oct 2023 - Present"), and the dates
as numbers, so "first", "before" and "now" can be answered by order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus_index.records import Chunk

from ..records import YearMonth
from .answer_types import DATE_RANGE

_MONTHS = {name: at for at, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMERIC_MONTH = re.compile(r"(\d{1,2})/")
_ISO_MONTH = re.compile(r"(?:19|20)\d\d-(\d\d)")



@dataclass(frozen=True)
class Role:
    """One dated role of a career."""

    chunk: int
    unit: int  # the unit that dates the role
    title: str
    dates: str  # the dates as the corpus writes them ("Oct 2023 - Present")
    start: YearMonth
    end: YearMonth | None  # None: ongoing ("Present")

    @property
    def current(self) -> bool:
        return self.end is None


def parse_point(text: str) -> YearMonth | None:
    """"Oct 2023" -> (2023, 10); "2019" -> (2019, 0); "Present" -> None."""
    year = _YEAR.search(text)
    if not year:
        return None
    month = 0
    word = text.strip().lower()[:3]
    if word in _MONTHS:
        month = _MONTHS[word]
    elif numeric := _NUMERIC_MONTH.match(text.strip()):
        month = int(numeric.group(1))
    elif iso := _ISO_MONTH.match(text.strip()):
        month = int(iso.group(1))
    return int(year.group(0)), month


def find_roles(
    chunks: Sequence[Chunk],
    kinds: Sequence[frozenset[str]],
    chunk_units: Sequence[range],
    unit_texts: Sequence[str],
) -> tuple[Role, ...]:
    """Every dated role of the experience sections, earliest start first."""
    roles = []
    for at, chunk in enumerate(chunks):
        if "experience" not in kinds[at]:
            continue
        for unit in chunk_units[at]:
            match = DATE_RANGE.search(unit_texts[unit])
            if not match:
                continue
            start = parse_point(match.group("start") or match.group("since"))
            if start is None:
                continue
            end = parse_point(match.group("end") or "")
            roles.append(Role(chunk=at, unit=unit, title=chunk.title,
                              dates=match.group(0).strip(), start=start, end=end))
            break  # one role per section: its first dates line
    return tuple(sorted(roles, key=lambda role: (role.start, role.end or (9999, 99))))


@dataclass(frozen=True)
class UndatedRole:
    """A section beside the dated roles with no dates this module can read."""

    chunk: int  # its first chunk
    title: str


def find_undated_roles(
    chunks: Sequence[Chunk],
    kinds: Sequence[frozenset[str]],
    roles: Sequence[Role],
) -> tuple[UndatedRole, ...]:
    """The experience sections that sit beside dated roles (same file, same parent
    heading) but are not dated themselves, in corpus order: roles whose dates cannot be
    read, which a timeline leaves out and names instead of placing them by guess."""
    dated = {chunks[role.chunk].section_id for role in roles}
    parents = {(chunks[role.chunk].source, chunks[role.chunk].path[:-1]) for role in roles}
    found: dict[str, UndatedRole] = {}
    for at, chunk in enumerate(chunks):
        if (chunk.section_id not in dated and "experience" in kinds[at]
                and (chunk.source, chunk.path[:-1]) in parents):
            found.setdefault(chunk.section_id, UndatedRole(chunk=at, title=chunk.title))
    return tuple(found.values())
