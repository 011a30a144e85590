"""The career timeline under an answer about roles: the record (`career`) and its
picture (`picture`, which imports matplotlib only when it draws)."""

from ..records import LeftOutRole, Timeline, TimelineRole
from .career import build_timeline, describe, left_out_line

__all__ = ["LeftOutRole", "Timeline", "TimelineRole", "build_timeline", "describe",
           "left_out_line"]
