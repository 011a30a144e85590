"""Roles by their dates: the current one, the first, the ones before, all of them,
each led by its title, with the role's own quotes when the question asks about
something done in it."""

from __future__ import annotations

from collections.abc import Sequence

from corpus_index.terms import analyse

from ..evidence import Evidence
from ..search.search_index import SearchIndex
from ..understand.roles import Role
from .context import Context, Plan

# Words that pick roles by their order, as typed (several are stop words to BM25).
_BEFORE = frozenset("before prior previous previously earlier preceding".split())
_FIRST = frozenset("first earliest initial start started begin began beginning".split())
_NOW = frozenset("current currently now present today latest".split())
# Words that ask for the role itself, not for something done in it.
_ROLE_WORDS = frozenset(analyse(" ".join(_BEFORE | _FIRST | _NOW))) | frozenset(analyse(
    "role roles job jobs position positions title titles post company employer first earliest "
    "start started begin began career current latest last now today"))


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


def roles_in_order(context: Context) -> Plan | None:
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
