"""Incremental ingest: embed only what changed, write nothing when nothing did."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import REAL_CORPUS, FakeEmbedder, build_index, read_tree

from corpus_index import store
from corpus_index.intents import load_intents
from corpus_index.knowledge import DEFAULT_KNOWLEDGE_DIR, INTENTS_FILE
from corpus_index.store import load_index
from ingest.build import IngestOptions, IngestReport, ingest
from ingest.chunking import embedding_texts
from ingest.cli import render_report

CORPUS = {
    "profile.md": (
        "# Profile\n\n"
        "Backend engineer. Ships reliable systems with Node.js.\n\n"
        "## Skills\n\n"
        "- PostgreSQL\n- Redis\n\n"
        "## Quokka Ranching\n\n"
        "Herded zanzibarian quokkas across marmalade fields.\n"
    ),
    "work.md": (
        "# Work\n\n"
        "## Lead Engineer\n\n"
        "Led the migration of 50+ services. Kept 99.9% uptime.\n\n"
        "## Senior Engineer\n\n"
        "Owned onboarding and billing.\n"
    ),
}
REMOVED_ID = "profile/profile/quokka-ranching"


@pytest.fixture
def corpus_dir(tmp_path, write_corpus) -> Path:
    return write_corpus(tmp_path / "corpus", CORPUS)


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


EXAMPLE_QUESTIONS = {
    text for _intent, text in load_intents(DEFAULT_KNOWLEDGE_DIR / INTENTS_FILE).examples()
}


def all_texts(report: IngestReport) -> set[str]:
    """Every text an ingest from nothing embeds: chunks, units, intents' example questions."""
    chunk_texts, unit_texts = embedding_texts(report.corpus.chunks)
    return set(chunk_texts + unit_texts) | EXAMPLE_QUESTIONS


def section_ids(changes) -> list[str]:
    return [change.section_id for change in changes]


def rerun(corpus_dir: Path, index_dir: Path, **options) -> tuple[IngestReport, FakeEmbedder]:
    fake = FakeEmbedder()
    return build_index(corpus_dir, index_dir, fake, **options), fake


def test_first_run_embeds_everything_once(corpus_dir, index_dir, fake_embedder):
    report = build_index(corpus_dir, index_dir, fake_embedder)
    assert set(fake_embedder.seen) == all_texts(report)
    assert len(fake_embedder.seen) == len(set(fake_embedder.seen)) == report.embedded
    assert report.written
    assert report.previous_problem is None
    assert report.changes.headline() == "5 added, 0 changed, 0 removed, 0 unchanged"
    assert section_ids(report.changes.added)[:2] == ["profile/profile", "profile/profile/skills"]


def test_index_rows_are_the_vectors_of_their_chunks_and_units(corpus_dir, index_dir, fake_embedder):
    build_index(corpus_dir, index_dir, fake_embedder)
    loaded = load_index(index_dir)
    chunk_texts, unit_texts = embedding_texts(loaded.chunks)
    assert loaded.vectors.dtype == np.float32
    assert np.array_equal(loaded.vectors, np.vstack([fake_embedder.vector(t) for t in chunk_texts]))
    assert np.array_equal(
        loaded.unit_vectors, np.vstack([fake_embedder.vector(t) for t in unit_texts])
    )
    manifest = loaded.manifest
    assert (manifest.model, manifest.dimension) == ("fake-model", 64)
    assert manifest.counts.model_dump() == {"files": 2, "sections": 5, "chunks": 5, "units": 8}
    assert set(manifest.sources) == {"profile.md", "work.md"}


def test_second_run_embeds_nothing_writes_nothing_and_never_loads_the_model(
    corpus_dir, index_dir, fake_embedder
):
    first = build_index(corpus_dir, index_dir, fake_embedder)
    before = read_tree(index_dir)
    stamps = {path.name: path.stat().st_mtime_ns for path in index_dir.iterdir()}

    def no_model(name):
        raise AssertionError("the model was loaded although nothing changed")

    report = ingest(
        IngestOptions(corpus_dir, index_dir, model="fake-model"), embedder_factory=no_model
    )
    assert (report.embedded, report.written) == (0, False)
    assert report.changes.is_empty
    assert report.changes.unchanged == 5
    assert report.generation == first.generation
    assert read_tree(index_dir) == before
    assert {path.name: path.stat().st_mtime_ns for path in index_dir.iterdir()} == stamps


