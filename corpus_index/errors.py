"""Errors raised while reading an index or loading the embedding model."""


class IndexProblem(Exception):
    """Base class: the index folder cannot be used as it is."""


class IndexMissing(IndexProblem):
    """No index has been built in the folder yet."""


class IndexDamaged(IndexProblem):
    """An index file is missing, truncated or does not match its checksum."""


class IndexIncompatible(IndexProblem):
    """The index was built by another format version or another embedding model."""


class EmbedderUnavailable(Exception):
    """The configured embedding model cannot be loaded."""


class KnowledgeFileError(Exception):
    """A knowledge file (intents, aliases, lexicon) has a mistake; the message names file:line."""
