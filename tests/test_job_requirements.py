"""Extracting requirements from job descriptions, reading job files, telling a JD from a question.

The fixtures are real, openly licensed job descriptions (tests/fixtures/jobs/SOURCES.md);
labels.yaml lists, per job, every requirement extraction must return, with its kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import pdf_bytes

from assistant.jobs import (
    JobFileError,
    extract_requirements,
    looks_like_job_description,
    read_job_file,
)
from assistant.jobs.cues import load_cues
from corpus_index.errors import KnowledgeFileError

JOBS = Path(__file__).parent / "fixtures" / "jobs"
REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"
LABELS = yaml.safe_load((JOBS / "labels.yaml").read_text(encoding="utf-8"))["jobs"]
JOB_FILES = sorted(path.name for path in JOBS.glob("*.md") if path.name != "SOURCES.md")

# Blurb, benefits, logistics and equal-opportunity text in each fixture: never a requirement.
NOT_REQUIREMENTS = {
    "backend.md": ["equal opportunity workplace", "competitive compensation", "30-minute call"],
    "platform.md": ["equal opportunity workplace", "asynchronous coding exercise"],
    "frontend.md": ["equal opportunity workplace", "practical benefits", "Universal Code Search"],
    "engineering-manager.md": [
        "equal opportunity workplace",
        "Be leading the engineering effort",
        "generous compensation philosophy",
        "Tomás has decided",
        "large enginering organizations",
    ],
    "sre.md": [
        "Generous",
        "$200/month",
        "Visa sponsorship",
        "30 minute SRE quiz",
        "Y-Combinator",
        "Why you're drawn to us",
        "key to diversity",
    ],
    "data.md": ["grade 6", "screening call", "analytical and business-oriented mindset"],
}


def _normalised(text: str) -> str:
    return " ".join(text.split())


def test_every_fixture_is_labelled_and_described():
    sources = (JOBS / "SOURCES.md").read_text(encoding="utf-8")
    assert sorted(LABELS) == JOB_FILES
    assert len(JOB_FILES) >= 6
    for name in JOB_FILES:
        assert f"`{name}`" in sources


@pytest.mark.parametrize("name", JOB_FILES)
def test_extraction_matches_the_labels(name):
    requirements = extract_requirements((JOBS / name).read_text(encoding="utf-8"))
    assert [(r.text, r.kind) for r in requirements] == [
        (label["text"], label["kind"]) for label in LABELS[name]
    ]


@pytest.mark.parametrize("name", JOB_FILES)
def test_every_requirement_is_verbatim_and_placed(name):
    source = (JOBS / name).read_text(encoding="utf-8")
    lines = source.splitlines()
    for requirement in extract_requirements(source):
        assert requirement.text in _normalised(source)
        assert requirement.text == _normalised(requirement.text)
        # The line it names holds its first words.
        assert requirement.text.split()[0] in lines[requirement.line - 1]
        assert requirement.section and requirement.section in _normalised(source)
        assert requirement.plain and "](" not in requirement.plain


@pytest.mark.parametrize("name", JOB_FILES)
def test_blurbs_benefits_and_equal_opportunity_are_left_out(name):
    texts = " | ".join(r.text for r in extract_requirements((JOBS / name).read_text()))
    for phrase in NOT_REQUIREMENTS[name]:
        assert phrase in (JOBS / name).read_text(encoding="utf-8")
        assert phrase not in texts


def test_labels_are_well_formed_and_facts_are_quoted_from_the_portfolio():
    corpus = "\n".join(path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md")))
    for name, labels in LABELS.items():
        for label in labels:
            assert label["expected"] in {"evidence", "related", "absent"}, (name, label)
            if label["expected"] == "absent":
                assert "facts" not in label, (name, label["text"])
                continue
            assert label["facts"], (name, label["text"])
            for fact in label["facts"]:
                assert fact in corpus, (name, fact)
            if label["expected"] == "related":
                assert label.get("note"), (name, label["text"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "About us\nWe build tools for teams.\n\nRequirements:\n"
            "• 5+ years of experience with Python\n• Knowledge of PostgreSQL\n"
            "• Experience with Kafka (nice to have)\n\n"
            "Benefits\n• 401k matching\n• Unlimited PTO\n",
            [
                ("5+ years of experience with Python", "must", "Requirements", 5),
                ("Knowledge of PostgreSQL", "must", "Requirements", 6),
                ("Experience with Kafka (nice to have)", "nice", "Requirements", 7),
            ],
        ),
        (
            "Bonus points\n- Rust\n- Go is a plus\n\nEqual opportunity\n"
            "- We are an equal opportunity employer.\n",
            [("Rust", "nice", "Bonus points", 2), ("Go is a plus", "nice", "Bonus points", 3)],
        ),
        (
            "# Role\n\n## Minimum qualifications\n\n1. BS in Computer Science\n"
            "2. Salary: $100k-$150k\n\n## Preferred qualifications\n\n* Kubernetes\n",
            [
                ("BS in Computer Science", "must", "Minimum qualifications", 5),
                ("Kubernetes", "nice", "Preferred qualifications", 10),
            ],
        ),
        (
            "What you'll do\nYou will own our billing service. You will mentor engineers.\n",
            [
                ("You will own our billing service.", "unknown", "What you'll do", 2),
                ("You will mentor engineers.", "unknown", "What you'll do", 2),
            ],
        ),
        (
            "We are hiring a backend engineer.\n\n- 3+ years of experience with Go\n"
            "- Experience with distributed systems\n- Knowledge of SQL\n",
            [
                ("3+ years of experience with Go", "unknown", None, 3),
                ("Experience with distributed systems", "unknown", None, 4),
                ("Knowledge of SQL", "unknown", None, 5),
            ],
        ),
        (
            "Requirements\n- Java (Spring preferred)\n- Terraform (preferred)\n",
            [
                ("Java (Spring preferred)", "must", "Requirements", 2),
                ("Terraform (preferred)", "nice", "Requirements", 3),
            ],
        ),
    ],
    ids=["plain-text", "bonus-and-eeo", "markdown-numbered", "prose", "no-heading", "parenthesis"],
)
def test_extraction_of_small_texts(text, expected):
    found = [(r.text, r.kind, r.section, r.line) for r in extract_requirements(text)]
    assert found == expected


POEM = (
    "The woods are lovely, dark and deep,\nBut I have promises to keep,\n"
    "And miles to go before I sleep,\nAnd miles to go before I sleep.\n"
    "Whose woods these are I think I know.\nHis house is in the village though.\n"
)
LONG_QUESTION = (
    "I am hiring for a senior backend role on a payments team and I would like to know whether "
    "he has years of experience with PostgreSQL and Kafka, knowledge of Kubernetes, a degree in "
    "computer science, experience with event sourcing, familiarity with Go, and whether he has "
    "ever led a team through a migration of a monolith to microservices without downtime, and "
    "how large that team was, and what he would say was the hardest part of it?"
)
MULTILINE_QUESTION = (
    "Does he have experience with Kafka?\nAnd experience with Kubernetes?\n"
    "What about knowledge of Go?\nHow many years of experience with Postgres?\n"
    "Has he managed a team?\n"
)


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", POEM, "What does he know about Kafka?", LONG_QUESTION]
)
def test_no_requirements_in_text_that_is_not_a_job(text):
    assert extract_requirements(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[((JOBS / name).read_text(encoding="utf-8"), True) for name in JOB_FILES],
        (
            "Senior Engineer\nAcme Corp\nRemote\n"
            "- 5+ years of experience with Python\n- Knowledge of AWS\n- Experience with Kafka\n",
            True,
        ),
        (LONG_QUESTION, False),
        (LONG_QUESTION * 3, False),
        (MULTILINE_QUESTION, False),
        (POEM, False),
        ("", False),
        ("Requirements:\n- Go\n", False),
    ],
)
def test_looks_like_job_description(text, expected):
    assert looks_like_job_description(text) is expected


def test_cues_file_loads_and_a_bad_one_names_file_and_line(tmp_path):
    assert "qualif" in load_cues().sections.requirement
    bad = tmp_path / "cues.yaml"
    bad.write_text(
        "sections:\n  requirement: [require]\n  nice: [nice]\n  must: [must]\n"
        "  skip: [about us, '']\nsentences:\n  skip: []\n  nice: []\n  requirement_like: []\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeFileError, match=r"cues\.yaml:5: sections\.skip"):
        load_cues(bad)


# --- reading job files -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md", ".MD"])
def test_reads_text_files(tmp_path, suffix):
    path = tmp_path / f"job{suffix}"
    path.write_bytes("\ufeffRequirements\n- Kafka – 3+ years\n".encode())
    assert read_job_file(path) == "Requirements\n- Kafka – 3+ years\n"


def test_reads_the_text_layer_of_apdf_bytes(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "job.pdf"
    path.write_bytes(pdf_bytes("Requirements: 5+ years of experience with Kafka"))
    assert "5+ years of experience with Kafka" in read_job_file(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("job.docx", b"PK\x03\x04", "not a text or PDF file"),
        ("job.txt", pdf_bytes("hello"), "the content is a PDF"),
        ("job.md", b"abc\x00\x01\x02", "binary, not text"),
        ("job.txt", "Café".encode("latin-1"), "not UTF-8"),
        ("job.pdf", b"Requirements\n- Go\n", "not a PDF"),
        ("job.pdf", b"%PDF-1.4\nnot really a pdf", "cannot be read|no text layer"),
        ("job.pdf", pdf_bytes(None),
         r"the PDF has no text layer \(a scan\?\): paste the text instead"),
        ("job.txt", b"a" * 20_001, "more than 20,000"),
    ],
    ids=["docx", "pdf-as-txt", "binary", "latin-1", "text-as-pdf", "broken-pdf", "scan", "long"],
)
def test_bad_job_files_are_refused_in_one_line_naming_the_file(tmp_path, name, content, message):
    if name.endswith(".pdf") and content.startswith(b"%PDF"):
        pytest.importorskip("pypdf")
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(JobFileError, match=message) as caught:
        read_job_file(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(JobFileError, match="cannot be read"):
        read_job_file(tmp_path / "gone.txt")


def test_an_upload_is_judged_and_named_by_its_own_name(tmp_path):
    stored = tmp_path / "3f9a-upload"  # Chainlit keeps an upload under a random name
    stored.write_bytes(b"Requirements\n- Go\n")
    assert read_job_file(stored, name="job.md") == "Requirements\n- Go\n"
    with pytest.raises(JobFileError, match=r"^job\.docx: not a text or PDF file"):
        read_job_file(stored, name="job.docx")


@pytest.mark.parametrize("path", sorted(JOBS.glob("labels-*.yaml")), ids=lambda p: p.name)
def test_every_labels_file_labels_the_same_requirements(path: Path) -> None:
    other = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert (REPO_ROOT / other["corpus"]).is_dir()
    assert {job: [(item["text"], item["kind"]) for item in items]
            for job, items in other["jobs"].items()} == {
        job: [(item["text"], item["kind"]) for item in items] for job, items in LABELS.items()}
