"""Technologies a question names by any alias, and every technology of a skill
category the portfolio names ("which databases")."""

from __future__ import annotations

from ..evidence import Evidence, select_evidence
from .context import MAX_LISTED_QUOTES, Context, Plan, units_naming, units_of_kinds


def technology(context: Context) -> Plan | None:
    """Quotes naming each technology the question names (by any alias)."""
    index = context.index
    technologies = context.understanding.technologies
    if not technologies:
        return None
    chosen: list[Evidence] = []
    for technology in technologies:
        units = units_naming(index, technology)
        per = max(1, 4 // len(technologies))
        picked = [e for e in select_evidence(index, context.rank(units), per + 2)
                  if e.unit not in {c.unit for c in chosen}]
        chosen.extend(picked[:per])
    return Plan(evidence=tuple(chosen)) if chosen else None


def categories(context: Context) -> Plan | None:
    """A kind of skill ("which databases"): the quotes that name its members, fewest
    quotes first covering every member the corpus names; or the skills sections."""
    index = context.index
    categories = set(context.understanding.categories)
    if not categories:
        units = units_of_kinds(index, ("skills",))
        if not units:
            return None
        return Plan(evidence=tuple(select_evidence(index, context.rank(units),
                                                   MAX_LISTED_QUOTES)))
    members = [t for t in index.knowledge.technologies if categories & set(t.categories)]
    if not members:
        words = ", ".join(sorted(categories)).replace("_", " ")
        return Plan(missing_topic=f"any {words} technologies")
    holding: dict[int, set[str]] = {}
    for technology in members:
        for unit in units_naming(index, technology):
            holding.setdefault(unit, set()).add(technology.name)
    scores = {e.unit: e.score for e in context.rank(list(holding))}
    chosen: list[int] = []
    uncovered = {t.name for t in members}
    while uncovered and holding and len(chosen) < MAX_LISTED_QUOTES:
        best = max(holding, key=lambda u: (len(holding[u] & uncovered), scores[u]))
        if not holding[best] & uncovered:
            break
        chosen.append(best)
        uncovered -= holding[best]
    listed = tuple(t.in_corpus[0] if t.in_corpus else t.name for t in members)
    evidence = tuple(Evidence(u, int(index.unit_chunk[u]), scores[u], 0.0, 0.0) for u in chosen)
    return Plan(evidence=evidence, listed=listed)
