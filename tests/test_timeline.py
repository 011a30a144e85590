"""The career timeline: roles in, one bar per dated role out, the ongoing one current,
titles and dates verbatim, roles whose dates cannot be read left out and named; then
its picture, a PNG of the promised size. Over inline roles, the portfolio in corpus/ and
every fixture résumé."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REAL_CORPUS, REPO_ROOT, FakeEmbedder, build_index

from assistant.records import LeftOutRole, TimelineRole
from assistant.search.live_index import LiveIndex
from assistant.search.search_index import SearchIndex
from assistant.timeline import Timeline, build_timeline, describe, left_out_line
from assistant.timeline.career import UNREADABLE_DATES
from assistant.timeline.picture import picture_size, timeline_png, to_years
from assistant.understand.roles import find_roles, find_undated_roles
from corpus_index.records import Block, Chunk

TODAY = date(2026, 11, 26)


def _chunk(path: tuple[str, ...], *units: str) -> Chunk:
    blocks = tuple(Block(kind="paragraph", text=unit, units=(unit,)) for unit in units)
    return Chunk(id="/".join(path), section_id="/".join(path), title=path[-1], path=path,
                 source="experience.md", lines=(1, 2), anchor="a", blocks=blocks, terms=(),
                 hash="h")


def _timeline_of(chunks: list[Chunk], kinds: list[frozenset[str]]) -> Timeline | None:
    units, texts = [], []
    for chunk in chunks:
        units.append(range(len(texts), len(texts) + len(chunk.units)))
        texts.extend(chunk.units)
    roles = find_roles(chunks, kinds, units, texts)
    return build_timeline(roles, find_undated_roles(chunks, kinds, roles))


EXPERIENCE = frozenset({"experience"})
CAREER = [
    _chunk(("Experience",), "Eight years of backend work, most of it in payments."),
    _chunk(("Experience", "Lead Engineer — Payments & Risk"), "Acme · Oct 2023 - Present"),
    _chunk(("Experience", "Lead Engineer — Payments & Risk", "Key Achievements"),
           "Cut fraud by 45% in 2024."),
    _chunk(("Experience", "Freelance Consultant"), "Various clients, between jobs."),
    _chunk(("Experience", "Engineer"), "Initech · Jan 2020 - Mar 2022"),
    _chunk(("Experience", "Teaching Assistant"), "University of Nowhere, summer 2017"),
    _chunk(("Experience", "Senior Engineer"), "Acme · Mar 2022 - Oct 2023"),
    _chunk(("Projects", "Side project"), "2019 - 2020"),
]
CAREER_KINDS = [EXPERIENCE] * 7 + [frozenset({"projects"})]


def test_one_bar_per_dated_role_earliest_first_titles_and_dates_verbatim() -> None:
    timeline = _timeline_of(CAREER, CAREER_KINDS)
    assert timeline is not None
    assert [(role.title, role.dates) for role in timeline.roles] == [
        ("Engineer", "Jan 2020 - Mar 2022"),
        ("Senior Engineer", "Mar 2022 - Oct 2023"),
        ("Lead Engineer — Payments & Risk", "Oct 2023 - Present"),
    ]
    assert [(role.start, role.end) for role in timeline.roles] == [
        ((2020, 1), (2022, 3)), ((2022, 3), (2023, 10)), ((2023, 10), None)]


def test_the_ongoing_role_is_marked_current_and_no_other() -> None:
    timeline = _timeline_of(CAREER, CAREER_KINDS)
    assert timeline is not None
    assert [role.current for role in timeline.roles] == [False, False, True]


def test_an_ended_career_marks_no_role_current_rather_than_guess_one() -> None:
    chunks = [_chunk(("Work", "Analyst"), "2015 - 2017"),
              _chunk(("Work", "Manager"), "2017 - 2021")]
    timeline = _timeline_of(chunks, [EXPERIENCE] * 2)
    assert timeline is not None
    assert not any(role.current for role in timeline.roles)
    assert "(current)" not in describe(timeline)


def test_roles_whose_dates_cannot_be_read_are_left_out_and_named() -> None:
    timeline = _timeline_of(CAREER, CAREER_KINDS)
    assert timeline is not None
    # Beside the dated roles, without a date range: left out, in corpus order. Neither
    # the umbrella heading nor a role's own sub-section is a role.
    assert [(role.title, role.reason) for role in timeline.left_out] == [
        ("Freelance Consultant", UNREADABLE_DATES), ("Teaching Assistant", UNREADABLE_DATES)]
    assert "Freelance Consultant" not in [role.title for role in timeline.roles]
    line = left_out_line(timeline)
    assert line == ("Not on the timeline (dates could not be read): Freelance Consultant,"
                    " Teaching Assistant.")
    assert line in describe(timeline)


def test_no_roles_no_timeline() -> None:
    assert _timeline_of([_chunk(("Skills",), "Python, Go")], [frozenset({"skills"})]) is None
    assert build_timeline(()) is None


def test_the_words_alt_text_lists_every_role_latest_first() -> None:
    timeline = _timeline_of(CAREER, CAREER_KINDS)
    assert timeline is not None
    assert describe(timeline).startswith(
        "Career timeline: Lead Engineer — Payments & Risk, Oct 2023 - Present (current);"
        " Senior Engineer, Mar 2022 - Oct 2023; Engineer, Jan 2020 - Mar 2022.")


def test_the_json_shape_writes_dates_as_year_and_month() -> None:
    chunks = [_chunk(("Work", "Analyst"), "2015 - Mar 2017"),
              _chunk(("Work", "Lead"), "since Apr 2017")]
    timeline = _timeline_of(chunks, [EXPERIENCE] * 2)
    assert timeline is not None
    assert timeline.to_json_dict() == {
        "roles": [
            {"title": "Analyst", "dates": "2015 - Mar 2017", "start": "2015", "end": "2017-03",
             "current": False},
            {"title": "Lead", "dates": "since Apr 2017", "start": "2017-04", "end": None,
             "current": True},
        ],
        "left_out": [],
    }


def _index_of(corpus: Path, tmp_path: Path) -> SearchIndex:
    fake = FakeEmbedder()
    build_index(corpus, tmp_path / "index", fake)
    return LiveIndex(tmp_path / "index", embedder_factory=lambda name: fake).current()


# Every corpus the evaluation uses: its roles as the corpus writes them, latest last.
CORPORA = {
    "portfolio": (REAL_CORPUS, [
        ("Software Development Engineer", "Jan 2020 - Mar 2022"),
        ("Senior Software Development Engineer", "Mar 2022 - Oct 2023"),
        ("Lead Software Development Engineer", "Oct 2023 - Present"),
    ], True),
    "resume": (REPO_ROOT / "tests/fixtures/resume", [
        ("Mobile Developer, Tidewater Apps", "Jul 2016 - May 2018"),
        ("Senior Android Engineer, Parcelwise", "Jun 2018 - Mar 2021"),
        ("Staff Mobile Engineer, Lumenfold Health", "Apr 2021 - Present"),
    ], True),
    "chien-shiung-wu": (REPO_ROOT / "tests/fixtures/chien-shiung-wu", [
        ("Backend Software Engineer, X", "2016-01-01 - 2020-12-31"),
        ("Director of Cloud Infrastructure, GenCoin", "2021-01-01 -"),
    ], True),
    "hendriks": (REPO_ROOT / "tests/fixtures/richard-hendriks", [
        ("CEO/President, Pied Piper", "2013-12-01 - 2014-12-01"),
    ], False),
    "jane-doe": (REPO_ROOT / "tests/fixtures/jane-doe", [
        ("Intern, Dunder Mifflin", "2008-06 - 2008-09"),
        ("IT Administrator, Stark Industries", "2008-10 - 2011-06"),
        ("Principal Developer, Veridian Dynamics", "2011-07 - 2013-08"),
        ("Head Code Ninja, One Cool Startup", "2013-09 - current"),
    ], True),
}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_evaluation_corpus_has_its_timeline(name: str, tmp_path: Path) -> None:
    corpus, expected, ongoing = CORPORA[name]
    index = _index_of(corpus, tmp_path)
    timeline = build_timeline(index.roles, index.undated_roles)
    assert timeline is not None
    assert [(role.title, role.dates) for role in timeline.roles] == expected
    assert [role.current for role in timeline.roles] == [False] * (len(expected) - 1) + [ongoing]
    assert timeline.left_out == ()
    text = " ".join(path.read_text("utf-8") for path in sorted(corpus.rglob("*.md")))
    for role in timeline.roles:  # verbatim: the corpus writes each title and dates as shown
        assert role.title in text and role.dates in text
    png = timeline_png(timeline, TODAY)
    assert _png_size(png) == picture_size(timeline)


# The picture.


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _pixels(png: bytes):
    import io

    from matplotlib.image import imread

    return imread(io.BytesIO(png), format="png")


def test_the_picture_is_a_png_of_the_promised_size_with_ink_on_it() -> None:
    timeline = _timeline_of(CAREER, CAREER_KINDS)
    assert timeline is not None
    png = timeline_png(timeline, TODAY)
    width, height = _png_size(png)
    assert (width, height) == picture_size(timeline)
    assert width == 1200 and 400 < height < 600  # compact: three rows and a note
    pixels = _pixels(png)
    assert pixels.shape[:2] == (height, width)
    white = (pixels[..., :3] > 0.98).all(axis=-1)
    assert 0.02 < 1 - white.mean() < 0.5  # drawn on, mostly white space
    # The current role's bar is in the accent colour (#2563eb); the past ones are not.
    accent = ((abs(pixels[..., 0] - 0x25 / 255) < 0.02) & (abs(pixels[..., 1] - 0x63 / 255) < 0.02)
              & (abs(pixels[..., 2] - 0xEB / 255) < 0.02))
    assert accent.sum() > 1000


def test_a_taller_career_makes_a_taller_picture_and_a_left_out_note_adds_a_line() -> None:
    def timeline(rows: int, left_out: int = 0) -> Timeline:
        roles = tuple(TimelineRole(title=f"Role {n}", dates=f"{2000 + n} - {2001 + n}",
                                   start=(2000 + n, 0), end=(2001 + n, 0), current=False)
                      for n in range(rows))
        return Timeline(roles=roles, left_out=tuple(
            LeftOutRole(title=f"Gig {n}", reason=UNREADABLE_DATES) for n in range(left_out)))

    one, five, noted = picture_size(timeline(1)), picture_size(timeline(5)), picture_size(
        timeline(5, left_out=1))
    assert one[0] == five[0] == noted[0]
    assert one[1] < five[1] < noted[1]
    assert _png_size(timeline_png(timeline(5, left_out=1), TODAY)) == noted


def test_a_timeline_with_nothing_dated_is_not_drawn() -> None:
    with pytest.raises(ValueError, match="nothing to draw"):
        timeline_png(Timeline(roles=(), left_out=(LeftOutRole(title="Gig", reason="x"),)), TODAY)


@pytest.mark.parametrize(
    ("point", "end", "years"),
    [((2023, 10), False, 2023 + 9 / 12), ((2023, 10), True, 2023 + 10 / 12),
     ((2019, 0), False, 2019.0), ((2019, 0), True, 2020.0)],
)
def test_a_year_alone_spans_the_whole_year_and_a_month_the_whole_month(
    point: tuple[int, int], end: bool, years: float
) -> None:
    assert to_years(point, end=end) == pytest.approx(years)


def test_the_app_does_not_import_matplotlib_until_a_picture_is_drawn(tmp_path: Path) -> None:
    # In a fresh process (this one may have drawn already), from the temporary folder:
    # importing Chainlit writes .chainlit/ and .files/ where it runs.
    probe = ("import sys, assistant.web.app, assistant.timeline.picture;"
             "print('matplotlib' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=tmp_path, env=env).stdout
    assert out.strip().splitlines()[-1] == "False"
