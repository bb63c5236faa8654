"""The updates of an incident file: its ``## <status> · <date time>`` headings and their bodies.

:class:`UpdateReader` reads what follows the front matter, token by token from the
:mod:`~mkdocs_status.parse.lexer`: each heading becomes a draft update, each line of
text lands in its draft's language (or its ``::: <lang>`` block), and the drafts become
:class:`~mkdocs_status.model.Update` objects in order. The front matter is the business
of :mod:`~mkdocs_status.parse.incident`, whose parser is an ``UpdateReader``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..diagnostics import Diagnostics, did_you_mean, one_of
from ..l10n.languages import normalize
from ..model import INCIDENT, INCIDENT_STATUSES, MAINTENANCE, MAINTENANCE_STATUSES, RESOLVED_STATUSES, Update
from . import lexer
from .attributes import EXAMPLE as ATTRIBUTES_EXAMPLE
from .attributes import AttributeReader, Attributes, split_block
from .dates import DATE_TIME, DateError, ParsedTime, finish
from .lexer import Line, lex, unclosed_fence

if TYPE_CHECKING:
    from .incident import ParseSettings

SEPARATORS = "·-–—|@"
STATUS_ALIASES = {"in progress": "in_progress", "inprogress": "in_progress", "post-mortem": "postmortem", "post mortem": "postmortem"}
ALL_STATUSES = frozenset((*INCIDENT_STATUSES, *MAINTENANCE_STATUSES))
HEADING_EXAMPLE = "an update heading looks like '## Resolved · 2025-11-13 08:07'"


@dataclass
class Draft:
    """An update while its body is being read."""

    line: int
    status: str | None
    at: ParsedTime | None
    texts: dict[str, list[str]] = field(default_factory=dict)
    block_lines: dict[str, int] = field(default_factory=dict)
    attributes: Attributes = field(default_factory=Attributes)

    @property
    def ok(self) -> bool:
        return self.status is not None and self.at is not None


@dataclass
class Body:
    """Where the reading of a file's body stands."""

    drafts: list[Draft] = field(default_factory=list)
    block: str | None = None  # language of the open ::: block ("" = an invalid block, its lines dropped)
    block_line: int = 0
    preamble_reported: bool = False


def _status_word(text: str) -> str:
    word = re.sub(r"[\s_]+", " ", text.strip().lower())
    return STATUS_ALIASES.get(word, word)


def status_named(word: str) -> str | None:
    """The status a heading's status word names (``In progress``, ``post-mortem`` -> ``postmortem``); None if none.

    The one reader of status words: the parser, the CLI's scan of a file and :func:`heading_word` agree through it.
    """
    status = _status_word(word)
    return status if status in ALL_STATUSES else None


def heading_word(status: str) -> str:
    """``in_progress`` -> ``In progress``: the word an update heading writes for a status.

    English in every language: status words are part of the format (PRODUCT.md §2), not interface text,
    so a file reads the same whatever its ``lang``; pages, feeds and mail show them translated.
    """
    return status.replace("_", " ").capitalize()


def reads_as_update(text: str) -> bool:
    """Whether a heading's text reads as an update heading: a status word (of any kind), then a date and time."""
    m = DATE_TIME.search(text)
    return m is not None and _status_word(text[: m.start()].strip().rstrip(SEPARATORS).strip()) in ALL_STATUSES


def _starts_with_status(text: str, statuses: tuple[str, ...]) -> bool:
    word = re.sub(r"[\s_]+", " ", text.strip().lower())
    return any(word.startswith(s.replace("_", " ")) for s in statuses) or word.startswith("in progress")

