"""Technology names, their aliases and kinds of skill, read from knowledge/aliases.yaml.

"Has he used Postgres?" must find "PostgreSQL", and "which databases" must name
every database the corpus mentions. `load_aliases` validates the file once into
an immutable `AliasTable`; its methods are pure lookups over that table.

Text is matched on tokens (word runs and single punctuation marks), so "Node.js",
"C++", "C#" and "CI/CD" stay whole, "-" and spaces are interchangeable, and the
longest form starting at a place wins ("GitLab CI/CD" over "CI/CD").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from corpus_index.errors import KnowledgeFileError
from corpus_index.knowledge_files import line_of
from corpus_index.yaml_reader import compose_with_lines, load_yaml

DEFAULT_ALIASES_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "aliases.yaml"

_TOKEN = re.compile(r"\w+|[^\w\s-]")
_WORDS_ONLY = re.compile(r"[\w\s-]+")
# A one- or two-letter form ("R", "C", "Go") glued by one of these to a word is part
# of another word ("R&D", "C-level", "go-to"), never the technology.
_GLUE = frozenset("&'.-")

Where = Callable[..., str]  # (keys and indexes into the file) -> "file:line"
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CategoryId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class TechnologyEntry(BaseModel):
    """One technology as written in the file."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Text
    aliases: tuple[Text, ...] = ()
    categories: tuple[CategoryId, ...] = Field(min_length=1)
    case_sensitive: bool | tuple[Text, ...] = False


class AliasFile(BaseModel):
    """The whole file: categories with their question words, then technologies."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    categories: dict[CategoryId, tuple[Text, ...]] = Field(min_length=1)
    technologies: tuple[TechnologyEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Mention:
    """A technology named in a text: canonical name, the words as typed, and where."""

    name: str
    surface: str
    start: int
    end: int


class _Form(NamedTuple):
    """One way of writing a name, as tokens and whether each joins the one before."""

    tokens: tuple[str, ...]  # folded unless case_sensitive
    joined: tuple[bool, ...]
    case_sensitive: bool
    target: str  # canonical technology name, or category id
    short: bool  # one word of one or two characters: "R", "Go", "JS"


def _form(tokens: tuple[str, ...], joined: tuple[bool, ...], cased: bool, target: str) -> _Form:
    """A _Form, folding its tokens unless it is case-sensitive."""
    short = len(tokens) == 1 and len(tokens[0]) <= 2
    folded = tokens if cased else tuple(map(str.casefold, tokens))
    return _Form(folded, joined, cased, target, short)


def _split(text: str) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[tuple[int, int], ...]]:
    """Tokens of `text`, whether each touches the one before, and their spans."""
    tokens: list[str] = []
    joined: list[bool] = []
    spans: list[tuple[int, int]] = []
    last = -1
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        tokens.append(match.group(0))
        joined.append(start == last)
        spans.append((start, end))
        last = end
    return tuple(tokens), tuple(joined), tuple(spans)


def _key(tokens: tuple[str, ...], joined: tuple[bool, ...], fold: bool = True) -> str:
    """A form's spelling with separators (and case) normalised: "Google-Cloud" -> "google cloud"."""
    if True in joined:
        parts = [tokens[0]]
        for token, touches in zip(tokens[1:], joined[1:], strict=True):
            parts.append(token if touches else " " + token)
        spelled = "".join(parts)
    else:
        spelled = " ".join(tokens)
    return spelled.casefold() if fold else spelled


def _glued(text: str, spans: tuple[tuple[int, int], ...], i: int, j: int) -> bool:
    """Whether a short form over tokens i..j-1 is part of something else ("R&D", "C-level")."""
    start, end = spans[i][0], spans[j - 1][1]
    before, after = text[max(start - 2, 0) : start], text[end : end + 2]
    if len(before) == 2 and before[1] in _GLUE and before[0].isalnum():
        return True
    if len(after) == 2 and after[0] in _GLUE and after[1].isalnum():
        return not (after == "'s" and not text[end + 2 : end + 3].isalnum())
    # "Jane C. Doe": one capital after a capitalised word, then a full stop, is an initial.
    if end - start == 1 and text[end : end + 1] == "." and i > 0:
        return text[spans[i - 1][0]].isupper()
    return False


def _find_forms(
    index: Mapping[str, tuple[_Form, ...]], text: str
) -> tuple[tuple[_Form, int, int], ...]:
    """Non-overlapping forms of `index` in `text`, left to right, longest first at each place."""
    tokens, joined, spans = _split(text)
    folded = [t.casefold() for t in tokens]
    found: list[tuple[_Form, int, int]] = []
    i = 0
    while i < len(tokens):
        for form in index.get(folded[i], ()):
            j = i + len(form.tokens)
            if j > len(tokens) or joined[i + 1 : j] != form.joined[1:]:
                continue
            seen = tokens[i:j] if form.case_sensitive else tuple(folded[i:j])
            if seen != form.tokens or (form.short and _glued(text, spans, i, j)):
                continue
            found.append((form, spans[i][0], spans[j - 1][1]))
            i = j
            break
        else:
            i += 1
    return tuple(found)


