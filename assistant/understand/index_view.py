"""What question understanding reads from an index, as protocols: the searchable index
(`assistant.search.search_index.SearchIndex`) satisfies them, and understanding never
imports the search package (which itself builds on these readers of the corpus)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from corpus_index.knowledge import CompiledKnowledge
from corpus_index.records import Chunk

from .technologies import TechnologyFinder


class KnowledgeView(Protocol):
    """An index's compiled knowledge, technology finder and embedded example questions."""

    @property
    def knowledge(self) -> CompiledKnowledge: ...

    @property
    def technologies(self) -> TechnologyFinder: ...

    @property
    def example_vectors(self) -> np.ndarray: ...

    @property
    def example_intents(self) -> Sequence[str]: ...


class ChunksView(Protocol):
    """An index's chunks, in index order."""

    @property
    def chunks(self) -> Sequence[Chunk]: ...
