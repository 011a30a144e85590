"""Related words for question expansion, read from the generated knowledge/lexicon.tsv.

The table links a word to WordNet neighbours that MiniLM also finds close (keep ->
maintain, coach -> mentor) and irregular forms to their lemma (led -> lead); see
knowledge/lexicon/build_lexicon.py for how it is made. Loading validates every line
once; lookups afterwards are pure reads of the loaded rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from corpus_index.errors import KnowledgeFileError

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "lexicon.tsv"

LINK_RELATIONS = frozenset({"synonym", "derived", "hypernym", "hyponym", "sibling"})
LEMMA = "lemma"
RELATIONS = LINK_RELATIONS | {LEMMA}

_WORD = r"[^\s#]\S*"
_COSINE = r"0(?:\.[0-9]+)?|1(?:\.0+)?"
_ROW = rf"{_WORD}\t{_WORD}\t(?:{'|'.join(sorted(RELATIONS))})\t(?:{_COSINE})"
_HEADER = re.compile(r"(?:#[^\n]*\n)*")
# One regex over the whole text checks every row at C speed, without making an
# object per row; only when it fails are lines split one by one to name the bad one.
_TABLE = re.compile(rf"(?:{_ROW}\n)*")


class Related(NamedTuple):
    """One word related to a looked-up word, how, and how close MiniLM finds the two."""

    word: str
    relation: str
    cosine: float


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A loaded lexicon: its validated rows, sorted by word, and where each word's rows start.

    A word's records are made when it is looked up: making all of them at load
    would cost several times the load itself.
    """

    source: Path
    rows: tuple[str, ...]
    starts: Mapping[str, int]

    def lemma(self, word: str) -> str | None:
        """The form the table lists `word` under: its irregular lemma (led -> lead), itself,
        or the base of a regular inflection (coached -> coach); None if it lists none."""
        irregular = next(
            (other for other, relation, _ in self._rows(word) if relation == LEMMA), None
        )
        if irregular is not None:
            return irregular
        if word in self.starts:
            return word
        return next((base for base in regular_bases(word) if base in self.starts), None)

    def related(self, word: str) -> tuple[Related, ...]:
        """Words related to lower-case `word`, closest first; an inflected form also gets
        its lemma's (left: left's own, then leave's). Empty if the table has none."""
        own = self._links(word)
        base = self.lemma(word)
        if base is None or base == word:
            return own
        return own + tuple(link for link in self._links(base) if link not in own)

    def _links(self, word: str) -> tuple[Related, ...]:
        return tuple(
            Related(other, relation, float(cosine))
            for other, relation, cosine in self._rows(word)
            if relation != LEMMA
        )

    def _rows(self, word: str) -> list[list[str]]:
        """The related, relation and cosine fields of `word`'s rows, in file order."""
        start = self.starts.get(word)
        if start is None:
            return []
        prefix = word + "\t"
        found = []
        for row in self.rows[start:]:
            if not row.startswith(prefix):
                break
            found.append(row.split("\t")[1:])
        return found


def regular_bases(word: str) -> tuple[str, ...]:
    """Candidate lemmas of a regularly inflected English word, likeliest first.

    "hired" -> hire, hir; "coaches" -> coache, coach; "running" -> runn, runne, run.
    """
    bases: list[str] = []
    if word.endswith(("ies", "ied")) and len(word) > 4:
        bases.append(word[:-3] + "y")
    if word.endswith("s") and not word.endswith("ss"):
        bases.append(word[:-1])
        if word.endswith("es"):
            bases.append(word[:-2])
    if word.endswith("ed") and len(word) > 3:
        bases += [word[:-1], word[:-2]]
        if word[-3] == word[-4]:
            bases.append(word[:-3])
    if word.endswith("ing") and len(word) > 4:
        bases += [word[:-3], word[:-3] + "e"]
        if word[-4] == word[-5]:
            bases.append(word[:-4])
    return tuple(bases)


def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> Lexicon:
    """Read and validate a lexicon table: `# ` comments, then rows of
    word<TAB>related<TAB>relation<TAB>cosine sorted by word.

    Raises:
        KnowledgeFileError: the file cannot be read, or a line is malformed or out of
            order; the message names file:line.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeFileError(
            f"{path}: cannot read the lexicon ({error}); rebuild it with "
            "knowledge/lexicon/build_lexicon.py"
        ) from None
    header_end = _HEADER.match(text).end()
    header_lines = text.count("\n", 0, header_end)
    body = text[header_end:]
    if body and not body.endswith("\n"):
        body += "\n"
    if not _TABLE.fullmatch(body):
        _raise_first_bad_line(path, body, header_lines)
    rows = body.split("\n")[:-1]
    words = [row.partition("\t")[0] for row in rows]
    if words != sorted(words):
        index = next(i for i in range(1, len(words)) if words[i] < words[i - 1])
        raise KnowledgeFileError(
            f"{path}:{header_lines + index + 1}: {words[index]!r} comes after "
            f"{words[index - 1]!r}; keep the rows sorted by word"
        )
    starts = dict(zip(reversed(words), range(len(words) - 1, -1, -1), strict=True))
    return Lexicon(Path(path), tuple(rows), MappingProxyType(starts))


def _raise_first_bad_line(path: Path, body: str, header_lines: int) -> None:
    """Raise the one-line error naming file:line for the first row that is not valid."""
    row = re.compile(_ROW)
    for offset, line in enumerate(body.split("\n")[:-1], start=1):
        if row.fullmatch(line):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            problem = f"expected 4 tab-separated fields, found {len(fields)}"
        elif not all(re.fullmatch(_WORD, field) for field in fields[:2]):
            problem = "a word is empty, starts with '#' or holds a space"
        elif fields[2] not in RELATIONS:
            problem = f"unknown relation {fields[2]!r} (known: {', '.join(sorted(RELATIONS))})"
        else:
            problem = f"cosine {fields[3]!r} is not a number in [0, 1]"
        raise KnowledgeFileError(f"{path}:{header_lines + offset}: {problem}")
