"""Drafts: files with ``draft: true`` in their front matter.

A draft is left out of the published site, its feeds, its API and notify; ``mkdocs serve``
shows it, marked as a draft; ``mkdocs-status check`` lists it. Telling a draft apart needs
only the front matter's ``draft:`` line, so the build does not parse drafts at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .diagnostics import Diagnostic
from .parse.frontmatter import split
from .parse.incident import SourceFile

INFO = "info"
_DRAFT = re.compile(r"draft[ \t]*:[ \t]*(?P<value>[^#\s]*)")
TRUE = frozenset({"true", "yes", "on"})


def draft_line(text: str) -> int:
    """The line of ``draft: true`` in the file's front matter, or 0 if it is no draft."""
    lines = text.removeprefix("\ufeff").splitlines()
    front, _, error = split(lines)
    if front is None or error:
        return 0
    for number, line in enumerate(front, 2):
        m = _DRAFT.match(line)  # a top-level key: at the start of the line
        if m and m.group("value").strip("'\"").lower() in TRUE:
            return number
    return 0


def split_drafts(files: Iterable[SourceFile]) -> tuple[list[SourceFile], list[tuple[SourceFile, int]]]:
    """(published files, drafts with the line that makes each one a draft)."""
    published: list[SourceFile] = []
    drafts: list[tuple[SourceFile, int]] = []
    for f in files:
        line = draft_line(f.text) if "draft" in f.text else 0
        if line:
            drafts.append((f, line))
        else:
            published.append(f)
    return published, drafts


def draft_notes(drafts: list[tuple[SourceFile, int]]) -> list[Diagnostic]:
    """One line of information per draft, as ``check`` lists them (never a warning: drafts never fail --strict)."""
    return [Diagnostic(f.source, line, INFO, f"draft '{f.stem}' is not published", "remove 'draft: true' to publish it")
            for f, line in drafts]
