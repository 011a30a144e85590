"""Technologies a question names, by any of their aliases ("Postgres", "k8s"), among
those this corpus names; and the kinds of skill a question asks about ("databases")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus_index.knowledge import CompiledKnowledge, Technology
from corpus_index.terms import analyse

from .phrases import contains_any, phrase_terms


@dataclass(frozen=True)
class TechnologyFinder:
    """One pattern per technology of the corpus, built once per index."""

    patterns: tuple[tuple[Technology, re.Pattern[str]], ...]
    categories: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]

    def named_in(self, text: str) -> tuple[Technology, ...]:
        """The corpus's technologies that `text` names, in order of first mention."""
        found = []
        for technology, pattern in self.patterns:
            match = pattern.search(text)
            if match:
                found.append((match.start(), technology))
        return tuple(technology for _at, technology in sorted(found, key=lambda f: f[0]))

    def categories_named(self, text: str) -> tuple[str, ...]:
        """The kinds of skill `text` asks about ("which databases" -> database)."""
        terms = analyse(text)
        return tuple(name for name, phrases in self.categories if contains_any(terms, phrases))


def form_pattern(forms: Sequence[str], exact_forms: Sequence[str] = ()) -> re.Pattern[str]:
    """A pattern for any of `forms` (in any case) or `exact_forms` (only as written) as
    a whole word; longer forms are tried first."""
    def alternatives(group: Sequence[str]) -> str:
        return "|".join(re.escape(form) for form in sorted(group, key=len, reverse=True))

    parts = []
    if forms:
        parts.append(f"(?i:{alternatives(forms)})")
    if exact_forms:
        parts.append(alternatives(exact_forms))
    return re.compile(rf"(?<![\w.+#/-])(?:{'|'.join(parts) or '(?!)'})(?![\w+#]|\.\w)")


def build_finder(knowledge: CompiledKnowledge) -> TechnologyFinder:
    """A finder for the technologies and skill categories of one compiled knowledge."""
    patterns = tuple(
        (technology, form_pattern(technology.forms, technology.exact_forms))
        for technology in knowledge.technologies
    )
    categories = tuple(
        (name, phrase_terms(words)) for name, words in knowledge.categories.items()
    )
    return TechnologyFinder(patterns=patterns, categories=categories)
