"""Matching a job description: `python -m assistant match`, `POST /api/match` and the
Markdown report, over a tiny index built with the fake embedder.

The fake embedder's similarities are random, so these tests hold the shapes, the quotes'
faithfulness and the errors, not which status a requirement gets; the statuses are the
engine's, measured on the real model elsewhere.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FakeEmbedder, build_index, pdf_bytes
from fastapi import FastAPI
from fastapi.testclient import TestClient

import assistant.cli as cli_module
from assistant.jobs.match import MatchReport, RequirementMatch
from assistant.jobs.report import report_markdown, summary_line
from assistant.measure.verbatim import quote_in_source
from assistant.records import Citation
from assistant.search.live_index import LiveIndex
from assistant.web.api import MAX_MATCH_BODY_BYTES, build_router, mount
from assistant.web.rate_limit import RateLimiter

CORPUS = {
    "resume.md": (
        "# Grace Liu\n\n"
        "Mobile engineer who ships offline-first apps.\n\n"
        "## Skills\n\n"
        "Technologies: Kotlin, Swift\n\n"
        "## Experience\n\n"
        "Shipped a banking app used by 2 million customers. Mentored four junior developers"
        " on code review.\n"
    ),
    "projects.md": (
        "---\nurl: https://example.com/projects\n---\n\n# Projects\n\n## Trail Map\n\n"
        "Built a hiking trail map that caches tiles for use without signal.\n"
    ),
}
JOB = (
    "Senior Mobile Engineer\nAcme Maps\n\n"
    "Requirements\n"
    "- Experience with Kotlin\n"
    "- Mentoring junior developers\n"
    "- 5+ years of experience with Rust\n\n"
    "Nice to have\n"
    "- Offline maps | tile caching\n"
)
REQUIREMENTS = [
    "Experience with Kotlin",
    "Mentoring junior developers",
    "5+ years of experience with Rust",
    "Offline maps | tile caching",
]
POEM = (
    "The woods are lovely, dark and deep,\nBut I have promises to keep,\n"
    "And miles to go before I sleep,\nAnd miles to go before I sleep.\n"
)
SUMMARY = re.compile(r"Evidence for \d+ of 4 requirements, \d+ related, \d+ not mentioned")
REQUIREMENT_KEYS = {"text", "kind", "status", "citations", "note"}
CITATION_KEYS = {"n", "id", "title", "path", "quote", "source", "url"}


@dataclass(frozen=True)
class Run:
    """What one run of `python -m assistant match` returned and printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def fake() -> FakeEmbedder:
    return FakeEmbedder(dimension=384)


@pytest.fixture
def corpus_dir(tmp_path: Path, write_corpus) -> Path:
    return write_corpus(tmp_path / "corpus", CORPUS)


@pytest.fixture
def index_dir(tmp_path: Path, corpus_dir: Path, fake: FakeEmbedder) -> Path:
    build_index(corpus_dir, tmp_path / "index", fake)
    return tmp_path / "index"


@pytest.fixture
def match(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake: FakeEmbedder
) -> Callable[..., Run]:
    """`match(*args, stdin=None)` runs `python -m assistant match *args` with `fake`."""

    def live_index_with_fake_model(index_dir: Path, **options: object) -> LiveIndex:
        return LiveIndex(index_dir, embedder_factory=lambda name: fake, **options)

    monkeypatch.setattr(cli_module, "LiveIndex", live_index_with_fake_model)

    def run(*args: object, stdin: str | None = None) -> Run:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = cli_module.main(["match", *(str(arg) for arg in args)])
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def job_file(tmp_path: Path) -> Path:
    path = tmp_path / "job.md"
    path.write_text(JOB, encoding="utf-8")
    return path


def _source(job_file: Path) -> dict[str, object]:
    return {"file": {"args": (job_file,)}, "stdin": {"args": ("-",), "stdin": JOB}}


