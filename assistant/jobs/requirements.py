"""The requirements a job description states, each quoted verbatim with its kind and place.

The text is parsed as CommonMark (markdown-it-py), so Markdown headings, `-`/`*`/numbered
lists and emphasis are read by a real parser. Text pasted from a web page has none of
that: its headings are short lines ("Requirements:", "What you'll bring") and its bullets
are glyphs ("•"), so paragraphs are also read line by line. Which parts hold requirements
is decided by heading words (`cues.yaml`), never by a fixed list of exact headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from corpus_index.sentences import split_sentences

from .cues import JobCues, first_cue_at, has_cue, is_cue, load_cues, words

Kind = Literal["must", "nice", "unknown"]
Role = Literal["requirement", "skip", "neutral"]

# Bullet glyphs that CommonMark does not know but pasted text is full of.
_GLYPH = re.compile(r"^[•·▪‣◦●○■□➢➤►–—]\s*")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_MAX_HEADING_WORDS = 10
_MAX_BARE_HEADING_WORDS = 6


@dataclass(frozen=True)
class Requirement:
    """One requirement: the bullet or sentence as written, its kind, heading and line."""

    text: str  # verbatim from the job description, whitespace normalised only
    kind: Kind
    section: str | None  # the heading it was under, as written (trailing colon dropped)
    line: int  # 1-based line in the job description where it starts
    plain: str  # the same words without Markdown markup (link targets, emphasis), for search


@dataclass(frozen=True)
class _Part:
    role: Role
    kind: Kind
    section: str | None


@dataclass(frozen=True)
class _Unit:
    """A bullet or a sentence found in the text, before it is judged."""

    text: str
    line: int
    bullet: bool
    group: int  # which list (or run of glyph lines) a bullet belongs to


_NEUTRAL = _Part("neutral", "unknown", None)


def extract_requirements(text: str) -> tuple[Requirement, ...]:
    """The requirements stated in job description `text`, in reading order.

    Bullets and sentences under headings about requirements or responsibilities are
    kept; blurbs, benefits, logistics and equal-opportunity text are not. A text with
    no such heading yields its requirement-like bullet lists, as kind "unknown".
    """
    cues = load_cues()
    found: list[Requirement] = []
    loose: list[tuple[_Unit, _Part]] = []
    saw_requirement_part = False
    for unit, part in _units(text, cues):
        plain = _plain(unit.text)
        if not plain or has_cue(words(plain), cues.sentences.skip):
            continue
        if part.role == "requirement":
            saw_requirement_part = True
            found.append(_requirement(unit, plain, part, cues))
        elif part.role == "neutral" and unit.bullet:
            loose.append((unit, part))
    if saw_requirement_part:
        return tuple(found)
    return tuple(
        _requirement(unit, _plain(unit.text), part, cues) for unit, part in _listed(loose, cues)
    )


def has_requirement_part(text: str) -> bool:
    """Whether some bullet or sentence of `text` sits under a requirement heading."""
    cues = load_cues()
    return any(part.role == "requirement" for _, part in _units(text, cues))


def _requirement(unit: _Unit, plain: str, part: _Part, cues: JobCues) -> Requirement:
    kind: Kind = "nice" if _says_nice(plain, cues) else part.kind
    return Requirement(text=unit.text, kind=kind, section=part.section, line=unit.line, plain=plain)


def _says_nice(plain: str, cues: JobCues) -> bool:
    # "(nice to have)" marks the whole bullet; "(Python preferred)" only qualifies a part of it.
    if any(is_cue(words(inner), cues.sentences.nice) for inner in _PARENTHESES.findall(plain)):
        return True
    return has_cue(words(_PARENTHESES.sub(" ", plain)), cues.sentences.nice)


def _listed(loose: list[tuple[_Unit, _Part]], cues: JobCues) -> Iterator[tuple[_Unit, _Part]]:
    """Bullets of the lists that read like requirements: at least half their items do."""
    groups: dict[int, list[tuple[_Unit, _Part]]] = {}
    for unit, part in loose:
        groups.setdefault(unit.group, []).append((unit, part))
    for items in groups.values():
        alike = sum(
            has_cue(words(_plain(u.text)), cues.sentences.requirement_like) for u, _ in items
        )
        if alike and alike * 2 >= len(items):
            yield from items


def classify_heading(heading: str, cues: JobCues) -> _Part:
    """What the part under `heading` holds: whichever cue comes first in it decides."""
    heading_words = words(heading)
    section = _section_name(heading)
    wants = first_cue_at(heading_words, cues.sections.requirement)
    skips = first_cue_at(heading_words, cues.sections.skip)
    if wants is not None and (skips is None or wants <= skips):
        return _Part("requirement", _heading_kind(heading_words, cues), section)
    if skips is not None:
        return _Part("skip", "unknown", section)
    return _Part("neutral", "unknown", section)


def _heading_kind(heading_words: tuple[str, ...], cues: JobCues) -> Kind:
    if has_cue(heading_words, cues.sections.nice):
        return "nice"
    if has_cue(heading_words, cues.sections.must):
        return "must"
    return "unknown"


def _section_name(heading: str) -> str | None:
    name = " ".join(_plain(heading).split()).rstrip(":").strip()
    return name or None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def _plain(markdown: str) -> str:
    """The visible words of one line of Markdown: link text without its target, no emphasis."""
    parts: list[str] = []
    for token in _parser().parseInline(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(child.content)
    return " ".join("".join(parts).split())


def _units(text: str, cues: JobCues) -> Iterator[tuple[_Unit, _Part]]:
    """Every bullet and sentence of `text`, with the part (heading) it was found under."""
    headings: list[tuple[int, _Part]] = []  # Markdown headings open at each level
    pseudo: _Part | None = None  # the latest heading-like line since the last Markdown heading
    lists: list[int] = []
    groups = 0
    in_item = 0
    tokens = _parser().parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1:])
            headings = [(lvl, part) for lvl, part in headings if lvl < level]
            headings.append((level, classify_heading(tokens[index + 1].content, cues)))
            pseudo = None
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            groups += 1
            lists.append(groups)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open" and in_item:
            line = _first_line(tokens[index - 1])
            yield (
                _Unit(_normalise(token.content), line, True, lists[-1]),
                _current(headings, pseudo),
            )
        elif (token.type == "inline" and tokens[index - 1].type == "paragraph_open") or (
            token.type in ("code_block", "fence")
        ):
            source = tokens[index - 1] if token.type == "inline" else token
            groups += 1
            for unit, heading in _paragraph_units(token.content, _first_line(source), groups, cues):
                if heading is not None:
                    pseudo = _nested(_markdown_part(headings), heading)
                else:
                    yield unit, _current(headings, pseudo)


def _markdown_part(headings: list[tuple[int, _Part]]) -> _Part:
    # A neutral sub-heading ("### Technical") keeps the part of the heading above it.
    for _, part in reversed(headings):
        if part.role != "neutral":
            return part
    return headings[-1][1] if headings else _NEUTRAL


def _current(headings: list[tuple[int, _Part]], pseudo: _Part | None) -> _Part:
    return pseudo if pseudo is not None else _markdown_part(headings)


def _nested(outer: _Part, inner: _Part) -> _Part:
    """The part a heading-like line opens inside a Markdown part."""
    if outer.role == "skip" or inner.role == "skip":
        return outer if outer.role == "skip" else inner
    if outer.role == "requirement":
        # "You will:" under "Responsibilities" adds nothing; "Nice to have:" changes the kind.
        return inner if inner.role == "requirement" and inner.kind != "unknown" else outer
    return inner


def _paragraph_units(
    content: str, first_line: int, group: int, cues: JobCues
) -> Iterator[tuple[_Unit | None, _Part | None]]:
    """Read a paragraph line by line: glyph bullets, heading-like lines, and prose sentences."""
    prose: list[tuple[int, str]] = []
    for offset, raw in enumerate(content.split("\n")):
        line = raw.strip()
        number = first_line + offset
        if not line:
            yield from _sentences(prose, group)
            prose = []
            continue
        bullet = _GLYPH.match(line)
        if bullet and line[bullet.end() :].strip():
            yield from _sentences(prose, group)
            prose = []
            yield _Unit(_normalise(line[bullet.end() :]), number, True, group), None
        elif _is_heading_line(line, first_of_paragraph=offset == 0, cues=cues):
            yield from _sentences(prose, group)
            prose = []
            yield None, classify_heading(line, cues)
        else:
            if prose and _ends_unit(prose[-1][1], line):
                yield from _sentences(prose, group)
                prose = []
            prose.append((number, line))
    yield from _sentences(prose, group)


def _is_heading_line(line: str, *, first_of_paragraph: bool, cues: JobCues) -> bool:
    plain = _plain(line)
    line_words = words(plain)
    if not line_words or len(line_words) > _MAX_HEADING_WORDS:
        return False
    if plain.endswith(":"):
        return True
    # A bare short line ("Requirements", "About us") only opens a paragraph, and a line that
    # reads like a requirement ("Experience with Go") is not a heading.
    return (
        first_of_paragraph
        and len(line_words) <= _MAX_BARE_HEADING_WORDS
        and plain[-1] not in ".!?;,"
        and plain[0].isupper()
        and not has_cue(line_words, cues.sentences.requirement_like)
        and (
            has_cue(line_words, cues.sections.requirement)
            or has_cue(line_words, cues.sections.skip)
        )
    )


def _ends_unit(previous: str, line: str) -> bool:
    """Whether a line break ends a unit: after full stops, or before a capitalised line."""
    return previous[-1] in ".!?:;" or line[0].isupper() or line[0].isdigit()


def _sentences(prose: list[tuple[int, str]], group: int) -> Iterator[tuple[_Unit, None]]:
    if not prose:
        return
    joined = " ".join(line for _, line in prose)
    starts = []
    position = 0
    for number, line in prose:
        starts.append((position, number))
        position += len(line) + 1
    cursor = 0
    for sentence in split_sentences(joined):
        at = joined.find(sentence, cursor)
        cursor = at + len(sentence) if at >= 0 else cursor
        number = max((n for start, n in starts if start <= max(at, 0)), default=prose[0][0])
        yield _Unit(_normalise(sentence), number, False, group), None


def _first_line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _normalise(text: str) -> str:
    return " ".join(text.split())
