"""The career timeline drawn as a PNG: one row per role, latest on top, each labelled
with its verbatim title and dates above a bar from start to end; the current role's bar
in the accent colour, running to today. Roles left out are named under the bars.

matplotlib is imported on the first picture, not with this module, so starting the app
or answering any other question does not pay for it (see `import_cost` in the README).
It is used without pyplot (its figure registry is global state a server must not keep)
and behind a lock: its text layout and font cache are not thread-safe.
"""

from __future__ import annotations

import io
import textwrap
import threading
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import Timeline, YearMonth
from .career import left_out_line

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase

# 1200 px wide: Chainlit shows an inline image at most 600 px wide, so the picture is
# drawn for 600 px at twice the density, and its text reads at 11-13 px on screen.
WIDTH_IN = 6.0
DPI = 200
ROW_IN = 0.44
TOP_IN = 0.42  # the heading
AXIS_IN = 0.34  # the year labels
NOTE_IN = 0.2  # each line naming roles left out
NOTE_CHARS = 88  # characters a note line holds at DATES_PT across the picture
MIN_SHRINK = 0.6  # a label too long for the width is set smaller, down to this share
SIDE_IN = 0.22

INK = "#0f172a"
MUTED = "#64748b"
PAST = "#a5b4c8"
ACCENT = "#2563eb"
ACCENT_SOFT = "#dbeafe"
GRID = "#e2e8f0"
BAR_PT = 7.5
TITLE_PT = 9.5
DATES_PT = 8.5

_LOCK = threading.Lock()


def picture_size(timeline: Timeline) -> tuple[int, int]:
    """The PNG's (width, height) in pixels for `timeline`."""
    return (round(WIDTH_IN * DPI), round(_height_in(timeline) * DPI))


def _height_in(timeline: Timeline) -> float:
    return TOP_IN + AXIS_IN + ROW_IN * len(timeline.roles) + _note_in(timeline)


def _note_lines(timeline: Timeline) -> list[str]:
    """The line naming the roles left out, wrapped to the picture's width; none if none."""
    return textwrap.wrap(left_out_line(timeline), NOTE_CHARS) if timeline.left_out else []


def _note_in(timeline: Timeline) -> float:
    lines = len(_note_lines(timeline))
    return NOTE_IN * lines + (0.1 if lines else 0.0)


def to_years(point: YearMonth, *, end: bool) -> float:
    """A date as a fractional year: a start at the beginning of its month (or year, where
    only the year is written), an end at the close of its month or year."""
    year, month = point
    if month == 0:
        return year + (1.0 if end else 0.0)
    return year + (month if end else month - 1) / 12


@lru_cache(maxsize=64)
def timeline_png(timeline: Timeline, today: date) -> bytes:
    """The timeline as PNG bytes, ongoing roles running to `today`; a repeated
    career question costs a dictionary lookup.

    Raises:
        ValueError: the timeline has no dated role to draw.
    """
    if not timeline.roles:
        raise ValueError("a timeline with no dated role has nothing to draw")
    with _LOCK:
        return _draw(timeline, today)