def test_editing_one_section_re_embeds_exactly_that_section(corpus_dir, index_dir, fake_embedder):
    first = build_index(corpus_dir, index_dir, fake_embedder)
    old = load_index(index_dir)
    work = corpus_dir / "work.md"
    work.write_text(work.read_text().replace("Owned onboarding and billing.", "Owned billing."))

    report, fake = rerun(corpus_dir, index_dir)
    assert set(fake.seen) == all_texts(report) - all_texts(first)
    assert fake.seen
    assert all(text.startswith("Work › Senior Engineer\n") for text in fake.seen)
    assert section_ids(report.changes.changed) == ["work/work/senior-engineer"]
    assert (report.changes.added, report.changes.removed) == ((), ())
    assert report.changes.unchanged == 4

    new = load_index(index_dir)
    assert new.manifest.generation != old.manifest.generation
    for before, after, row_before, row_after in zip(
        old.chunks, new.chunks, old.vectors, new.vectors, strict=True
    ):
        assert before.id == after.id
        assert np.array_equal(row_before, row_after) == (before.hash == after.hash)


def test_editing_one_sentence_re_embeds_the_section_and_that_sentence_only(
    corpus_dir, index_dir, fake_embedder
):
    build_index(corpus_dir, index_dir, fake_embedder)
    work = corpus_dir / "work.md"
    work.write_text(work.read_text().replace("Kept 99.9% uptime.", "Kept 99.99% uptime."))
    _, fake = rerun(corpus_dir, index_dir)
    assert sorted(fake.seen) == [
        "Work › Lead Engineer\nKept 99.99% uptime.",
        "Work › Lead Engineer\nLed the migration of 50+ services. Kept 99.99% uptime.",
    ]


def test_adding_a_section_embeds_only_it_and_reports_it_added(corpus_dir, index_dir, fake_embedder):
    build_index(corpus_dir, index_dir, fake_embedder)
    work = corpus_dir / "work.md"
    text = work.read_text().replace(
        "## Senior Engineer", "## Staff Engineer\n\nSet technical direction.\n\n## Senior Engineer"
    )
    work.write_text(text)

    report, fake = rerun(corpus_dir, index_dir)
    assert sorted(fake.seen) == ["Work › Staff Engineer\nSet technical direction."]
    assert section_ids(report.changes.added) == ["work/work/staff-engineer"]
    assert report.changes.added[0].where == "work.md:7"
    assert (report.changes.changed, report.changes.removed) == ((), ())
    assert report.changes.unchanged == 5


def test_removing_a_section_leaves_no_trace_of_its_text(corpus_dir, index_dir, fake_embedder):
    build_index(corpus_dir, index_dir, fake_embedder)
    assert any(b"marmalade" in data for data in read_tree(index_dir).values())
    profile = corpus_dir / "profile.md"
    profile.write_text(profile.read_text().split("## Quokka Ranching")[0])

    report, fake = rerun(corpus_dir, index_dir)
    assert fake.seen == []  # the remaining sections' vectors are all reused
    assert report.written
    assert section_ids(report.changes.removed) == [REMOVED_ID]
    assert report.changes.removed[0].where == "profile.md:10"
    for name, data in read_tree(index_dir).items():
        for trace in (b"Quokka", b"quokka", b"marmalade", b"zanzibarian", b"zanzibarian quokka"):
            assert trace not in data, (name, trace)
    assert REMOVED_ID not in {chunk.section_id for chunk in load_index(index_dir).chunks}


def test_check_reports_what_would_change_and_writes_nothing(corpus_dir, index_dir, fake_embedder):
    build_index(corpus_dir, index_dir, fake_embedder)
    before = read_tree(index_dir)
    work = corpus_dir / "work.md"
    work.write_text(work.read_text().replace("billing", "payments"))

    fake = FakeEmbedder()
    report = build_index(corpus_dir, index_dir, fake, check=True)
    assert section_ids(report.changes.changed) == ["work/work/senior-engineer"]
    assert (report.embedded, report.written, report.generation) == (0, False, None)
    assert fake.seen == []
    assert read_tree(index_dir) == before


def test_check_without_an_index_creates_nothing(corpus_dir, index_dir, fake_embedder):
    report = build_index(corpus_dir, index_dir, fake_embedder, check=True)
    assert report.changes.headline() == "5 added, 0 changed, 0 removed, 0 unchanged"
    assert fake_embedder.seen == []
    assert not index_dir.exists()


def test_a_new_model_name_re_embeds_everything(corpus_dir, index_dir, fake_embedder):
    first = build_index(corpus_dir, index_dir, fake_embedder)
    report, fake = rerun(corpus_dir, index_dir, model="another-model")
    assert set(fake.seen) == all_texts(first)
    assert report.embedded == len(all_texts(first))
    assert report.written
    assert load_index(index_dir).manifest.model == "another-model"


