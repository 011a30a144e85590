"""Answer strategies by intent: which quotes answer a kind of question on any résumé.

Each strategy picks the quotes for one kind of answer (the current role and its
dates, every database the corpus names, every scale figure once) or says by name
what the portfolio does not mention. A strategy that has nothing to say returns
None and the question goes to the general hybrid search. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from corpus_index.intents import IntentSpec
from corpus_index.knowledge import Technology
from corpus_index.terms import analyse

from .evidence import Evidence, score_units, select_evidence
from .figures import FigureKey, extract_figures, figure_key, same_figure
from .question import Question
from .roles import Role
from .search_index import SearchIndex
from .understand.phrases import cue_keys, cue_pattern
from .understand.technologies import form_pattern
from .understand.understanding import Understanding

MAX_LISTED_QUOTES = 6
MAX_SCALE_QUOTES = 10
KIND_BONUS = 0.08  # a quote from the kind of section that serves the intent
TYPE_BONUS = 0.10  # a quote holding the answer type the intent wants
CUE_BONUS = 0.08  # a quote holding one of the intent's cue words
_FIRST_PERSON = frozenset({"i", "i'm", "i've", "my", "me", "we", "our"})
# Words that pick roles by their order, as typed (several are stop words to BM25).
_BEFORE = frozenset("before prior previous previously earlier preceding".split())
_FIRST = frozenset("first earliest initial start started begin began beginning".split())
_NOW = frozenset("current currently now present today latest".split())
# Words that ask for the role itself, not for something done in it.
_ROLE_WORDS = frozenset(analyse(" ".join(_BEFORE | _FIRST | _NOW))) | frozenset(analyse(
    "role roles job jobs position positions title titles post company employer first earliest "
    "start started begin began career current latest last now today"))
_DURATION_MEASURE = re.compile(r"^(?:years?|yrs?|months?)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Plan:
    """The quotes an intent's strategy chose, and how the answer presents them."""

    evidence: tuple[Evidence, ...] = ()
    titled: frozenset[int] = frozenset()  # units led by their section's title (a role's)
    listed: tuple[str, ...] = ()  # names the answer lists, as the corpus writes them
    figures: bool = False  # add the figures table
    missing_topic: str | None = None  # a decline that names what is missing


@dataclass(frozen=True)
class Context:
    """What every strategy reads."""

    index: SearchIndex
    question: Question
    understanding: Understanding
    query_vector: np.ndarray
    chunk_scores: np.ndarray

    @property
    def spec(self) -> IntentSpec:
        """The intent; strategies run only for a question that has one."""
        spec = self.understanding.intent.spec
        if spec is None:
            raise ValueError("a strategy was asked to answer a question with no intent")
        return spec

    def rank(self, units: Sequence[int], prefer_figures: bool = False) -> list[Evidence]:
        """The general scorer over `units`, with the intent's preferences."""
        return score_units(self.index, units, self.question.terms, self.query_vector,
                           self.chunk_scores, prefer_figures=prefer_figures,
                           expansions=self.understanding.expansions, bonus=intent_bonus(self))


def intent_bonus(context: Context) -> Callable[[int], float] | None:
    """What the intent prefers in a quote: its kind of section, answer type and cues; for
    a question below the intent threshold, what its nearest intent prefers."""
    intent = context.understanding.intent
    spec = intent.spec or intent.leaning
    if spec is None:
        return None
    index = context.index
    kinds = set(spec.sections)
    cued = set(units_with_cues(index, spec.cues))
    typed = typed_units(index, spec.wants)

    def bonus(unit: int) -> float:
        score = 0.0
        if kinds & index.chunk_kinds[int(index.unit_chunk[unit])]:
            score += KIND_BONUS
        if unit in typed:
            score += TYPE_BONUS
        if unit in cued:
            score += CUE_BONUS
        return score

    return bonus


