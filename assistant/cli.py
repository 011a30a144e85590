"""`python -m assistant ask`: answer questions from the terminal, or as JSON Lines;
`python -m assistant match`: match a job description's requirements with the portfolio;
`python -m assistant timeline`: draw the career timeline the chat shows, to a PNG file."""

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
from .jobs import JobFileError, read_job_file
from .jobs.errors import NoRequirements
from .jobs.match import match_job
from .jobs.report import report_terminal
from .records import Answer
from .search.live_index import LiveIndex
from .timeline import build_timeline, describe

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
    match = commands.add_parser(
        "match", help="match a job description's requirements with cited quotes"
    )
    match.add_argument(
        "file", help="the job description (.txt, .md or .pdf); -: read its text from stdin"
    )
    match.add_argument(
        "--index", type=Path, default=Path("index"), help="index folder (default: index/)"
    )
    match.add_argument("--json", action="store_true", help="print the report as one JSON object")
    timeline = commands.add_parser(
        "timeline", help="draw the career timeline the chat shows under a career answer"
    )
    timeline.add_argument("out", type=Path, help="the PNG file to write")
    timeline.add_argument(
        "--index", type=Path, default=Path("index"), help="index folder (default: index/)"
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
        args = build_parser().parse_args(argv)
        return {"match": _match, "timeline": _timeline}.get(args.command, _ask)(args)
    except BrokenPipeError:
        # The reader went away (`ask ... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _ask(args: argparse.Namespace) -> int:
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


def _match(args: argparse.Namespace) -> int:
    try:
        text = _job_text(args.file)
        report = match_job(text, LiveIndex(args.index).current())
    except (JobFileError, NoRequirements, IndexProblem, EmbedderUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False), flush=True)
    else:
        print(report_terminal(report), end="", flush=True)
    return 0


def _timeline(args: argparse.Namespace) -> int:
    from datetime import date

    from .timeline.picture import timeline_png

    try:
        index = LiveIndex(args.index).current()
    except (IndexProblem, EmbedderUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    timeline = build_timeline(index.roles, index.undated_roles)
    if timeline is None or not timeline.roles:
        print("error: no role in the portfolio has dates that can be read: nothing to draw"
              + (f" ({describe(timeline)})" if timeline else ""), file=sys.stderr)
        return EXIT_ERROR
    try:
        args.out.write_bytes(timeline_png(timeline, date.today()))
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return EXIT_ERROR
    print(describe(timeline))
    print(f"Wrote {args.out}")
    return 0


def _job_text(source: str) -> str:
    """The job description named on the command line; `-` is standard input.

    Raises:
        JobFileError: the file cannot be read as text, or stdin is not UTF-8.
    """
    if source != "-":
        return read_job_file(Path(source))
    try:
        return sys.stdin.read()
    except UnicodeDecodeError as exc:
        raise JobFileError(
            f"standard input: byte {exc.start} is not UTF-8; pipe UTF-8 text"
        ) from None