# --- the CLI --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_json_report_has_the_public_shape_and_quotes_the_corpus(
    match, index_dir, corpus_dir, job_file, source
):
    how = _source(job_file)[source]
    run = match(*how["args"], "--index", index_dir, "--json", stdin=how.get("stdin"))
    assert (run.code, run.err) == (0, "")
    [line] = run.out.splitlines()
    report = json.loads(line)
    assert set(report) == {"requirements", "summary"}
    assert [r["text"] for r in report["requirements"]] == REQUIREMENTS
    assert [r["kind"] for r in report["requirements"]] == ["must", "must", "must", "nice"]
    statuses = [r["status"] for r in report["requirements"]]
    assert report["summary"] == {s: statuses.count(s) for s in ("evidence", "related", "absent")}
    for requirement in report["requirements"]:
        assert set(requirement) == REQUIREMENT_KEYS
        assert [c["n"] for c in requirement["citations"]] == list(
            range(1, len(requirement["citations"]) + 1))
        for citation in requirement["citations"]:
            assert set(citation) == CITATION_KEYS
            assert quote_in_source(citation["quote"], corpus_dir, citation["source"]), citation
    assert any(c["quote"] == "Technologies: Kotlin, Swift"
               for c in report["requirements"][0]["citations"])


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_text_report_lists_each_requirement_with_its_quotes_and_sources(
    match, index_dir, job_file, source
):
    how = _source(job_file)[source]
    run = match(*how["args"], "--index", index_dir, stdin=how.get("stdin"))
    assert (run.code, run.err) == (0, "")
    lines = run.out.splitlines()
    assert SUMMARY.fullmatch(lines[0])
    headings = [line for line in lines if re.match(r"(Evidence|Related|Not mentioned) \(", line)]
    assert [h.split(": ", 1)[1] for h in headings] == REQUIREMENTS
    assert "Related (must): Experience with Kotlin" in lines or (
        "Evidence (must): Experience with Kotlin" in lines)
    assert "  “Technologies: Kotlin, Swift” [1]" in lines
    assert any(re.fullmatch(r"    \[1\] Grace Liu › Skills — resume\.md:\d+-\d+", line)
               for line in lines)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("poem.txt", POEM.encode(), "no requirements found"),
        ("empty.md", b"  \n", "empty"),
        ("scan.pdf", pdf_bytes(None), "no text layer"),
        ("job.md", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("job.docx", b"PK\x03\x04", "not a text or PDF file"),
        ("gone.txt", None, "cannot be read"),
    ],
    ids=["poem", "empty", "scan", "binary", "docx", "missing"],
)
@pytest.mark.parametrize("json_flag", [["--json"], []])
def test_a_file_that_is_not_a_job_description_is_one_error_line(
    match, index_dir, tmp_path, name, content, says, json_flag
):
    if name.endswith(".pdf"):
        pytest.importorskip("pypdf")
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    run = match(path, "--index", index_dir, *json_flag)
    assert run.code == 1
    assert run.out == ""
    [line] = run.err.splitlines()
    assert line.startswith("error: ") and says in line


@pytest.mark.parametrize(
    ("stdin", "says"),
    [("", "empty"), ("   \n", "empty"), (POEM, "no requirements found"),
     ("x" * 20_001, "20,001 characters")],
    ids=["empty", "blank", "poem", "long"],
)
def test_stdin_that_is_not_a_job_description_is_one_error_line(match, index_dir, stdin, says):
    run = match("-", "--index", index_dir, stdin=stdin)
    assert (run.code, run.out) == (1, "")
    [line] = run.err.splitlines()
    assert line.startswith("error: ") and says in line


def test_a_missing_index_is_one_error_line(match, tmp_path, job_file):
    run = match(job_file, "--index", tmp_path / "nowhere", "--json")
    assert (run.code, run.out) == (1, "")
    [line] = run.err.splitlines()
    assert line.startswith("error: ") and "python -m ingest" in line


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def client(index_dir: Path, fake: FakeEmbedder) -> TestClient:
    serving = LiveIndex(index_dir, embedder_factory=lambda name: fake)
    app = FastAPI()
    mount(app, build_router(lambda: serving, RateLimiter(per_minute=600, burst=100)))
    return TestClient(app)


def test_api_gives_the_cli_json(client: TestClient, match, index_dir, job_file) -> None:
    response = client.post("/api/match", json={"text": JOB})
    assert response.status_code == 200
    body = response.json()
    assert [r["text"] for r in body["requirements"]] == REQUIREMENTS
    assert sum(body["summary"].values()) == len(REQUIREMENTS)
    assert body == json.loads(match(job_file, "--index", index_dir, "--json").out)


