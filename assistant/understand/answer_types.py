"""Kinds of answer a quote can hold: an email, a URL, a phone number, a date range, a
duration, a degree or school, a figure. Recognised by pattern, so they work on any
résumé; a quote holding the kind a question wants ranks above one that does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus_index.intents import AnswerType

from .figures import has_figure

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_OPEN_END = r"(?:[Pp]resent|[Cc]urrent(?:ly)?|[Nn]ow|[Tt]oday|[Oo]ngoing)"
# "Oct 2023", "03/2021", "2019", "2013-09", "2021-01-01"
_POINT = rf"(?:{_MONTH}\s+)?(?:\d{{1,2}}/)?(?:19|20)\d\d(?:-\d\d){{0,2}}"
# An end left blank ("2021-01-01 -" before a separator or the end) is ongoing too.
_BLANK_END = r"(?=\s*(?:$|[·|,;]))"
DATE_RANGE = re.compile(
    rf"(?P<start>{_POINT})\s*(?:-|–|—|to|until)\s*(?P<end>{_POINT}|{_OPEN_END}|{_BLANK_END})"
    r"|(?:[Ss]ince|[Ff]rom)\s+(?P<since>" + _POINT + r")"
)
_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "url": re.compile(
        r"https?://\S+|www\.\S+|\b(?:linkedin|github|gitlab|behance|dribbble|medium|twitter)"
        r"\.com/\S*|\b[\w-]+\.(?:com|io|dev|org|net|me|co|ai|app)\b(?:/\S*)?"
    ),
    "phone": re.compile(r"(?<![\w.])\+?\(?\d[\d ().-]{7,}\d(?![\w.%+])"),
    "date_range": DATE_RANGE,
    "duration": re.compile(
        r"\b\d+(?:\.\d+)?\+?\s*(?:years?|yrs?|months?)\b|\b(?:a|one|two|three|four|five|six|"
        r"seven|eight|nine|ten|over a|over two)\s+(?:decades?|years?)\b",
        re.IGNORECASE,
    ),
    "degree": re.compile(
        r"\b(?:B\.?S\.?c?|B\.?A|B\.?E|B\.?Tech|M\.?S\.?c?|M\.?A|M\.?Eng|MBA|Ph\.?\s?D|"
        r"Bachelor(?:'s)?|Master(?:'s)?|Doctor(?:ate)?|Diploma|Associate(?:'s)? degree|"
        r"University|College|Institute|Polytechnic|Universit[éa]t?)\b"
    ),
}


ANSWER_TYPES: tuple[AnswerType, ...] = (
    "email", "url", "phone", "date_range", "duration", "degree", "figure"
)


def holds(text: str, kind: AnswerType) -> bool:
    """Whether `text` holds an answer of `kind`."""
    if kind == "figure":
        return has_figure(text)
    return _PATTERNS[kind].search(text) is not None


def holds_any(text: str, kinds: Iterable[AnswerType]) -> bool:
    """Whether `text` holds an answer of any of `kinds`."""
    return any(holds(text, kind) for kind in kinds)