def plan_answer(context: Context) -> Plan | None:
    """The intent's strategy, or None for the general search."""
    spec = context.understanding.intent.spec
    if spec is None or spec.answer == "search":
        return None
    if spec.answer == "categories" and context.understanding.technologies and not (
        context.understanding.categories
    ):
        return _technology(context)  # "Has he worked with MySQL?" heard as a skills question
    if spec.answer in _ABOUT_THE_PERSON and names_a_section(context):
        # "What did he do as a lead engineer?": about one role, which search reads whole.
        return None
    return _STRATEGIES[spec.answer](context)


# Strategies that answer about the person in general, not about a section the question names.
_ABOUT_THE_PERSON = frozenset({"current_role", "roles", "first_role", "section_kind", "cues"})


def names_a_section(context: Context) -> bool:
    """Whether the question names one section by its heading ("as a lead engineer")."""
    return bool(named_sections(context.index, context.question))


def named_sections(index: SearchIndex, question: Question) -> list[int]:
    """The chunks whose heading the question names: it shares at least two terms, and at
    least half of the question's, with the heading; the closest headings only."""
    terms = set(question.terms)
    if len(terms) < 2:
        return []
    shared = [len(terms & set(analyse(chunk.title))) for chunk in index.chunks]
    best = max(shared, default=0)
    if best < 2 or 2 * best < len(terms):
        return []
    return [at for at, count in enumerate(shared) if count == best]


def units_of_kinds(index: SearchIndex, kinds: Sequence[str]) -> list[int]:
    """Every unit of the sections of the given kinds, in corpus order."""
    wanted = set(kinds)
    return [unit for at, chunk_kinds in enumerate(index.chunk_kinds) if wanted & chunk_kinds
            for unit in index.chunk_units[at]]


def units_with_cues(index: SearchIndex, cues: Sequence[str]) -> list[int]:
    """Every unit holding one of the cue words or phrases, in corpus order. The units
    holding a cue's stems are looked up first; only those are read."""
    pattern = cue_pattern(cues)
    if pattern is None:
        return []
    candidates: set[int] = set()
    for key in cue_keys(cues):
        if not key:
            continue
        postings = [set(index.term_units.get(term, ())) for term in key]
        candidates |= set.intersection(*postings)
    return sorted(u for u in candidates if pattern.search(index.unit_texts[u].lower()))


def typed_units(index: SearchIndex, kinds: Sequence[str]) -> frozenset[int]:
    """Every unit holding an answer of any of `kinds` (email, date_range, ...)."""
    found: frozenset[int] = frozenset()
    for kind in kinds:
        found |= index.typed_units.get(kind, frozenset())
    return found


def _decline(context: Context) -> Plan | None:
    """An intent portfolios rarely answer: declined by name unless a quote speaks to it."""
    if units_with_cues(context.index, context.spec.cues):
        return None  # the portfolio does say something: let the search find it
    return Plan(missing_topic=context.spec.topic)


def _section_kind(context: Context) -> Plan | None:
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


def _titled(evidence: Sequence[Evidence], roles: Sequence[Role]) -> Plan:
    """A plan whose role dates are led by the role's title."""
    return Plan(evidence=tuple(evidence), titled=frozenset(role.unit for role in roles))


def _role_evidence(index: SearchIndex, roles: Sequence[Role]) -> tuple[Evidence, ...]:
    return tuple(Evidence(role.unit, role.chunk, 1.0, 0.0, 0.0) for role in roles)


def _with_details(context: Context, role: Role, limit: int = 2) -> tuple[Evidence, ...]:
    """A role's dates, then its quotes holding a word the question asks about beyond
    the role itself ("What did he own in his first role?": "Owned core platform...")."""
    index = context.index
    asked = set(context.question.terms) - _ROLE_WORDS
    reach = asked | {t for term in asked
                     for t, _w in context.understanding.expansions.get(term, ())}
    units = [u for at in (role.chunk, *index.child_chunks[role.chunk])
             for u in index.chunk_units[at]
             if u != role.unit and reach & set(analyse(index.unit_texts[u]))]
    details = context.rank(units)[:limit] if reach else []
    return (*_role_evidence(index, [role]), *details)


