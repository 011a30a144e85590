"""Answer strategies by intent: which quotes answer a kind of question on any résumé.

Each strategy picks the quotes for one kind of answer (the current role and its
dates, every database the corpus names, every scale figure once) or says by name
what the portfolio does not mention. A strategy that has nothing to say returns
None and the question goes to the general hybrid search. Pure functions.
"""

from .choose import plan_answer
from .context import (
    Context,
    Plan,
    intent_bonus,
    named_sections,
    typed_units,
    units_naming,
    units_of_kinds,
    units_with_cues,
)

__all__ = [
    "Context",
    "Plan",
    "intent_bonus",
    "named_sections",
    "plan_answer",
    "typed_units",
    "units_naming",
    "units_of_kinds",
    "units_with_cues",
]
