"""Knowledge the model lacks, compiled for one corpus and stored with its index.

The owner's knowledge files live in `knowledge/` (intents, technology aliases, a
lexicon of related words). Ingest reads them, keeps only what this corpus can
use (an alias of a technology the corpus names, a related word the corpus
uses) and writes the result beside the chunks, so a question needs no file but
the index, and a running app picks up edited knowledge with the next index.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .intents import IntentBook

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
INTENTS_FILE = "intents.yaml"
ALIASES_FILE = "aliases.yaml"
LEXICON_FILE = "lexicon.tsv"
KNOWLEDGE_FILES = (INTENTS_FILE, ALIASES_FILE, LEXICON_FILE)


class Technology(BaseModel):
    """A technology this corpus names, with every form a question may use for it."""

    model_config = ConfigDict(frozen=True)

    name: str
    forms: tuple[str, ...]  # the name and its aliases, matched in any case
    exact_forms: tuple[str, ...] = ()  # forms matched only as written ("Go", "R")
    categories: tuple[str, ...] = ()
    in_corpus: tuple[str, ...] = ()  # the forms the corpus itself writes, as it writes them


class Expansion(BaseModel):
    """A corpus term reached from a question term through the lexicon or a lemma."""

    model_config = ConfigDict(frozen=True)

    term: str
    weight: float  # below 1: an expanded word weighs less than the question's own


class CompiledKnowledge(BaseModel):
    """What an index knows beyond its corpus; see the module docstring."""

    model_config = ConfigDict(frozen=True)

    intents: IntentBook
    technologies: tuple[Technology, ...] = ()
    categories: dict[str, tuple[str, ...]] = {}  # category -> words a question names it by
    expansions: dict[str, tuple[Expansion, ...]] = {}  # question term -> corpus terms