def _roles_in_order(context: Context) -> Plan | None:
    """Roles picked by the order the question asks for ("first", "before", "now"),
    else the intent's own choice; None when no role is dated."""
    if not context.index.roles:
        return None
    words = set(context.question.words)
    if words & _BEFORE or words & _FIRST:
        return _first_role(context)
    if words & _NOW:
        return _current_role(context)
    return {"current_role": _current_role, "first_role": _first_role}.get(
        context.spec.answer, _roles)(context)


def _current_role(context: Context) -> Plan | None:
    roles = context.index.roles
    if not roles:
        return None
    current = [role for role in roles if role.current] or [
        max(roles, key=lambda role: (role.end or (9999, 99), role.start))
    ]
    if len(current) == 1:
        return _titled(_with_details(context, current[0]), current)
    return _titled(_role_evidence(context.index, current[::-1]), current)


def _roles(context: Context) -> Plan | None:
    roles = context.index.roles
    if not roles:
        return None
    return _titled(_role_evidence(context.index, roles[::-1]), roles)


def _first_role(context: Context) -> Plan | None:
    roles = context.index.roles
    if not roles:
        return None
    if set(context.question.words) & _BEFORE and len(roles) > 1:
        # "before his current role": the roles that came before the latest, latest first.
        earlier = roles[-2::-1][:3]
        return _titled(_role_evidence(context.index, earlier), earlier)
    return _titled(_with_details(context, roles[0]), roles[:1])


def _contact(context: Context) -> Plan | None:
    index = context.index
    units = sorted(typed_units(index, ("email", "url", "phone")))
    if not units:
        return Plan(missing_topic=context.spec.topic)
    return Plan(evidence=tuple(select_evidence(index, context.rank(units), MAX_LISTED_QUOTES)))


def _cues(context: Context) -> Plan | None:
    """Quotes holding the intent's cue words (and the answer type it wants, if any)."""
    index, spec = context.index, context.spec
    units = units_with_cues(index, spec.cues)
    if spec.wants:
        typed = typed_units(index, spec.wants)
        units = [u for u in units if u in typed]
    if not units:
        return Plan(missing_topic=spec.topic) if spec.topic else None
    chosen = select_evidence(index, context.rank(units), 3)
    return Plan(evidence=tuple(chosen))


def _technology(context: Context) -> Plan | None:
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


def _categories(context: Context) -> Plan | None:
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


def units_naming(index: SearchIndex, technology: Technology) -> list[int]:
    """The units that name a technology in one of the forms the corpus writes it."""
    exact = set(technology.exact_forms)
    forms = technology.in_corpus or (*technology.forms, *technology.exact_forms)
    pattern = form_pattern([f for f in forms if f not in exact], [f for f in forms if f in exact])
    candidates: set[int] = set()
    for form in forms:
        terms = analyse(form)
        if terms:
            candidates |= set.intersection(*(set(index.term_units.get(t, ())) for t in terms))
    return sorted(u for u in candidates if pattern.search(index.unit_texts[u]))


def _is_scale_figure(figure: str, measure: str) -> bool:
    """A count, share, rate or magnitude; not a duration ("6+ years") or a year."""
    return not (_DURATION_MEASURE.match(measure) or _YEAR.match(figure.strip()))


def _figures(context: Context) -> Plan | None:
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


_STRATEGIES: dict[str, Callable[[Context], Plan | None]] = {
    "current_role": _roles_in_order,
    "roles": _roles_in_order,
    "first_role": _roles_in_order,
    "section_kind": _section_kind,
    "contact": _contact,
    "categories": _categories,
    "technology": _technology,
    "figures": _figures,
    "cues": _cues,
    "decline": _decline,
}

