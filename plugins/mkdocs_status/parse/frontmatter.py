"""YAML front matter with line numbers, values kept as text.

YAML's own timestamp, boolean and number types are not used: every scalar is
read as the text its author wrote, so ``2024-01-02 10:00`` and ``no`` stay text
and each value keeps the line it stands on.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml

from ..diagnostics import HintedError
from ..model import SourceMap

# libyaml's loader where PyYAML was built with it: three times faster on 1,000 files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Value(NamedTuple):
    """A front matter value and the file line it starts on."""

    data: Any
    line: int


class FrontMatterError(HintedError, ValueError):
    """Front matter that cannot be read, at ``line`` of the file."""

    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.line = line


def source_map(fm: dict[str, Value]) -> SourceMap:
    """The lines of a parsed front matter's keys, to travel beside the incident they make."""
    return SourceMap.of({key: value.line for key, value in fm.items()})


def split(lines: list[str]) -> tuple[list[str] | None, int, int | None]:
    """(front matter lines, first body line index, error line).

    ``lines[0]`` must be ``---``; the block ends at the next ``---`` or ``...``.
    """
    if not lines or lines[0].rstrip() != "---":
        return None, 0, None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return lines[1:i], i + 1, None
    return None, len(lines), 1


# Bounds on what front matter may expand to. YAML aliases share nodes, so 420 bytes of
# ``&a [*b, *b, …]`` can stand for billions of values ("billion laughs"); a real incident's
# front matter has a few dozen.
MAX_VALUES = 10_000
MAX_DEPTH = 20


class _Budget:
    """Counts the values front matter expands to, raising FrontMatterError past the bounds."""

    def __init__(self, line: int) -> None:
        self.line = line  # the line of the top-level key being read: aliases point elsewhere
        self.left = MAX_VALUES

    def spend(self, depth: int) -> None:
        self.left -= 1
        if self.left < 0 or depth > MAX_DEPTH:
            what = f"more than {MAX_VALUES:,} values" if self.left < 0 else f"nested deeper than {MAX_DEPTH} levels"
            raise FrontMatterError(self.line, f"front matter expands to {what}",
                                   "write the values out; YAML aliases (*name) that repeat each other are not needed here")


def _plain(node: yaml.Node, budget: _Budget, depth: int = 0) -> Any:
    budget.spend(depth)
    if isinstance(node, yaml.ScalarNode):
        # A plain (unquoted) null: libyaml's loader gives plain scalars the style '', PyYAML's None.
        if node.tag == "tag:yaml.org,2002:null" and not node.style and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, budget, depth + 1) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k, budget, depth + 1)): _plain(v, budget, depth + 1) for k, v in node.value}
    return None


def load(fm_lines: list[str], first_line: int) -> dict[str, Value]:
    """Parse front matter whose first line is file line ``first_line``."""
    text = "\n".join(fm_lines)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise FrontMatterError(line, f"front matter is not valid YAML: {problem}{context}",
                               "check quotes, colons and indentation; quote values that contain ': ' or start with a special character") from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise FrontMatterError(first_line, f"front matter is not valid YAML: {exc}") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise FrontMatterError(first_line + root.start_mark.line, "front matter must be a mapping of 'key: value' lines")
    out: dict[str, Value] = {}
    budget = _Budget(first_line)
    for key_node, value_node in root.value:
        line = budget.line = first_line + key_node.start_mark.line
        key = str(_plain(key_node, budget))
        if key in out:
            raise FrontMatterError(line, f"'{key}' appears twice in the front matter", "keep one")
        out[key] = Value(_plain(value_node, budget), line)
    return out