def _index(forms: list[_Form]) -> Mapping[str, tuple[_Form, ...]]:
    """Forms by their first token (folded), longest first."""
    by_first: dict[str, list[_Form]] = {}
    for form in forms:
        by_first.setdefault(form.tokens[0].casefold(), []).append(form)
    return MappingProxyType(
        {k: tuple(sorted(v, key=lambda f: -len(f.tokens))) for k, v in by_first.items()}
    )


@dataclass(frozen=True)
class AliasTable:
    """Technologies, their aliases and categories, ready for lookups. Build with load_aliases."""

    technologies: tuple[TechnologyEntry, ...]
    category_words: Mapping[str, tuple[str, ...]]  # as written, then the plurals matched too
    _by_name: Mapping[str, TechnologyEntry] = field(repr=False)
    _by_key: Mapping[str, str] = field(repr=False)
    _by_exact: Mapping[str, str] = field(repr=False)
    _members: Mapping[str, tuple[str, ...]] = field(repr=False)
    _tech_index: Mapping[str, tuple[_Form, ...]] = field(repr=False)
    _category_index: Mapping[str, tuple[_Form, ...]] = field(repr=False)

    def mentions(self, text: str) -> tuple[Mention, ...]:
        """Every technology named in `text`, in order, each span at most once."""
        found = _find_forms(self._tech_index, text)
        return tuple(Mention(form.target, text[s:e], s, e) for form, s, e in found)

    def names_in(self, text: str) -> tuple[str, ...]:
        """Canonical names of the technologies named in `text`, each once, in order."""
        return tuple(dict.fromkeys(m.name for m in self.mentions(text)))

    def canonical(self, form: str) -> str | None:
        """The canonical name that `form` (a name or alias) stands for, or None."""
        tokens, joined, _ = _split(form)
        if not tokens:
            return None
        exact = self._by_exact.get(_key(tokens, joined, fold=False))
        return exact or self._by_key.get(_key(tokens, joined))

    def forms(self, name: str) -> tuple[str, ...]:
        """The canonical name and every alias of the technology `name` names; () if unknown."""
        canonical = self.canonical(name)
        if canonical is None:
            return ()
        entry = self._by_name[canonical]
        return (entry.name, *entry.aliases)

    def categories_of(self, name: str) -> tuple[str, ...]:
        """The categories of the technology `name` names; () if unknown."""
        canonical = self.canonical(name)
        return self._by_name[canonical].categories if canonical else ()

    def categories_named(self, text: str) -> tuple[str, ...]:
        """Categories a question names ("which databases" -> ("database",)), in order."""
        return tuple(dict.fromkeys(f.target for f, _, _ in _find_forms(self._category_index, text)))

    def members(self, category: str) -> tuple[str, ...]:
        """Canonical names of the technologies in `category`, in file order; () if unknown."""
        return self._members.get(category, ())


def _plurals(word: str) -> tuple[str, ...]:
    """The plural a category word also matches: "database" -> "databases", "proxy" -> "proxies"."""
    if not word.isalpha() or word.endswith(("s", "ing")):
        return ()
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return (word[:-1] + "ies",)
    return (word + "es",) if word.endswith(("x", "ch", "sh", "z")) else (word + "s",)


