"""`python -m assistant.bench`: what an answer costs beyond embedding the question.

Prints, over the evaluation questions, the median and p95 of the bare query
embedding (the floor) and of the whole answer, and what the rest costs as a
share of the embedding. Timings on a shared machine are noisy: compare the
ratios within one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .answer import answer, answer_parsed
from .eval import QUESTION_SETS, REPO_ROOT, load_question_set
from .live_index import LiveIndex
from .question import parse_question


def percentile(samples: Sequence[float], share: float) -> float:
    """The `share` quantile (0..1) by nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(function: Callable[[], object], repeats: int) -> list[float]:
    """Wall times of `repeats` calls, in milliseconds."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.bench", description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per question")
    args = parser.parse_args(argv)
    live = LiveIndex(args.index)
    index = live.current()
    questions = [item.q for item in load_question_set(REPO_ROOT / QUESTION_SETS[0]).questions]
    for question in questions[:3]:  # warm caches and lazy imports
        answer(question, index)

    embed, whole, rest = [], [], []
    for question in questions:
        parsed = parse_question(question)
        vector = index.embed_query(parsed.text)
        embed += timed(lambda q=parsed.text: index.embed_query(q), args.repeats)
        whole += timed(lambda q=question: answer(q, index), args.repeats)
        rest += timed(lambda p=parsed, v=vector: answer_parsed(p, index, v), args.repeats)

    rows = [("bare query embedding", embed), ("whole answer", whole),
            ("answer beyond embedding", rest)]
    print(f"{len(questions)} questions × {args.repeats} runs, {len(index.chunks)} chunks,"
          f" {len(index.unit_texts)} units")
    print(f"{'':26}{'median ms':>11}{'p95 ms':>10}")
    for label, samples in rows:
        print(f"{label:26}{statistics.median(samples):11.2f}{percentile(samples, 0.95):10.2f}")
    share = statistics.median(rest) / statistics.median(embed)
    print(f"beyond-embedding cost / embedding (medians): {share:.2f}  (target < 0.25)")
    ratio = statistics.median(whole) / statistics.median(embed)
    print(f"whole answer / embedding (medians): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
