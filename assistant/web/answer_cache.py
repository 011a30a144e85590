"""Answers to repeated questions (the starters, a popular question) served from memory.

An answer depends only on the index generation and the question, unless the
question leans on the chat's previous turn; those are never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from ..answer import answer
from ..errors import QuestionRejected
from ..records import Answer
from ..search.search_index import SearchIndex
from ..understand.followup import previous_turn
from ..understand.question import parse_question

DEFAULT_SIZE = 512


class AnswerCache:
    """A small least-recently-used cache in front of `answer`."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str], Answer] = OrderedDict()
        self._as_typed: dict[tuple[str, str], tuple[str, str]] = {}  # exact text -> key
        self._lock = threading.Lock()
        self.hits = 0

    def lookup(self, question: object, index: SearchIndex, history: Sequence[Answer] = (),
               ) -> Answer | None:
        """The cached answer to exactly this standalone question, or None. Never embeds,
        so an event loop can call it: a repeated question costs microseconds."""
        if not isinstance(question, str):
            return None
        if history:
            try:
                parsed = parse_question(question)
            except QuestionRejected:
                return None  # `answer` says why
            if parsed.leans_on_context and previous_turn(history) is not None:
                return None
        with self._lock:
            key = self._as_typed.get((index.generation, question))
            found = self._items.get(key) if key else None
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
            return found

    def answer(self, question: str, index: SearchIndex, history: Sequence[Answer] = ()) -> Answer:
        """Like `answer`; a repeated standalone question costs a dictionary lookup.

        Raises:
            QuestionRejected: the question is empty, too long or not text.
        """
        parsed = parse_question(question)
        if parsed.leans_on_context and previous_turn(history) is not None:
            return answer(question, index, history)
        key = (index.generation, parsed.text)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        result = answer(question, index, history)
        with self._lock:
            self._items[key] = result
            if len(self._as_typed) >= 4 * self._size:
                self._as_typed.clear()  # rebuilt as questions repeat
            self._as_typed[(index.generation, question)] = key
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return result