def test_a_change_between_float_and_int8_vectors_re_embeds_everything(
    corpus_dir, index_dir, fake_embedder, monkeypatch
):
    first = build_index(corpus_dir, index_dir, fake_embedder)
    assert load_index(index_dir).manifest.settings["vectors"] == "float"
    monkeypatch.setenv("PORTFOLIO_EMBEDDING_BACKEND", "onnx-int8")
    _, fake = rerun(corpus_dir, index_dir)
    assert set(fake.seen) == all_texts(first)  # int8 vectors never sit beside float ones
    assert load_index(index_dir).manifest.settings["vectors"] == "int8"
    monkeypatch.setenv("PORTFOLIO_EMBEDDING_BACKEND", "torch")  # float again: same as ONNX
    _, fake = rerun(corpus_dir, index_dir)
    assert set(fake.seen) == all_texts(first)
    assert load_index(index_dir).manifest.settings["vectors"] == "float"


def test_a_new_max_chars_re_chunks_and_reuses_every_unchanged_text(
    corpus_dir, index_dir, fake_embedder
):
    long = corpus_dir / "long.md"
    long.write_text("# Long\n\n" + "\n\n".join(f"Paragraph {n}. " + "word " * 40 for n in range(6)))
    first = build_index(corpus_dir, index_dir, fake_embedder)
    report, fake = rerun(corpus_dir, index_dir, max_chars=500)
    assert len(report.corpus.chunks) > len(first.corpus.chunks)
    assert set(fake.seen) == all_texts(report) - all_texts(first)
    assert all(text.startswith("Long\n") for text in fake.seen)
    assert load_index(index_dir).manifest.settings["max_chars"] == 500


def _garble_manifest(index_dir: Path) -> str:
    (index_dir / store.MANIFEST).write_bytes(b'{"format_version": 1, "generation": ')
    return "manifest.json is damaged"


def _old_format(index_dir: Path) -> str:
    manifest = json.loads((index_dir / store.MANIFEST).read_text())
    manifest["format_version"] = 0
    (index_dir / store.MANIFEST).write_text(json.dumps(manifest))
    return "index format 0"


def _manifest_missing_a_field(index_dir: Path) -> str:
    manifest = json.loads((index_dir / store.MANIFEST).read_text())
    del manifest["files"]
    (index_dir / store.MANIFEST).write_text(json.dumps(manifest))
    return "files"


def _truncate_chunks(index_dir: Path) -> str:
    (path,) = index_dir.glob("chunks-*.jsonl")
    path.write_bytes(path.read_bytes()[:100])
    return "does not match its checksum"


def _alter_vectors(index_dir: Path) -> str:
    (path,) = index_dir.glob("vectors-*.faiss")
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    return "does not match its checksum"


def _delete_units(index_dir: Path) -> str:
    (path,) = index_dir.glob("units-*.faiss")
    path.unlink()
    return "is missing"


@pytest.mark.parametrize(
    "damage",
    [
        _garble_manifest,
        _old_format,
        _manifest_missing_a_field,
        _truncate_chunks,
        _alter_vectors,
        _delete_units,
    ],
)
def test_a_damaged_index_is_reported_and_rebuilt_whole(
    damage, corpus_dir, index_dir, fake_embedder
):
    first = build_index(corpus_dir, index_dir, fake_embedder)
    says = damage(index_dir)

    report, fake = rerun(corpus_dir, index_dir)
    assert report.previous_problem is not None
    assert says in report.previous_problem
    assert set(fake.seen) == all_texts(first)
    assert report.written
    rebuilt = load_index(index_dir)
    assert [chunk.id for chunk in rebuilt.chunks] == [chunk.id for chunk in first.corpus.chunks]
    named = {data_file.name for data_file in rebuilt.manifest.files.all()}
    assert {path.name for path in index_dir.iterdir()} == {store.MANIFEST, store.LOCK, *named}
    lines = render_report(report, IngestOptions(corpus_dir, index_dir, model="fake-model"))
    assert lines[1].startswith("Previous index unusable, rebuilding it whole: ")
    assert says in lines[1]


SECONDS = r"\(\d+\.\d\d s\)"


def test_report_of_a_first_build(corpus_dir, index_dir, fake_embedder):
    options = IngestOptions(corpus_dir, index_dir, model="fake-model")
    report = ingest(options, embedder_factory=lambda name: fake_embedder)
    lines = render_report(report, options)
    # A first build says what each file brought, not every section.
    assert lines[:2] == [
        f"Corpus: 2 files, 5 sections, 5 chunks in {corpus_dir}/",
        "Changes: 5 added, 0 changed, 0 removed, 0 unchanged",
    ]
    assert lines[2].startswith("  + profile.md: ") and lines[2].endswith(" sections")
    assert lines[-1].startswith(
        f"Embedded {report.embedded} new texts (sections, sentences, example questions);"
        f" index {report.generation} is live in {index_dir}/"
    )
    assert re.search(SECONDS + "$", lines[-1])
    assert len(lines) == 2 + 2 + 1


