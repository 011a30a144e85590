"""What kind of résumé section each chunk belongs to (experience, education, skills,
contact, ...), read from its heading path and file name against the intent book's
heading words. A chunk may be of several kinds ("About › Core Technologies")."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from corpus_index.intents import IntentBook
from corpus_index.records import Chunk
from corpus_index.terms import analyse

from .phrases import contains_phrase, phrase_terms

# A heading names a kind when a kind's phrase covers at least this share of its words:
# "Technical Skills" and "Case Studies" do, "Distributed Contact Management at Scale" not.
MIN_COVERAGE = 0.5


def headings_kinds(headings: Sequence[str], book: IntentBook) -> frozenset[str]:
    """The kinds that any of `headings` names; of two kinds a heading could name, the
    one whose phrase covers more of it ("Case Studies": projects, not education)."""
    marks = {kind: phrase_terms(words) for kind, words in book.section_kinds.items()}
    found = set()
    for heading in headings:
        terms = analyse(heading.replace("-", " ").replace("_", " "))
        if not terms:
            continue
        coverage = {
            kind: max((len(phrase) / len(terms) for phrase in phrases
                       if contains_phrase(terms, phrase)), default=0.0)
            for kind, phrases in marks.items()
        }
        best = max(coverage.values())
        if best >= MIN_COVERAGE:
            found.update(kind for kind, share in coverage.items() if share == best)
    return frozenset(found)


def chunk_kinds(chunks: Sequence[Chunk], book: IntentBook) -> tuple[frozenset[str], ...]:
    """The kinds of every chunk: named by its headings, or by its file's name when its
    headings name none (profile.md's "# Jane Doe" is a summary)."""
    kinds = []
    for chunk in chunks:
        own = headings_kinds(chunk.path, book)
        if not own:
            own = headings_kinds([PurePosixPath(chunk.source).stem], book)
        kinds.append(own)
    return tuple(kinds)
