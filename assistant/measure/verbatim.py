"""Checking that a quote is the corpus's own words, against the raw Markdown file."""

from __future__ import annotations

import html
import re
from pathlib import Path

# Inline Markdown marks and escapes; removed from both sides before comparing.
_MARKS = re.compile(r"[*_`\\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](url) reads as "text"
_TAG = re.compile(r"</?[A-Za-z][^>]*>")  # inline HTML is markup, not words


def _normalised(text: str) -> str:
    plain = html.unescape(_TAG.sub("", _LINK.sub(r"\1", text)))
    return " ".join(_MARKS.sub("", plain).split())


def quote_in_source(quote: str, corpus_dir: Path, source: str) -> bool:
    """Whether `quote` occurs in the cited lines of the corpus file, markup and spacing aside.

    `source` is a citation's "file:first-last".
    """
    name, _, lines = source.rpartition(":")
    first, _, last = lines.partition("-")
    path = corpus_dir / name
    if not name or not path.is_file():
        return False
    text = path.read_text(encoding="utf-8").splitlines()[int(first) - 1 : int(last)]
    return _normalised(quote) in _normalised("\n".join(text))
