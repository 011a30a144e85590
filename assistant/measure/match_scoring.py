"""`python -m assistant.measure.eval --match`: job-description matching against hand labels.

tests/fixtures/jobs/labels.yaml labels every requirement of each fixture job
description evidence, related or absent against the portfolio. Per job this
reports the precision of `evidence` (shown as evidence and labelled so), its
recall, and how many requirements labelled absent were shown as evidence, which
must be none: the product never claims more than the quotes show.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from ..jobs.match import MatchReport, match_job
from ..search.search_index import SearchIndex

JOBS = Path(__file__).resolve().parents[2] / "tests/fixtures/jobs"


class Label(BaseModel):
    """One requirement's hand label."""

    text: str
    kind: Literal["must", "nice", "unknown"]
    expected: Literal["evidence", "related", "absent"]
    note: str | None = None
    facts: list[str] = []


class Labels(BaseModel):
    """Every labelled job description, by file name, against one corpus."""

    corpus: str = "corpus"  # relative to the repository: whose portfolio they judge
    jobs: dict[str, list[Label]]


def label_files(jobs_dir: Path = JOBS) -> list[Path]:
    """The labels files beside the job descriptions, one per corpus they are judged on:
    the portfolio's (labels.yaml) first."""
    return sorted(jobs_dir.glob("labels*.yaml"), key=lambda p: (p.name != "labels.yaml", p.name))


def read_labels(path: Path) -> Labels:
    """One labels file, validated."""
    return Labels.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class JobScore:
    """How one job description's matching compares with its labels."""

    job: str
    requirements: int
    true_evidence: int  # shown as evidence, labelled evidence
    false_evidence: int  # shown as evidence, labelled otherwise
    missed_evidence: int  # labelled evidence, shown otherwise
    absent_as_evidence: int  # labelled absent, shown as evidence: must be 0
    agreeing: int  # shown with the status it is labelled with
    seconds: float

    @property
    def precision(self) -> float | None:
        """None when nothing was shown as evidence."""
        shown = self.true_evidence + self.false_evidence
        return self.true_evidence / shown if shown else None

    @property
    def recall(self) -> float | None:
        """None when nothing is labelled evidence."""
        labelled = self.true_evidence + self.missed_evidence
        return self.true_evidence / labelled if labelled else None


def score_job(job: str, report: MatchReport, labels: Sequence[Label], seconds: float) -> JobScore:
    """Compare one job's report with its labels (by requirement text)."""
    shown = {item.text: item.status for item in report.requirements}
    true = false = missed = absent = agreeing = 0
    for label in labels:
        status = shown.get(label.text, "absent")
        agreeing += status == label.expected
        if status == "evidence":
            true += label.expected == "evidence"
            false += label.expected != "evidence"
            absent += label.expected == "absent"
        elif label.expected == "evidence":
            missed += 1
    return JobScore(job, len(labels), true, false, missed, absent, agreeing, seconds)


def run_match_eval(index: SearchIndex, labels_path: Path = JOBS / "labels.yaml"
                   ) -> list[JobScore]:
    """Match every job description `labels_path` labels, on `index` (an index of the
    labels' corpus), and score it."""
    jobs_dir = labels_path.parent
    labels = read_labels(labels_path)
    scores = []
    for job, items in labels.jobs.items():
        text = (jobs_dir / job).read_text(encoding="utf-8")
        started = time.perf_counter()
        report = match_job(text, index)
        scores.append(score_job(job, report, items, time.perf_counter() - started))
    return scores


def format_scores(scores: Sequence[JobScore]) -> str:
    """A Markdown table, one row per job and one for all."""
    total = JobScore("all", *(sum(getattr(s, f) for s in scores) for f in (
        "requirements", "true_evidence", "false_evidence", "missed_evidence",
        "absent_as_evidence", "agreeing", "seconds")))
    lines = ["| job | requirements | evidence precision | evidence recall |"
             " absent shown as evidence | status as labelled | match time |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {s.job} | {s.requirements} | {_share(s.precision)} | {_share(s.recall)} |"
              f" {s.absent_as_evidence} | {s.agreeing / max(s.requirements, 1):.2f} |"
              f" {s.seconds * 1000:.0f} ms |"
              for s in [*scores, total]]
    return "\n".join(lines)


def label_counts(labels: Mapping[str, Sequence[Label]]) -> dict[str, int]:
    """How many requirements carry each label."""
    counts = {"evidence": 0, "related": 0, "absent": 0}
    for items in labels.values():
        for label in items:
            counts[label.expected] += 1
    return counts


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"