@pytest.mark.parametrize(
    ("request_kwargs", "status", "says"),
    [
        ({"json": {}}, 400, "missing text"),
        ({"json": {"text": ""}}, 400, "empty"),
        ({"json": {"text": "  \n "}}, 400, "empty"),
        ({"json": {"text": POEM}}, 400, "no requirements found"),
        ({"json": {"text": 42}}, 400, "must be a string"),
        ({"json": {"text": ["- Kotlin"]}}, 400, "must be a string"),
        ({"json": [JOB]}, 400, "JSON object"),
        ({"content": b"not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
        ({"json": {"text": "x" * 20_001}}, 413, "20,001 characters"),
        ({"json": {"text": "é" * 20_001}}, 413, "20,001 characters"),
        ({"content": b"{" + b" " * MAX_MATCH_BODY_BYTES + b"}"}, 413, "bytes"),
    ],
    ids=["missing", "empty", "blank", "poem", "number", "list", "array", "not-json",
         "long", "long-accented", "big-body"],
)
def test_bad_input_gets_a_json_error(client: TestClient, request_kwargs, status, says) -> None:
    response = client.post("/api/match", **request_kwargs)
    assert response.status_code == status
    assert says in response.json()["error"]


def test_api_a_missing_index_is_503(tmp_path: Path) -> None:
    serving = LiveIndex(tmp_path / "nowhere", embedder_factory=lambda name: FakeEmbedder())
    app = FastAPI()
    mount(app, build_router(lambda: serving, RateLimiter()))
    response = TestClient(app).post("/api/match", json={"text": JOB})
    assert response.status_code == 503
    assert "python -m ingest" in response.json()["error"]


def test_api_match_shares_the_rate_limit(index_dir: Path, fake: FakeEmbedder) -> None:
    serving = LiveIndex(index_dir, embedder_factory=lambda name: fake)
    app = FastAPI()
    mount(app, build_router(lambda: serving, RateLimiter(per_minute=1, burst=1)))
    client = TestClient(app)
    assert client.post("/api/match", json={"text": JOB}).status_code == 200
    limited = client.post("/api/match", json={"text": JOB})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1


# --- the Markdown report --------------------------------------------------------------------


def _citation(n: int, quote: str, section: str = "skills", url: str | None = None) -> Citation:
    return Citation(n=n, id=f"resume/grace-liu/{section}", title=section.title(),
                    path=("Grace Liu", section.title()), quote=quote,
                    source="resume.md:5-7", url=url)


SKILLS = _citation(1, "Technologies: Kotlin | Swift, C*")
MENTOR = _citation(2, "Mentored four junior developers.", "experience",
                   url="https://example.com/resume#experience")
REPORT = MatchReport(requirements=(
    RequirementMatch(text="Kotlin | Swift", kind="must", status="evidence",
                     citations=(SKILLS.model_copy(update={"n": 1}),)),
    RequirementMatch(text="Mentoring *juniors*", kind="nice", status="related",
                     citations=(MENTOR.model_copy(update={"n": 1}),
                                SKILLS.model_copy(update={"n": 2})),
                     note="“juniors” not mentioned"),
    RequirementMatch(text="5+ years of Rust", kind="unknown", status="absent",
                     note="“Rust” not mentioned"),
))


def _table_rows(markdown: str) -> list[str]:
    """The table's body rows: every row after the header and its divider."""
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    return rows[2:]


def test_markdown_report_has_one_row_per_requirement_with_pipes_escaped():
    markdown = report_markdown(REPORT, title="Mobile | Acme")
    lines = markdown.splitlines()
    assert lines[0] == r"# Mobile \| Acme"
    assert lines[2] == "Evidence for 1 of 3 requirements, 1 related, 1 not mentioned"
    assert "| Requirement | Status | Evidence |" in lines
    rows = _table_rows(markdown)
    assert rows == [
        r"| Kotlin \| Swift | Evidence | “Technologies: Kotlin \| Swift, C\*” [1] |",
        r"| Mentoring \*juniors\* _(nice to have)_ | Related"
        r" | “Mentored four junior developers.” [2] “Technologies: Kotlin \| Swift, C\*” [1] |",
        "| 5+ years of Rust | Not mentioned | — |",
    ]
    for row in rows:  # an unescaped pipe would split a cell: every row has three
        assert len(re.split(r"(?<!\\)\|", row)) == 5


def test_markdown_report_lists_each_source_once_and_the_notes():
    markdown = report_markdown(REPORT)
    sources = markdown.split("## Sources\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert sources == [
        "- [1] Grace Liu › Skills — resume.md:5-7",
        "- [2] Grace Liu › Experience — resume.md:5-7 (<https://example.com/resume#experience>)",
    ]
    notes = markdown.split("## Notes\n\n", 1)[1].splitlines()
    assert notes == [r"- Mentoring \*juniors\*: “juniors” not mentioned",
                     "- 5+ years of Rust: “Rust” not mentioned"]
    assert markdown.startswith("# Job description matched with the portfolio\n")


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (MatchReport(requirements=()),
         "Evidence for 0 of 0 requirements, 0 related, 0 not mentioned"),
        (MatchReport(requirements=REPORT.requirements[2:]),
         "Evidence for 0 of 1 requirement, 0 related, 1 not mentioned"),
        (REPORT, "Evidence for 1 of 3 requirements, 1 related, 1 not mentioned"),
    ],
    ids=["none", "one", "three"],
)
def test_summary_line(report, line):
    assert summary_line(report) == line


def test_markdown_report_of_a_real_match(client: TestClient):
    report = MatchReport.model_validate(client.post("/api/match", json={"text": JOB}).json())
    markdown = report_markdown(report)
    rows = _table_rows(markdown)
    assert len(rows) == len(REQUIREMENTS)
    assert rows[3].startswith(r"| Offline maps \| tile caching _(nice to have)_ | ")
    assert SUMMARY.fullmatch(markdown.splitlines()[2])
