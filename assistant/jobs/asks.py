"""What a requirement asks for, word by word, and which of those words its quotes show.

A requirement is shown by its quotes only when they show every word it asks for: the
word itself (any inflection), an alias or lemma of it (a lexicon neighbour is not
enough: "health checking" does not show "testing"), or, for a kind of skill ("cloud
platform providers"), a technology of that kind that a quote names ("AWS"). Examples
in parentheses illustrate and a preference ("preferably startups") is a wish, so
neither is asked for; of the options around an "or" one suffices; filler words
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
_OR = re.compile(r"\b(?:and/)?or\b", re.IGNORECASE)
_PREPOSITION = re.compile(r"\b(?:with|in|using|of|on|for|to|as|at|from|by|into|about)\b",
                          re.IGNORECASE)
_LIST_ITEM_WORDS = 3  # a comma-separated piece this short before "or" is one more option
_PREFERENCE = re.compile(r"\b(?:preferably|ideally)\b([^.;:()]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Ask:
    """One word a requirement asks for, as it writes it, with its search terms."""

    word: str
    terms: frozenset[str]
    kinds: frozenset[str] = frozenset()  # kinds of skill it names ("cloud"), if any


Choice = tuple[frozenset[str], ...]  # the options of "A, B or C", each its asked words


@dataclass(frozen=True)
class Asks:
    """A requirement's asked words, and its choices: of "Python, Java, or Scala" or
    "TypeScript or a different typed language", one option shown is enough."""

    words: tuple[Ask, ...]
    choices: tuple[Choice, ...] = ()

    def excused(self, shown: set[str] | frozenset[str]) -> frozenset[str]:
        """The lower-cased words no longer asked for once the words `shown` are: every
        option of a choice one of whose options is wholly shown."""
        return frozenset(word for choice in self.choices
                         if any(option <= shown for option in choice)
                         for option in choice for word in option)


def requirement_asks(plain: str, question: Question, filler: frozenset[str],
                     finder: TechnologyFinder) -> Asks:
    """The words of a requirement a quote must show: its key words less examples in
    parentheses, preferences and filler, and the choices among them."""
    examples = in_parentheses(plain) | preferred(plain)
    # A word names a kind of skill only inside a whole phrase for it that the requirement
    # writes: "cloud providers" does, "automation" alone does not ("test automation").
    kinds_of: dict[str, set[str]] = {}
    terms = analyse(_outside_parentheses(plain))
    for at, term in enumerate(terms):
        for kind, phrase in finder.category_phrases.get(term, ()):
            if tuple(terms[at:at + len(phrase)]) == phrase:
                for word in phrase:
                    kinds_of.setdefault(word, set()).add(kind)
    words = tuple(
        Ask(word, terms, frozenset(kind for term in terms for kind in kinds_of.get(term, ())))
        for word, terms in question.key_words
        if word.lower().strip(".") not in examples | filler
    )
    return Asks(words, choices_in(plain, {ask.word.lower() for ask in words}))


def choices_in(plain: str, asked: set[str]) -> tuple[Choice, ...]:
    """The choices a requirement offers, clause by clause: the options around its last
    "or" ("and/or"), with the short comma-separated pieces before it ("Python, Java, or
    Scala"); the first option starts after its last preposition ("experience with X")
    and the last ends at its first ("Scala for data processing"). Pure."""
    choices = []
    for clause in re.split(r"[.;:!?](?:\s|$)", _outside_parentheses(plain)):
        found = list(_OR.finditer(clause))
        if not found:
            continue
        before, after = clause[:found[-1].start()], clause[found[-1].end():]
        items: list[str] = []
        for piece in reversed([piece for piece in before.split(",") if piece.strip()]):
            trimmed = _PREPOSITION.split(piece)[-1]
            if items and len(trimmed.split()) > _LIST_ITEM_WORDS:
                break  # a clause of its own, not one more option
            items.insert(0, trimmed)
            if trimmed != piece:
                break  # "using Python, Java": the preposition opens the list
        items.append(_PREPOSITION.split(after)[0])
        options = [frozenset(w.lower() for w in re.findall(_WORD, item) if w.lower() in asked)
                   for item in items]
        options = [option for option in options if option]
        if len(options) > 1:
            choices.append(tuple(options))
    return tuple(choices)


def unshown(asks: Asks, shown: Iterable[frozenset[str]]) -> tuple[str, ...]:
    """The asked words, as written, that no quote shows (`shown`: the words each quote
    shows, from `shown_by`), an option of a choice whose other option is shown aside.
    Pure."""
    words = set().union(*shown)
    words |= asks.excused(words)  # "TypeScript or a different language": one is enough
    return tuple(ask.word for ask in asks.words if ask.word.lower() not in words)


def covering(shown: Sequence[frozenset[str]], limit: int) -> tuple[int, ...]:
    """The positions of at most `limit` quotes that together show the most asked words
    (`shown`: the words each quote shows), picked greedily (each adds the most words not
    yet shown; the earlier quote on a tie), in their original order. Pure."""
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < limit:
        gains = [(len(words - covered), -at) for at, words in enumerate(shown)
                 if at not in chosen]
        if not gains or max(gains)[0] == 0:
            break
        at = -max(gains)[1]
        chosen.append(at)
        covered |= shown[at]
    return tuple(sorted(chosen))


def used_together(asks: Asks, technologies: Iterable[str],
                  quotes: Iterable[tuple[str, frozenset[str]]]) -> bool | None:
    """Whether one quote that is a sentence, not a list of skills, shows a technology the
    requirement names (`technologies`: lower-cased words) with something it asks to do
    with it ("automation using Kubernetes"); None when it names no technology or asks
    nothing besides. `quotes`: each quote with the words it shows. A skills list shows
    the skill, not what it was used for. Pure."""
    named = {ask.word.lower() for ask in asks.words} & set(technologies)
    doing = {ask.word.lower() for ask in asks.words if not ask.kinds} - named
    if not named or not doing:
        return None
    return any(shown & named and shown & doing
               for quote, shown in quotes if not is_skill_list(quote))


def is_skill_list(quote: str) -> bool:
    """A list of skills ("PostgreSQL, Redis, Kafka") rather than a sentence about them."""
    return quote.count(",") >= 2 and len(quote.split()) <= 3 * (quote.count(",") + 1)


def shown_by(asks: Asks, quote: str, expansions: Mapping[str, Sequence[tuple[str, float]]],
             finder: TechnologyFinder) -> frozenset[str]:
    """The asked words (lower-cased) one quote shows: by the word, an alias or lemma of it
    (`expansions` at full weight), or for a kind of skill a technology of that kind."""
    terms = frozenset(analyse(quote))
    shown = {
        ask.word.lower() for ask in asks.words
        if ask.terms & terms
        or any(target in terms for term in ask.terms
               for target, weight in expansions.get(term, ()) if weight >= SAME_WORD)
    }
    kind_asks = [ask for ask in asks.words if ask.kinds and ask.word.lower() not in shown]
    if kind_asks:  # only then look for technologies: "cloud" is shown by "AWS"
        kinds = {kind for technology in finder.named_in(quote) for kind in technology.categories}
        shown |= {ask.word.lower() for ask in kind_asks if ask.kinds & kinds}
    return frozenset(shown)


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
