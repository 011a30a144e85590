"""`python -m ingest`: build or update the index and say what changed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from corpus_index.embedding import DEFAULT_MODEL, MODEL_ENV, configured_model
from corpus_index.errors import EmbedderUnavailable, KnowledgeFileError
from corpus_index.knowledge import DEFAULT_KNOWLEDGE_DIR
from corpus_index.log_routing import (
    LOG_DIR_ENV,
    VERBOSE_ENV,
    LogRoute,
    log_dir_from_env,
    routed_logs,
    verbose_from_env,
)

from .build import IngestOptions, IngestReport, ingest
from .changes import SectionChange
from .chunking import DEFAULT_MAX_CHARS
from .errors import CorpusError, IngestBusy

EXIT_ERROR = 1
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
SHOWN_CHANGES = 20


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Index the portfolio's Markdown corpus for the assistant. Only new or"
        " changed sections are embedded; the previous index stays whole until the"
        " new one is complete.",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        help="folder of Markdown files (default: corpus/)",
    )
    parser.add_argument(
        "--index",
        type=Path,
        default=Path("index"),
        help="folder the index is written to (default: index/)",
    )
    parser.add_argument(
        "--knowledge",
        type=Path,
        default=DEFAULT_KNOWLEDGE_DIR,
        help="folder of intents, aliases and lexicon files (default: the project's knowledge/)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the corpus and show what would change; write nothing",
    )
    parser.add_argument(
        "--model",
        default=None,
        help=f"embedding model: {DEFAULT_MODEL!r} (default, packaged) or a"
        f" sentence-transformers folder; also ${MODEL_ENV}",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help="split sections longer than this at paragraph or list boundaries",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another ingest is running, wait this long for it (default: 0)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=verbose_from_env(),
        help="also print the libraries' warnings and INFO logs here; they always go to"
        f" ingest.log in ${LOG_DIR_ENV} (default: logs/); also ${VERBOSE_ENV}=1",
    )
    return parser


@contextmanager
def _tqdm_bar(total: int) -> Iterator[Callable[[int], None]]:
    from tqdm import tqdm

    with tqdm(total=total, desc="Embedding", unit="chunk", file=sys.stderr, leave=False) as bar:
        yield bar.update


def render_report(report: IngestReport, options: IngestOptions) -> list[str]:
    """The owner-facing summary of an ingest, line by line."""
    corpus, changes = report.corpus, report.changes
    lines = [
        f"Corpus: {len(corpus.sources)} files, {corpus.section_count} sections,"
        f" {len(corpus.chunks)} chunks in {options.corpus_dir}/"
    ]
    if report.previous_problem:
        lines.append(f"Previous index unusable, rebuilding it whole: {report.previous_problem}")
    if changes.is_empty and not report.written:
        verb = "would change" if options.check else "changed"
        lines.append(
            f"No changes: nothing {verb}; {changes.unchanged} sections unchanged"
            f" ({report.seconds:.2f} s)"
        )
        return lines
    lines.append(("Would change: " if options.check else "Changes: ") + changes.headline())
    if not (changes.changed or changes.removed or changes.unchanged):
        # A first build: every section is new, so say what each file brought.
        lines.extend(f"  + {source}: {count} section{'s' * (count != 1)}"
                     for source, count in _sections_per_file(changes.added))
        listed = []
    else:
        listed = [*changes.added, *changes.changed, *changes.removed]
    mark = {"added": "+", "changed": "~", "removed": "-"}
    for change in listed[:SHOWN_CHANGES]:
        lines.append(f"  {mark[change.kind]} {change.heading_path}  ({change.where})")
    if len(listed) > SHOWN_CHANGES:
        lines.append(f"  … and {len(listed) - SHOWN_CHANGES} more")
    if options.check:
        lines.append(f"Checked in {report.seconds:.2f} s; nothing written (--check)")
    else:
        lines.append(
            f"Embedded {report.embedded} new texts (sections, sentences, example questions);"
            f" index {report.generation} is live in {options.index_dir}/ ({report.seconds:.2f} s)"
        )
    return lines


def _sections_per_file(changes: Sequence[SectionChange]) -> list[tuple[str, int]]:
    """How many of `changes` each file holds, in the order the files first appear."""
    counts: dict[str, int] = {}
    for change in changes:
        source = change.where.rsplit(":", 1)[0]
        counts[source] = counts.get(source, 0) + 1
    return list(counts.items())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ingest CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    with routed_logs(log_dir_from_env() / "ingest.log", verbose=args.verbose) as route:
        status = _run(args)
        _point_to_log(route)
    return status


def _run(args: argparse.Namespace) -> int:
    if args.max_chars < 200:
        print("error: --max-chars must be at least 200", file=sys.stderr)
        return EXIT_ERROR
    options = IngestOptions(
        corpus_dir=args.corpus,
        index_dir=args.index,
        model=configured_model(args.model),
        max_chars=args.max_chars,
        check=args.check,
        wait_seconds=max(args.wait, 0.0),
        knowledge_dir=args.knowledge,
    )
    try:
        report = ingest(options, progress_bar=_tqdm_bar)
    except IngestBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (CorpusError, KnowledgeFileError, EmbedderUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("The previous index, if any, is unchanged.", file=sys.stderr)
        return EXIT_ERROR
    for notice in report.corpus.notices:
        print(f"warning: {notice}", file=sys.stderr)
    print("\n".join(render_report(report, options)))
    return 0


def _point_to_log(route: LogRoute) -> None:
    """One line saying where the library warnings kept off the console went, if any did."""
    if route.hidden_warnings:
        count = route.hidden_warnings
        print(f"{count} library warning{'s' if count > 1 else ''} went to {route.log_file}"
              " (--verbose prints them here)", file=sys.stderr)
