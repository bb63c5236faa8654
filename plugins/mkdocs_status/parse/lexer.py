"""One reader of incident lines: what each line of a file (or of editor text) is.

The parser, the authoring commands (``file_layout.scan``, ``authoring.safe_body``) and the
editor check (``authoring.read_editor_text``) all classify lines here, so they
can never disagree about where a code fence, a language block or an update
heading is. Inside fenced code every line is code: ``##`` and ``:::`` lines
included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

FRONT_MATTER = "front_matter"
HEADING = "heading"  # any run of '#' followed by a space, a tab, a letter or the line's end
FENCE_OPEN = "fence_open"
CODE = "code"
FENCE_CLOSE = "fence_close"
BLOCK_OPEN = "block_open"
BLOCK_CLOSE = "block_close"
SETEXT = "setext"  # '---' or '===' under a paragraph line: a heading underline
TEXT = "text"

# An update heading: '##' then a space or a letter, at the line's start (the format contract).
UPDATE_HEADING = re.compile(r"##(?=[ \t]|[^\W\d_])")
# Any heading attempt, at most three spaces in (Markdown's limit), any number of '#'.
_HASHES = re.compile(r"( {0,3})(#+)(?=[ \t]|$|[^\W\d_])")
_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_BLOCK_OPEN = re.compile(r":::[ \t]*(\S.*?)[ \t]*$")
_BLOCK_CLOSE = re.compile(r":::[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"\s*($|[-*+>|#]|\d+[.)]\s|:::|`{3}|~{3})")

Fence = tuple[str, int]  # the fence's character and length


class Line(NamedTuple):
    """One classified line.

    ``number`` is 1-based in the text given to :func:`lex`. For a heading,
    ``level`` is the number of ``#``, ``indent`` the spaces before them and
    ``value`` the text after them; for a block opening, ``value`` is the
    language as written. Fence lines and code carry ``fence_line``, the line
    the fence was opened on.
    """

    number: int
    kind: str
    text: str
    level: int = 0
    indent: int = 0
    value: str = ""
    fence_line: int = 0

    @property
    def is_update_heading(self) -> bool:
        """A line the format reads as an update heading ('##' at the line's start)."""
        return self.kind == HEADING and self.level == 2 and self.indent == 0 and UPDATE_HEADING.match(self.text) is not None

    @property
    def is_markdown_heading(self) -> bool:
        """A heading Markdown renders as one: hashes followed by a space, a tab or nothing."""
        return self.kind == HEADING and self.level <= 6 and self.text[self.indent + self.level:self.indent + self.level + 1] in ("", " ", "\t")


def _closes(fence: Fence, line: str) -> bool:
    m = _FENCE.match(line)
    return bool(m) and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not line[m.end():].strip()  # type: ignore[union-attr]


def _outside(number: int, line: str, prev_text: str) -> Line:
    """A line outside fenced code (not a fence opening)."""
    m = _HASHES.match(line)
    if m:
        indent, hashes = len(m.group(1)), len(m.group(2))
        return Line(number, HEADING, line, hashes, indent, line[m.end():].strip())
    if _BLOCK_CLOSE.match(line):
        return Line(number, BLOCK_CLOSE, line)
    opened = _BLOCK_OPEN.match(line)
    if opened:
        return Line(number, BLOCK_OPEN, line, value=opened.group(1))
    if prev_text.strip() and _SETEXT.match(line) and not _NOT_PARAGRAPH.match(prev_text) and not _SETEXT.match(prev_text):
        return Line(number, SETEXT, line)
    return Line(number, TEXT, line)


def lex(lines: Sequence[str], start: int = 0, *, front_matter: int = 0) -> Iterator[Line]:
    """Classify ``lines[start:]``; the first ``front_matter`` lines are front matter.

    Line numbers count from 1 at ``lines[0]``. A fence still open at the end
    shows as the last line being ``FENCE_OPEN`` or ``CODE``.
    """
    for index in range(min(start, front_matter), front_matter):
        yield Line(index + 1, FRONT_MATTER, lines[index])
    fence: Fence | None = None
    fence_line = 0
    prev_text = ""  # the previous line when it was paragraph text, for setext underlines
    for index in range(max(start, front_matter), len(lines)):
        number, line = index + 1, lines[index]
        if fence is not None:
            if _closes(fence, line):
                fence = None
                yield Line(number, FENCE_CLOSE, line, fence_line=fence_line)
            else:
                yield Line(number, CODE, line, fence_line=fence_line)
            continue
        if not line or line[0].isalpha():
            # Plain text (most lines): cannot open a fence, a block or a heading.
            prev_text = line
            yield Line(number, TEXT, line)
            continue
        opened = _FENCE.match(line)
        if opened:
            fence, fence_line, prev_text = (opened.group(1)[0], len(opened.group(1))), number, ""
            yield Line(number, FENCE_OPEN, line, fence_line=number)
            continue
        token = _outside(number, line, prev_text)
        prev_text = line if token.kind == TEXT else ""
        yield token


def unclosed_fence(tokens: Sequence[Line]) -> int | None:
    """The line of a fence that is still open after ``tokens``, or None."""
    if tokens and tokens[-1].kind in (FENCE_OPEN, CODE):
        return tokens[-1].fence_line
    return None


def fence_marker(line: str) -> str:
    """The fence characters a fence-opening line uses (what closes it)."""
    m = _FENCE.match(line)
    return m.group(1) if m else "```"
