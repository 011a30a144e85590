"""Sentence boundaries: technical tokens stay inside their sentence, nothing is rewritten."""

from __future__ import annotations

import pytest

from corpus_index.sentences import split_sentences

TEXT = (
    "Built the API with Node.js and React. It ran at 99.9% uptime for a year. "
    "Tools, e.g. Redis and Kafka, kept it fast. Kept a sub-500ms signup flow. "
    "Deployed on AWS (EC2, RDS, S3) with Docker."
)


def test_splits_into_the_expected_sentences():
    assert split_sentences(TEXT) == (
        "Built the API with Node.js and React.",
        "It ran at 99.9% uptime for a year.",
        "Tools, e.g. Redis and Kafka, kept it fast.",
        "Kept a sub-500ms signup flow.",
        "Deployed on AWS (EC2, RDS, S3) with Docker.",
    )


@pytest.mark.parametrize("token", ["Node.js", "99.9%", "e.g.", "sub-500ms", "AWS (EC2, RDS, S3)"])
def test_technical_tokens_stay_inside_one_sentence(token):
    sentences = split_sentences(TEXT)
    assert sum(token in sentence for sentence in sentences) == 1


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "One.  Two!   Three?",
        "Used e.g. Kafka and i.e. Redis. Done.",
        "  Leading and trailing spaces.  ",
        "No final stop",
        "Line one\nline two. Line three.",
        "Reduced fraud by 45% while maintaining 99.8% acceptance—enabling growth.",
    ],
)
def test_every_sentence_is_a_substring_of_the_input(text):
    sentences = split_sentences(text)
    assert sentences
    for sentence in sentences:
        assert sentence in text
        assert sentence == sentence.strip()


def test_sentences_keep_every_word_in_order():
    assert " ".join(split_sentences(TEXT)).split() == TEXT.split()


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n"])
def test_empty_input_gives_no_sentences(text):
    assert split_sentences(text) == ()
