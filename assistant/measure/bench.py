"""`python -m assistant.measure.bench`: what the product costs, measured in one run on one machine.

Prints, on the evaluation questions: the bare query embedding (the floor) for
the ONNX export, for its int8 copy (made beside the export if missing) and for
sentence-transformers on torch, the whole answer (median, p95) and its ratio
to the floor; the career timeline's picture (matplotlib's import in a fresh process,
then a drawing); then process start to first answer (CLI `ask`), a full ingest, a
no-op ingest and a one-section edit, and the peak memory of a serving process.
Timings on a shared machine are noisy: compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus_index.embedding import SentenceTransformerEmbedder, load_embedder
from corpus_index.onnx_backend import export_folder

from ..answer import answer, answer_parsed
from ..search.live_index import LiveIndex
from ..understand.question import parse_question
from .eval import PORTFOLIO_SET, REPO_ROOT, load_question_set


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


def run_seconds(command: list[str], stdin: str | None = None) -> float:
    """Wall time of a child process, which must succeed."""
    started = time.perf_counter()
    subprocess.run(command, input=stdin, text=True, check=True, cwd=REPO_ROOT,
                   capture_output=True)
    return time.perf_counter() - started


def answer_latency(index_dir: Path, questions: list[str], repeats: int) -> list[tuple]:
    live = LiveIndex(index_dir)
    index = live.current()
    for question in questions[:3]:  # warm caches and lazy imports
        answer(question, index)
    reference = SentenceTransformerEmbedder(index.manifest.model)
    reference.embed(["warm up"])
    int8 = load_embedder(index.manifest.model, export_folder(index_dir, index.manifest.model),
                         "onnx-int8")
    int8.embed(["warm up"])
    floor, int8_floor, torch_floor, whole, rest = [], [], [], [], []
    # The product's timings first, all of them, then the other backends: torch's worker
    # threads keep spinning for a while after each call and slow whatever follows.
    for question in questions:
        parsed = parse_question(question)
        vector = index.embed_query(parsed.text)
        floor += timed(lambda q=parsed.text: index.embed_query(q), repeats)
        whole += timed(lambda q=question: answer(q, index), repeats)
        rest += timed(lambda p=parsed, v=vector: answer_parsed(p, index, v), repeats)
    for question in questions:
        text = parse_question(question).text
        int8_floor += timed(lambda q=text: int8.embed([q]), repeats)
        torch_floor += timed(lambda q=text: reference.embed([q]), repeats)
    return [("query embedding, ONNX (the floor)", floor),
            ("query embedding, ONNX int8", int8_floor),
            ("query embedding, sentence-transformers", torch_floor),
            ("whole answer", whole), ("answer beyond embedding", rest)]


def match_latency(index_dir: Path, repeats: int, wanted: int = 40) -> tuple[int, float]:
    """Median time to match a job description of `wanted` requirements: the fixture job
    descriptions' requirements, gathered under one heading."""
    from ..jobs import extract_requirements
    from ..jobs.match import match_job

    requirements = [r.text for job in sorted((REPO_ROOT / "tests/fixtures/jobs").glob("*.md"))
                    if job.name != "SOURCES.md"
                    for r in extract_requirements(job.read_text(encoding="utf-8"))][:wanted]
    text = "## Requirements\n\n" + "\n".join(f"- {line}" for line in requirements)
    index = LiveIndex(index_dir).current()
    match_job(text, index)  # warm
    return len(requirements), statistics.median(
        timed(lambda: match_job(text, index), repeats)) / 1000


def timeline_costs(index_dir: Path, repeats: int) -> list[tuple[str, float]]:
    """What the career timeline's picture costs: importing matplotlib (paid once per
    process, by the first career answer) and drawing one picture (uncached)."""
    from datetime import date

    from ..timeline import build_timeline
    from ..timeline.picture import timeline_png

    probe = ("import time; started = time.perf_counter();"
             "import matplotlib.figure, matplotlib.backends.backend_agg;"
             "print(time.perf_counter() - started)")
    imports = [float(subprocess.run([sys.executable, "-c", probe], text=True, check=True,
                                    capture_output=True).stdout) for _ in range(3)]
    index = LiveIndex(index_dir).current()
    timeline = build_timeline(index.roles, index.undated_roles)
    if timeline is None or not timeline.roles:
        return [("matplotlib import, fresh process, s", statistics.median(imports))]
    draw = timeline_png.__wrapped__  # past the cache: every call draws
    draw(timeline, date.today())  # warm: the import and the font cache
    drawing = timed(lambda: draw(timeline, date.today()), repeats)
    return [("matplotlib import, fresh process, s", statistics.median(imports)),
            (f"timeline picture of {len(timeline.roles)} roles, median ms",
             statistics.median(drawing))]


