"""Scale: every figure of the portfolio once, with its best citation, grouped by the
case study or role it belongs to."""

from __future__ import annotations

import re

from ..evidence import Evidence
from ..figures import FigureKey, extract_figures, figure_key, same_figure
from .context import Context, Plan, units_with_cues

MAX_SCALE_QUOTES = 10
_FIRST_PERSON = frozenset({"i", "i'm", "i've", "my", "me", "we", "our"})
_DURATION_MEASURE = re.compile(r"^(?:years?|yrs?|months?)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _is_scale_figure(figure: str, measure: str) -> bool:
    """A count, share, rate or magnitude; not a duration ("6+ years") or a year."""
    return not (_DURATION_MEASURE.match(measure) or _YEAR.match(figure.strip()))


def figures(context: Context) -> Plan | None:
    """Every scale figure of the corpus once, with its best citation, grouped by the
    case study or role it belongs to. Counts the intent's cue words name (users,
    customers, services...) come first, durations ("6+ years") last; sentences about
    oneself ("I architect...") are left out."""
    index = context.index
    candidates = [
        unit for unit in sorted(index.typed_units.get("figure", ()))
        if not set(index.unit_texts[unit].lower().replace("’", "'").split()) & _FIRST_PERSON
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
        scale = any(_is_scale_figure(f.figure, f.measure) for f in fresh)
        tiers[0 if scale and item.unit in cued else 1 if scale else 2].append(item)
    chosen = [item for tier in tiers for item in tier][:MAX_SCALE_QUOTES]
    group = {item.unit: index.chunks[item.chunk].path[:2] for item in chosen}
    order = list(dict.fromkeys(group[item.unit] for item in chosen))
    chosen.sort(key=lambda item: order.index(group[item.unit]))
    return Plan(evidence=tuple(chosen), figures=True)
