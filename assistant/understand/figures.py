"""Figures in quotes ("99.9%", "500K+", "Billions") and what each one measures.

Both cells of a figure row are cut verbatim from the quote, so the table adds
no word of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus_index.terms import STOP_WORDS, analyse

# A number with its decorations ("$1.2M", "99.99%", "10K+", "6+", "2.2"), or a
# magnitude word standing for one. Generic English, no portfolio content.
_MAGNITUDE = r"(?:[Hh]undreds?|[Tt]housands?|[Mm]illions?|[Bb]illions?|[Tt]rillions?|[Dd]ozens?)"
_FIGURE = re.compile(
    # A number, with a unit glued on ("500ms", "10x", "5GB") or a suffix ("99.9%", "10K+"),
    # or followed by a magnitude word ("2 million").
    r"(?<![\w.])(?:[$€£]\s?)?\d[\d,]*(?:\.\d+)?"
    r"(?:%|[A-Za-z]{1,3}\b\+?|\+|\s" + _MAGNITUDE + r"\b)?"
    # Or a magnitude word standing for a number ("Billions", "thousands of").
    r"|\b" + _MAGNITUDE + r"\b"
)
_WORD = re.compile(r"[\w][\w./&+-]*")
_BOUNDARY_WORDS = STOP_WORDS | {"across", "via", "per", "while", "enabling", "using", "including"}
MAX_MEASURE_WORDS = 4


@dataclass(frozen=True)
class Figure:
    figure: str
    measure: str


def has_figure(text: str) -> bool:
    """Whether the text states a figure."""
    return _FIGURE.search(text) is not None


def _following_words(text: str, start: int) -> str:
    """Up to a few content words right after `start`, stopping at a clause boundary."""
    words: list[str] = []
    end = start
    for match in _WORD.finditer(text, start):
        gap = text[end : match.start()]
        word = match.group(0)
        if gap.strip() or word.lower() in _BOUNDARY_WORDS or _FIGURE.fullmatch(word):
            break
        sentence_ends = word.endswith(".") and not text[match.end():match.end() + 1].strip()
        words.append(word.rstrip("."))
        end = match.start() + len(words[-1])
        if sentence_ends or len(words) == MAX_MEASURE_WORDS:
            break
    return text[start:end].strip().rstrip(".,;:")


def _preceding_words(text: str, end: int) -> str:
    """The words before "by 80%" or "at 95%": what the figure changes."""
    before = text[:end].rstrip()
    for word in ("by", "at", "of", "to"):
        if before.lower().endswith(" " + word):
            head = before[: -len(word)].rstrip()
            words = list(_WORD.finditer(head))
            picked = []
            for match in reversed(words):
                if match.group(0).lower() in _BOUNDARY_WORDS or len(picked) == MAX_MEASURE_WORDS:
                    break
                picked.append(match)
                if text[match.end() : match.end() + 1] == ",":
                    break
            if picked:
                return head[picked[-1].start() :].strip(" ,;:")
    return ""


@lru_cache(maxsize=16_384)
def extract_figures(quote: str) -> tuple[Figure, ...]:
    """Every figure in `quote` with the words that say what it measures (possibly empty).
    Pure, so a quote met again (every scale question reads them all) is not re-parsed."""
    found = []
    for match in _FIGURE.finditer(quote):
        figure = match.group(0).strip()
        after = match.end()
        # "thousands of SaaS customers": the measure follows the "of".
        of = re.match(r"\s+of\b", quote[after:])
        measure = _following_words(quote, after + of.end() if of else after) or _preceding_words(
            quote, match.start()
        )
        if measure:
            found.append(Figure(figure=figure, measure=measure))
    return tuple(found)


_MAGNITUDE_ONLY = re.compile(r"^" + _MAGNITUDE + r"$")
# Words that say how often, not what is counted: "monthly signups" = "signups/month".
_PER_WORDS = frozenset(analyse("month monthly year yearly annual annually day daily week weekly"
                               " hour hourly per"))
FigureKey = tuple[str, frozenset[str]]


@lru_cache(maxsize=16_384)
def figure_key(figure: Figure) -> FigureKey:
    """The number and the counted words' stems; a magnitude word ("billions") counts
    nothing of its own."""
    number = figure.figure.lower().rstrip("+").rstrip("s")
    if _MAGNITUDE_ONLY.match(figure.figure):
        return number, frozenset()
    return number, frozenset(analyse(figure.measure)) - _PER_WORDS


def same_figure(a: FigureKey, b: FigureKey) -> bool:
    """One fact twice: the same number counting the same thing ("500K+ monthly calls"
    in three sections; "10K+ monthly signups" and "10K+ signups/month")."""
    return a[0] == b[0] and (not a[1] or not b[1] or bool(a[1] & b[1]))
