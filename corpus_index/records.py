"""Typed records that travel from ingestion to the assistant.

A `Chunk` is what gets indexed: one section of the corpus (or one part of a
long section) with the sentences and list items an answer may quote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 2  # 2: knowledge and example-question vectors travel with the index
PATH_SEPARATOR = " › "  # how a heading path is written, for people and for the model


class Block(BaseModel):
    """One paragraph or list item of a section, as plain text without markup."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["paragraph", "item"]
    text: str
    units: tuple[str, ...] = Field(
        description="Quotable units: the sentences of a paragraph, or the item whole."
    )


class Chunk(BaseModel):
    """A section of the corpus, or one part of a long one, ready to index."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable: derived from the file and heading path, not the text.")
    section_id: str
    part: int = 1
    title: str
    path: tuple[str, ...] = Field(description="Heading path, outermost first.")
    source: str = Field(description="Corpus file, relative to the corpus folder, '/'-separated.")
    lines: tuple[int, int] = Field(description="First and last line of the section, 1-based.")
    anchor: str
    url: str | None = None
    blocks: tuple[Block, ...]
    terms: tuple[str, ...] = Field(description="BM25 terms of the heading path and text.")
    hash: str = Field(description="sha256 of the embedded text: changes when the text does.")

    @property
    def text(self) -> str:
        """The chunk's plain text, one block a line."""
        return "\n".join(block.text for block in self.blocks)

    @property
    def units(self) -> tuple[str, ...]:
        """Every quotable unit of the chunk, in order."""
        return tuple(unit for block in self.blocks for unit in block.units)


class DataFile(BaseModel):
    """One data file of an index generation, with its checksum."""

    model_config = ConfigDict(frozen=True)

    name: str
    sha256: str


class IndexFiles(BaseModel):
    """The data files of one index generation."""

    model_config = ConfigDict(frozen=True)

    chunks: DataFile
    vectors: DataFile
    unit_vectors: DataFile
    knowledge: DataFile  # CompiledKnowledge as JSON
    examples: DataFile  # the intents' example questions, embedded in file order

    def all(self) -> tuple[DataFile, ...]:
        return (self.chunks, self.vectors, self.unit_vectors, self.knowledge, self.examples)


class Counts(BaseModel):
    model_config = ConfigDict(frozen=True)

    files: int
    sections: int
    chunks: int
    units: int


class Manifest(BaseModel):
    """What an index holds and how it was built; written last, read first."""

    model_config = ConfigDict(frozen=True)

    format_version: int = FORMAT_VERSION
    generation: str
    built_at: datetime
    model: str
    dimension: int
    settings: dict[str, int | str]
    versions: dict[str, str]
    sources: dict[str, str] = Field(description="sha256 of each corpus file, by relative path.")
    knowledge: dict[str, str] = Field(
        default_factory=dict, description="sha256 of each knowledge file, by name."
    )
    counts: Counts
    files: IndexFiles
