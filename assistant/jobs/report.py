"""A matched job description for people: a terminal listing for the CLI, and a Markdown
report for the hiring manager (the chat's download, `match` output saved to a file).

Both add no words to the quotes but a fixed frame: status labels, the summary line,
the sources and the engine's notes.
"""

from __future__ import annotations

import re
import textwrap

from corpus_index.records import PATH_SEPARATOR

from ..compose import escape_markdown, marker
from ..records import Citation
from .match import MatchReport, RequirementMatch

STATUS_LABELS = {"evidence": "Evidence", "related": "Related", "absent": "Not mentioned"}
DEFAULT_TITLE = "Job description matched with the portfolio"
NO_EVIDENCE = "—"
_PLAIN_URL = re.compile(r"[^\s<>]+")


def summary_line(report: MatchReport) -> str:
    """"Evidence for 7 of 10 requirements, 2 related, 1 not mentioned"."""
    counts = report.summary()
    total = len(report.requirements)
    noun = "requirement" if total == 1 else "requirements"
    return (f"Evidence for {counts['evidence']} of {total} {noun}, {counts['related']} related,"
            f" {counts['absent']} not mentioned")


def where(citation: Citation) -> str:
    """A citation's place for people: heading path (ending in its title), file and lines."""
    return f"{PATH_SEPARATOR.join(citation.path)} — {citation.source}"


def report_terminal(report: MatchReport, width: int = 100) -> str:
    """The report for a terminal: the summary, then each requirement with its status, kind,
    quotes (numbered per requirement, as in the JSON), sources and note."""
    lines = [summary_line(report)]
    for item in report.requirements:
        lines += ["", f"{STATUS_LABELS[item.status]} ({item.kind}): {item.text}"]
        lines += [f"  “{c.quote}” {marker(c.n)}" for c in item.citations]
        lines += ["    " + textwrap.shorten(f"{marker(c.n)} {where(c)}{_plain_url(c.url)}",
                                             width=width - 4, placeholder="…")
                  for c in item.citations]
        if item.note:
            lines.append(f"  note: {item.note}")
    return "\n".join(lines) + "\n"


def report_markdown(report: MatchReport, title: str | None = None) -> str:
    """The report as Markdown: title, summary, a table of requirements with their quotes,
    then the sources (numbered once across the whole report) and the notes."""
    rows, sources = numbered_once(report)
    lines = [f"# {cell(title or DEFAULT_TITLE)}", "", summary_line(report), "",
             "| Requirement | Status | Evidence |", "| --- | --- | --- |"]
    for item, citations in zip(report.requirements, rows, strict=True):
        evidence = " ".join(f"“{cell(c.quote)}” {marker(c.n)}" for c in citations)
        lines.append(f"| {requirement_cell(item)} | {STATUS_LABELS[item.status]}"
                     f" | {evidence or NO_EVIDENCE} |")
    if sources:
        lines += ["", "## Sources", ""]
        lines += [f"- {marker(c.n)} {escape_markdown(where(c))}{_url(c.url)}" for c in sources]
    notes = [item for item in report.requirements if item.note]
    if notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {cell(item.text)}: {cell(item.note or '')}" for item in notes]
    return "\n".join(lines) + "\n"


def numbered_once(
    report: MatchReport,
) -> tuple[tuple[tuple[Citation, ...], ...], tuple[Citation, ...]]:
    """Each requirement's citations renumbered across the report, and the distinct sources.

    The engine numbers quotes per requirement; one Sources list needs one numbering, and
    a quote that backs two requirements keeps one number."""
    numbers: dict[tuple[str, str], int] = {}
    sources: list[Citation] = []
    rows = []
    for item in report.requirements:
        row = []
        for citation in item.citations:
            key = (citation.id, citation.quote)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append(citation.model_copy(update={"n": numbers[key]}))
            row.append(citation.model_copy(update={"n": numbers[key]}))
        rows.append(tuple(row))
    return tuple(rows), tuple(sources)


def requirement_cell(item: RequirementMatch) -> str:
    """A requirement as a table cell, its kind noted when it is a nice-to-have."""
    return cell(item.text) + (" _(nice to have)_" if item.kind == "nice" else "")


def cell(text: str) -> str:
    """Text for a Markdown table cell: "|" escaped (it would end the cell), line breaks
    as spaces (one would end the row; Markdown reads it as a space anyway)."""
    return escape_markdown(" ".join(text.split()))


def _plain_url(url: str | None) -> str:
    return f" ({url})" if url else ""


def _url(url: str | None) -> str:
    if not url:
        return ""
    # An autolink takes the address as written; one it cannot hold is shown escaped.
    return f" (<{url}>)" if _PLAIN_URL.fullmatch(url) else f" ({escape_markdown(url)})"
