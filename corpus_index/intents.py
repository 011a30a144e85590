"""The intent book: what recruiters ask, as example questions per intent, and how each
intent is answered. Read from `knowledge/intents.yaml`; its example questions are
embedded at ingest and travel in the index.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .knowledge_files import fail_at, read_yaml_model

AnswerKind = Literal[
    "current_role", "roles", "first_role", "section_kind", "contact", "categories",
    "technology", "figures", "cues", "decline", "search",
]
AnswerType = Literal["email", "url", "phone", "date_range", "duration", "degree", "figure"]


class IntentSpec(BaseModel):
    """One kind of question and its answer strategy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    answer: AnswerKind
    sections: tuple[str, ...] = ()
    topic: str | None = None
    cues: tuple[str, ...] = ()
    wants: tuple[AnswerType, ...] = ()
    # Words that, in a question leaning on this intent, confirm it ("salary", "visa"):
    # the intent is taken below the usual similarity when the question holds one.
    asks: tuple[str, ...] = ()
    # Whether the answer shows the career timeline: one bar per dated role, under the quotes.
    timeline: bool = False
    examples: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _decline_names_its_topic(self) -> IntentSpec:
        if self.answer == "decline" and not self.topic:
            raise ValueError(f"intent {self.name!r} declines, so it needs a topic to name")
        return self


class IntentBook(BaseModel):
    """Every intent, and the heading words that mark each kind of section."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    section_kinds: dict[str, tuple[str, ...]]
    intents: tuple[IntentSpec, ...] = Field(min_length=1)

    def intent(self, name: str) -> IntentSpec | None:
        """The intent called `name`, if there is one."""
        return next((spec for spec in self.intents if spec.name == name), None)

    def examples(self) -> tuple[tuple[str, str], ...]:
        """(intent name, example question) for every example, in file order, each also
        with its pronouns swapped: MiniLM puts "an overview of her" much further from
        "an overview of him" than the meaning warrants."""
        return tuple(
            (spec.name, variant)
            for spec in self.intents
            for text in spec.examples
            for variant in dict.fromkeys((text, swap_pronouns(text)))
        )


_HE_TO_SHE = {"he": "she", "him": "her", "his": "her", "himself": "herself"}
_SHE_TO_HE = {"she": "he", "hers": "his", "herself": "himself"}
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b(\s*[^\s\w]|\s*$)?",
                      re.IGNORECASE)


def swap_pronouns(text: str) -> str:
    """The same question about someone of the other gender ("his role" -> "her role");
    "her" becomes "him" before punctuation or the end, else "his"."""
    masculine = re.search(r"\b(he|him|his|himself)\b", text, re.IGNORECASE) is not None

    def swap(match: re.Match[str]) -> str:
        word, after = match.group(1), match.group(2) or ""
        lower = word.lower()
        if masculine:
            new = _HE_TO_SHE.get(lower, lower)
        elif lower == "her":
            new = "him" if after.strip() or (not after and match.end() == len(text)) else "his"
        else:
            new = _SHE_TO_HE.get(lower, lower)
        return (new.capitalize() if word[0].isupper() else new) + after

    return _PRONOUN.sub(swap, text)


def load_intents(path: Path) -> IntentBook:
    """Read and check the intent book.

    Raises:
        KnowledgeFileError: a mistake in the file; the message names file and line.
    """
    book = read_yaml_model(path, IntentBook)
    text = path.read_text(encoding="utf-8")
    seen: set[str] = set()
    for at, spec in enumerate(book.intents):
        if spec.name in seen:
            fail_at(path, ("intents", at, "name"), f"intent {spec.name!r} is defined twice", text)
        seen.add(spec.name)
        for kind in spec.sections:
            if kind not in book.section_kinds:
                fail_at(path, ("intents", at, "sections"),
                        f"intent {spec.name!r} names section kind {kind!r}, which"
                        " section_kinds does not define", text)
    return book
