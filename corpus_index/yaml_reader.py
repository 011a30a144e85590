"""Reading a knowledge file's YAML fast, and with line numbers when one is needed.

A large table (knowledge/aliases.yaml, about a thousand entries) is built straight
from libyaml's parser events, twice as fast as composing nodes; only a mistake
needs a line number, so the nodes, which carry them, are composed only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from corpus_index.errors import KnowledgeFileError

_STR = "tag:yaml.org,2002:str"
# libyaml's parser when PyYAML was built with it (about ten times faster); marks are the same.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_USE_NODES = object()  # _from_events cannot build this document; compose its nodes instead


def load_yaml(path: Path, text: str, empty: str) -> Any:
    """The document's values, from events when it can, else from composed nodes.

    Raises:
        KnowledgeFileError: the text is not one YAML document, repeats a key or is empty
            (`empty` says what to write); the message names file:line.
    """
    loader = _Loader(text)
    try:
        data = _from_events(loader)
    except yaml.YAMLError:
        data = _USE_NODES  # compose_with_lines reports it with its line
    finally:
        loader.dispose()
    if data is _USE_NODES:
        data = yaml.SafeLoader("").construct_document(compose_with_lines(path, text, empty))
    return data


def _scalar(loader: Any, event: yaml.ScalarEvent) -> Any:
    """The Python value of a scalar event: a string unless YAML reads it as another type."""
    value, tag = event.value, event.tag
    if tag is None or tag == "!":
        if not event.implicit[0] or value[:1] not in loader.yaml_implicit_resolvers:
            return value  # quoted, or cannot be a number, bool or null: skip the resolver
        tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
    return value if tag == _STR else loader.construct_object(yaml.ScalarNode(tag, value))


def _from_events(loader: Any) -> Any:
    """The document's values built straight from parser events, twice as fast as from nodes.

    Returns _USE_NODES for what only the node path handles or reports with a line:
    anchors, several documents, a repeated or unhashable key, an empty file.
    """
    stack: list[Any] = []
    keys: list[Any] = []  # per open mapping: its pending key, or _USE_NODES when none
    result, documents = _USE_NODES, 0
    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, yaml.ScalarEvent) and not event.anchor:
            value = _scalar(loader, event)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return _USE_NODES
            continue
        elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return _USE_NODES
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append({} if isinstance(event, yaml.MappingStartEvent) else [])
            keys.append(_USE_NODES)
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            value, _ = stack.pop(), keys.pop()
        else:
            continue
        if not stack:
            result = value
        elif isinstance(stack[-1], list):
            stack[-1].append(value)
        elif keys[-1] is _USE_NODES:
            if not isinstance(value, str | int | float | bool) or value in stack[-1]:
                return _USE_NODES
            keys[-1] = value
        else:
            stack[-1][keys[-1]], keys[-1] = value, _USE_NODES
    return result


def compose_with_lines(path: Path, text: str, empty: str) -> yaml.Node:
    """The document as YAML nodes, which carry line numbers (`empty`: what to write in an
    empty file).

    Raises:
        KnowledgeFileError: the text is not one YAML document, or repeats a key.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise KnowledgeFileError(f"{path}:{line}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeFileError(f"{path}:1: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if root is None:
        raise KnowledgeFileError(f"{path}:1: the file is empty; {empty}")
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            keys: set[Any] = set()
            for key, value in node.value:
                at = f"{path}:{key.start_mark.line + 1}"
                if not isinstance(key, yaml.ScalarNode):
                    raise KnowledgeFileError(f"{at}: a key must be a plain word")
                if key.value in keys:
                    raise KnowledgeFileError(f"{at}: {key.value!r} is given twice; keep one")
                keys.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return root
