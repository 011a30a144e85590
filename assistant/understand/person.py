"""The person a portfolio is about, and questions that call them by name.

"Where does Jane work?" and "What is Arunav's current role?" mean "Where does she
work?" and "What is his current role?": the example questions an intent is
recognised by use pronouns, and the name itself would match every heading that
carries it. So the name (whole, first or last, possessive or not) is read as a
pronoun before the question is embedded and searched. Which pronoun does not
matter to the matching (every example question is embedded with he and with
she) and is never shown; "they" would match worse ("Where does they work?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus_index.records import Chunk

MAX_HEADLINE_WORDS = 12  # "Backend Platform Engineer"; a longer line is a biography
_NAME_WORD = re.compile(r"^[A-Z][a-zA-Z'’-]+$")
# "Tell me about Jane", "Can I contact Jane?": the name is the object of the question.
_OBJECT = re.compile(r"\b(?:about|contact|reach|hire|call|email|with|for|to|of)\s+\S+\s*\W*$",
                     re.IGNORECASE)


def person_section(chunks: Sequence[Chunk], kinds: Sequence[frozenset[str]]) -> Chunk | None:
    """The first chunk of the section a name heads in the portfolio's summary ("# Jane
    Doe"), if its heading reads as a name: two to four capitalised words."""
    for chunk, chunk_kinds in zip(chunks, kinds, strict=True):
        words = chunk.path[0].split() if len(chunk.path) == 1 else []
        if "summary" in chunk_kinds and 2 <= len(words) <= 4 and all(
            _NAME_WORD.match(word) for word in words
        ):
            return chunk
    return None


def person_name(chunks: Sequence[Chunk], kinds: Sequence[frozenset[str]]) -> str | None:
    """The name heading the portfolio's summary ("# Jane Doe"), if it reads as a name."""
    section = person_section(chunks, kinds)
    return section.path[0] if section is not None else None


def person_headline(chunks: Sequence[Chunk], kinds: Sequence[frozenset[str]]) -> str | None:
    """The line right under the person's name ("# Jane Doe" then "Senior Developer"), as
    written, when it reads as a headline: a paragraph of one sentence of at most
    `MAX_HEADLINE_WORDS` words. None when the name is followed by anything else (a
    biography, a list): a headline is quoted, never made up or cut from a longer text."""
    section = person_section(chunks, kinds)
    if section is None or not section.blocks:
        return None
    first = section.blocks[0]
    if first.kind != "paragraph" or len(first.units) != 1:
        return None
    return first.text if 0 < len(first.text.split()) <= MAX_HEADLINE_WORDS else None


def without_name(text: str, name: str | None) -> str:
    """`text` with the person's name read as a pronoun ("Jane's role" -> "his role",
    "Where does Jane Doe work?" -> "Where does he work?"); used only for matching."""
    if not name:
        return text
    parts = sorted({name, *name.split()}, key=len, reverse=True)
    names = "|".join(re.escape(part) for part in parts if len(part) > 1)
    possessive = re.compile(rf"\b(?:{names})(?:'s|’s|')(?!\w)", re.IGNORECASE)
    plain = re.compile(rf"\b(?:{names})\b", re.IGNORECASE)
    return plain.sub("him" if _OBJECT.search(text) else "he", possessive.sub("his", text))
