"""What the authoring commands read of an existing incident file, and placing a new update in it.

Pure functions, no I/O: :func:`scan` finds where the front matter ends and every
update heading (through the parser's own lexer and status words), and
:func:`insert_update` / :func:`with_ids` change the file's text without touching
a byte outside what they add.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .l10n.languages import normalize
from .model import MAINTENANCE, Settings
from .parse import frontmatter, lexer
from .parse.attributes import split_block
from .parse.dates import DATE_TIME, DateError, finish, zone
from .parse.lexer import lex, unclosed_fence
from .parse.updates import SEPARATORS, status_named

HOUSE_SEPARATOR = "·"


@dataclass(frozen=True)
class Heading:
    """An update heading as found in a file, for placing a new one."""

    offset: int  # character offset of the line's start
    line: int  # 1-based
    status: str | None
    at: dt.datetime | None
    separator: str
    short_id: str | None = None  # the id its attribute block gives, if any
    has_block: bool = False  # it ends with an attribute block


@dataclass(frozen=True)
class Layout:
    """What the authoring commands need to know of an existing file."""

    eol: str
    body_offset: int  # character offset just after the front matter
    headings: tuple[Heading, ...]
    kind: str
    lang: str
    timezone: dt.tzinfo
    title: str
    unclosed_fence: int | None = None  # the line of a code fence never closed (it swallows what follows)

    @property
    def newest_first(self) -> bool:
        """True when the file's updates run newest first (so a new one goes on top)."""
        dated = [h.at for h in self.headings if h.at is not None]
        return len(dated) >= 2 and dated[0] > dated[-1]

    @property
    def latest(self) -> Heading | None:
        dated = [h for h in self.headings if h.at is not None]
        return max(dated, key=lambda h: h.at) if dated else None  # type: ignore[arg-type, return-value]

    @property
    def latest_status(self) -> str | None:
        latest = self.latest
        return latest.status if latest else None

    @property
    def separator(self) -> str:
        """The separator the file's headings use (the last one written), else the house style."""
        for heading in reversed(self.headings):
            if heading.at is not None:
                return heading.separator
        return HOUSE_SEPARATOR


_EOL = re.compile(r"\r\n|\n|\r")


def line_ending(text: str) -> str:
    """The file's line ending: the first one found, ``\\n`` for none."""
    m = _EOL.search(text)
    return m.group(0) if m else "\n"


def _line_starts(text: str) -> list[tuple[int, str]]:
    """(offset, line without its ending) for every line."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _EOL.finditer(text):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((pos, text[pos:]))
    return out


def _front_facts(fm_lines: list[str] | None, settings: Settings) -> tuple[str, str, dt.tzinfo, str]:
    """(kind, language, timezone, title) as far as the front matter says them; defaults otherwise."""
    kind, lang, tz, title = "incident", settings.default_language, settings.timezone, ""
    try:
        fm = frontmatter.load(fm_lines, 2) if fm_lines is not None else {}
    except frontmatter.FrontMatterError:
        fm = {}
    if "type" in fm and str(fm["type"].data).strip().lower() == MAINTENANCE:
        kind = MAINTENANCE
    if "lang" in fm:
        code = normalize(str(fm["lang"].data))
        lang = code if code in settings.language_codes else lang
    if "timezone" in fm:
        try:
            tz = zone(str(fm["timezone"].data))
        except DateError:
            pass
    if "title" in fm and isinstance(fm["title"].data, str):
        title = fm["title"].data.strip()
    return kind, lang, tz, title


def _heading(offset: int, token: lexer.Line, tz: dt.tzinfo) -> Heading:
    """What an update heading line says, as far as it can be read."""
    rest, block = split_block(token.text[2:].strip())
    m = DATE_TIME.search(rest)
    stripped = (rest[: m.start()] if m else rest).strip()
    sep = stripped[-1] if stripped and stripped[-1] in SEPARATORS else ""
    at: dt.datetime | None = None
    if m:
        try:
            at = finish(m.group("date"), m.group("time"), rest[m.end():].strip(), tz).at
        except DateError:
            at = None
    short_id = next((item[1:] for item in (block or "").split() if item.startswith("#")), None)
    return Heading(offset, token.number, status_named(stripped.rstrip(SEPARATORS)), at, sep, short_id, block is not None)


def scan(text: str, settings: Settings) -> Layout:
    """Find the front matter's end and every update heading (outside code fences)."""
    lines = _line_starts(text)
    plain = [line for _, line in lines]
    if plain:
        plain[0] = plain[0].removeprefix("\ufeff")
    fm_lines, body_start, _err = frontmatter.split(plain)
    kind, lang, tz, title = _front_facts(fm_lines, settings)
    if fm_lines is None:
        body_start = 0
    body_offset = lines[body_start][0] if body_start < len(lines) else len(text)
    tokens = list(lex(plain, body_start))
    headings = tuple(_heading(lines[t.number - 1][0], t, tz) for t in tokens if t.is_update_heading)
    return Layout(line_ending(text), body_offset, headings, kind, lang, tz, title, unclosed_fence(tokens))


def insert_update(text: str, update: str, layout: Layout) -> tuple[str, int]:
    """The file with ``update`` (written with ``\\n``) placed in the file's order, and its first line number.

    Newest-first files get it on top, just before the first update heading;
    others at the end. Nothing outside the inserted block changes: the file's
    line endings are used for the new lines, and its own bytes stay as they are.
    """
    eol = layout.eol
    block = update.replace("\n", eol) if eol != "\n" else update
    if layout.newest_first and layout.headings:
        pos = layout.headings[0].offset
        line = layout.headings[0].line
        return text[:pos] + block + eol + text[pos:], line
    prefix = text
    if prefix and not prefix.endswith(("\n", "\r")):
        prefix += eol
    # One blank line between the last update and the new one.
    if prefix.strip("\ufeff \t\r\n") and _line_starts(prefix)[-1][1].strip():
        prefix += eol
    return prefix + block, len(_EOL.findall(prefix)) + 1


def with_ids(text: str, keys: Mapping[int, str]) -> str:
    """The file with ``{#key}`` written into the update heading at each line number of ``keys``.

    A heading that has an attribute block gets the id as its first item; nothing
    else in the file changes.
    """
    out: list[str] = []
    lines = _line_starts(text)
    for index, (offset, line) in enumerate(lines):
        end = lines[index + 1][0] if index + 1 < len(lines) else len(text)
        key = keys.get(index + 1)
        if key is not None:
            heading, block = split_block(line)
            if block is not None:
                opening = line.rindex("{")
                line = f"{line[:opening + 1]}#{key}{' ' if block.strip() else ''}{line[opening + 1:]}"
            else:
                line = f"{heading.rstrip()} {{#{key}}}"
        out.append(line + text[offset + len(lines[index][1]):end])
    return "".join(out)
