"""Compile the owner's knowledge files for one corpus (see corpus_index.knowledge)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from corpus_index.errors import KnowledgeFileError
from corpus_index.intents import load_intents
from corpus_index.knowledge import (
    ALIASES_FILE,
    INTENTS_FILE,
    KNOWLEDGE_FILES,
    LEXICON_FILE,
    CompiledKnowledge,
    Expansion,
    Technology,
)
from corpus_index.records import Chunk
from corpus_index.terms import analyse

# An expanded word weighs this share of its link's cosine: less than the question's own.
EXPANSION_WEIGHT = 0.6


def knowledge_hashes(knowledge_dir: Path) -> dict[str, str]:
    """sha256 of each knowledge file that exists, by name: what a no-op ingest compares."""
    return {
        name: hashlib.sha256((knowledge_dir / name).read_bytes()).hexdigest()
        for name in KNOWLEDGE_FILES
        if (knowledge_dir / name).is_file()
    }


def compile_knowledge(knowledge_dir: Path, chunks: Iterable[Chunk]) -> CompiledKnowledge:
    """Read every knowledge file and keep what this corpus can use.

    Raises:
        KnowledgeFileError: a file is missing or has a mistake (the message names file:line).
    """
    chunks = tuple(chunks)
    intents_path = knowledge_dir / INTENTS_FILE
    if not intents_path.is_file():
        raise KnowledgeFileError(f"{intents_path}: missing; the intents file is required")
    book = load_intents(intents_path)
    corpus_text = "\n".join(
        text for chunk in chunks for text in (*chunk.path, *chunk.units)
    )
    vocabulary = {term for chunk in chunks for term in chunk.terms}
    technologies, categories = _compile_aliases(knowledge_dir / ALIASES_FILE, corpus_text)
    expansions = _compile_lexicon(knowledge_dir / LEXICON_FILE, vocabulary)
    return CompiledKnowledge(
        intents=book,
        technologies=technologies,
        categories=categories,
        expansions=expansions,
    )


def _compile_aliases(
    path: Path, corpus_text: str
) -> tuple[tuple[Technology, ...], dict[str, tuple[str, ...]]]:
    """The technologies this corpus names (with all their forms), and every category's
    question words (a category the corpus has no member of can still be declined)."""
    if not path.is_file():
        return (), {}
    from corpus_index.aliases import load_aliases

    table = load_aliases(path)
    found: dict[str, dict[str, None]] = {}
    for mention in table.mentions(corpus_text):
        found.setdefault(mention.name, {})[mention.surface] = None
    technologies = []
    for entry in table.technologies:
        if entry.name not in found:
            continue
        forms = (entry.name, *entry.aliases)
        exact = set(forms) if entry.case_sensitive is True else set(entry.case_sensitive or ())
        technologies.append(Technology(
            name=entry.name,
            forms=tuple(form for form in forms if form not in exact),
            exact_forms=tuple(form for form in forms if form in exact),
            categories=tuple(entry.categories),
            in_corpus=tuple(found[entry.name]),
        ))
    categories = {name: tuple(words) for name, words in table.category_words.items()}
    return tuple(technologies), categories


def _compile_lexicon(path: Path, vocabulary: set[str]) -> dict[str, tuple[Expansion, ...]]:
    """Question term -> the corpus terms its related words stem to. Keyed by the stem
    of the table's word, so "coached" reaches coach's links; an irregular form ("led")
    reaches its lemma and the lemma's links."""
    if not path.is_file():
        return {}
    rows, lemmas = _stemmed_rows(path, hashlib.sha256(path.read_bytes()).hexdigest())
    links: dict[str, dict[str, float]] = {}
    for own, other, cosine in rows:
        if other in vocabulary:
            targets = links.setdefault(own, {})
            weight = round(EXPANSION_WEIGHT * cosine, 3)
            targets[other] = max(targets.get(other, 0.0), weight)
    for form, lemma in lemmas.items():
        targets = links.setdefault(form, {})
        if lemma in vocabulary:
            targets[lemma] = 1.0  # the same word, inflected
        for term, weight in links.get(lemma, {}).items():
            targets[term] = max(targets.get(term, 0.0), weight)
    return {
        term: tuple(Expansion(term=t, weight=w) for t, w in sorted(found.items()))
        for term, found in sorted(links.items()) if found
    }


@lru_cache(maxsize=2)
def _stemmed_rows(
    path: Path, sha256: str
) -> tuple[tuple[tuple[str, str, float], ...], dict[str, str]]:
    """The lexicon's links as (stem, related stem, cosine), and irregular forms' lemmas by
    stem; read once per file content (`sha256` keys the cache), whatever the corpus.

    Raises:
        KnowledgeFileError: a line of the table is malformed.
    """
    from corpus_index.lexicon import LEMMA, load_lexicon

    rows: list[tuple[str, str, float]] = []
    lemmas: dict[str, str] = {}
    for row in load_lexicon(path).rows:
        word, related, relation, cosine = row.split("\t")
        own, others = analyse(word), analyse(related)
        if len(own) != 1 or len(others) != 1 or own == others:
            continue
        if relation == LEMMA:
            lemmas[own[0]] = others[0]
        else:
            rows.append((own[0], others[0], float(cosine)))
    return tuple(rows), lemmas
