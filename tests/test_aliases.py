"""The technology alias table: lookups on the real knowledge file, and broken files inline."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from corpus_index.aliases import DEFAULT_ALIASES_PATH, AliasTable, default_aliases, load_aliases
from corpus_index.errors import KnowledgeFileError


@pytest.fixture(scope="module")
def table() -> AliasTable:
    return load_aliases(DEFAULT_ALIASES_PATH)


def pairs(table: AliasTable, text: str) -> list[tuple[str, str]]:
    return [(mention.name, mention.surface) for mention in table.mentions(text)]


@pytest.mark.parametrize(
    ("text", "name", "surface"),
    [
        ("Has he used Postgres?", "PostgreSQL", "Postgres"),
        ("has he used POSTGRES", "PostgreSQL", "POSTGRES"),
        ("Any k8s experience?", "Kubernetes", "k8s"),
        ("Does he write JS?", "JavaScript", "JS"),
        ("Has he deployed to GCP?", "Google Cloud", "GCP"),
        ("Has he deployed to Google Cloud?", "Google Cloud", "Google Cloud"),
        ("Has he set up CI pipelines?", "CI/CD", "CI pipelines"),
        ("Has he set up CI/CD?", "CI/CD", "CI/CD"),
        ("Has he used Go?", "Go", "Go"),
        ("Is golang on his list?", "Go", "golang"),
        ("Built the API in Node.js.", "Node.js", "Node.js"),
        ("Wrote the engine in C++", "C++", "C++"),
        ("Tooling in C#", "C#", "C#"),
        ("Moved the builds to GitLab CI/CD", "GitLab CI/CD", "GitLab CI/CD"),
        ("Services on Spring Boot", "Spring Boot", "Spring Boot"),
        ("Migrated it to Amazon Web Services", "Amazon Web Services", "Amazon Web Services"),
        ("Go's scheduler", "Go", "Go"),
        ("Data analysis in R.", "R", "R"),
    ],
)
def test_a_form_names_its_technology(table: AliasTable, text: str, name: str, surface: str) -> None:
    assert pairs(table, text) == [(name, surface)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Where did he go after university?",
        "He led R&D for C-level clients.",
        "He is the go-to person for the team.",
        "Reference: Jane C. Doe",
        "He joined in the spring and was swift to rust-proof the car.",
        "A Foo.js plugin",
    ],
)
def test_ordinary_words_name_no_technology(table: AliasTable, text: str) -> None:
    assert table.mentions(text) == ()


def test_mentions_come_in_order_with_exact_spans(table: AliasTable) -> None:
    text = "C/C++, React/Redux, Vue.js and Objective-C on AWS"
    mentions = table.mentions(text)
    assert [m.name for m in mentions] == [
        "C", "C++", "React", "Redux", "Vue.js", "Objective-C", "Amazon Web Services",
    ]
    assert all(text[m.start : m.end] == m.surface for m in mentions)


def test_names_in_lists_each_technology_once(table: AliasTable) -> None:
    assert table.names_in("Postgres, then PostgreSQL, then psql and Redis") == (
        "PostgreSQL", "Redis",
    )


@pytest.mark.parametrize(
    ("question", "categories"),
    [
        ("Which databases has he worked with?", ("database",)),
        ("What cloud platforms does he know?", ("cloud",)),
        ("Which programming languages does he use?", ("programming_language",)),
        ("Any message queues or stream processing?", ("messaging", "streaming")),
        ("Has he built CI pipelines?", ("ci_cd",)),
        ("Which frontend frameworks?", ("frontend",)),
        ("What monitoring and logging tools?", ("observability",)),
        ("Which data pipelines has he built?", ("data_engineering",)),
        ("Which NoSQL databases?", ("nosql_database",)),
        ("Does he know Agile or other methodologies?", ("methodology",)),
        ("Where does he live?", ()),
        ("", ()),
    ],
)
def test_a_question_names_categories(
    table: AliasTable, question: str, categories: tuple[str, ...]
) -> None:
    assert table.categories_named(question) == categories


def test_category_words_list_the_plurals_they_match(table: AliasTable) -> None:
    words = table.category_words["database"]
    assert words[0] == "database"
    assert {"databases", "data stores"} <= set(words)
    assert "proxies" in table.category_words["web_server"]


def test_the_database_category_holds_databases_only(table: AliasTable) -> None:
    databases = table.members("database")
    assert {"PostgreSQL", "MySQL", "MongoDB", "Redis"} <= set(databases)
    assert not {"SQLAlchemy", "Google Cloud", "SQL"} & set(databases)
    assert {"Amazon Web Services", "Google Cloud", "Microsoft Azure"} <= set(table.members("cloud"))
    assert table.members("no_such_category") == ()


@pytest.mark.parametrize(
    ("asked", "first", "also"),
    [
        ("PostgreSQL", "PostgreSQL", "Postgres"),
        ("postgres", "PostgreSQL", "psql"),
        ("K8s", "Kubernetes", "k8s"),
        ("Golang", "Go", "Go"),
        ("google-cloud", "Google Cloud", "GCP"),
    ],
)
def test_forms_give_the_name_and_every_alias(
    table: AliasTable, asked: str, first: str, also: str
) -> None:
    forms = table.forms(asked)
    assert forms[0] == first
    assert also in forms


@pytest.mark.parametrize("asked", ["go", "", "-", "Frobnicator"])
def test_forms_of_an_unknown_or_lower_case_ambiguous_word_are_empty(
    table: AliasTable, asked: str
) -> None:
    assert table.forms(asked) == ()
    assert table.canonical(asked) is None
    assert table.categories_of(asked) == ()


def test_categories_of_a_technology(table: AliasTable) -> None:
    assert {"database", "cache"} <= set(table.categories_of("Redis"))


def test_the_real_file_is_large_and_every_category_has_members(table: AliasTable) -> None:
    assert len(table.technologies) >= 300
    assert len(table.category_words) >= 30
    assert all(table.members(category) for category in table.category_words)


def test_the_table_is_immutable(table: AliasTable) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.technologies = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        table.category_words["database"] = ()  # type: ignore[index]


def test_the_default_table_loads_once() -> None:
    assert default_aliases() is default_aliases()


GOOD = """\
categories:
  database: [database, data store]
  cloud: [cloud]
