"""Sections to index chunks: one per section, long sections split at block boundaries."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from corpus_index.records import PATH_SEPARATOR, Block, Chunk
from corpus_index.terms import analyse

from .errors import CorpusError
from .sections import Section

DEFAULT_MAX_CHARS = 1000  # all-MiniLM-L6-v2 reads 256 word pieces, about this many characters


def embedding_text(path: Sequence[str], blocks: Iterable[Block]) -> str:
    """What the model reads for a chunk: its heading path, then its text."""
    return PATH_SEPARATOR.join(path) + "\n" + "\n".join(block.text for block in blocks)


def unit_embedding_text(path: Sequence[str], unit: str) -> str:
    """What the model reads for one quotable unit: its heading path, then the unit."""
    return PATH_SEPARATOR.join(path) + "\n" + unit


def text_hash(text: str) -> str:
    """The key under which an embedding is reused: sha256 of exactly what was embedded."""
    return hashlib.sha256(text.encode()).hexdigest()


def embedding_texts(chunks: Iterable[Chunk]) -> tuple[list[str], list[str]]:
    """Every text an index embeds: the chunks' in order, then every unit's in order."""
    chunks = tuple(chunks)
    chunk_texts = [embedding_text(chunk.path, chunk.blocks) for chunk in chunks]
    unit_texts = [unit_embedding_text(chunk.path, unit) for chunk in chunks for unit in chunk.units]
    return chunk_texts, unit_texts


def split_blocks(blocks: Sequence[Block], max_chars: int) -> list[tuple[Block, ...]]:
    """Group consecutive blocks into parts of at most `max_chars` (a longer block stands alone)."""
    parts: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        if parts[-1] and size + len(block.text) > max_chars:
            parts.append([])
            size = 0
        parts[-1].append(block)
        size += len(block.text) + 1
    return [tuple(part) for part in parts if part]


def chunk_sections(
    sections: Iterable[Section],
    max_chars: int = DEFAULT_MAX_CHARS,
) -> tuple[Chunk, ...]:
    """Every section as one chunk, or several when it is long.

    Raises:
        CorpusError: two headings in one file give the same id (e.g. "C++" and "C").
    """
    chunks: list[Chunk] = []
    owners: dict[str, Section] = {}
    for section in sections:
        base = section.id
        if base in owners:
            other = owners[base]
            raise CorpusError(
                f"headings {PATH_SEPARATOR.join(section.path)!r} and"
                f" {PATH_SEPARATOR.join(other.path)!r} (line {other.lines[0]}) give the same"
                f" section id {base!r}: reword one heading",
                section.origin,
                section.lines[0],
            )
        owners[base] = section
        for part, blocks in enumerate(split_blocks(section.blocks, max_chars), start=1):
            text = embedding_text(section.path, blocks)
            chunks.append(
                Chunk(
                    id=base if part == 1 else f"{base}~{part}",
                    section_id=base,
                    part=part,
                    title=section.title,
                    path=section.path,
                    source=section.source,
                    lines=section.lines,
                    anchor=section.anchor,
                    url=section.url,
                    blocks=blocks,
                    terms=tuple(analyse(text)),
                    hash=text_hash(text),
                )
            )
    return tuple(chunks)
