"""Markdown to sections: one section per heading, with its paragraphs and list items.

markdown-it-py does the parsing (CommonMark plus tables and front matter); this
module only walks its tokens. Text is kept as plain text without markup, so an
answer can quote it verbatim. Each section gets its stable id here, because
telling repeated headings apart needs the whole file (see `section_ids.id_segments`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.front_matter import front_matter_plugin

from corpus_index.records import Block
from corpus_index.sentences import split_sentences

from .corpus import Notice, SourceFile, parse_front_matter
from .errors import CorpusError
from .section_ids import Heading, heading_slug, id_segments, section_id


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
    segments = id_segments(headings, blocks, children, source.path)
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


def _headings(tokens: Sequence[Token]) -> list[Heading]:
    """Every heading of the file in order, each with its path and enclosing heading."""
    found: list[Heading] = []
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
        found.append(Heading(at, (*above, title), token.map[0] if token.map else 0, parent))
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
