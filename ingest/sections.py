"""Markdown to sections: one section per heading, with its paragraphs and list items.

markdown-it-py does the parsing (CommonMark plus tables and front matter); this
module only walks its tokens. Text is kept as plain text without markup, so an
answer can quote it verbatim. Each section gets its stable id here, because
telling repeated headings apart needs the whole file (see `_id_segments`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.front_matter import front_matter_plugin

from corpus_index.records import PATH_SEPARATOR, Block
from corpus_index.sentences import split_sentences

from .corpus import Notice, SourceFile, parse_front_matter
from .errors import CorpusError


@dataclass(frozen=True)
class Section:
    """Everything under one heading, up to the next heading."""

    source: str  # corpus-relative file name
    origin: Path  # the file on disk, for messages
    path: tuple[str, ...]  # heading path, outermost first; may repeat within a file
    id: str  # stable: file and heading path, qualified where the path repeats in the file
    anchor: str  # the heading's anchor as a Markdown renderer would make it
    url: str | None  # page URL from front matter, without anchor
    lines: tuple[int, int]  # 1-based, heading line to last content line
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class ParsedFile:
    """The sections of one file and what a person should hear about it."""

    sections: tuple[Section, ...]
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class _Heading:
    """One heading of a file and where it sits in the outline."""

    token: int  # index of its heading_open token
    path: tuple[str, ...]
    line0: int  # 0-based line of the heading
    parent: int | None  # index of the enclosing heading in the file's heading list

    @property
    def title(self) -> str:
        return self.path[-1]


QUALIFIER_MAX_CHARS = 40  # enough for "acme-corp-london-jan-2019-mar-2021"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def parse_file(source: SourceFile) -> ParsedFile:
    """Split one Markdown file into sections.

    Raises:
        CorpusError: malformed front matter, or a heading repeated with the same text under
            one parent, so that nothing tells the two apart.
    """
    tokens = _parser().parse(source.text)
    front_matter = next((t.content for t in tokens if t.type == "front_matter"), None)
    first_line = source.text.lstrip("\ufeff").split("\n", 1)[0]
    if front_matter is None and first_line.rstrip() == "---":
        raise CorpusError(
            "front matter opened with '---' is never closed: add a closing '---' line",
            source.path,
            1,
        )
    fields, notices = parse_front_matter(front_matter, source)
    notices = list(notices)
    text_lines = source.text.splitlines()
    headings = _headings(tokens)
    ends = [heading.token for heading in headings[1:]] + [len(tokens)]
    bodies = [tokens[heading.token + 1 : ends[at]] for at, heading in enumerate(headings)]
    blocks = [tuple(_blocks(body)) for body in bodies]
    children: dict[int | None, list[int]] = {}
    for at, heading in enumerate(headings):
        children.setdefault(heading.parent, []).append(at)
    segments = _id_segments(headings, blocks, children, source.path)
    sections: list[Section] = []
    anchors: set[str] = set()

    # The span before the first heading (a preamble) is a section of its own.
    preamble_body = tokens[: headings[0].token] if headings else tokens
    preamble_blocks = tuple(_blocks(preamble_body))
    preamble: tuple[str, ...] = (_file_title(source.name),)
    if any(heading.path == preamble for heading in headings):
        preamble = (*preamble, "Introduction")
    if not preamble_blocks and not headings:
        notices.append(Notice(source.path, None, "empty file: nothing to index"))
    if preamble_blocks:
        if not headings:
            notices.append(
                Notice(
                    source.path,
                    None,
                    "no headings: indexed as one section"
                    f" titled {preamble[-1]!r}; add '# Title' lines to split it",
                )
            )
        first, last = _content_lines(preamble_body, text_lines) or (1, 1)
        sections.append(
            Section(
                source=source.name,
                origin=source.path,
                path=preamble,
                id=section_id(source.name, [heading_slug(title) for title in preamble]),
                anchor=_unique_anchor(slugify(preamble[-1]), anchors),
                url=fields.get("url"),
                lines=(first, last),
                blocks=preamble_blocks,
            )
        )

    for at, heading in enumerate(headings):
        # Every heading takes an anchor, as it does on the rendered page, section or not.
        anchor = _unique_anchor(slugify(heading.title), anchors)
        if not blocks[at]:
            if at not in children:
                notices.append(
                    Notice(
                        source.path,
                        heading.line0 + 1,
                        f"empty section {heading.title!r}"
                        " skipped: add text under the heading or remove it",
                    )
                )
            continue
        _, last = _content_lines(bodies[at], text_lines) or (1, 1)
        sections.append(
            Section(
                source=source.name,
                origin=source.path,
                path=heading.path,
                id=section_id(source.name, segments[at]),
                anchor=anchor,
                url=fields.get("url"),
                lines=(heading.line0 + 1, last),
                blocks=blocks[at],
            )
        )
    return ParsedFile(sections=tuple(sections), notices=tuple(notices))


def section_id(source: str, segments: Sequence[str]) -> str:
    """A section's id: the file without its extension, then one segment per heading."""
    return "/".join([source.rsplit(".", 1)[0], *segments])