technologies:
  - {name: PostgreSQL, aliases: [Postgres], categories: [database]}
  - {name: Google Cloud, aliases: [GCP], categories: [cloud]}
  - {name: Go, aliases: [Golang], categories: [cloud], case_sensitive: [Go]}
  - {name: fastlane, aliases: [Fastlane], categories: [cloud], case_sensitive: true}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_small_file_loads_and_matches(tmp_path: Path) -> None:
    table = load_aliases(write(tmp_path, GOOD))
    assert pairs(table, "Postgres or GCP, in go or Go, with Fastlane and fastlane") == [
        ("PostgreSQL", "Postgres"), ("Google Cloud", "GCP"), ("Go", "Go"),
        ("fastlane", "Fastlane"), ("fastlane", "fastlane"),
    ]
    assert table.categories_named("Which data stores?") == ("database",)
    assert table.forms("FASTLANE") == ()


BLOCK_STYLE_BLANK_ALIAS = """\
categories:
  database: [database]
technologies:
  - name: PostgreSQL
    aliases:
      - Postgres
      - "  "
    categories: [database]
"""


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("", 1, "empty"),
        ("categories:\n  database: [database\ntechnologies: []\n", 3, "not valid YAML"),
        ("categories: {database: [db]}\n\tbad: tab\n", 2, "not valid YAML"),
        ("just words\n", 1, "valid dictionary"),
        (GOOD.replace("categories: [cloud]}", "categories: [clod]}", 1), 6, "'clod'"),
        (GOOD.replace("aliases: [GCP]", "aliases: [postgres]"), 6, "already stands for PostgreSQL"),
        (GOOD.replace("aliases: [Postgres]", "aliases: [Postgres, POSTGRES]"), 5, "listed twice"),
        (GOOD.replace("name: PostgreSQL", 'name: ""'), 5, "technologies.0.name"),
        (GOOD.replace("aliases: [GCP]", "aliases: [GCP, 5]"), 6, "valid string"),
        (GOOD.replace("aliases: [GCP]", 'aliases: ["++"]'), 6, "no letter or digit"),
        (GOOD.replace("aliases: [GCP]", "alias: [GCP]"), 6, "Extra inputs"),
        (GOOD.replace("categories: [cloud]}", "categories: []}", 1), 6, "at least 1"),
        (GOOD.replace("case_sensitive: [Go]", "case_sensitive: [GO]"), 7, "'GO' is not the name"),
        (GOOD.replace("cloud: [cloud]", "cloud: [cloud, database]"), 3, "only one category"),
        (GOOD.replace("  cloud: [cloud]\n", "  cloud: [cloud]\n  empty: [void]\n"), 4, "'empty'"),
        (GOOD.replace("  cloud: [cloud]\n", "  cloud: [cloud]\n  cloud: [sky]\n"), 4, "twice"),
        (GOOD.replace("  database: [", "  Data-Base: ["), 2, "pattern"),
        (GOOD + "---\nsecond: document\n", 9, "not valid YAML"),
        (BLOCK_STYLE_BLANK_ALIAS, 7, "technologies.0.aliases.1"),
    ],
)
def test_a_broken_file_is_named_with_its_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(KnowledgeFileError) as caught:
        load_aliases(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), message
    assert says in message, message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(KnowledgeFileError, match=r"nowhere\.yaml"):
        load_aliases(path)
