"""The folders show the architecture, and imports point one way (README "How it works"):
web and the measuring tools -> the answer path -> search -> understanding -> corpus_index,
with the typed records and errors importable from anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "assistant"
BASE = {"assistant.records", "assistant.errors"}  # the currency and the errors, for all
# Higher layers may import lower ones; the answer path is the package root and the
# folders of its features (strategies, jobs, timeline).
LAYERS = {"understand": 0, "search": 1, "web": 3, "measure": 3}
ANSWER_PATH = 2
ENTRY_POINTS = {"assistant.cli", "assistant.__main__"}


def _module(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], ANSWER_PATH) if len(parts) > 1 else ANSWER_PATH


def _imports(path: Path) -> set[str]:
    """The assistant modules a file imports, resolved to absolute names."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            if name.startswith("assistant"):
                found.add(name)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("assistant"))
    return found


def test_imports_point_down_the_layers() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _module(path)
        if source in ENTRY_POINTS:
            continue
        for target in _imports(path):
            if target in BASE or target == "assistant":
                continue
            same_folder = target.split(".")[:2] == source.split(".")[:2]
            if not same_folder and _layer(target) >= _layer(source) and not (
                    _layer(target) == _layer(source) == ANSWER_PATH):
                upward.append(f"{source} -> {target}")
    assert upward == []


def test_the_records_and_errors_import_nothing_of_the_assistant() -> None:
    for module in BASE:
        path = REPO_ROOT / (module.replace(".", "/") + ".py")
        assert _imports(path) == set(), module


def test_nothing_but_the_entry_points_imports_the_web_face_or_the_measuring_tools() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _module(path)
        folder = source.split(".")[1] if "." in source else ""
        for target in _imports(path):
            for face in ("assistant.web", "assistant.measure"):
                if target.startswith(face) and folder != face.split(".")[1]:
                    assert source in ENTRY_POINTS, f"{source} imports {target}"


def test_every_folder_is_named_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    folders = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]
    assert folders
    for folder in folders:
        assert f"assistant/{folder}/" in readme, f"README does not name assistant/{folder}/"
