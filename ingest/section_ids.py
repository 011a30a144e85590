"""Section ids: the file and heading path, stable across re-ingests, with repeated
headings told apart by what follows them (see `id_segments`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mdit_py_plugins.anchors.index import slugify

from corpus_index.records import PATH_SEPARATOR, Block

from .errors import CorpusError


@dataclass(frozen=True)
class Heading:
    """One heading of a file and where it sits in the outline."""

    token: int  # index of its heading_open token
    path: tuple[str, ...]
    line0: int  # 0-based line of the heading
    parent: int | None  # index of the enclosing heading in the file's heading list

    @property
    def title(self) -> str:
        return self.path[-1]


QUALIFIER_MAX_CHARS = 40  # enough for "acme-corp-london-jan-2019-mar-2021"


def section_id(source: str, segments: Sequence[str]) -> str:
    """A section's id: the file without its extension, then one segment per heading."""
    return "/".join([source.rsplit(".", 1)[0], *segments])


def heading_slug(heading: str) -> str:
    """A heading's segment of an id when the heading is not repeated: its GitHub slug."""
    return slugify(heading) or "untitled"


def id_segments(
    headings: Sequence[Heading],
    blocks: Sequence[tuple[Block, ...]],
    children: Mapping[int | None, Sequence[int]],
    origin: Path,
) -> list[tuple[str, ...]]:
    """Each heading's id segments, outermost first: its parent's, then one of its own.

    A heading's own segment is its slug. When a title repeats among the children of one
    parent (one job title at two employers, two "Projects" parts), its first occurrence
    keeps the plain slug, so ids in files without repeats never change, and each later
    one adds a qualifier from what follows it: its first line of text ("Acme Corp ·
    2019 - 2021" gives "software-engineer-acme-corp-2019-2021"), or the title of its
    first subsection when it has no text of its own. When that is empty or already
    taken, the occurrence number decides ("software-engineer-3"). No qualified segment
    takes a slug that a sibling heading has by its own title. Subsections take their
    parent's segments, so "Key Achievements" under two "Software Engineer" roles keep
    distinct ids.

    Ids survive any edit of other sections and of any text but that first line. They
    follow the order of repeats in one case only: a new repeat written above the first
    occurrence takes over its plain id (as the "-1" anchors on the page shift too).

    Truly ambiguous, and so an error: a repeat whose text and subsections are, word
    for word, the same as an earlier one's under the same parent. Only position tells
    such copies apart, and an id by position would point at the other copy as soon as
    one is removed. A heading with nothing under it is no section and is ignored.

    Raises:
        CorpusError: a heading repeats under one parent with the same text, naming both lines.
    """
    own: dict[int, str] = {at: heading_slug(heading.title) for at, heading in enumerate(headings)}
    content = _subtree_content(headings, blocks, children)
    for group in children.values():
        kept = [at for at in group if blocks[at] or at in children]
        firsts: dict[str, int] = {}
        for at in kept:
            firsts.setdefault(headings[at].title, at)
        taken = {own[at] for at in firsts.values()}
        copies: dict[tuple[object, ...], int] = {}
        occurrences: dict[str, int] = {}
        for at in kept:
            heading = headings[at]
            if content[at] in copies:
                raise CorpusError(
                    f"two sections have the heading path {PATH_SEPARATOR.join(heading.path)!r}"
                    f" and the same text (also line {headings[copies[content[at]]].line0 + 1}):"
                    " nothing tells them apart, so remove one",
                    origin,
                    heading.line0 + 1,
                )
            copies[content[at]] = at
            occurrences[heading.title] = occurrences.get(heading.title, 0) + 1
            if firsts[heading.title] == at:
                continue
            qualifier = _qualifier(_lead(at, headings, blocks, children))
            by_text = [f"{own[at]}-{qualifier}"] if qualifier else []
            by_order = (f"{own[at]}-{n}" for n in itertools.count(occurrences[heading.title]))
            own[at] = next(c for c in itertools.chain(by_text, by_order) if c not in taken)
            taken.add(own[at])
    segments: list[tuple[str, ...]] = []
    for at, heading in enumerate(headings):  # a parent always comes before its children
        above = segments[heading.parent] if heading.parent is not None else ()
        segments.append((*above, own[at]))
    return segments


def _subtree_content(
    headings: Sequence[Heading],
    blocks: Sequence[tuple[Block, ...]],
    children: Mapping[int | None, Sequence[int]],
) -> list[tuple[object, ...]]:
    """Per heading, its title, text and subsections as one comparable value."""
    content: list[tuple[object, ...]] = [()] * len(headings)
    for at in reversed(range(len(headings))):  # children come after their parent
        below = tuple(content[child] for child in children.get(at, ()))
        content[at] = (headings[at].title, tuple(b.text for b in blocks[at]), below)
    return content


def _lead(
    at: int,
    headings: Sequence[Heading],
    blocks: Sequence[tuple[Block, ...]],
    children: Mapping[int | None, Sequence[int]],
) -> str:
    """What follows a heading: its first line of text, else its first subsection's title."""
    if blocks[at]:
        return blocks[at][0].text.split("\n", 1)[0]
    below = children.get(at)
    return headings[below[0]].title if below else ""


def _qualifier(text: str) -> str:
    """`text` as a short slug: "Acme Corp · 2019 - 2021" gives "acme-corp-2019-2021"."""
    slug = re.sub(r"-{2,}", "-", slugify(text.strip())).strip("-")
    if len(slug) <= QUALIFIER_MAX_CHARS:
        return slug
    cut = slug[: QUALIFIER_MAX_CHARS + 1].rsplit("-", 1)[0]
    return cut if "-" in slug[: QUALIFIER_MAX_CHARS + 1] else slug[:QUALIFIER_MAX_CHARS]
