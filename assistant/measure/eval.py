"""`python -m assistant.measure.eval`: retrieval and answers on the question sets in tests/eval.

For each question set it builds a throwaway index of the set's corpus with the
real model, then asks every question under each retriever and prints, side by
side: section recall@1 and @3, MRR, fact recall, abstention on out-of-scope
questions, wrongful abstention and the verbatim rate of quotes. `--embedder`
picks the model's backend for indexing and questions alike; given twice or more,
the columns of each run stand side by side.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, Field

from corpus_index import store
from corpus_index.embedding import Embedder, configured_model

from ..answer import AnswerOptions, answer_parsed, as_searched
from ..search.retrieval import rank_chunks
from ..search.search_index import DEFAULT_BM25, Bm25Variant, SearchIndex, build_search_index
from ..understand.question import parse_question
from .verbatim import quote_in_source

REPO_ROOT = Path(__file__).resolve().parents[2]
QUESTION_SETS = tuple(
    sorted(str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / "tests/eval").glob("*.yaml"))
)
# The real portfolio's questions: what bench, scaling and load time.
PORTFOLIO_SET = "tests/eval/portfolio.yaml"
MODES = ("hybrid", "bm25", "dense")
EMBEDDERS = ("torch", "onnx", "onnx-int8")  # sentence-transformers, the ONNX export, int8


class EvalQuestion(BaseModel):
    q: str
    sections: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    out_of_scope: bool = False
    missing: str | None = None
    intent: str = "other"  # the kind of question, as knowledge/intents.yaml names them


class QuestionSet(BaseModel):
    corpus: str
    questions: list[EvalQuestion]


@dataclass(frozen=True)
class Metrics:
    recall_at_1: float
    recall_at_3: float
    mrr: float
    fact_recall: float
    abstention: float  # out-of-scope questions declined
    wrongful_abstention: float  # in-scope questions declined
    verbatim_rate: float
    failures: tuple[str, ...]
    intent_accuracy: float = 1.0  # questions whose recognised intent is their label's
    count: int = 0
    in_scope: int = 0
    out_of_scope: int = 0


@dataclass(frozen=True)
class Outcome:
    """How one question fared."""

    question: EvalQuestion
    corpus: str
    answered: bool
    best_rank: int | None  # rank of the first expected section (in scope only)
    facts_found: int
    quotes: int
    verbatim: int
    intent: str  # the intent recognised ("other": none)

    @property
    def failure(self) -> str | None:
        item = self.question
        if item.out_of_scope:
            return f"answered out-of-scope: {item.q!r}" if self.answered else None
        if not self.answered:
            return f"declined in-scope: {item.q!r}"
        if self.facts_found < len(item.facts):
            return f"facts missed ({self.facts_found}/{len(item.facts)}): {item.q!r}"
        return None


def summarise(outcomes: Sequence[Outcome]) -> Metrics:
    """Aggregate metrics over any group of outcomes (a corpus, an intent, all)."""
    in_scope = [o for o in outcomes if not o.question.out_of_scope]
    out_scope = [o for o in outcomes if o.question.out_of_scope]
    n = max(len(in_scope), 1)
    ranks = [o.best_rank for o in in_scope]
    quotes = sum(o.quotes for o in outcomes)
    labelled = [o for o in outcomes if o.question.intent != "other"]
    return Metrics(
        recall_at_1=sum(r == 1 for r in ranks) / n,
        recall_at_3=sum(r is not None and r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        fact_recall=sum(o.facts_found for o in in_scope)
        / max(sum(len(o.question.facts) for o in in_scope), 1),
        abstention=sum(not o.answered for o in out_scope) / max(len(out_scope), 1),
        wrongful_abstention=sum(not o.answered for o in in_scope) / n,
        verbatim_rate=sum(o.verbatim for o in outcomes) / quotes if quotes else 1.0,
        failures=tuple(o.failure for o in outcomes if o.failure),
        intent_accuracy=sum(o.intent == o.question.intent for o in labelled)
        / max(len(labelled), 1),
        count=len(outcomes),
        in_scope=len(in_scope),
        out_of_scope=len(out_scope),
    )


def load_question_set(path: Path) -> QuestionSet:
    """Read and validate a question set."""
    return QuestionSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def build_eval_index(corpus_dir: Path, index_dir: Path, embedder: Embedder) -> store.LoadedIndex:
    """Index a corpus with the real pipeline (ingestion's public entry point) and load it."""
    from ingest.build import IngestOptions, ingest  # a tool's dependency, not the runtime's

    ingest(
        IngestOptions(corpus_dir=corpus_dir, index_dir=index_dir, model=embedder.name),
        embedder_factory=lambda _name: embedder,
    )
    return store.load_index(index_dir)


def eval_embedder(backend: str, model_dir: Path) -> Embedder:
    """The model on `backend`, its ONNX export (and int8 copy) made in `model_dir` if needed."""
    from ingest.build import exported_embedder

    return exported_embedder(model_dir, configured_model(), backend)


def section_ranking(index: SearchIndex, chunk_scores: np.ndarray) -> list[str]:
    """Section ids, best first, each ranked by its best chunk."""
    ranked: list[str] = []
    for at in np.argsort(-chunk_scores, kind="stable"):
        section = index.chunks[int(at)].section_id
        if section not in ranked:
            ranked.append(section)
    return ranked


def evaluate(
    index: SearchIndex, questions: Sequence[EvalQuestion], corpus_dir: Path, options: AnswerOptions
) -> Metrics:
    """Ask every question; score ranking, facts, abstention and verbatim quoting."""
    vectors = [index.embed_query(as_searched(parse_question(item.q), index)[1])
               for item in questions]
    return summarise(outcomes(index, questions, vectors, corpus_dir, options))


def outcomes(
    index: SearchIndex,
    questions: Sequence[EvalQuestion],
    vectors: Sequence[np.ndarray],
    corpus_dir: Path,
    options: AnswerOptions,
) -> list[Outcome]:
    """Answer each question (its vector given, so a sweep embeds once) and record how
    it fared."""
    found: list[Outcome] = []
    for item, vector in zip(questions, vectors, strict=True):
        parsed, _model_text = as_searched(parse_question(item.q), index)
        result = answer_parsed(parsed, index, vector, options)
        verbatim = sum(quote_in_source(c.quote, corpus_dir, c.source) for c in result.citations)
        best = None
        if not item.out_of_scope:
            ranking = section_ranking(
                index,
                rank_chunks(index, parsed.terms, vector, options.mode, options.fusion,
                            options.alpha),
            )
            ranks = [ranking.index(s) + 1 for s in item.sections if s in ranking]
            best = min(ranks) if ranks else None
        # What the answer shows: its quotes, and the headings and names it leads them with.
        said = re.sub(r"\\(.)", r"\1", result.text).lower()
        facts = sum(fact.lower() in said for fact in item.facts) if result.answered else 0
        found.append(Outcome(item, corpus_dir.name, result.answered, best, facts,
                             len(result.citations), verbatim, result.intent or "other"))
    return found


def format_table(rows: dict[str, Metrics]) -> str:
    """Metrics side by side, one column per configuration."""
    names = list(rows)
    fields = [
        ("section recall@1", "recall_at_1"),
        ("section recall@3", "recall_at_3"),
        ("MRR", "mrr"),
        ("fact recall", "fact_recall"),
        ("out-of-scope abstention", "abstention"),
        ("wrongful abstention", "wrongful_abstention"),
        ("verbatim rate", "verbatim_rate"),
    ]
    width = max(12, *(len(name) for name in names))
    lines = ["metric".ljust(26) + "".join(name.rjust(width + 2) for name in names)]
    for label, attribute in fields:
        lines.append(
            label.ljust(26)
            + "".join(f"{getattr(rows[name], attribute):.3f}".rjust(width + 2) for name in names)
        )
    return "\n".join(lines)


def run(
    question_sets: Sequence[Path],
    embedder: Embedder,
    configurations: dict[str, tuple],
    verbose: bool = False,
) -> dict[str, dict[str, Metrics]]:
    """Evaluate every configuration (name -> (AnswerOptions, bm25 variant)) on every set."""
    results: dict[str, dict[str, Metrics]] = {}
    for set_path in question_sets:
        question_set = load_question_set(set_path)
        corpus_dir = (REPO_ROOT / question_set.corpus).resolve()
        with tempfile.TemporaryDirectory(prefix="portfolio-eval-") as tmp:
            loaded = build_eval_index(corpus_dir, Path(tmp), embedder)

        def embed(text: str) -> np.ndarray:
            return embedder.embed([text])[0]

        indexes: dict[Bm25Variant, SearchIndex] = {}
        results[set_path.name] = {}
        for name, (options, variant) in configurations.items():
            if variant not in indexes:
                indexes[variant] = build_search_index(loaded, embed, variant)
            metrics = evaluate(indexes[variant], question_set.questions, corpus_dir, options)
            results[set_path.name][name] = metrics
            if verbose and metrics.failures:
                print(
                    f"-- {set_path.name} / {name}:", *metrics.failures, sep="\n   ", file=sys.stderr
                )
    return results


def standard_configurations() -> dict[str, tuple[AnswerOptions, Bm25Variant]]:
    """The product's retriever and each single retriever, same answer logic."""
    base = AnswerOptions()
    return {mode: (replace(base, mode=mode), DEFAULT_BM25) for mode in MODES}


def ablation_configurations() -> dict[str, tuple[AnswerOptions, Bm25Variant]]:
    """The choices behind the defaults: BM25 variant, fusion method and weight."""
    base = AnswerOptions()
    configurations: dict[str, tuple[AnswerOptions, Bm25Variant]] = {
        f"bm25-{variant}": (replace(base, mode="bm25"), variant)
        for variant in ("okapi", "plus", "l")
    }
    configurations["rrf-k60"] = (replace(base, fusion="rrf"), DEFAULT_BM25)
    for alpha in (0.3, 0.5, 0.7):
        configurations[f"convex-{alpha}"] = (replace(base, alpha=alpha), DEFAULT_BM25)
    return configurations


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.measure.eval", description=__doc__)
    parser.add_argument(
        "sets", nargs="*", type=Path, help="question sets (default: tests/eval/*.yaml)"
    )
    parser.add_argument(
        "--ablation", action="store_true", help="also compare BM25 variants and fusion settings"
    )
    parser.add_argument(
        "--embedder", action="append", choices=EMBEDDERS,
        help="backend of the model, for the index and the questions (default: torch);"
        " repeat to compare",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failure")
    parser.add_argument("--match", action="store_true",
                        help="score job-description matching on tests/fixtures/jobs instead")
    args = parser.parse_args(argv)
    if args.match:
        return _match_main(args.embedder[0] if args.embedder else "onnx")
    sets = args.sets or [REPO_ROOT / path for path in QUESTION_SETS]
    backends = args.embedder or ["torch"]
    configurations = standard_configurations()
    if args.ablation:
        configurations |= ablation_configurations()
    tables: dict[str, dict[str, Metrics]] = {}
    with tempfile.TemporaryDirectory(prefix="portfolio-eval-model-") as model_dir:
        for backend in backends:
            embedder = eval_embedder(backend, Path(model_dir))
            if args.verbose and len(backends) > 1:
                print(f"== embedder {backend}", file=sys.stderr)
            for set_name, rows in run(sets, embedder, configurations, args.verbose).items():
                suffix = f" {backend}" if len(backends) > 1 else ""
                tables.setdefault(set_name, {}).update(
                    {name + suffix: metrics for name, metrics in rows.items()}
                )
    for set_name, rows in tables.items():
        print(f"\n== {set_name}")
        print(format_table(rows))
    return 0


def _match_main(backend: str) -> int:
    """Score matching on the labelled job descriptions, once per labels file, each on
    an index of the corpus it labels them against."""
    from .match_scoring import format_scores, label_files, read_labels, run_match_eval

    with tempfile.TemporaryDirectory(prefix="portfolio-match-") as tmp:
        embedder = eval_embedder(backend, Path(tmp) / "model")
        for at, path in enumerate(label_files()):
            corpus = read_labels(path).corpus
            loaded = build_eval_index(REPO_ROOT / corpus, Path(tmp) / f"index-{at}", embedder)
            index = build_search_index(loaded, lambda text: embedder.embed([text])[0],
                                       embed_texts=embedder.embed)
            print(f"\n== {path.name}: against {corpus}/")
            print(format_scores(run_match_eval(index, path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
