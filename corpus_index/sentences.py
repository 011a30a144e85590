"""Sentence boundaries, from pysbd's rules rather than a regex of our own.

pysbd keeps "Node.js", "99.9%", "e.g." and "sub-500ms" inside their sentences
(Sadvilkar & Neumann 2020, "PySBD: Pragmatic Sentence Boundary Disambiguation").
"""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str) -> tuple[str, ...]:
    """The sentences of `text`, each an exact substring of it with outer spaces trimmed."""
    if not text.strip():
        return ()
    spans = _segmenter().segment(text)
    sentences = tuple(text[span.start : span.end].strip() for span in spans)
    sentences = tuple(sentence for sentence in sentences if sentence)
    # pysbd's spans are exact substrings by design; fall back to the whole text
    # rather than ever quote something that is not in the corpus.
    if not all(sentence in text for sentence in sentences):
        return (text.strip(),)
    return sentences
