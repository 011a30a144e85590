"""The intent book (knowledge/intents.yaml): the real file loads, and a mistake names
its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_index.errors import KnowledgeFileError
from corpus_index.intents import load_intents
from corpus_index.knowledge import DEFAULT_KNOWLEDGE_DIR, INTENTS_FILE

GOOD = """\
section_kinds:
  contact: [contact]
intents:
  - name: contact
    answer: contact
    sections: [contact]
    examples: ["How can I reach him?"]
"""


def test_the_real_book_loads_with_examples_for_every_intent() -> None:
    book = load_intents(DEFAULT_KNOWLEDGE_DIR / INTENTS_FILE)
    names = [spec.name for spec in book.intents]
    assert len(names) == len(set(names)) >= 20
    assert all(len(spec.examples) >= 4 for spec in book.intents)
    for declined in ("salary", "visa", "notice_period", "age", "relocation"):
        spec = book.intent(declined)
        assert spec is not None and spec.answer == "decline" and spec.topic


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("answer: contact", "answer: telepathy"), 5, "answer"),
        (GOOD.replace("sections: [contact]", "sections: [hobbies]"), 6, "hobbies"),
        (GOOD + "  - name: contact\n    answer: contact\n    examples: ['Email?']\n", 8, "twice"),
        (GOOD.replace('examples: ["How can I reach him?"]', "examples: []"), 7, "examples"),
        (GOOD.replace("    answer: contact\n", "    answer: decline\n"), 4, "topic"),
        ("section_kinds: [unclosed\n", 2, "YAML"),
        (GOOD.replace("    sections: [contact]\n", "    sections: [contact]\n    colour: red\n"),
         7, "colour"),
    ],
)
def test_a_mistake_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "intents.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as caught:
        load_intents(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}:"), message
    assert words in message
    assert "\n" not in message
