"""The BM25 term analyser, shared so that queries and documents agree.

Lower-cased word tokens that keep technical names whole ("node.js", "ci/cd",
"99.9%", "10k+"), English stop words dropped, Snowball-stemmed.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

# A token is a run of letters/digits, optionally joined by . / + - & inside the
# run, with a trailing % or + kept ("99.9%", "10k+", "c++"). An apostrophe ends
# a token, so "what's" and "engineer's" reduce to "what" and "engineer".
_TOKEN = re.compile(r"\w+(?:[./+&-]\w+)*[%+]*")

ANALYSER_VERSION = "words-snowball-4"  # 4: "own" is a word ("owned onboarding")

# Function words only: nothing here may be specific to one corpus.
_STOP_WORDS_TEXT = """
a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each either
few for from further had has have having he her here hers herself him himself his how
i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over same she should so some such than
that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves tell show give list please describe explain
anything something ever also s t d ll re ve m
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of `text`, before stop-word removal and stemming."""
    return [match.group(0) for match in _TOKEN.finditer(text.lower())]


def _with_parts(word: str) -> list[str]:
    """A compound and its parts: "re-architecture" also matches "architecture", "ci/cd" "ci"."""
    if "-" not in word and "/" not in word:
        return [word]
    parts = [part for part in re.split(r"[-/]", word) if len(part) > 1 and part not in STOP_WORDS]
    return [word, *parts]


def analyse(text: str) -> list[str]:
    """BM25 terms of `text`: tokens and hyphenated parts without stop words, stemmed."""
    words = [
        part for word in tokenize(text) if word not in STOP_WORDS for part in _with_parts(word)
    ]
    return [_stem(word) for word in words]


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    # Stemming is pure and a vocabulary is small: remember each word's stem.
    return _stemmer().stemWord(word)