class UpdateReader:
    """Reads the updates of one file into drafts, then into updates; problems go to ``diag``."""

    diag: Diagnostics
    settings: ParseSettings
    kind: str
    lang: str
    tz: ZoneInfo
    lines: list[str]
    attributes: AttributeReader

    def _ambiguous(self, line: int, parsed: ParsedTime) -> None:
        at = parsed.at
        self.diag.warning(
            line,
            f"{at:%Y-%m-%d %H:%M} occurs twice in {at.tzinfo} (the clocks go back); the first ({at:%z}) was used",
            f"write an explicit offset, such as {at.isoformat(timespec='minutes')[-6:]}",
        )

    # -- body ---------------------------------------------------------------

    def heading(self, lineno: int, line: str) -> Draft:
        return self._heading(lineno, *self._split_attributes(lineno, line[2:].strip()))

    def _split_attributes(self, lineno: int, rest: str) -> tuple[str, Attributes]:
        """The heading without its trailing ``{…}`` block, and what the block says."""
        rest, block = split_block(rest)
        if block is not None:
            return rest, self.attributes.read(block, lineno)
        if "{" in rest:
            self.diag.error(lineno, "the attribute block is not closed with '}' at the end of the heading", ATTRIBUTES_EXAMPLE)
            return rest[: rest.index("{")].rstrip(), Attributes()
        return rest, Attributes()

    def _heading(self, lineno: int, rest: str, attributes: Attributes) -> Draft:
        statuses = MAINTENANCE_STATUSES if self.kind == MAINTENANCE else INCIDENT_STATUSES
        other = INCIDENT_STATUSES if self.kind == MAINTENANCE else MAINTENANCE_STATUSES
        m = DATE_TIME.search(rest)
        head = rest[: m.start()] if m else rest
        word = _status_word(head.strip().rstrip(SEPARATORS).strip())
        if not m:
            if _starts_with_status(rest, statuses + other):
                self.diag.error(lineno, f"update heading '## {rest}' has no date and time I can read",
                                "write it as '## <status> · YYYY-MM-DD HH:MM', optionally followed by a zone")
            else:
                self.diag.error(lineno, f"'## {rest}' is a level-2 heading but not an update heading",
                                f"{HEADING_EXAMPLE}; use '### {rest}' for a section inside an update")
            return Draft(lineno, None, None)
        status: str | None = word
        if not word:
            self.diag.error(lineno, "update heading has no status word", one_of(s.replace("_", " ") for s in statuses))
            status = None
        elif word not in statuses:
            if word in other:
                fix = "add 'type: maintenance' to the front matter" if self.kind == INCIDENT else "maintenance uses: " + ", ".join(s.replace("_", " ") for s in statuses)
                self.diag.error(lineno, f"'{word.replace('_', ' ')}' is a {'maintenance' if self.kind == INCIDENT else 'incident'} status, but this file is {'an incident' if self.kind == INCIDENT else 'a maintenance'}", fix)
            else:
                self.diag.error(lineno, f"unknown status '{head.strip().rstrip(SEPARATORS).strip()}'{did_you_mean(word, statuses)}",
                                one_of(s.replace("_", " ") for s in statuses))
            status = None
        at: ParsedTime | None = None
        try:
            at = finish(m.group("date"), m.group("time"), rest[m.end():].strip(), self.tz)
        except DateError as exc:
            self.diag.error(lineno, exc.message, exc.hint)
        if at is not None and at.ambiguous:
            self._ambiguous(lineno, at)
        return Draft(lineno, status, at, attributes=attributes)

    def body(self, start: int, current: Draft | None = None) -> list[Draft]:
        """Read the updates after the front matter: headings, their text and language blocks.

        A notice passes ``current``: the text before any heading is its own.
        """
        state = Body(drafts=[current] if current is not None else [])
        tokens = list(lex(self.lines, start))
        for token in tokens:
            if token.kind is lexer.TEXT and state.drafts and state.block is None:
                # Most lines: text of the current update in the file's language.
                state.drafts[-1].texts.setdefault(self.lang, []).append(token.text)
            elif token.is_update_heading:
                if state.block is not None:
                    self.diag.error(state.block_line, "::: block is not closed before the next update", "close it with a line ':::'")
                    state.block = None
                state.drafts.append(self.heading(token.number, token.text))
            elif self._misplaced_update(token):
                continue
            elif not state.drafts:
                if token.text.strip() and not state.preamble_reported:
                    self.diag.error(token.number, "text before the first update heading", HEADING_EXAMPLE)
                    state.preamble_reported = True
            else:
                self._body_line(state, token)
        if state.block is not None:
            self.diag.error(state.block_line, "::: block is never closed", "close it with a line ':::'")
        fence_line = unclosed_fence(tokens)
        if fence_line is not None:
            self.diag.error(fence_line, "code fence is never closed, so every line after it is code, later updates included",
                            "close it with a line of the same fence characters, e.g. ```")
        return state.drafts

    def _misplaced_update(self, token: Line) -> bool:
        """Report a heading that reads as an update but is not level 2 at the line's start."""
        if token.kind != lexer.HEADING or not reads_as_update(token.value):
            return False
        shown = token.text.strip()
        if token.level == 2:
            self.diag.error(token.number, f"'{shown}' is indented, so it is not an update heading",
                            "update headings are level 2 at the start of the line: remove the spaces before '##'")
        else:
            self.diag.error(token.number, f"'{shown}' reads as an update but is a level-{token.level} heading",
                            f"update headings are level 2: write '## {token.value}'")
        return True

    def _body_line(self, state: Body, token: Line) -> None:
        """One line of an update's body (not an update heading)."""
        current = state.drafts[-1]
        if token.kind == lexer.HEADING and token.level == 1 and token.is_markdown_heading:
            self.diag.error(token.number, "level-1 heading inside an update", "use '###' for headings inside an update")
        elif token.kind == lexer.SETEXT:
            self.diag.error(token.number, "text underlined with '---' or '===' is a heading, not an update",
                            "use '###' for a heading inside an update, or leave a blank line before the rule")
        elif token.kind == lexer.BLOCK_CLOSE:
            if state.block is None:
                self.diag.error(token.number, "stray ':::' with no open language block", "open blocks with '::: <lang>'")
            state.block = None
            return
        elif token.kind == lexer.BLOCK_OPEN:
            self._open_block(state, current, token)
            return
        if state.block != "":
            current.texts.setdefault(self.lang if state.block is None else state.block, []).append(token.text)

    def _open_block(self, state: Body, current: Draft, token: Line) -> None:
        raw, lineno = token.value, token.number
        if state.block is not None:
            self.diag.error(state.block_line, "::: block is not closed", "close it with a line ':::' before opening another")
        state.block_line = lineno
        code = normalize(raw)
        state.block = ""
        if code is None or code not in self.settings.languages:
            self.diag.error(lineno, f"unknown language '{raw}' in ::: block{did_you_mean(raw.replace('-', '_'), self.settings.languages)}",
                            "blocks hold translations; configured languages: " + ", ".join(self.settings.languages))
        elif code == self.lang:
            self.diag.error(lineno, f"::: {raw} block is in the file's own language",
                            "text outside blocks is already in that language; remove the block markers")
        elif code in current.block_lines:
            self.diag.error(lineno, f"second ::: {raw} block in one update (first at line {current.block_lines[code]})",
                            "merge the two blocks")
        else:
            current.block_lines[code] = lineno
            state.block = code

    def updates(self, drafts: list[Draft]) -> list[Update]:
        order = MAINTENANCE_STATUSES if self.kind == MAINTENANCE else INCIDENT_STATUSES
        keyed = sorted(
            enumerate(drafts),
            key=lambda pair: (pair[1].at.at.astimezone(dt.timezone.utc), order.index(pair[1].status), pair[0]),  # type: ignore[union-attr, arg-type]
        )
        out: list[Update] = []
        kept: str | None = None
        was_resolved = False
        last_instant = None
        tie = 0
        for index, draft in keyed:
            assert draft.status is not None and draft.at is not None
            if draft.status == "update":
                if kept is None:
                    self.diag.error(draft.line, "the first update must say what is happening, not 'update'",
                                    one_of(s for s in order if s != "update"))
                    kept = "investigating" if self.kind == INCIDENT else "scheduled"
                status = kept
            else:
                status = draft.status
                if self.kind == INCIDENT and was_resolved and status not in RESOLVED_STATUSES:
                    self.diag.warning(draft.line, f"'{status}' after 'resolved' reopens the incident",
                                      "if that is intended, keep it; otherwise check the date")
            if self.kind == INCIDENT:
                was_resolved = status in RESOLVED_STATUSES
            kept = status
            instant = draft.at.at.astimezone(dt.timezone.utc)
            tie = tie + 1 if instant == last_instant else 0
            if tie:
                self._same_instant(draft, keyed[len(out) - 1][1])
            last_instant = instant
            texts = {lang: _clean(lines) for lang, lines in draft.texts.items()}
            texts = {lang: text for lang, text in texts.items() if text}
            attrs = draft.attributes
            out.append(Update(status=draft.status, kept=status, at=draft.at.at, texts=texts, line=draft.line, index=index, tie=tie,
                              short_id=attrs.short_id, components=attrs.components, notify=attrs.notify))
        self._check_keys(out)
        return out

    def _same_instant(self, draft: Draft, before: Draft) -> None:
        assert draft.at is not None
        self.diag.warning(draft.line, f"this update is at the same instant as the one at line {before.line} "
                                      f"({draft.at.at.isoformat(sep=' ')}); that one ('{before.status}') is taken as the earlier",
                          "correct the time of one of them (with seconds if they are close)")

    def _check_keys(self, updates: list[Update]) -> None:
        """Every update's id (written or derived from its instant) is unique in the incident, ignoring case."""
        if not any(u.short_id for u in updates):
            return  # derived ids are unique by construction (equal instants are numbered)
        seen: dict[str, Update] = {}
        for update in sorted(updates, key=lambda u: u.line):
            first = seen.setdefault(update.key.lower(), update)
            if first is not update:
                self.diag.error(update.line, f"update id '{update.key}' is also the id of the update at line {first.line}",
                                "give each update its own '{#id}'" if update.short_id else "give this update its own '{#id}' or another time")


def _clean(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()
