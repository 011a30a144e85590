"""What the chat shows for an answer: message text, source panels and buttons.

Pure functions from an `Answer` and the index to plain records; the Chainlit
app only turns these records into Chainlit objects.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus_index.records import PATH_SEPARATOR

from ..compose import escape_markdown, marker
from ..jobs.match import MatchReport, RequirementMatch
from ..jobs.report import (
    NO_EVIDENCE,
    STATUS_LABELS,
    cell,
    numbered_once,
    report_markdown,
    requirement_cell,
    summary_line,
)
from ..records import Answer, Citation
from ..search.search_index import SearchIndex
from ..timeline import Timeline, describe, left_out_line
from ..understand.followup import topic_of

_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")  # a quote's own "[1]" is escaped as "\[1\]"
MAX_SUGGESTION_BUTTONS = 3
REPORT_FILE = "match-report.md"
MATCH_FOOTER = ("Each number opens the quoted section. The report below downloads as Markdown,"
                " sources included, for the hiring manager.")


@dataclass(frozen=True)
class Panel:
    """A side panel opened by clicking the citation marker that is its name."""

    name: str
    markdown: str


@dataclass(frozen=True)
class Button:
    """An action button under a message."""

    action: str  # "ask" (ask a question) or "topic" (show a whole case study)
    label: str
    payload: dict


@dataclass(frozen=True)
class Download:
    """A file offered under a message, saved by the browser under `name`."""

    name: str
    markdown: str


@dataclass(frozen=True)
class TimelinePicture:
    """The career timeline drawn under a message; `alt` lists its roles in words."""

    timeline: Timeline
    alt: str


@dataclass(frozen=True)
class Reply:
    content: str
    panels: tuple[Panel, ...] = ()
    buttons: tuple[Button, ...] = ()
    downloads: tuple[Download, ...] = ()
    picture: TimelinePicture | None = None


@dataclass(frozen=True)
class StarterQuestion:
    label: str
    message: str
    reply: str | None = None  # a fixed reply instead of an answer (how to use a feature)


def load_starters(path: Path) -> tuple[StarterQuestion, ...]:
    """The starters the owner keeps in a TOML file; none if it is missing or malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return ()
    items = data.get("starter", [])
    return tuple(
        StarterQuestion(label=str(item["label"]), message=str(item["message"]),
                        reply=str(item["reply"]) if item.get("reply") else None)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and item.get("label") and item.get("message")
    )


def section_markdown(index: SearchIndex, section_id: str, quotes: Iterable[str] = ()) -> str:
    """A section's whole text as Markdown, its quoted units in bold."""
    quoted = set(quotes)
    out: list[str] = []
    previous_kind = None
    for chunk in (index.chunks[at] for at in index.section_chunks.get(section_id, ())):
        for block in chunk.blocks:
            text = " ".join(f"**{escape_markdown(u)}**" if u in quoted else escape_markdown(u)
                            for u in block.units)
            if previous_kind is not None:
                out.append("\n" if block.kind == previous_kind == "item" else "\n\n")
            out.append(f"- {text}" if block.kind == "item" else text)
            previous_kind = block.kind
    return "".join(out)


def citation_panel(index: SearchIndex, citation: Citation, quotes: Sequence[str]) -> Panel:
    """The side panel of one citation: where it is, the section, the live link."""
    where = escape_markdown(PATH_SEPARATOR.join(citation.path))
    parts = [f"**{where}**", "", section_markdown(index, citation.id, quotes), "",
             f"_Source: {escape_markdown(citation.source)}_"]
    if citation.url:
        parts.append(f"[Open this section of the live portfolio]({citation.url})")
    return Panel(name=marker(citation.n), markdown="\n".join(parts))


def renumber(text: str, offset: int) -> str:
    """Shift every citation marker "[n]" by `offset`; escaped brackets in quotes stay."""
    if not offset:
        return text
    return _MARKER.sub(lambda match: marker(int(match.group(1)) + offset), text)


