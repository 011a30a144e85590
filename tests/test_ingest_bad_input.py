"""Bad corpus input: a clear error naming the file and line, or a warning; the old index kept.

Every case runs twice, through `ingest()` and through the CLI, over a previous
index that must come out of a failed run byte-for-byte unchanged.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import build_index, read_tree

from corpus_index.errors import EmbedderUnavailable
from corpus_index.store import load_index
from ingest import cli
from ingest.build import IngestOptions, ingest
from ingest.errors import CorpusError

GOOD = {"profile.md": "# Profile\n\nBackend engineer. Ships systems.\n\n## Skills\n\n- Node.js\n"}


@dataclass(frozen=True)
class Bad:
    """A corpus that must be rejected, and where the message must point."""

    files: dict[str, str | bytes] | None  # None: the corpus folder does not exist
    where: str  # the file (and line) the message must name, relative to the corpus folder
    says: str  # a phrase of the message that tells the owner what is wrong
    on_disk: bool = True  # the message names the file by its path on disk, not only by `where`


BAD = {
    "missing-folder": Bad(None, "", "corpus folder not found"),
    "no-markdown": Bad(
        {"notes.txt": "# A\n\ntext\n", ".drafts/hidden.md": "# A\n\ntext\n"},
        "",
        "no Markdown (.md) files",
    ),
    "not-utf8": Bad(
        {"a.md": "# A\n\nfine\n", "b.md": "# B\n\nok\n\nCaf\xe9 in Latin-1\n".encode("latin-1")},
        "b.md:5",
        "not UTF-8",
    ),
    "malformed-yaml": Bad(
        {"a.md": "---\ntitle: ok\nurl: https: //x\n---\n# A\n\ntext\n"},
        "a.md:3",
        "malformed front matter",
    ),
    "front-matter-not-a-mapping": Bad(
        {"a.md": "---\n- url\n- title\n---\n# A\n\ntext\n"}, "a.md:2", "'key: value' lines"
    ),
    "front-matter-url-not-http": Bad(
        {"a.md": "---\nurl: ftp://example.com/p\n---\n# A\n\ntext\n"}, "a.md:2", "http(s)"
    ),
    "front-matter-url-with-anchor": Bad(
        {"a.md": "---\nurl: https://example.com/p#top\n---\n# A\n\ntext\n"}, "a.md:2", "'#'"
    ),
    "unclosed-front-matter": Bad(
        {"a.md": "---\nurl: https://example.com\n\n# A\n\ntext\n"}, "a.md:1", "never closed"
    ),
    "heading-repeated-word-for-word": Bad(
        {"a.md": "# A\n\n## B\n\none\n\n## B\n\none\n"}, "a.md:7", "heading path 'A › B'"
    ),
    "colliding-heading-slugs": Bad(
        {"sub/a.md": "# C++\n\nthe language\n\n# C\n\nthe other one\n"},
        "sub/a.md:5",
        "same section id",
        # Named relative to the corpus folder, where the other errors name the path on disk.
        on_disk=False,
    ),
    "no-text-anywhere": Bad({"a.md": "# A\n\n## B\n", "b.md": "\n"}, "", "no section has any text"),
}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return tmp_path / "corpus"


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def previous(corpus_dir, index_dir, write_corpus, fake_embedder) -> dict[str, bytes]:
    """A good index built from GOOD; returns its files' bytes."""
    build_index(write_corpus(corpus_dir, GOOD), index_dir, fake_embedder)
    return read_tree(index_dir)


def make_bad(corpus_dir: Path, case: Bad, write_corpus) -> None:
    shutil.rmtree(corpus_dir, ignore_errors=True)
    if case.files is not None:
        write_corpus(corpus_dir, case.files)


