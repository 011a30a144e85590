"""What an answer is made of. Pydantic, because answers leave the process as JSON."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

YearMonth = tuple[int, int]  # (year, month); month 0 where only the year is written


class TimelineRole(BaseModel):
    """One bar: a role from its start to its end, or to today while it is current."""

    model_config = ConfigDict(frozen=True)

    title: str  # the role's heading, verbatim
    dates: str  # its dates, verbatim ("Oct 2023 - Present")
    start: YearMonth  # (year, month); month 0 where only the year is written
    end: YearMonth | None  # None: ongoing
    current: bool


class LeftOutRole(BaseModel):
    """A role the timeline does not draw, and why."""

    model_config = ConfigDict(frozen=True)

    title: str
    reason: str


class Timeline(BaseModel):
    """The roles of a career by date, earliest first, and the roles left out."""

    model_config = ConfigDict(frozen=True)

    roles: tuple[TimelineRole, ...]
    left_out: tuple[LeftOutRole, ...] = ()

    def to_json_dict(self) -> dict:
        """The public JSON shape: dates as "2023-10", or "2019" where only a year is written."""
        return {
            "roles": [{"title": r.title, "dates": r.dates, "start": month_text(r.start),
                       "end": month_text(r.end) if r.end else None, "current": r.current}
                      for r in self.roles],
            "left_out": [{"title": r.title, "reason": r.reason} for r in self.left_out],
        }


def month_text(point: YearMonth) -> str:
    """(2023, 10) -> "2023-10"; (2019, 0) -> "2019"."""
    year, month = point
    return f"{year}-{month:02d}" if month else str(year)


class Citation(BaseModel):
    """One quote and the section it was cut from."""

    model_config = ConfigDict(frozen=True)

    n: int
    id: str  # section id: stable across edits of the text
    title: str
    path: tuple[str, ...]
    quote: str  # exact corpus text of one sentence or list item
    source: str  # corpus file and lines, e.g. "case-studies.md:23-31"
    url: str | None = None


class FigureRow(BaseModel):
    """A figure quoted in an answer: both cells are cut verbatim from the quote."""

    model_config = ConfigDict(frozen=True)

    figure: str
    measure: str
    n: int  # the citation it comes from


class Suggestion(BaseModel):
    """A section that is close to an unanswered question, offered as a pointer."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    path: tuple[str, ...]


class Answer(BaseModel):
    """The reply to one question."""

    model_config = ConfigDict(frozen=True)

    question: str
    answered: bool
    text: str  # Markdown: quotes with [n] markers, or the plain decline
    citations: tuple[Citation, ...] = ()
    confidence: float = 0.0
    figures: tuple[FigureRow, ...] = ()
    missing: tuple[str, ...] = ()  # question words the portfolio never uses
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Citation, ...] = ()  # a decline's closest quotes: not an answer
    intent: str | None = None  # the kind of question recognised, if any
    timeline: Timeline | None = None  # the career's roles by date, for a question about them

    def to_json_dict(self) -> dict:
        """The public JSON shape shared by the CLI and the HTTP API."""
        return {
            "question": self.question,
            "answered": self.answered,
            "text": self.text,
            "citations": [_citation_json(c) for c in self.citations],
            "confidence": round(self.confidence, 3),
            "intent": self.intent,
            "related": [_citation_json(c) for c in self.related],
            "timeline": self.timeline.to_json_dict() if self.timeline else None,
        }


def _citation_json(c: Citation) -> dict:
    return {"n": c.n, "id": c.id, "title": c.title, "path": list(c.path), "quote": c.quote,
            "source": c.source, "url": c.url}
