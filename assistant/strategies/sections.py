"""Answers from a kind of section (education, awards, contact...), from quotes holding
an intent's cue words, and declines by name for what portfolios rarely say."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..evidence import Evidence, select_evidence
from ..search.search_index import SearchIndex
from .context import (
    MAX_LISTED_QUOTES,
    Context,
    Plan,
    typed_units,
    units_of_kinds,
    units_with_cues,
)


def decline(context: Context) -> Plan | None:
    """An intent portfolios rarely answer: declined by name unless a quote speaks to it."""
    if units_with_cues(context.index, context.spec.cues):
        return None  # the portfolio does say something: let the search find it
    return Plan(missing_topic=context.spec.topic)


def section_kind(context: Context) -> Plan | None:
    """Education, awards, publications...: the sections of that kind, or quotes with its
    cue words; declined by name when the portfolio has neither."""
    index, spec = context.index, context.spec
    units = sorted({*units_of_kinds(index, spec.sections), *units_with_cues(index, spec.cues)})
    if not units:
        return Plan(missing_topic=spec.topic) if spec.topic else None
    if spec.name == "summary":
        units = _top_summary_units(index, units)
        return Plan(evidence=tuple(Evidence(u, int(index.unit_chunk[u]), 1.0, 0.0, 0.0)
                                   for u in units))
    chosen = select_evidence(index, context.rank(units), MAX_LISTED_QUOTES, listing=True)
    return Plan(evidence=tuple(chosen))


def _top_summary_units(index: SearchIndex, units: Sequence[int], limit: int = 4) -> list[int]:
    """The opening of the shallowest summary section: the person's own introduction."""
    chunks = sorted({int(index.unit_chunk[u]) for u in units},
                    key=lambda at: (len(index.chunks[at].path), at))
    opening = [u for at in chunks for u in index.chunk_units[at]]
    return opening[:limit]


def contact(context: Context) -> Plan | None:
    """Quotes holding an email, a phone number or a link; declined by name without."""
    index = context.index
    units = sorted(typed_units(index, ("email", "url", "phone")))
    if not units:
        return Plan(missing_topic=context.spec.topic)
    return Plan(evidence=tuple(select_evidence(index, context.rank(units), MAX_LISTED_QUOTES)))


def cues(context: Context) -> Plan | None:
    """Quotes holding the intent's cue words (and the answer type it wants, if any)."""
    index, spec = context.index, context.spec
    units = units_with_cues(index, spec.cues)
    if spec.wants:
        typed = typed_units(index, spec.wants)
        units = [u for u in units if u in typed]
    if not units:
        return Plan(missing_topic=spec.topic) if spec.topic else None
    ranked = context.rank(units)
    if "duration" in spec.wants:
        # "How many years of experience?": the longest spans stated lead (the whole
        # career), not one role's dates.
        ranked.sort(key=lambda item: (-_longest_years(index.unit_texts[item.unit]), -item.score))
        once: dict[str, Evidence] = {}
        for item in ranked:
            once.setdefault(index.unit_texts[item.unit], item)
        return Plan(evidence=tuple(list(once.values())[:3]))
    return Plan(evidence=tuple(select_evidence(index, ranked, 3)))


_YEARS = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?)\b", re.IGNORECASE)


def _longest_years(text: str) -> float:
    """The largest number of years a quote states ("6+ years" -> 6), 0 if none."""
    found = [float(number) for number in _YEARS.findall(text)]
    return max(found, default=0.0)