def render_answer(result: Answer, index: SearchIndex, offset: int = 0) -> Reply:
    """The chat message for an answer or a decline.

    Citation numbers run on through a chat (`offset` = citations shown before), so
    every marker names one side panel: Chainlit gathers panels of the same name.
    """
    if not result.answered:
        buttons = tuple(
            Button(action="ask", label=PATH_SEPARATOR.join(s.path[-2:]),
                   payload={"question": f"Tell me about {s.title}", "section": s.id})
            for s in result.suggestions[:MAX_SUGGESTION_BUTTONS]
        )
        # The closest quotes of a decline open their sections like any citation.
        return Reply(content=renumber(result.text, offset),
                     panels=_panels(index, result.related, offset), buttons=buttons)
    panels = _panels(index, result.citations, offset)
    topics: dict[tuple[str, ...], None] = {}
    for citation in result.citations:
        topic = topic_of(citation.path)
        # A sub-section's whole (a case study), or a section's own sub-sections (a role).
        if topic != tuple(citation.path) or _has_subsections(index, topic):
            topics.setdefault(topic, None)
    buttons = tuple(
        Button(action="topic", label=f"Read all of “{topic[-1]}”", payload={"topic": list(topic)})
        for topic in topics
    )
    content = renumber(result.text, offset)
    timeline = result.timeline
    if timeline is not None and not timeline.roles and timeline.left_out:
        # Nothing to draw: the roles left out are still named, under the quotes.
        content += "\n\n" + escape_markdown(left_out_line(timeline))
    picture = (TimelinePicture(timeline, describe(timeline))
               if timeline is not None and timeline.roles else None)
    return Reply(content=content, panels=panels, buttons=buttons, picture=picture)


def render_match(report: MatchReport, index: SearchIndex, offset: int = 0) -> Reply:
    """The chat message for a matched job description: the summary line, a table of
    requirement | status | evidence, a side panel per marker and the Markdown download.

    Markers run on through the chat from `offset` + 1, as an answer's do; they are the
    download's numbers (one per distinct quote) shifted by `offset`.
    """
    rows, sources = numbered_once(report)
    lines = [f"**{summary_line(report)}**", "",
             "| Requirement | Status | Evidence |", "| --- | --- | --- |"]
    lines += [_match_row(item, citations, offset)
              for item, citations in zip(report.requirements, rows, strict=True)]
    lines += ["", MATCH_FOOTER]
    return Reply(content="\n".join(lines), panels=_panels(index, sources, offset),
                 downloads=(Download(name=REPORT_FILE, markdown=report_markdown(report)),))


def _match_row(item: RequirementMatch, citations: Sequence[Citation], offset: int) -> str:
    status = STATUS_LABELS[item.status] + (f": {cell(item.note)}" if item.note else "")
    evidence = " ".join(f"“{cell(c.quote)}” {marker(c.n + offset)}" for c in citations)
    return f"| {requirement_cell(item)} | {status} | {evidence or NO_EVIDENCE} |"


def _panels(index: SearchIndex, citations: Sequence[Citation], offset: int) -> tuple[Panel, ...]:
    """One side panel per citation, numbered on from `offset`, its section's quotes bold."""
    quotes_by_section: dict[str, list[str]] = {}
    for citation in citations:
        quotes_by_section.setdefault(citation.id, []).append(citation.quote)
    return tuple(
        citation_panel(index, c.model_copy(update={"n": c.n + offset}), quotes_by_section[c.id])
        for c in citations
    )


def _has_subsections(index: SearchIndex, path: tuple[str, ...]) -> bool:
    return any(len(c.path) > len(path) and tuple(c.path[: len(path)]) == path
               for c in index.chunks)


def render_topic(index: SearchIndex, topic: Sequence[str]) -> Reply:
    """A whole case study (or role): every section under `topic`, in corpus order."""
    topic = tuple(topic)
    seen: list[str] = []
    for chunk in index.chunks:
        if tuple(chunk.path[: len(topic)]) == topic and chunk.section_id not in seen:
            seen.append(chunk.section_id)
    if not seen:
        return Reply(content="That part of the portfolio is no longer in the index.")
    lines = [f"## {escape_markdown(PATH_SEPARATOR.join(topic))}", ""]
    for section_id in seen:
        chunk = index.chunks[index.section_chunks[section_id][0]]
        if tuple(chunk.path) != topic:
            lines += [f"### {escape_markdown(chunk.title)}", ""]
        lines += [section_markdown(index, section_id), ""]
        if chunk.url:
            lines += [f"[Open on the live portfolio]({chunk.url}#{chunk.anchor})", ""]
    return Reply(content="\n".join(lines).strip())
