"""`python -m assistant.measure.loo`: choose thresholds leave-one-corpus-out and report honestly.

For each corpus in turn, the intent thresholds are fitted on all the other
corpora's questions and the corpus left out is scored with them; those held-out
numbers are the headline, and the in-sample fit (all corpora at once) stands
beside them. Prints Markdown tables per corpus and per intent.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..answer import AnswerOptions, as_searched
from ..search.search_index import build_search_index
from ..understand.question import parse_question
from .eval import (
    QUESTION_SETS,
    REPO_ROOT,
    Metrics,
    Outcome,
    build_eval_index,
    eval_embedder,
    load_question_set,
    outcomes,
    summarise,
)

GRID = {
    "min_intent_similarity": (0.55, 0.6, 0.65, 0.7, 0.75),
    "lean_similarity": (0.4, 0.5, 0.6),
    "decline_extra": (0.0, 0.1),
    "lexicon_credit": (0.5, 0.75, 1.0),
}
Config = tuple[tuple[str, float], ...]


def objective(metrics: Metrics) -> float:
    """What a fit maximises: facts quoted and out-of-scope questions declined, less
    in-scope questions declined (a false "not mentioned" filters a candidate out)."""
    return metrics.fact_recall + metrics.abstention - metrics.wrongful_abstention


def configs() -> list[Config]:
    """Every combination of the grid's values, in grid order."""
    names = list(GRID)
    return [tuple(zip(names, values, strict=True))
            for values in itertools.product(*(GRID[name] for name in names))]


def sweep(sets: Sequence[Path], backend: str) -> dict[str, dict[Config, list[Outcome]]]:
    """Every corpus's outcomes under every configuration; each index built and each
    question embedded once."""
    results: dict[str, dict[Config, list[Outcome]]] = {}
    with tempfile.TemporaryDirectory(prefix="portfolio-loo-") as tmp:
        embedder = eval_embedder(backend, Path(tmp) / "model")
        for set_path in sets:
            question_set = load_question_set(set_path)
            corpus_dir = (REPO_ROOT / question_set.corpus).resolve()
            loaded = build_eval_index(corpus_dir, Path(tmp) / set_path.stem, embedder)
            index = build_search_index(loaded, lambda text: embedder.embed([text])[0])
            texts = [as_searched(parse_question(item.q), index)[1]
                     for item in question_set.questions]
            vectors = list(embedder.embed(texts))
            results[set_path.stem] = {
                config: outcomes(index, question_set.questions, vectors, corpus_dir,
                                 replace(AnswerOptions(), **dict(config)))
                for config in configs()
            }
    return results


def best_config(results: dict[str, dict[Config, list[Outcome]]], corpora: Sequence[str]
                ) -> Config:
    """The configuration with the best objective over the pooled questions of `corpora`;
    ties go to the first in grid order."""
    return max(configs(), key=lambda config: objective(
        summarise([o for corpus in corpora for o in results[corpus][config]])))


# (label, Metrics field, the count it is a share of: "" for none)
ROW_FIELDS = (
    ("in scope", "in_scope", ""),
    ("out of scope", "out_of_scope", ""),
    ("fact recall", "fact_recall", "in_scope"),
    ("wrongful abstention", "wrongful_abstention", "in_scope"),
    ("out-of-scope abstention", "abstention", "out_of_scope"),
    ("verbatim", "verbatim_rate", ""),
    ("intent accuracy", "intent_accuracy", ""),
    ("section recall@3", "recall_at_3", "in_scope"),
)


def table(rows: dict[str, Metrics], first: str) -> str:
    """A Markdown table, one row per group; a share of no questions is shown as "–"."""
    header = f"| {first} | " + " | ".join(label for label, _, _ in ROW_FIELDS) + " |"
    lines = [header, "|" + " --- |" * (len(ROW_FIELDS) + 1)]
    for name, metrics in rows.items():
        cells = []
        for _, field, base in ROW_FIELDS:
            value = getattr(metrics, field)
            if isinstance(value, int):
                cells.append(str(value))
            elif base and not getattr(metrics, base):
                cells.append("–")
            else:
                cells.append(f"{value:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: dict[str, dict[Config, list[Outcome]]], verbose: bool = False) -> str:
    """Held-out and in-sample tables per corpus, and held-out per intent."""
    corpora = list(results)
    held_out: dict[str, list[Outcome]] = {}
    chosen: dict[str, Config] = {}
    for corpus in corpora:
        others = [c for c in corpora if c != corpus] or corpora
        chosen[corpus] = best_config(results, others)
        held_out[corpus] = results[corpus][chosen[corpus]]
    overall = best_config(results, corpora)
    pooled = [o for corpus in corpora for o in held_out[corpus]]
    by_corpus = {c: summarise(held_out[c]) for c in corpora} | {"all": summarise(pooled)}
    in_sample = {c: summarise(results[c][overall]) for c in corpora} | {
        "all": summarise([o for c in corpora for o in results[c][overall]])}
    intents = sorted({o.question.intent for o in pooled})
    by_intent = {name: summarise([o for o in pooled if o.question.intent == name])
                 for name in intents}
    lines = ["## Leave one corpus out (thresholds fitted on the other corpora)", "",
             table(by_corpus, "corpus"), "",
             "Thresholds chosen per held-out corpus: " + "; ".join(
                 f"{c}: " + ", ".join(f"{k}={v}" for k, v in chosen[c]) for c in corpora), "",
             "## In sample (one fit on all corpora: "
             + ", ".join(f"{k}={v}" for k, v in overall) + ")", "",
             table(in_sample, "corpus"), "",
             "## Per intent (held out)", "", table(by_intent, "intent")]
    if verbose:
        lines += ["", "## Failures (held out)", ""]
        lines += [f"- {c}: {o.failure} [intent {o.question.intent} -> {o.intent}]"
                  for c in corpora for o in held_out[c] if o.failure]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the leave-one-corpus-out evaluation; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m assistant.measure.loo", description=__doc__)
    parser.add_argument("sets", nargs="*", type=Path,
                        help="question sets (default: tests/eval/*.yaml)")
    parser.add_argument("--embedder", default="onnx", choices=("torch", "onnx", "onnx-int8"),
                        help="backend of the model (default: onnx, the product's)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failure")
    args = parser.parse_args(argv)
    sets = args.sets or [REPO_ROOT / path for path in QUESTION_SETS]
    print(report(sweep(sets, args.embedder), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
