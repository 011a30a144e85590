"""The related-words lexicon: the real table links what it should; bad lines name file:line."""

from __future__ import annotations

import dataclasses
import re

import pytest

from corpus_index.errors import KnowledgeFileError
from corpus_index.lexicon import (
    DEFAULT_LEXICON_PATH,
    LINK_RELATIONS,
    Lexicon,
    Related,
    load_lexicon,
    regular_bases,
)

HEADER = "# a test table\n# built by hand\n"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(DEFAULT_LEXICON_PATH)


def related_words(lexicon: Lexicon, word: str) -> set[str]:
    return {link.word for link in lexicon.related(word)}


@pytest.mark.parametrize(
    ("asked", "corpus_word"),
    [
        ("coach", "mentor"),
        ("coached", "mentor"),  # regular inflection, then a sibling under "teach"
        ("mentoring", "coach"),
        ("leader", "leadership"),
        ("led", "leader"),  # irregular lemma, then a derived form
        ("keep", "maintain"),
        ("kept", "maintain"),
        ("hire", "employ"),
        ("team", "squad"),
    ],
)
def test_the_table_links_words_a_question_and_a_portfolio_use_differently(
    lexicon, asked, corpus_word
):
    assert corpus_word in related_words(lexicon, asked)


@pytest.mark.parametrize(("asked", "slip"), [("computer", "figure"), ("notice", "detect")])
def test_wordnet_links_minilm_finds_far_apart_are_left_out(lexicon, asked, slip):
    assert slip not in related_words(lexicon, asked)


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("led", "lead"),
        ("wrote", "write"),
        ("built", "build"),
        ("taught", "teach"),
        ("ran", "run"),
        ("children", "child"),
        ("coached", "coach"),
        ("hiring", "hire"),
        ("lead", "lead"),
        ("xyzzy", None),
        ("", None),
    ],
)
def test_lemma(lexicon, form, lemma):
    assert lexicon.lemma(form) == lemma


def test_related_is_closest_first_and_typed(lexicon):
    links = lexicon.related("keep")
    assert all(isinstance(link, Related) for link in links)
    assert [link.cosine for link in links] == sorted((link.cosine for link in links), reverse=True)
    assert Related("maintain", "synonym", 0.55) in links


@pytest.mark.parametrize("word", ["", "xyzzy", "the"])
def test_an_unknown_word_has_nothing_related(lexicon, word):
    assert lexicon.related(word) == ()


def test_every_row_meets_the_threshold_its_header_states(lexicon):
    text = DEFAULT_LEXICON_PATH.read_text(encoding="utf-8")
    threshold = float(re.search(r"cosine >= ([0-9.]+)", text).group(1))
    sibling = float(re.search(r"siblings\n?# >= ([0-9.]+)", text).group(1))
    for row in lexicon.rows:
        _, _, relation, cosine = row.split("\t")
        if relation in LINK_RELATIONS:
            assert float(cosine) >= (sibling if relation == "sibling" else threshold), row


def test_the_table_says_where_it_comes_from_and_stays_small():
    text = DEFAULT_LEXICON_PATH.read_text(encoding="utf-8")
    for needed in ("WordNet 3.0", "knowledge/LICENSE-WordNet", "build_lexicon.py", "lemminflect"):
        assert needed in text
    assert DEFAULT_LEXICON_PATH.stat().st_size < 5_000_000
    licence = DEFAULT_LEXICON_PATH.with_name("LICENSE-WordNet").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in licence


def test_a_loaded_lexicon_cannot_be_changed(lexicon):
    with pytest.raises(dataclasses.FrozenInstanceError):
        lexicon.rows = ()
    with pytest.raises(TypeError):
        lexicon.starts["coach"] = 0


@pytest.mark.parametrize(
    ("rows", "line", "problem"),
    [
        ("coach\tmentor\tsibling\n", 3, "expected 4 tab-separated fields, found 3"),
        ("coach\tmentor\tsibling\t0.55\textra\n", 3, "found 5"),
        ("coach\tmentor\tfriend\t0.55\n", 3, "unknown relation 'friend'"),
        ("coach\tmentor\tsibling\t1.5\n", 3, "cosine '1.5' is not a number in [0, 1]"),
        ("coach\tmentor\tsibling\tclose\n", 3, "cosine 'close'"),
        ("coach\tmentor\tsibling\t-0.2\n", 3, "cosine '-0.2'"),
        ("coach\tmen tor\tsibling\t0.55\n", 3, "holds a space"),
        ("coach\t\tsibling\t0.55\n", 3, "a word is empty"),
        ("coach\tmentor\tsibling\t0.55\n\n", 4, "expected 4 tab-separated fields, found 1"),
        ("coach\tmentor\tsibling\t0.55\nled\tlead\tlemma\tone\n", 4, "cosine 'one'"),
        ("team\tsquad\tsynonym\t0.71\ncoach\tmentor\tsibling\t0.55\n", 4, "sorted by word"),
    ],
)
def test_a_bad_line_is_named_by_file_and_line(tmp_path, rows, line, problem):
    path = tmp_path / "lexicon.tsv"
    path.write_text(HEADER + rows, encoding="utf-8", newline="")
    with pytest.raises(KnowledgeFileError) as raised:
        load_lexicon(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: ")
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "content",
    [
        "",
        HEADER,
        HEADER + "coach\tmentor\tsibling\t0.55",  # no newline at the end
        HEADER + "coach\tmentor\tsibling\t0.55\r\n",  # saved on Windows
    ],
)
def test_an_empty_unterminated_or_crlf_table_loads(tmp_path, content):
    path = tmp_path / "lexicon.tsv"
    path.write_text(content, encoding="utf-8", newline="")
    lexicon = load_lexicon(path)
    assert lexicon.related("xyzzy") == ()
    if "coach" in content:
        assert lexicon.related("coach") == (Related("mentor", "sibling", 0.55),)


def test_a_missing_table_says_how_to_rebuild_it(tmp_path):
    with pytest.raises(KnowledgeFileError, match=r"build_lexicon\.py"):
        load_lexicon(tmp_path / "absent.tsv")


@pytest.mark.parametrize(
    ("word", "first_bases"),
    [
        ("hired", ("hire", "hir")),
        ("coaches", ("coache", "coach")),
        ("running", ("runn", "runne", "run")),
        ("studies", ("study", "studie", "studi")),
        ("class", ()),
        ("", ()),
    ],
)
def test_regular_bases(word, first_bases):
    assert regular_bases(word)[: len(first_bases)] == first_bases
