"""The career timeline: one bar per dated role, its title and dates as the corpus writes
them, the ongoing role marked current, and the roles whose dates cannot be read named
apart rather than placed by guess. Pure: roles in, a record out. Pydantic, because the
timeline travels in an answer's JSON."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from ..understand.roles import Role, UndatedRole, YearMonth

UNREADABLE_DATES = "dates could not be read"


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


def build_timeline(roles: Sequence[Role], undated: Sequence[UndatedRole] = ()) -> Timeline | None:
    """The timeline of `roles` (dated, earliest first), naming `undated` as left out;
    None when there is no role at all. Only a role the corpus writes as ongoing
    ("Present", "current", a blank end) is current: an ended role is never promoted."""
    if not roles and not undated:
        return None
    return Timeline(
        roles=tuple(TimelineRole(title=role.title, dates=role.dates, start=role.start,
                                 end=role.end, current=role.current) for role in roles),
        left_out=tuple(LeftOutRole(title=role.title, reason=UNREADABLE_DATES)
                       for role in undated),
    )


def month_text(point: YearMonth) -> str:
    """(2023, 10) -> "2023-10"; (2019, 0) -> "2019"."""
    year, month = point
    return f"{year}-{month:02d}" if month else str(year)


def describe(timeline: Timeline) -> str:
    """The timeline in words, latest role first: the picture's alt text."""
    parts = [f"{role.title}, {role.dates}" + (" (current)" if role.current else "")
             for role in reversed(timeline.roles)]
    text = "Career timeline: " + "; ".join(parts) + "." if parts else "No dated roles."
    if timeline.left_out:
        text += " " + left_out_line(timeline)
    return text


def left_out_line(timeline: Timeline) -> str:
    """One sentence naming the roles the picture leaves out and why."""
    by_reason: dict[str, list[str]] = {}
    for role in timeline.left_out:
        by_reason.setdefault(role.reason, []).append(role.title)
    return " ".join(f"Not on the timeline ({reason}): {', '.join(titles)}."
                    for reason, titles in by_reason.items())
