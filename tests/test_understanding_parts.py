"""Answer types, section kinds, roles by date and figure identity: the pure pieces of
question understanding, on text any résumé could hold."""

from __future__ import annotations

import pytest

from assistant.understand.answer_types import holds
from assistant.understand.figures import Figure, figure_key, same_figure
from assistant.understand.person import person_name, without_name
from assistant.understand.phrases import cue_pattern
from assistant.understand.roles import find_roles, parse_point
from assistant.understand.section_kinds import headings_kinds
from corpus_index.intents import load_intents
from corpus_index.knowledge import DEFAULT_KNOWLEDGE_DIR, INTENTS_FILE
from corpus_index.records import Block, Chunk

BOOK = load_intents(DEFAULT_KNOWLEDGE_DIR / INTENTS_FILE)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Or reach out directly at jane.doe+jobs@example.co.uk", "email", True),
        ("Portfolio: https://jane.dev/work", "url", True),
        ("github.com/janedoe", "url", True),
        ("Built with Node.js and Express", "url", False),
        ("Call +1 (555) 010-2030", "phone", True),
        ("99.9% uptime across 50+ services", "phone", False),
        ("SaaS Labs · Oct 2023 - Present · 2+ years", "date_range", True),
        ("Acme, 2016 – 2019", "date_range", True),
        ("Handled 10K+ monthly signups", "date_range", False),
        ("6+ years architecting backend platforms", "duration", True),
        ("over a decade of research", "duration", True),
        ("M.S. in Computer Science, Northbridge State University", "degree", True),
        ("Reduced incidents by 80%", "figure", True),
        ("Designed the onboarding flow", "figure", False),
    ],
)
def test_answer_types(text: str, kind: str, expected: bool) -> None:
    assert holds(text, kind) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("headings", "kinds"),
    [
        (["Professional Experience"], {"experience"}),
        (["Case Studies"], {"projects"}),
        (["Distributed Contact Management at Scale"], set()),
        (["Technical Skills"], {"skills"}),
        (["Education & Training"], {"education"}),
        (["Key Achievements"], set()),
        (["Honors and Awards"], {"awards"}),
        (["Get in touch"], {"contact"}),
    ],
)
def test_section_kinds_from_headings(headings: list[str], kinds: set[str]) -> None:
    assert headings_kinds(headings, BOOK) == kinds


@pytest.mark.parametrize(
    ("cue", "text", "found"),
    [
        ("based in", "Based in Lisbon, Portugal", True),
        ("based in", "usage-based pricing", False),
        ("mentor", "mentoring 6+ engineers", True),
        ("relocate", "relocating to Berlin", True),
        ("age", "agent-based systems", False),
    ],
)
def test_cues_match_whole_words_with_endings(cue: str, text: str, found: bool) -> None:
    pattern = cue_pattern([cue])
    assert pattern is not None
    assert bool(pattern.search(text.lower())) is found


def _chunk(path: tuple[str, ...], *units: str) -> Chunk:
    blocks = tuple(Block(kind="paragraph", text=unit, units=(unit,)) for unit in units)
    return Chunk(id="/".join(path), section_id="/".join(path), title=path[-1], path=path,
                 source="experience.md", lines=(1, 2), anchor="a", blocks=blocks, terms=(),
                 hash="h")


def test_roles_are_ordered_by_their_dates_and_the_open_one_is_current() -> None:
    chunks = [
        _chunk(("Experience", "Lead Engineer"), "Acme · Oct 2023 - Present"),
        _chunk(("Experience", "Engineer"), "Initech · Jan 2020 - Mar 2022"),
        _chunk(("Experience", "Senior Engineer"), "Acme · Mar 2022 - Oct 2023"),
        _chunk(("Projects", "Side project"), "2019 - 2020"),
    ]
    kinds = [frozenset({"experience"})] * 3 + [frozenset({"projects"})]
    units = [range(at, at + 1) for at in range(4)]
    texts = [chunk.units[0] for chunk in chunks]
    roles = find_roles(chunks, kinds, units, texts)
    assert [role.title for role in roles] == ["Engineer", "Senior Engineer", "Lead Engineer"]
    assert [role.current for role in roles] == [False, False, True]


@pytest.mark.parametrize(
    ("text", "point"),
    [("Oct 2023", (2023, 10)), ("2019", (2019, 0)), ("03/2021", (2021, 3)), ("Present", None)],
)
def test_date_points(text: str, point: tuple[int, int] | None) -> None:
    assert parse_point(text) == point


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Figure("10K+", "monthly signups"), Figure("10K+", "signups/month"), True),
        (Figure("10K+", "monthly signups"), Figure("10K+", "concurrent users"), False),
        (Figure("Billions", "Entities Handled"), Figure("billions", "operations"), True),
        (Figure("99.9%", "Uptime Track Record"), Figure("99.9%", "uptime"), True),
        (Figure("50+", "services"), Figure("500K+", "monthly calls"), False),
    ],
)
def test_one_figure_stated_twice_is_one_fact(a: Figure, b: Figure, same: bool) -> None:
    assert same_figure(figure_key(a), figure_key(b)) is same


@pytest.mark.parametrize(
    ("text", "start", "current"),
    [
        ("Director · GenCoin · 2021-01-01 -", (2021, 1), True),
        ("Engineer · X · 2016-01-01 - 2020-12-31", (2016, 1), False),
        ("Head Code Ninja · One Cool Startup · 2013-09 - current · https://x.io", (2013, 9), True),
        ("Lumenfold Health · Apr 2021 - Present · Remote", (2021, 4), True),
        ("Acme, since 2019", (2019, 0), True),
    ],
)
def test_roles_from_date_lines_as_resumes_write_them(
    text: str, start: tuple[int, int], current: bool
) -> None:
    chunk = _chunk(("Work", "Role"), text)
    roles = find_roles([chunk], [frozenset({"experience"})], [range(0, 1)], [text])
    assert [(role.start, role.current) for role in roles] == [(start, current)]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("What is Jane's current role?", "What is his current role?"),
        ("Where does Jane Doe work?", "Where does he work?"),
        ("Has doe used Kafka?", "Has he used Kafka?"),
        ("Tell me about Jane", "Tell me about him"),
        ("Who is Janet?", "Who is Janet?"),
    ],
)
def test_the_persons_name_is_read_as_a_pronoun(text: str, read: str) -> None:
    assert without_name(text, "Jane Doe") == read


def test_the_person_is_the_name_heading_the_summary() -> None:
    name = _chunk(("Jane Doe",), "Senior developer.")
    about = _chunk(("Jane Doe", "About"), "I build things.")
    title = _chunk(("Backend Platform Engineer at Scale 2024",), "x")
    summary = frozenset({"summary"})
    assert person_name([title, name, about], [summary, summary, summary]) == "Jane Doe"
    assert person_name([title], [summary]) is None
