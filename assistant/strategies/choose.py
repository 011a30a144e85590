"""Which strategy answers a question: its intent's, unless the question names one
section by its heading or has no clear intent (then the general search answers)."""

from __future__ import annotations

from collections.abc import Callable

from .context import Context, Plan, names_a_section
from .figures import figures
from .roles import roles_in_order
from .sections import contact, cues, decline, section_kind
from .skills import categories, technology


def plan_answer(context: Context) -> Plan | None:
    """The intent's strategy, or None for the general search."""
    spec = context.understanding.intent.spec
    if spec is None or spec.answer == "search":
        return None
    if spec.answer == "categories" and context.understanding.technologies and not (
        context.understanding.categories
    ):
        return technology(context)  # "Has he worked with MySQL?" heard as a skills question
    if spec.answer in _ABOUT_THE_PERSON and names_a_section(context):
        # "What did he do as a lead engineer?": about one role, which search reads whole.
        return None
    return _STRATEGIES[spec.answer](context)


# Strategies that answer about the person in general, not about a section the question names.
_ABOUT_THE_PERSON = frozenset({"current_role", "roles", "first_role", "section_kind", "cues"})


_STRATEGIES: dict[str, Callable[[Context], Plan | None]] = {
    "current_role": roles_in_order,
    "roles": roles_in_order,
    "first_role": roles_in_order,
    "section_kind": section_kind,
    "contact": contact,
    "categories": categories,
    "technology": technology,
    "figures": figures,
    "cues": cues,
    "decline": decline,
}
