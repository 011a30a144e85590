"""Scale: every figure of the portfolio once, with its best citation, grouped by the
case study or role it belongs to."""

from __future__ import annotations

import re

from ..evidence import Evidence
from ..understand.figures import FigureKey, extract_figures, figure_key, same_figure
from .context import Context, Plan, typed_units, units_of_kinds, units_with_cues

MAX_SCALE_QUOTES = 10
MAX_DURATIONS = 2  # "6+ years": after the figures of scale, and only a couple
_FIRST_PERSON = frozenset({"i", "i'm", "i've", "my", "me", "we", "our"})
_DURATION_MEASURE = re.compile(r"^(?:years?|yrs?|months?)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


_DECORATED = re.compile(r"[%+$€£]|\d[kKmMbB]\b|\d{1,3}(?:,\d{3})+|\d{3,}|[A-Za-z]{4,}")


def _is_duration(figure: str, measure: str) -> bool:
    return bool(_DURATION_MEASURE.match(measure) or _YEAR.match(figure.strip()))


def _is_scale_figure(figure: str, measure: str) -> bool:
    """A count, share, rate or magnitude ("10K+", "99.9%", "200,000", "billions"); not a
    duration ("6+ years"), a year, or a bare small number ("Level 5", "21 Days")."""
    return not _is_duration(figure, measure) and bool(_DECORATED.search(figure))


def figures(context: Context) -> Plan | None:
    """Every scale figure of the corpus once, with its best citation, grouped by the
    case study or role it belongs to. Counts the intent's cue words name (users,
    customers, services...) come first, durations ("6+ years") last; sentences about
    oneself ("I architect...") are left out."""
    index = context.index
    # Contact details and addresses hold numbers, not figures of scale.
    contact = typed_units(index, ("email", "url", "phone")) | set(
        units_of_kinds(index, ("contact", "location")))
    candidates = [
        unit for unit in sorted(index.typed_units.get("figure", ()))
        if unit not in contact
        and not set(index.unit_texts[unit].lower().replace("’", "'").split()) & _FIRST_PERSON
    ]
    if not candidates:
        return None
    cued = set(units_with_cues(index, context.spec.cues))
    seen: list[FigureKey] = []
    tiers: tuple[list[Evidence], list[Evidence], list[Evidence]] = ([], [], [])
    for item in context.rank(candidates, prefer_figures=True):
        fresh = [f for f in extract_figures(index.unit_texts[item.unit])
                 if not any(same_figure(figure_key(f), key) for key in seen)]
        if not fresh:
            continue
        seen.extend(figure_key(f) for f in fresh)
        if any(_is_scale_figure(f.figure, f.measure) for f in fresh):
            tiers[0 if item.unit in cued else 1].append(item)
        elif any(_is_duration(f.figure, f.measure) for f in fresh):
            tiers[2].append(item)
    chosen = [*tiers[0], *tiers[1], *tiers[2][:MAX_DURATIONS]][:MAX_SCALE_QUOTES]
    group = {item.unit: index.chunks[item.chunk].path[:2] for item in chosen}
    order = list(dict.fromkeys(group[item.unit] for item in chosen))
    chosen.sort(key=lambda item: order.index(group[item.unit]))
    return Plan(evidence=tuple(chosen), figures=True)
