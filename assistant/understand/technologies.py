"""Technologies a question names, by any of their aliases ("Postgres", "k8s"), among
those this corpus names; and the kinds of skill a question asks about ("databases")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus_index.knowledge import CompiledKnowledge, Technology
from corpus_index.terms import analyse

from .phrases import phrase_terms


@dataclass(frozen=True)
class TechnologyFinder:
    """One pattern per technology of the corpus, built once per index."""

    patterns: tuple[tuple[Technology, re.Pattern[str]], ...]
    # a category phrase's first term -> (category, the phrase's terms): one look-up a word
    category_phrases: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]

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
        found: dict[str, None] = {}
        for at, term in enumerate(terms):
            for name, phrase in self.category_phrases.get(term, ()):
                if tuple(terms[at:at + len(phrase)]) == phrase:
                    found[name] = None
        return tuple(found)


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
    by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for name, words in knowledge.categories.items():
        for phrase in phrase_terms(words):
            by_first.setdefault(phrase[0], []).append((name, phrase))
    return TechnologyFinder(
        patterns=patterns,
        category_phrases={term: tuple(entries) for term, entries in by_first.items()},
    )
