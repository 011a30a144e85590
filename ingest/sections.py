"""Markdown to sections: one section per heading, with its paragraphs and list items.

markdown-it-py does the parsing (CommonMark plus tables and front matter); this
module only walks its tokens. Text is kept as plain text without markup, so an
answer can quote it verbatim.
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

from corpus_index.records import PATH_SEPARATOR, Block
from corpus_index.sentences import split_sentences

from .corpus import Notice, SourceFile, parse_front_matter
from .errors import CorpusError


@dataclass(frozen=True)
class Section:
    """Everything under one heading, up to the next heading."""

    source: str  # corpus-relative file name
    origin: Path  # the file on disk, for messages
    path: tuple[str, ...]  # heading path, outermost first
    anchor: str  # the heading's anchor as a Markdown renderer would make it
    url: str | None  # page URL from front matter, without anchor
    lines: tuple[int, int]  # 1-based, heading line to last content line
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class ParsedFile:
    sections: tuple[Section, ...]
    notices: tuple[Notice, ...]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def parse_file(source: SourceFile) -> ParsedFile:
    """Split one Markdown file into sections.

    Raises:
        CorpusError: malformed front matter, or two sections with one heading path.
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
    sections: list[Section] = []
    seen: dict[tuple[str, ...], int] = {}
    anchors: set[str] = set()
    # The span before the first heading (a preamble) is a section of its own.
    preamble: tuple[str, ...] = (_file_title(source.name),)
    if any(path == preamble for _, path, _ in headings):
        preamble = (*preamble, "Introduction")
    bounds = [(-1, preamble, None), *headings]
    for number, (token_at, path, line0) in enumerate(bounds):
        token_end = bounds[number + 1][0] if number + 1 < len(bounds) else len(tokens)
        body = tokens[token_at + 1 : token_end]
        blocks = tuple(_blocks(body))
        if line0 is None:  # the preamble
            if not blocks and not headings:
                notices.append(Notice(source.path, None, "empty file: nothing to index"))
            if not blocks:
                continue
            if not headings:
                notices.append(
                    Notice(
                        source.path,
                        None,
                        "no headings: indexed as one section"
                        f" titled {preamble[-1]!r}; add '# Title' lines to split it",
                    )
                )
        elif path in seen:
            raise CorpusError(
                f"two sections have the heading path {PATH_SEPARATOR.join(path)!r}"
                f" (also line {seen[path]}): rename one heading",
                source.path,
                line0 + 1,
            )
        if line0 is not None:
            seen[path] = line0 + 1
        anchor = _unique_anchor(slugify(path[-1]), anchors)
        if not blocks:
            has_children = number + 1 < len(bounds) and bounds[number + 1][1][: len(path)] == path
            if not has_children:
                notices.append(
                    Notice(
                        source.path,
                        line0 + 1,
                        f"empty section {path[-1]!r}"
                        " skipped: add text under the heading or remove it",
                    )
                )
            continue
        first, last = _content_lines(body, text_lines) or (1, 1)
        sections.append(
            Section(
                source=source.name,
                origin=source.path,
                path=path,
                anchor=anchor,
                url=fields.get("url"),
                lines=(first if line0 is None else line0 + 1, last),
                blocks=blocks,
            )
        )
    return ParsedFile(sections=tuple(sections), notices=tuple(notices))


def _headings(tokens: Sequence[Token]) -> list[tuple[int, tuple[str, ...], int]]:
    """(token index, heading path, 0-based line) for every heading."""
    found = []
    stack: list[tuple[int, str]] = []
    for at, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        title = _plain(tokens[at + 1]).strip() or "(untitled)"
        stack = [(lvl, name) for lvl, name in stack if lvl < level] + [(level, title)]
        found.append((at, tuple(name for _, name in stack), token.map[0] if token.map else 0))
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
