"""What a requirement asks for, word by word, and which of those words its quotes show.

A requirement is shown by its quotes only when they show every word it asks for: the
word itself (any inflection), an alias or lemma of it (a lexicon neighbour is not
enough: "health checking" does not show "testing"), or, for a kind of skill ("cloud
platform providers"), a technology of that kind that a quote names ("AWS"). Examples
in parentheses illustrate and a preference ("preferably startups") is a wish, so
neither is asked for; of two words joined by "or" one suffices; filler words
(`cues.yaml`) say how well, not what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from corpus_index.terms import analyse

from ..understand.question import Question
from ..understand.technologies import TechnologyFinder

SAME_WORD = 1.0  # an expansion this strong is the word itself (an alias, a lemma)
_WORD = r"[\w.+#-]*\w[+#]*"
# "X or Y", "X and/or Y", "X, or a Y": Y is the first word after "or" and its article.
_ALTERNATIVE = re.compile(
    rf"({_WORD})\s*,?\s+(?:and/)?or\s+(?:an?\s+|the\s+|any\s+|other\s+)?({_WORD})",
    re.IGNORECASE)


_PREFERENCE = re.compile(r"\b(?:preferably|ideally)\b([^.;:()]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Ask:
    """One word a requirement asks for, as it writes it, with its search terms."""

    word: str
    terms: frozenset[str]
    instead_of: str | None = None  # lower-cased word this one is the alternative to
    kinds: frozenset[str] = frozenset()  # kinds of skill it names ("cloud"), if any


@dataclass(frozen=True)
class Asks:
    """A requirement's asked words, and the runs of them it writes side by side
    ("load testing"), which one quote must show together."""

    words: tuple[Ask, ...]
    compounds: tuple[tuple[str, ...], ...]  # lower-cased words of each run


def requirement_asks(plain: str, question: Question, filler: frozenset[str],
                     finder: TechnologyFinder) -> Asks:
    """The words of a requirement a quote must show: its key words less examples in
    parentheses and filler, with each "or" alternative marked, and its compounds."""
    examples = in_parentheses(plain) | preferred(plain)
    outside = _outside_parentheses(plain)
    alternatives = {later.lower(): earlier.lower()
                    for earlier, later in _ALTERNATIVE.findall(outside)}
    kinds_of: dict[str, set[str]] = {}
    for entries in finder.category_phrases.values():
        for kind, phrase in entries:
            for term in phrase:
                kinds_of.setdefault(term, set()).add(kind)
    words = tuple(
        Ask(word, terms, alternatives.get(word.lower()),
            frozenset(kind for term in terms for kind in kinds_of.get(term, ())))
        for word, terms in question.key_words
        if word.lower().strip(".") not in examples | filler
    )
    asked = {ask.word.lower() for ask in words}
    runs: list[list[str]] = [[]]
    for token in re.findall(_WORD, outside):
        if token.lower() in asked:
            runs[-1].append(token.lower())
        elif runs[-1]:
            runs.append([])
    compounds = tuple(dict.fromkeys(tuple(run) for run in runs if len(set(run)) > 1))
    return Asks(words, compounds)


def unshown(asks: Asks, quotes: Iterable[str],
            expansions: Mapping[str, Sequence[tuple[str, float]]],
            finder: TechnologyFinder) -> tuple[str, ...]:
    """The asked words, as written, that `quotes` do not show: none shows the word, or
    no one quote shows the whole compound it is part of. Pure."""
    per_quote = [_shown_by(asks.words, quote, expansions, finder) for quote in quotes]
    shown = set().union(*per_quote)
    chosen = {ask.instead_of for ask in asks.words
              if ask.instead_of and ask.word.lower() in shown}
    return tuple(
        ask.word for ask in asks.words
        if ask.word.lower() not in shown
        and ask.instead_of not in shown  # "TypeScript or a different language"
        and ask.word.lower() not in chosen  # its alternative is shown instead
    )


def covering(asks: Asks, quotes: Sequence[str],
             expansions: Mapping[str, Sequence[tuple[str, float]]],
             finder: TechnologyFinder, limit: int) -> tuple[int, ...]:
    """The positions of at most `limit` quotes that together show the most asked words,
    picked greedily (each adds the most words not yet shown; the earlier quote on a
    tie), in their original order. Pure."""
    per_quote = [_shown_by(asks.words, quote, expansions, finder) for quote in quotes]
    chosen: list[int] = []
    shown: set[str] = set()
    while len(chosen) < limit:
        gains = [(len(words - shown), -at) for at, words in enumerate(per_quote)
                 if at not in chosen]
        if not gains or max(gains)[0] == 0:
            break
        at = -max(gains)[1]
        chosen.append(at)
        shown |= per_quote[at]
    return tuple(sorted(chosen))


def _shown_by(asks: Sequence[Ask], quote: str,
              expansions: Mapping[str, Sequence[tuple[str, float]]],
              finder: TechnologyFinder) -> set[str]:
    """The asked words (lower-cased) one quote shows."""
    terms = frozenset(analyse(quote))
    shown = {
        ask.word.lower() for ask in asks
        if ask.terms & terms
        or any(target in terms for term in ask.terms
               for target, weight in expansions.get(term, ()) if weight >= SAME_WORD)
    }
    kind_asks = [ask for ask in asks if ask.kinds and ask.word.lower() not in shown]
    if kind_asks:  # only then look for technologies: "cloud" is shown by "AWS"
        kinds = {kind for technology in finder.named_in(quote) for kind in technology.categories}
        shown |= {ask.word.lower() for ask in kind_asks if ask.kinds & kinds}
    return shown


def preferred(text: str) -> frozenset[str]:
    """Lower-cased words of a preference ("preferably tech startups", "ideally Go"): a
    wish, not a requirement, up to the end of its clause."""
    return frozenset(word.lower() for tail in _PREFERENCE.findall(text)
                     for word in re.findall(r"[\w.+#-]+", tail))


def in_parentheses(text: str) -> frozenset[str]:
    """Lower-cased words inside parentheses: examples ("(e.g., GCP)"), not requirements."""
    return frozenset(word.lower() for group in re.findall(r"\(([^)]*)\)", text)
                     for word in re.findall(r"[\w.+#-]+", group))


def _outside_parentheses(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)