def _tokens_of(text: str, where: Where, *loc: Any) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Tokens of a name or word from the file (at `loc`), which must hold a letter or digit."""
    if _WORDS_ONLY.fullmatch(text):  # most names: a quicker split, same result as _split
        tokens = tuple(text.replace("-", " ").split())
        joined = (False,) * len(tokens)
        if tokens and tokens[0][0].isalnum():
            return tokens, joined
    else:
        tokens, joined, _ = _split(text)
    if not any(t[0].isalnum() for t in tokens):
        raise KnowledgeFileError(f"{where(*loc)}: {text!r} has no letter or digit; write a name")
    return tokens, joined


def _category_forms(
    parsed: AliasFile, where: Where
) -> tuple[list[_Form], dict[str, tuple[str, ...]]]:
    """Each category's question words and their plurals, as forms and as words.

    Raises:
        KnowledgeFileError: a word names two categories, or has no letter or digit.
    """
    owner: dict[str, str] = {}
    forms: list[_Form] = []
    written: list[tuple[str, str]] = []  # (category, word as written), one per form
    for category, words in parsed.categories.items():
        for n, word in enumerate(words):
            tokens, joined = _tokens_of(word, where, "categories", category, n)
            key = _key(tokens, joined)
            if key in owner:
                raise KnowledgeFileError(
                    f"{where('categories', category, n)}: question word {word!r} is already listed "
                    f"for {owner[key]}; a word may name only one category")
            owner[key] = category
            forms.append(_form(tokens, joined, False, category))
            written.append((category, word))
    for form, (category, word) in zip(list(forms), list(written), strict=True):
        for plural in _plurals(form.tokens[-1]):
            tokens = (*form.tokens[:-1], plural)
            if _key(tokens, form.joined) not in owner:
                owner[_key(tokens, form.joined)] = category
                forms.append(_form(tokens, form.joined, False, category))
                written.append((category, word[: len(word) - len(form.tokens[-1])] + plural))
    by_category: dict[str, list[str]] = {category: [] for category in parsed.categories}
    for category, word in written:
        by_category[category].append(word)
    return forms, {category: tuple(words) for category, words in by_category.items()}


def _build(parsed: AliasFile, where: Where) -> AliasTable:
    """Check the cross-references of a parsed file and index it into an AliasTable."""
    members: dict[str, list[str]] = {category: [] for category in parsed.categories}
    by_key: dict[str, str] = {}  # folded spelling of a form that matches in any case -> name
    by_exact: dict[str, str] = {}  # spelling of a case-sensitive form -> name
    cased_keys: dict[str, str] = {}  # folded spelling of a case-sensitive form -> name
    forms: list[_Form] = []
    for i, entry in enumerate(parsed.technologies):
        written = (entry.name, *entry.aliases)
        listed = () if isinstance(entry.case_sensitive, bool) else entry.case_sensitive
        for n, form in enumerate(listed):
            if form not in written:
                raise KnowledgeFileError(
                    f"{where('technologies', i, 'case_sensitive', n)}: {form!r} is not the name "
                    f"or an alias of {entry.name}; list only its own forms")
        cased = set(written) if entry.case_sensitive is True else set(listed)
        for n, category in enumerate(entry.categories):
            if category not in members:
                raise KnowledgeFileError(
                    f"{where('technologies', i, 'categories', n)}: {entry.name} is in category "
                    f"{category!r}, which `categories:` does not define; add it there or fix it")
            if entry.name not in members[category][-1:]:  # a category listed twice
                members[category].append(entry.name)
        for n, text in enumerate(written):
            loc = ("technologies", i, *(("name",) if n == 0 else ("aliases", n - 1)))
            tokens, joined = _tokens_of(text, where, *loc)
            is_cased = text in cased
            key = _key(tokens, joined)
            # Two case-sensitive forms may differ in case only ("Fastlane", "fastlane").
            other = by_key.get(key) or (
                by_exact.get(_key(tokens, joined, False)) if is_cased else cased_keys.get(key))
            if other is not None:
                what = "is listed twice" if other == entry.name else f"already stands for {other}"
                raise KnowledgeFileError(
                    f"{where(*loc)}: {text!r} {what}; a form may name one technology, once")
            if is_cased:
                by_exact[_key(tokens, joined, False)] = cased_keys[key] = entry.name
            else:
                by_key[key] = entry.name
            forms.append(_form(tokens, joined, is_cased, entry.name))
    category_forms, category_words = _category_forms(parsed, where)
    for category, names in members.items():
        if not names:
            raise KnowledgeFileError(
                f"{where('categories', category)}: no technology is in category {category!r}; "
                "add one or remove the category")
    return AliasTable(
        technologies=parsed.technologies,
        category_words=MappingProxyType(category_words),
        _by_name=MappingProxyType({entry.name: entry for entry in parsed.technologies}),
        _by_key=MappingProxyType(by_key),
        _by_exact=MappingProxyType(by_exact),
        _members=MappingProxyType({c: tuple(names) for c, names in members.items()}),
        _tech_index=_index(forms),
        _category_index=_index(category_forms),
    )


def load_aliases(path: Path) -> AliasTable:
    """Read and check an aliases file (see knowledge/aliases.yaml) into an AliasTable.

    Raises:
        KnowledgeFileError: the file cannot be read, is not YAML, or breaks a rule; the
            message is one line naming file:line and what to change.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"{path}: cannot read the aliases file: {exc}") from None
    data = load_yaml(path, text, empty="write categories, technologies")

    def where(*loc: Any) -> str:
        # Only a mistake needs a line: compose the nodes, which carry marks, only then.
        return f"{path}:{line_of(compose_with_lines(path, text, empty=''), loc)}"

    try:
        parsed = AliasFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field_path = ".".join(str(part) for part in error["loc"]) or "the file"
        raise KnowledgeFileError(f"{where(*error['loc'])}: {field_path}: {error['msg']}") from None
    return _build(parsed, where)



@lru_cache(maxsize=1)
def default_aliases() -> AliasTable:
    """The project's table, knowledge/aliases.yaml, loaded once per process.

    Raises:
        KnowledgeFileError: the file has a mistake (see load_aliases).
    """
    return load_aliases(DEFAULT_ALIASES_PATH)