def process_costs(questions: list[str]) -> list[tuple[str, float]]:
    """Start-up, ingest and memory figures, each from fresh child processes."""
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="portfolio-bench-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(REPO_ROOT / "corpus", corpus)
        ingest = [python, "-m", "ingest", "--corpus", str(corpus), "--index", str(index)]
        rows.append(("full ingest, first (exports ONNX), s", run_seconds(ingest)))
        for path in index.glob("*.*"):
            path.unlink()  # the index again from scratch, the ONNX export kept
        rows.append(("full ingest, ONNX export present, s", run_seconds(ingest)))
        rows.append(("no-op ingest, s", run_seconds(ingest)))
        with (corpus / "contact.md").open("a", encoding="utf-8") as handle:
            handle.write("\n## Benchmark\n\nOne new section, to time an edit.\n")
        rows.append(("one-section edit ingest, s", run_seconds(ingest)))
        ask = [python, "-m", "assistant", "ask", "--index", str(index), questions[0]]
        rows.append(("process start to first answer (CLI ask), s",
                     statistics.median(run_seconds(ask) for _ in range(3))))
        # The child's own peak: VmHWM belongs to its address space. ru_maxrss would carry
        # the size of this (much bigger) benchmark process across fork and exec.
        serve = (
            "import sys; from pathlib import Path;"
            "from assistant.answer import answer;"
            "from assistant.search.live_index import LiveIndex;"
            f"index = LiveIndex(Path({str(index)!r})).current();"
            "[answer(q, index) for q in sys.stdin.read().splitlines()];"
            "print(next(line.split()[1] for line in open('/proc/self/status')"
            " if line.startswith('VmHWM:')))"
        )
        peak_kb = subprocess.run([python, "-c", serve], input="\n".join(questions), text=True,
                                 check=True, cwd=REPO_ROOT, capture_output=True).stdout
        rows.append((f"peak memory of a process serving {len(questions)} questions, MB",
                     int(peak_kb.split()[-1]) / 1024))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.measure.bench", description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per question")
    parser.add_argument("--skip-processes", action="store_true",
                        help="only the in-process latencies")
    args = parser.parse_args(argv)
    questions = [item.q for item in load_question_set(REPO_ROOT / PORTFOLIO_SET).questions]

    rows = answer_latency(args.index, questions, args.repeats)
    print(f"{len(questions)} questions × {args.repeats} runs")
    print(f"{'':42}{'median ms':>11}{'p95 ms':>10}")
    for label, samples in rows:
        print(f"{label:42}{statistics.median(samples):11.2f}{percentile(samples, 0.95):10.2f}")
    medians = {label: statistics.median(samples) for label, samples in rows}
    floor = medians["query embedding, ONNX (the floor)"]
    print(f"whole answer / floor: {medians['whole answer'] / floor:.2f}  (target ≤ 1.5)")
    print(f"beyond embedding / floor: {medians['answer beyond embedding'] / floor:.2f}"
          "  (target < 0.25)")
    print(f"whole answer / sentence-transformers embedding:"
          f" {medians['whole answer'] / medians['query embedding, sentence-transformers']:.2f}")
    print(f"ONNX int8 / ONNX embedding: {medians['query embedding, ONNX int8'] / floor:.2f}")
    count, seconds = match_latency(args.index, args.repeats)
    print(f"matching a {count}-requirement job description, median s"
          f"{seconds:14.3f}  (target < 0.5)")
    for label, value in timeline_costs(args.index, args.repeats):
        print(f"{label:52}{value:10.3f}")
    if not args.skip_processes:
        print()
        for label, value in process_costs(questions):
            print(f"{label:52}{value:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
