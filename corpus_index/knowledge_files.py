"""Reading a knowledge file (YAML) into a pydantic model, mistakes reported by file:line.

The owner extends these files by hand, so a mistake must say where it is: YAML's
own parser knows the line of every node, and a pydantic error's location is
walked down those nodes to the line of the value at fault.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import KnowledgeFileError

Model = TypeVar("Model", bound=BaseModel)


def read_yaml_model(path: Path, model: type[Model]) -> Model:
    """Parse `path` as YAML and validate it as `model`.

    Raises:
        KnowledgeFileError: the file is missing, is not YAML, or does not fit `model`;
            the message names the file and line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"{path}: cannot be read ({exc})") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeFileError(f"{path}:{line}: not valid YAML ({problem})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        line = line_of(node, first["loc"])
        where = ".".join(str(part) for part in first["loc"])
        raise KnowledgeFileError(f"{path}:{line}: {where}: {first['msg']}") from None


def fail_at(path: Path, node_path: tuple[str | int, ...], message: str, root_text: str) -> None:
    """Raise a KnowledgeFileError for a check made after validation, at the node's line.

    Raises:
        KnowledgeFileError: always.
    """
    raise KnowledgeFileError(f"{path}:{line_of(yaml.compose(root_text), node_path)}: {message}")


def line_of(node: yaml.Node | None, location: tuple[str | int, ...]) -> int:
    """The 1-based line of the node at `location` (keys and list indices), or of the
    deepest node that exists on the way there."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line
