"""`python -m assistant ask`: answer questions from the terminal, or as JSON Lines."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from corpus_index.errors import EmbedderUnavailable, IndexProblem
from corpus_index.records import PATH_SEPARATOR

from .answer import answer
from .errors import QuestionRejected
from .live_index import LiveIndex
from .records import Answer

EXIT_ERROR = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Ask the portfolio; every answer is quoted verbatim and cited.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser(
        "ask", help="answer questions (from the arguments, or one per line on standard input)"
    )
    ask.add_argument(
        "question", nargs="*", help="questions, each one quoted; none: read one per line from stdin"
    )
    ask.add_argument(
        "--index", type=Path, default=Path("index"), help="index folder (default: index/)"
    )
    ask.add_argument(
        "--json", action="store_true", help="print one JSON object per question per line"
    )
    return parser


def render_terminal(result: Answer, width: int = 100) -> str:
    """An answer for a terminal: the quotes, then the sources they came from."""
    lines = [result.text, ""]
    for citation in (*result.citations, *result.related):
        where = citation.url or citation.source
        lines.append(
            textwrap.shorten(
                f"[{citation.n}] {PATH_SEPARATOR.join(citation.path)} — {where}",
                width=width,
                placeholder="…",
            )
        )
    if result.answered:
        lines.append(f"(confidence {result.confidence:.2f})")
    return "\n".join(lines).rstrip() + "\n"


def _questions(args: argparse.Namespace) -> Iterable[str]:
    if args.question:
        yield from args.question
        return
    for line in sys.stdin:
        if line.strip():
            yield line.rstrip("\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    try:
        return _run(build_parser().parse_args(argv))
    except BrokenPipeError:
        # The reader went away (`ask ... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    live = LiveIndex(args.index)
    try:
        live.current()
    except (IndexProblem, EmbedderUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    status = 0
    for question in _questions(args):
        try:
            result = answer(question, live.current())
        except QuestionRejected as exc:
            status = EXIT_ERROR
            if args.json:
                print(json.dumps({"question": question[:200], "error": str(exc)}), flush=True)
            else:
                print(f"error: {exc}", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps(result.to_json_dict(), ensure_ascii=False), flush=True)
        else:
            print(render_terminal(result), flush=True)
    return status