def heading_slug(heading: str) -> str:
    """A heading's segment of an id when the heading is not repeated: its GitHub slug."""
    return slugify(heading) or "untitled"


def _id_segments(
    headings: Sequence[_Heading],
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
    headings: Sequence[_Heading],
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
    headings: Sequence[_Heading],
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


def _headings(tokens: Sequence[Token]) -> list[_Heading]:
    """Every heading of the file in order, each with its path and enclosing heading."""
    found: list[_Heading] = []
    stack: list[tuple[int, int]] = []  # (level, index in found) of the open headings
    for at, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        title = _plain(tokens[at + 1]).strip() or "(untitled)"
        stack = [(lvl, index) for lvl, index in stack if lvl < level]
        parent = stack[-1][1] if stack else None
        above = found[parent].path if parent is not None else ()
        stack.append((level, len(found)))
        found.append(_Heading(at, (*above, title), token.map[0] if token.map else 0, parent))
    return found


def _blocks(tokens: Sequence[Token]) -> Iterator[Block]:
    """Paragraphs, list items, table rows and code of one section, as plain text."""
    in_item = 0
    row: list[str] | None = None
    for at, token in enumerate(tokens):
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            text = " | ".join(cell for cell in row if cell)
            if text:
                yield Block(kind="item", text=text, units=(text,))
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_plain(token).strip())
        elif token.type == "inline" and at > 0 and tokens[at - 1].type == "paragraph_open":
            text = _plain(token).strip()
            if not text:
                continue
            if in_item:
                yield Block(kind="item", text=text, units=(text,))
            else:
                yield Block(kind="paragraph", text=text, units=split_sentences(text))
        elif token.type in ("fence", "code_block") and token.content.strip():
            text = token.content.strip()
            yield Block(kind="paragraph", text=text, units=(text,))


def _plain(inline: Token) -> str:
    """The text of an inline token without its markup."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(_plain(child))
    return "".join(parts)


def _content_lines(tokens: Sequence[Token], lines: Sequence[str]) -> tuple[int, int] | None:
    """First and last 1-based line the tokens cover, trailing blank lines left out."""
    spans = [token.map for token in tokens if token.map]
    if not spans:
        return None
    first, end = min(span[0] for span in spans), max(span[1] for span in spans)
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return first + 1, end


def _unique_anchor(slug: str, used: set[str]) -> str:
    """GitHub's rule: a second "challenge" in a page is "challenge-1", then "challenge-2",
    skipping any a heading already took ("Challenge 1")."""
    slug = slug or "section"
    anchor, count = slug, 0
    while anchor in used:
        count += 1
        anchor = f"{slug}-{count}"
    used.add(anchor)
    return anchor


def _file_title(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").strip().title() or name