def expected_location(corpus_dir: Path, case: Bad) -> str:
    if not case.where:
        return f"{corpus_dir}: "
    return f"{corpus_dir / case.where}: " if case.on_disk else f"{case.where}: "


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_ingest_rejects_bad_input_naming_file_and_line(
    case, corpus_dir, index_dir, previous, write_corpus, fake_embedder
):
    make_bad(corpus_dir, case, write_corpus)
    fake_embedder.seen.clear()
    with pytest.raises(CorpusError) as raised:
        ingest(
            IngestOptions(corpus_dir, index_dir, model=fake_embedder.name),
            embedder_factory=lambda name: fake_embedder,
        )
    message = str(raised.value)
    assert expected_location(corpus_dir, case) in message
    assert case.says in message
    assert "\n" not in message
    if case.where and ":" in case.where:
        assert raised.value.line == int(case.where.rsplit(":", 1)[1])
    assert fake_embedder.seen == []
    assert read_tree(index_dir) == previous


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_cli_reports_bad_input_in_one_line_and_keeps_the_index(
    case, corpus_dir, index_dir, previous, write_corpus, ingest_cli, fake_embedder
):
    make_bad(corpus_dir, case, write_corpus)
    fake_embedder.seen.clear()
    run = ingest_cli("--corpus", corpus_dir, "--index", index_dir)
    assert run.code == cli.EXIT_ERROR
    (error,) = run.lines("error:")
    assert expected_location(corpus_dir, case) in error
    assert case.says in error
    assert "Traceback" not in run.err
    assert "previous index, if any, is unchanged" in run.err
    assert run.out == ""
    assert fake_embedder.seen == []
    assert read_tree(index_dir) == previous


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_check_mode_rejects_bad_input_too(case, corpus_dir, index_dir, write_corpus, ingest_cli):
    make_bad(corpus_dir, case, write_corpus)
    run = ingest_cli("--corpus", corpus_dir, "--index", index_dir, "--check")
    assert run.code == cli.EXIT_ERROR
    assert len(run.lines("error:")) == 1
    assert not index_dir.exists()


def test_cli_defaults_to_corpus_and_index_in_the_working_folder(tmp_path, ingest_cli):
    run = ingest_cli()
    assert run.code == cli.EXIT_ERROR
    (error,) = run.lines("error:")
    assert error.startswith("error: corpus: corpus folder not found")
    assert not (tmp_path / "index").exists()


@dataclass(frozen=True)
class Odd:
    """A corpus that is indexed, with a warning that names where it looks odd."""

    files: dict[str, str]
    where: str  # what the warning starts with, relative to the corpus folder
    says: str
    titles: tuple[str, ...]  # the titles of the sections that get indexed


ODD = {
    "no-headings": Odd(
        {**GOOD, "loose-notes.md": "Just some notes.\n\nOn two lines.\n"},
        "loose-notes.md: ",
        "no headings: indexed as one section titled 'Loose Notes'",
        ("Loose Notes", "Profile", "Skills"),
    ),
    "empty-section": Odd(
        {**GOOD, "b.md": "# B\n\nbeta\n\n## Nothing Here\n\n# C\n\ngamma\n"},
        "b.md:5: ",
        "empty section 'Nothing Here' skipped",
        ("B", "C", "Profile", "Skills"),
    ),
    "unknown-front-matter-key": Odd(
        {**GOOD, "b.md": "---\ntitle: Bee\nurl: https://example.com/b\n---\n# B\n\nbeta\n"},
        "b.md:2: ",
        "unknown front matter key 'title' ignored",
        ("B", "Profile", "Skills"),
    ),
}


@pytest.mark.parametrize("case", ODD.values(), ids=ODD.keys())
def test_ingest_warns_and_goes_on(case, corpus_dir, index_dir, write_corpus, fake_embedder):
    report = build_index(write_corpus(corpus_dir, case.files), index_dir, fake_embedder)
    (notice,) = report.corpus.notices
    assert str(notice).startswith(f"{corpus_dir}/{case.where}")
    assert case.says in str(notice)
    assert report.written
    titles = sorted(chunk.title for chunk in load_index(index_dir).chunks)
    assert tuple(titles) == case.titles


@pytest.mark.parametrize("case", ODD.values(), ids=ODD.keys())
def test_cli_warns_on_stderr_and_exits_zero(case, corpus_dir, index_dir, write_corpus, ingest_cli):
    write_corpus(corpus_dir, case.files)
    run = ingest_cli("--corpus", corpus_dir, "--index", index_dir)
    assert run.code == 0
    (warning,) = run.lines("warning:")
    assert warning.startswith(f"warning: {corpus_dir}/{case.where}")
    assert case.says in warning
    assert run.lines("error:") == []
    assert "Traceback" not in run.err
    assert f"Corpus: 2 files, {len(case.titles)} sections" in run.out
    assert len(load_index(index_dir).chunks) == len(case.titles)


def test_a_file_without_headings_becomes_one_section_with_its_file_title(
    corpus_dir, index_dir, write_corpus, fake_embedder
):
    write_corpus(corpus_dir, {"sub/loose_notes.md": "Just some notes.\n\n- An item\n"})
    build_index(corpus_dir, index_dir, fake_embedder)
    (chunk,) = load_index(index_dir).chunks
    assert (chunk.id, chunk.path, chunk.lines) == (
        "sub/loose_notes/loose-notes",
        ("Loose Notes",),
        (1, 3),
    )
    assert chunk.units == ("Just some notes.", "An item")


