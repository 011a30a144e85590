"""The career timeline: one bar per dated role, its title and dates as the corpus writes
them, the ongoing role marked current, and the roles whose dates cannot be read named
apart rather than placed by guess. Pure: roles in, a record (`records.Timeline`) out."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import LeftOutRole, Timeline, TimelineRole
from ..understand.roles import Role, UndatedRole

UNREADABLE_DATES = "dates could not be read"


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