def test_report_of_an_edit_an_addition_and_a_removal(corpus_dir, index_dir, fake_embedder):
    build_index(corpus_dir, index_dir, fake_embedder)
    profile, work = corpus_dir / "profile.md", corpus_dir / "work.md"
    profile.write_text(profile.read_text().split("## Quokka Ranching")[0])
    work.write_text(
        work.read_text().replace("billing.", "billing at scale.") + "\n## Intern\n\nLearned.\n"
    )
    for check in (True, False):
        options = IngestOptions(corpus_dir, index_dir, model="fake-model", check=check)
        report = ingest(options, embedder_factory=lambda name: FakeEmbedder())
        lines = render_report(report, options)
        assert lines[1:5] == [
            ("Would change: " if check else "Changes: ")
            + "1 added, 1 changed, 1 removed, 3 unchanged",
            "  + Work › Intern  (work.md:11)",
            "  ~ Work › Senior Engineer  (work.md:7)",
            "  - Profile › Quokka Ranching  (profile.md:10)",
        ]
        if check:
            assert re.fullmatch(r"Checked in \d+\.\d\d s; nothing written \(--check\)", lines[5])
        else:
            assert lines[5].startswith("Embedded 2 new texts")


def test_report_when_nothing_changed(corpus_dir, index_dir, fake_embedder):
    build_index(corpus_dir, index_dir, fake_embedder)
    for check in (False, True):
        options = IngestOptions(corpus_dir, index_dir, model="fake-model", check=check)
        lines = render_report(
            ingest(options, embedder_factory=lambda name: FakeEmbedder()), options
        )
        verb = "would change" if check else "changed"
        assert len(lines) == 2
        assert re.fullmatch(f"No changes: nothing {verb}; 5 sections unchanged {SECONDS}", lines[1])


def test_report_lists_at_most_twenty_changes(tmp_path, write_corpus, fake_embedder):
    corpus_dir = write_corpus(tmp_path / "corpus", {"keep.md": "# Kept\n\nKept.\n"})
    options = IngestOptions(corpus_dir, tmp_path / "index", model="fake-model")
    ingest(options, embedder_factory=lambda name: fake_embedder)
    many = "".join(f"## Section {n}\n\nText {n}.\n\n" for n in range(25))
    write_corpus(corpus_dir, {"many.md": many})
    lines = render_report(ingest(options, embedder_factory=lambda name: fake_embedder), options)
    assert lines[1] == "Changes: 25 added, 0 changed, 0 removed, 1 unchanged"
    assert sum(line.startswith("  + ") for line in lines) == 20
    assert "  … and 5 more" in lines


def test_cli_prints_the_report_and_embeds_through_one_progress_bar(
    corpus_dir, index_dir, ingest_cli, fake_embedder
):
    first = ingest_cli("--corpus", corpus_dir, "--index", index_dir)
    assert first.code == 0
    assert "Changes: 5 added, 0 changed, 0 removed, 0 unchanged" in first.out
    assert "Embedding" in first.err  # the tqdm bar, on stderr
    assert first.lines("warning:") == first.lines("error:") == []
    embedded = len(fake_embedder.seen)

    second = ingest_cli("--corpus", corpus_dir, "--index", index_dir)
    assert second.code == 0
    assert "No changes: nothing changed; 5 sections unchanged" in second.out
    assert len(fake_embedder.seen) == embedded


REAL_FILES = sorted(path.name for path in REAL_CORPUS.glob("*.md"))


@pytest.mark.parametrize("name", REAL_FILES)
def test_appending_a_section_to_a_real_corpus_file_embeds_only_it(
    name, tmp_path, index_dir, fake_embedder
):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(REAL_CORPUS, corpus_dir)
    first = build_index(corpus_dir, index_dir, fake_embedder)
    path = corpus_dir / name
    path.write_text(path.read_text().rstrip("\n") + "\n\n## New Section\n\nSome new text.\n")

    report, fake = rerun(corpus_dir, index_dir)
    (added,) = report.changes.added
    assert added.heading_path.endswith(" › New Section")
    assert added.where.startswith(f"{name}:")
    assert (report.changes.changed, report.changes.removed) == ((), ())
    assert report.changes.unchanged == first.corpus.section_count
    (new_chunk,) = [c for c in report.corpus.chunks if c.section_id == added.section_id]
    chunk_texts, unit_texts = embedding_texts([new_chunk])
    assert set(fake.seen) == set(chunk_texts + unit_texts)
    assert unit_texts == [f"{added.heading_path}\nSome new text."]


def test_real_corpus_has_files_to_parametrize_over():
    assert len(REAL_FILES) >= 6
