"""Figures in quotes and what each measures: both cells cut verbatim from the quote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.understand.figures import Figure, extract_figures, has_figure


def pairs(quote: str) -> list[tuple[str, str]]:
    """(figure, measure) of every figure in `quote`, after checking both are cut from it."""
    found = extract_figures(quote)
    for item in found:
        assert item.figure in quote, item
        assert item.measure in quote, item
        assert item.figure.strip() == item.figure
        assert item.measure.strip() == item.measure
    return [(item.figure, item.measure) for item in found]


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (
            "Architected and owned migration to stateless architecture across 50+ services,"
            " enabling horizontal scaling and sustaining 99.9% uptime while reducing"
            " operational complexity",
            [("50+", "services"), ("99.9%", "uptime")],
        ),
        (
            "Engineered self-healing infrastructure reducing manual incident response by 80%,"
            " improving engineer velocity and reliability",
            [("80%", "reducing manual incident response")],
        ),
        (
            "Built and shipped billing infrastructure supporting usage-based pricing and"
            " subscriptions for thousands of SaaS customers; zero revenue leakage across"
            " 99.99% transactions",
            [("thousands", "SaaS customers"), ("99.99%", "transactions")],
        ),
        (
            "Architected real-time systems: click-to-call infrastructure handling 500K+ monthly"
            " calls with intelligent routing and call analytics integration",
            [("500K+", "monthly calls")],
        ),
        ("Billions Contacts Managed", [("Billions", "Contacts Managed")]),
        ("99.9% Uptime Sustained", [("99.9%", "Uptime Sustained")]),
        (
            "Sub-millisecond p99 latency across 10K+ concurrent users, enabling real-time"
            " product experiences",
            [("10K+", "concurrent users")],  # "p99" is a name, not a figure
        ),
        (
            "Led backend architecture decisions, mentoring 6+ engineers on distributed"
            " systems design",
            [("6+", "engineers")],
        ),
        ("Raised $1.2M seed funding.", [("$1.2M", "seed funding")]),
        ("Served 1,200 customers daily.", [("1,200", "customers daily")]),
        ("Existing system unreliable at 95% uptime.", [("95%", "uptime")]),
        ("Oct 2023 - Present · 2+ years", [("2+", "years")]),  # the year measures nothing
        ("SaaS Labs · Mar 2022 - Oct 2023 · 1.5 years", [("1.5", "years")]),
        ("Wrote clean, well-tested code and reviewed designs.", []),
        ("", []),
    ],
)
def test_extract_figures_from_realistic_quotes(quote, expected):
    assert pairs(quote) == expected


def test_a_figure_with_nothing_to_measure_is_left_out():
    assert pairs("Grew revenue 3x in a year.") == []
    assert pairs("Joined in 2019.") == []


def test_figures_are_records():
    assert extract_figures("Kept 99.9% uptime.") == (Figure(figure="99.9%", measure="uptime"),)


# Each of these reads wrongly in the figures table an answer shows.
@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        # A magnitude word after a number is part of the figure, not of what it measures
        # (the table would read "2 | million customers").
        ("Served 2 million customers.", [("2 million", "customers")]),
        # A unit glued to the number belongs to the figure ("500 | ms signup flow");
        # the quote is from the real corpus (initiatives.md).
        (
            "Optimized for speed (sub-500ms signup flow) and conversion.",
            [("500ms", "signup flow")],
        ),
        # The measure stops at the end of its sentence.
        (
            "Design and operate a distributed system for thousands of customers. System must"
            " support sub-millisecond query latency.",
            [("thousands", "customers")],
        ),
    ],
    ids=["magnitude-word", "glued-unit", "sentence-end"],
)
def test_figure_and_measure_are_read_as_a_reader_would(quote, expected):
    assert pairs(quote) == expected


@pytest.mark.parametrize(
    "text",
    [
        "99.9% uptime",
        "500K+ monthly calls",
        "Billions Contacts Managed",
        "thousands of customers",
        "mentoring 6+ engineers",
        "$1.2M raised",
        "2 years",
    ],
)
def test_has_figure(text):
    assert has_figure(text)


@pytest.mark.parametrize(
    "text",
    ["", "Wrote clean code.", "Used p99 latency dashboards.", "Shipped v.2 of the API.", "GPT"],
)
def test_has_no_figure(text):
    assert not has_figure(text)


@given(st.text())
def test_every_cell_is_cut_from_any_text(text):
    for item in extract_figures(text):
        assert item.figure in text
        assert item.measure in text
        assert item.measure


# Digits, figure decorations, clause words and magnitude words, so that the
# property meets many figures rather than mostly plain text.
FIGURE_ALPHABET = st.sampled_from(
    [
        *"0123456789.,%+$€KkMmBbx -:;·()/&'\"",
        *("by ", "of ", "at ", "to ", "thousands", "Billions", " users", "\n"),
    ]
)


@given(st.lists(FIGURE_ALPHABET, max_size=30).map("".join))
def test_every_cell_is_cut_from_figure_heavy_text(text):
    found = extract_figures(text)
    if found:
        assert has_figure(text)
    for item in found:
        assert item.figure in text
        assert item.measure in text