def _draw(timeline: Timeline, today: date) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    now = today.year + (today.month - 0.5) / 12
    spans = [(to_years(r.start, end=False), now if r.end is None else to_years(r.end, end=True))
             for r in timeline.roles]
    spans = [(start, max(end, start + 1 / 12)) for start, end in spans]  # one month at least
    low = min(start for start, _ in spans)
    high = max(max(end for _, end in spans), now if any(r.current for r in timeline.roles)
               else low)
    pad = max(0.25, (high - low) * 0.03)

    width, height = WIDTH_IN, _height_in(timeline)
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    note = _note_in(timeline)
    axes = figure.add_axes((SIDE_IN / width, (AXIS_IN + note) / height,
                            1 - 2 * SIDE_IN / width, ROW_IN * len(timeline.roles) / height))
    rows = len(timeline.roles)
    axes.set_xlim(low - pad, high + pad)
    axes.set_ylim(-0.5, rows - 0.5)
    axes.invert_yaxis()  # latest role on top, as a résumé reads
    axes.set_facecolor("white")
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(GRID)
    axes.tick_params(axis="y", left=False, labelleft=False)
    axes.tick_params(axis="x", colors=MUTED, labelsize=DATES_PT, length=0, pad=5)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=10, steps=[1, 2, 5, 10], integer=True,
                                             min_n_ticks=2))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0f}"))
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)

    renderer = FigureCanvasAgg(figure).get_renderer()  # to measure the labels
    left_px, right_px = axes.get_window_extent(renderer).x0, axes.get_window_extent(renderer).x1
    for row, (role, (start, end)) in enumerate(zip(reversed(timeline.roles), reversed(spans),
                                                   strict=True)):
        color = ACCENT if role.current else PAST
        axes.plot([start, end], [row + 0.2] * 2, color=color, linewidth=BAR_PT,
                  solid_capstyle="round", zorder=3)
        _label(axes, renderer, role.title, role.dates, role.current, row - 0.08, start, end,
               left_px, right_px)

    figure.text(SIDE_IN / width, 1 - 0.16 / height, "Career timeline", color=INK,
                fontsize=10, fontweight="bold", va="top", parse_math=False)
    if any(r.current for r in timeline.roles):
        axes.axvline(now, color=ACCENT, linewidth=0.8, linestyle=(0, (2, 2)), zorder=2)
        figure.text(1 - SIDE_IN / width, 1 - 0.17 / height, f"today: {today:%b %Y}",
                    color=MUTED, fontsize=DATES_PT, ha="right", va="top")
    if timeline.left_out:
        figure.text(SIDE_IN / width, 0.1 / height, "\n".join(_note_lines(timeline)),
                    color=MUTED, fontsize=DATES_PT, style="italic", va="bottom",
                    linespacing=1.5, parse_math=False)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _label(axes: Axes, renderer: RendererBase, title: str, dates: str, current: bool,
           y: float, start: float, end: float, left_px: float, right_px: float) -> None:
    """Title, dates and (for the current role) a badge, on one line above the bar: from
    the bar's start when the line fits there, else ending at the bar's end, else from
    the left edge, set smaller when it is wider than the picture. Never shortened: the
    title and dates are the corpus's words."""
    pieces = [(title, dict(color=INK, fontsize=TITLE_PT, fontweight="bold")),
              (dates, dict(color=MUTED, fontsize=DATES_PT))]
    if current:
        pieces.append(("Current", dict(color=ACCENT, fontsize=DATES_PT - 0.5, fontweight="bold",
                                       bbox=dict(boxstyle="round,pad=0.25", facecolor=ACCENT_SOFT,
                                                 edgecolor="none"))))
    # A "$" in a title is a dollar sign, not mathtext.
    texts = [axes.text(0, y, text, va="baseline", parse_math=False, **style)
             for text, style in pieces]
    px_per_pt = axes.figure.dpi / 72
    gap_px = 6.0 * px_per_pt
    widths = [t.get_window_extent(renderer).width for t in texts]
    line_px = sum(widths) + gap_px * (len(texts) - 1)
    if line_px > right_px - left_px:
        shrink = max(MIN_SHRINK, (right_px - left_px) / line_px)
        for text in texts:
            text.set_fontsize(text.get_fontsize() * shrink)
        widths = [t.get_window_extent(renderer).width for t in texts]
        line_px = sum(widths) + gap_px * (len(texts) - 1)
    to_px = axes.transData.transform
    cap_px = BAR_PT / 2 * px_per_pt  # a round cap reaches past the bar's ends
    start_px, end_px = to_px((start, 0))[0] - cap_px, to_px((end, 0))[0] + cap_px
    if start_px + line_px <= right_px:
        x_px = start_px
    elif end_px - line_px >= left_px:
        x_px = end_px - line_px
    else:
        x_px = left_px
    y_px = to_px((0, y))[1]
    inverse = axes.transData.inverted()
    for text, width in zip(texts, widths, strict=True):
        text.set_position(inverse.transform((x_px, y_px)))
        x_px += width + gap_px