def test_hidden_folders_and_other_files_are_not_read(
    corpus_dir, index_dir, write_corpus, fake_embedder
):
    write_corpus(
        corpus_dir,
        {
            **GOOD,
            ".drafts/secret.md": "# Secret\n\nunpublished\n",
            "notes.txt": "# Notes\n\nplain text\n",
            "more/Extra.MARKDOWN": "# Extra\n\nkept\n",
        },
    )
    report = build_index(corpus_dir, index_dir, fake_embedder)
    assert [source.name for source in report.corpus.sources] == [
        "more/Extra.MARKDOWN",
        "profile.md",
    ]
    assert not any("unpublished" in text or "plain text" in text for text in fake_embedder.seen)


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_unknown_model_is_one_error_line_and_the_index_is_kept(
    how, corpus_dir, index_dir, previous, monkeypatch, capsys
):
    # The real CLI, no fake: the model's folder is checked before anything is loaded.
    missing = corpus_dir.parent / "no-such-model"
    if how == "flag":
        argv = ["--corpus", str(corpus_dir), "--index", str(index_dir), "--model", str(missing)]
    else:
        monkeypatch.setenv("PORTFOLIO_EMBEDDING_MODEL", str(missing))
        argv = ["--corpus", str(corpus_dir), "--index", str(index_dir)]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == cli.EXIT_ERROR
    assert out == ""
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert str(missing) in errors[0]
    assert "Traceback" not in err
    assert read_tree(index_dir) == previous


def test_ingest_raises_embedder_unavailable_for_unknown_model(corpus_dir, index_dir, previous):
    with pytest.raises(EmbedderUnavailable, match="never downloaded"):
        ingest(IngestOptions(corpus_dir, index_dir, model=str(corpus_dir / "nope")))
    assert read_tree(index_dir) == previous


def test_too_small_max_chars_is_rejected(corpus_dir, index_dir, previous, ingest_cli):
    run = ingest_cli("--corpus", corpus_dir, "--index", index_dir, "--max-chars", 100)
    assert run.code == cli.EXIT_ERROR
    assert run.lines("error:") == ["error: --max-chars must be at least 200"]
    assert read_tree(index_dir) == previous


# Known bugs: these fail until ingest/ is fixed (see the test's docstring).


def test_unclosed_front_matter_with_windows_line_endings_is_an_error(
    corpus_dir, index_dir, write_corpus, fake_embedder
):
    """The unclosed-front-matter check wants '---\\n'; after '---\\r\\n' the YAML is indexed."""
    write_corpus(corpus_dir, {"a.md": "---\r\nurl: https://example.com\r\n\r\n# A\r\n\r\ntext\r\n"})
    with pytest.raises(CorpusError, match="never closed"):
        build_index(corpus_dir, index_dir, fake_embedder)


def test_an_empty_file_is_not_reported_as_indexed(
    corpus_dir, index_dir, write_corpus, fake_embedder
):
    """An empty file yields no section, yet its warning says it was indexed as one."""
    write_corpus(corpus_dir, {**GOOD, "empty.md": ""})
    report = build_index(corpus_dir, index_dir, fake_embedder)
    assert "Empty" not in [chunk.title for chunk in report.corpus.chunks]
    notices = [str(notice) for notice in report.corpus.notices]
    assert len(notices) == 1
    assert "empty.md" in notices[0]
    assert "indexed as one section" not in notices[0]


def test_a_bad_front_matter_url_is_reported_at_its_own_line(
    corpus_dir, index_dir, write_corpus, fake_embedder
):
    """The url check always names line 2, wherever the url key is."""
    write_corpus(corpus_dir, {"a.md": "---\ntitle: A\nlang: en\nurl: ftp://x.org\n---\n# A\n\nx\n"})
    with pytest.raises(CorpusError) as raised:
        build_index(corpus_dir, index_dir, fake_embedder)
    assert f"{corpus_dir / 'a.md'}:4: " in str(raised.value)


def test_a_file_deleted_mid_run_is_a_clear_error_and_the_index_is_kept(
    corpus_dir, index_dir, write_corpus, fake_embedder, monkeypatch
):
    """A corpus file removed between listing and reading: one clear line, old index whole."""
    import ingest.build as build_module

    write_corpus(corpus_dir, GOOD)
    build_index(corpus_dir, index_dir, fake_embedder)
    before = read_tree(index_dir)
    real_find = build_module.find_sources

    def find_then_delete(folder):
        found = real_find(folder)
        found[0].unlink()
        return found

    monkeypatch.setattr(build_module, "find_sources", find_then_delete)
    with pytest.raises(CorpusError, match="disappeared while the corpus was being read"):
        build_index(corpus_dir, index_dir, fake_embedder)
    assert read_tree(index_dir) == before
