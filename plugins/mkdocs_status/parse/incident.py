"""One incident file -> an :class:`~mkdocs_status.model.Incident` plus diagnostics.

Follows the format contract: front matter, then ``## <status> <sep> <date time>
[<zone>]`` update headings whose bodies may hold ``::: <lang>`` blocks. Nothing
here raises on bad input: every problem becomes a diagnostic naming the line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..diagnostics import Diagnostic, Diagnostics, did_you_mean, one_of
from ..l10n.languages import normalize
from ..model import (
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT,
    INCIDENT_STATUSES,
    MAINTENANCE,
    MAINTENANCE_STATUSES,
    NOTICE,
    RESOLVED_STATUSES,
    Incident,
    Settings,
    Update,
)
from ..postmortem import unfilled_postmortem
from ..timeline import check_incident
from . import frontmatter, invisible, lexer, notice
from .attributes import EXAMPLE as ATTRIBUTES_EXAMPLE
from .attributes import AttributeReader, Attributes, split_block
from .dates import DATE_TIME, DateError, ParsedTime, finish, parse_datetime, zone
from .lexer import Line, lex, unclosed_fence

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
# Ids whose URLs the site already uses (api/v2/incidents/unresolved.json).
RESERVED_IDS = frozenset({"unresolved"})
SEPARATORS = "·-–—|@"
STATUS_ALIASES = {"in progress": "in_progress", "inprogress": "in_progress", "post-mortem": "postmortem", "post mortem": "postmortem"}
KNOWN_KEYS = (
    "title", "impact", "components", "lang", "timezone", "machine_translated", "type",
    "started_at", "ended_at", "scheduled_for", "scheduled_until", "draft", *notice.NOTICE_KEYS,
)  # fmt: skip
STALE_AFTER = dt.timedelta(days=7)
ALL_STATUSES = frozenset((*INCIDENT_STATUSES, *MAINTENANCE_STATUSES))
HEADING_EXAMPLE = "an update heading looks like '## Resolved · 2025-11-13 08:07'"


@dataclass(frozen=True)
class ParseSettings:
    """What the parser needs to know of the site."""

    languages: tuple[str, ...]
    required_languages: tuple[str, ...]
    timezone: ZoneInfo
    components: tuple[str, ...]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> ParseSettings:
        return cls(
            languages=settings.language_codes,
            required_languages=settings.required_languages,
            timezone=settings.timezone,
            components=tuple(settings.component_ids()),
            groups={g.id: g.components for g in settings.groups},
        )

    @property
    def default_language(self) -> str:
        return self.languages[0]


@dataclass
class _Draft:
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
class _Body:
    """Where the reading of a file's body stands."""

    drafts: list[_Draft] = field(default_factory=list)
    block: str | None = None  # language of the open ::: block ("" = an invalid block, its lines dropped)
    block_line: int = 0
    preamble_reported: bool = False


def _status_word(text: str) -> str:
    word = re.sub(r"[\s_]+", " ", text.strip().lower())
    return STATUS_ALIASES.get(word, word)


def reads_as_update(text: str) -> bool:
    """Whether a heading's text reads as an update heading: a status word (of any kind), then a date and time."""
    m = DATE_TIME.search(text)
    return m is not None and _status_word(text[: m.start()].strip().rstrip(SEPARATORS).strip()) in ALL_STATUSES


def _starts_with_status(text: str, statuses: tuple[str, ...]) -> bool:
    word = re.sub(r"[\s_]+", " ", text.strip().lower())
    return any(word.startswith(s.replace("_", " ")) for s in statuses) or word.startswith("in progress")


class _FileParser:
    def __init__(self, source: str, stem: str, text: str, settings: ParseSettings) -> None:
        self.source = source
        self.stem = stem
        self.settings = settings
        self.diag = Diagnostics(file=source)
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.lines = text.split("\n")
        if invisible.CONTROL.search(text):
            for number, line in enumerate(self.lines, 1):
                # Control characters cannot be shown in HTML or XML: say so, then leave them out.
                clean, found = invisible.strip(invisible.CONTROL, line)
                if found:
                    self.diag.warning(number, f"invisible control character {found} is left out", invisible.CONTROL_HINT)
                    self.lines[number - 1] = clean
        self.kind = INCIDENT
        self.lang = settings.default_language
        self.tz: ZoneInfo = settings.timezone
        self.title_line = 1
        self.attributes = AttributeReader(self.diag, settings.components, settings.groups)

    # -- front matter -------------------------------------------------------

    def front_matter(self) -> tuple[dict[str, frontmatter.Value], int]:
        fm_lines, body_start, err_line = frontmatter.split(self.lines)
        if err_line:
            self.diag.error(1, "front matter is never closed", "end it with a line '---'")
            return {}, body_start
        if fm_lines is None:
            self.diag.error(1, "missing front matter with a title",
                            "start the file with '---', 'title: …', 'impact: …' and '---'")
            return {}, 0
        try:
            return frontmatter.load(fm_lines, 2), body_start
        except frontmatter.FrontMatterError as exc:
            self.diag.error(exc.line, exc.message, exc.hint)
            return {}, body_start

    def _language(self, raw: object, line: int, what: str) -> str | None:
        code = normalize(str(raw)) if raw is not None else None
        if code is None or code not in self.settings.languages:
            shown = str(raw)
            self.diag.error(line, f"unknown language '{shown}' in {what}{did_you_mean(shown.replace('-', '_'), self.settings.languages)}",
                            "configured languages: " + ", ".join(self.settings.languages))
            return None
        return code

    def _visible(self, text: str, line: int, what: str) -> str:
        """``text`` without bidirectional control characters (warning at ``line``)."""
        clean, found = invisible.strip(invisible.BIDI, text)
        if found and not clean.strip():
            self.diag.error(line, f"{what} holds nothing but invisible bidirectional control characters", "write the text")
            return ""
        if found:
            self.diag.warning(line, f"invisible bidirectional control character {found} in {what} is left out", invisible.BIDI_HINT)
        return clean.strip()

    def _text(self, value: frontmatter.Value, key: str) -> str | None:
        if isinstance(value.data, (list, dict)) or value.data is None or not str(value.data).strip():
            self.diag.error(value.line, f"'{key}' must be a line of plain text")
            return None
        return str(value.data).strip()

    def _time(self, value: frontmatter.Value, key: str) -> dt.datetime | None:
        if isinstance(value.data, (list, dict)) or value.data is None:
            self.diag.error(value.line, f"'{key}' must be a date and time", "write it as \"YYYY-MM-DD HH:MM\"")
            return None
        try:
            parsed = parse_datetime(str(value.data), self.tz)
        except DateError as exc:
            self.diag.error(value.line, f"{key}: {exc.message}", exc.hint)
            return None
        if parsed.ambiguous:
            self._ambiguous(value.line, parsed)
        return parsed.at

    def _ambiguous(self, line: int, parsed: ParsedTime) -> None:
        at = parsed.at
        self.diag.warning(
            line,
            f"{at:%Y-%m-%d %H:%M} occurs twice in {at.tzinfo} (the clocks go back); the first ({at:%z}) was used",
            f"write an explicit offset, such as {at.isoformat(timespec='minutes')[-6:]}",
        )

    def header(self, fm: dict[str, frontmatter.Value]) -> dict[str, object]:
        """Validate the front matter; return the incident's header fields."""
        # First the fields others depend on.
        self._kind_lang_zone(fm)
        out: dict[str, object] = {
            "titles": self._titles(fm),
            "impact": self._impact(fm),
            "components": self.components(fm.get("components")),
            "machine_translated": self._machine_translated(fm.get("machine_translated")),
        }
        for key in ("started_at", "ended_at", "scheduled_for", "scheduled_until"):
            out[key] = self._time(fm[key], key) if key in fm else None
        if self.kind == MAINTENANCE:
            self._window(fm, out)
        else:
            self._impact_times(fm, out)
        if "draft" in fm and str(fm["draft"].data).strip("'\"").lower() not in ("true", "false", "yes", "no", "on", "off"):
            self.diag.error(fm["draft"].line, f"draft must be true or false, not '{fm['draft'].data}'", "write 'draft: true' or remove the line")
        notice.misplaced(self, fm)
        return out

    def _kind_lang_zone(self, fm: dict[str, frontmatter.Value]) -> None:
        if "type" in fm:
            kind = str(fm["type"].data).strip().lower()
            if kind not in (INCIDENT, MAINTENANCE, NOTICE):
                self.diag.error(fm["type"].line, f"unknown type '{fm['type'].data}'{did_you_mean(kind, (INCIDENT, MAINTENANCE, NOTICE))}",
                                one_of((INCIDENT, MAINTENANCE, NOTICE)))
            else:
                self.kind = kind
        if "lang" in fm:
            self.lang = self._language(fm["lang"].data, fm["lang"].line, "'lang'") or self.lang
        if "timezone" in fm:
            try:
                self.tz = zone(str(fm["timezone"].data))
            except DateError as exc:
                self.diag.error(fm["timezone"].line, exc.message, exc.hint)

    def _titles(self, fm: dict[str, frontmatter.Value]) -> dict[str, str]:
        """The title per language; warnings for unknown keys."""
        titles: dict[str, str] = {}
        title = fm.get("title")
        if title is not None:
            self.title_line = title.line
        if title is None or title.data is None or (isinstance(title.data, str) and not title.data.strip()):
            # 'title: ~' and 'title:' are YAML's null: no title, not the text '~'.
            self.diag.error(self.title_line, "missing title", "add 'title: …' to the front matter")
        elif (text := self._text(title, "title")) and (visible := self._visible(text, title.line, "the title")):
            titles[self.lang] = visible
        for key, value in fm.items():
            m = re.fullmatch(r"title[_-](.+)", key)
            if m:
                self._other_title(key, m.group(1), value, titles)
            elif key not in KNOWN_KEYS:
                self.diag.warning(value.line, f"unknown front matter key '{key}' is not used{did_you_mean(key, KNOWN_KEYS)}",
                                  "known keys: " + ", ".join(KNOWN_KEYS))
        return titles

    def _other_title(self, key: str, raw_lang: str, value: frontmatter.Value, titles: dict[str, str]) -> None:
        code = self._language(raw_lang, value.line, f"'{key}'")
        if code is None:
            return
        if code == self.lang:
            self.diag.error(value.line, f"'{key}' repeats the file's own language ({code})", "'title' already holds it; remove one")
            return
        text = self._text(value, key)
        if text and (visible := self._visible(text, value.line, f"'{key}'")):
            titles[code] = visible

    def _impact(self, fm: dict[str, frontmatter.Value]) -> str:
        if "impact" not in fm or fm["impact"].data is None:
            if self.kind == INCIDENT:
                self.diag.error(self.title_line, "missing impact", "add 'impact: none', 'minor', 'major' or 'critical'")
            return "none"
        word = str(fm["impact"].data).strip().lower()
        if word in IMPACTS:
            return word
        if not (self.kind == MAINTENANCE and word == "maintenance"):
            self.diag.error(fm["impact"].line, f"unknown impact '{fm['impact'].data}'{did_you_mean(word, IMPACTS)}", one_of(IMPACTS))
        return "none"

    def _machine_translated(self, value: frontmatter.Value | None) -> frozenset[str]:
        """Languages with machine translated text."""
        if value is None:
            return frozenset()
        items = value.data if isinstance(value.data, list) else [value.data] if value.data else []
        codes = (self._language(item, value.line, "'machine_translated'") for item in items)
        return frozenset(code for code in codes if code)

    def _window(self, fm: dict[str, frontmatter.Value], out: dict[str, object]) -> None:
        """A maintenance's window: both ends, in order; no incident times."""
        for key in ("scheduled_for", "scheduled_until"):
            if key not in fm:
                self.diag.error(self.title_line, f"maintenance without '{key}'", f"add '{key}: \"YYYY-MM-DD HH:MM\"' with the window")
        for key in ("started_at", "ended_at"):
            if key in fm:
                self.diag.error(fm[key].line, f"'{key}' is for incidents", "a maintenance's window is scheduled_for and scheduled_until")
        start, until = out["scheduled_for"], out["scheduled_until"]
        if isinstance(start, dt.datetime) and isinstance(until, dt.datetime) and until <= start:
            self.diag.error(fm["scheduled_until"].line, "scheduled_until is not after scheduled_for", "check the window")

    def _impact_times(self, fm: dict[str, frontmatter.Value], out: dict[str, object]) -> None:
        """An incident's started_at/ended_at in order; no maintenance window."""
        for key in ("scheduled_for", "scheduled_until"):
            if key in fm:
                self.diag.error(fm[key].line, f"'{key}' is for maintenance", "add 'type: maintenance', or use started_at and ended_at")
        start, end = out["started_at"], out["ended_at"]
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end < start:
            self.diag.error(fm["ended_at"].line, "ended_at is before started_at", "check both times")

    def components(self, value: frontmatter.Value | None) -> dict[str, str | None]:
        """``components:`` as a list of ids or a mapping id -> status, validated."""
        if value is None or value.data is None:
            return {}
        out: dict[str, str | None] = {}
        for cid, status in self._component_pairs(value):
            cid = str(cid).strip()
            if self._known_component(cid, value.line):
                word = self._component_status(cid, status, value.line)
                if word is not False:
                    out[cid] = word  # type: ignore[assignment]
        return out

    def _component_pairs(self, value: frontmatter.Value) -> list[tuple[str, object]]:
        data = [value.data] if isinstance(value.data, str) else value.data
        if isinstance(data, dict):
            return list(data.items())
        pairs: list[tuple[str, object]] = []
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and len(item) == 1:
                pairs.extend(item.items())
            elif isinstance(item, str):
                pairs.append((item, None))
            else:
                self.diag.error(value.line, "components must be a list of component ids or a mapping 'id: status'")
        return pairs

    def _known_component(self, cid: str, line: int) -> bool:
        s = self.settings
        if cid in s.groups:
            self.diag.error(line, f"'{cid}' is a group, not a component", "name the affected components instead: " + ", ".join(s.groups[cid]))
            return False
        if cid not in s.components:
            self.diag.error(line, f"unknown component '{cid}'{did_you_mean(cid, s.components)}",
                            "declare it in mkdocs.yml under the plugin's components, or use one of: " + ", ".join(s.components))
            return False
        return True

    def _component_status(self, cid: str, status: object, line: int) -> str | None | bool:
        """The front matter status of one component: a status, None (implied by the impact), or False (an error)."""
        if status is None or status == "":
            return None
        allowed = COMPONENT_STATUSES[1:]
        word = str(status).strip().lower()
        if word not in allowed:
            self.diag.error(line, f"unknown component status '{status}' for '{cid}'{did_you_mean(word, allowed)}", one_of(allowed))
            return False
        if self.kind == INCIDENT and word == "under_maintenance":
            self.diag.error(line, f"'{cid}: under_maintenance' belongs in a maintenance", "add 'type: maintenance' or pick an outage status")
            return False
        return word

    # -- body ---------------------------------------------------------------

    def heading(self, lineno: int, line: str) -> _Draft:
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

    def _heading(self, lineno: int, rest: str, attributes: Attributes) -> _Draft:
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
            return _Draft(lineno, None, None)
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
        return _Draft(lineno, status, at, attributes=attributes)

    def body(self, start: int, current: _Draft | None = None) -> list[_Draft]:
        """Read the updates after the front matter: headings, their text and language blocks.

        A notice passes ``current``: the text before any heading is its own.
        """
        state = _Body(drafts=[current] if current is not None else [])
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

    def _body_line(self, state: _Body, token: Line) -> None:
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

    def _open_block(self, state: _Body, current: _Draft, token: Line) -> None:
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

    # -- whole file ---------------------------------------------------------

    def run(self) -> Incident | None:
        if not ID_PATTERN.fullmatch(self.stem):
            self.diag.error(1, f"'{self.stem}' is not a valid incident id (the file name is the id)",
                            "rename the file to lowercase letters, digits and hyphens, e.g. 2025-11-12-queue-login.md")
        elif self.stem in RESERVED_IDS:
            self.diag.error(1, f"'{self.stem}' cannot be an incident id: the site uses that name already",
                            "rename the file, e.g. 2025-11-12-unresolved-calls.md")
        fm, body_start = self.front_matter()
        header = self.header(fm)
        if self.kind == NOTICE:
            return notice.finish(self, fm, header, body_start)
        drafts = self.body(body_start)
        if not drafts:
            self.diag.error(max(body_start, 1), "no update heading found", HEADING_EXAMPLE)
        updates = self.updates([d for d in drafts if d.ok])
        ended = header.get("ended_at")
        if ended is not None and updates and self.kind == INCIDENT and updates[-1].kept not in RESOLVED_STATUSES:
            self.diag.error(fm["ended_at"].line, "ended_at is set but the incident is not resolved",
                            "post '## Resolved · …' first, or remove ended_at")
        if self.diag.errors or not updates:
            return None
        assert isinstance(header["titles"], dict)
        if self.lang not in header["titles"]:
            return None
        return Incident(
            id=self.stem,
            source=self.source,
            kind=self.kind,
            titles=header["titles"],  # type: ignore[arg-type]
            lang=self.lang,
            impact=header["impact"],  # type: ignore[arg-type]
            components=header["components"],  # type: ignore[arg-type]
            updates=tuple(updates),
            timezone=self.tz,
            machine_translated=header["machine_translated"],  # type: ignore[arg-type]
            started_at=header["started_at"],  # type: ignore[arg-type]
            ended_at=header["ended_at"],  # type: ignore[arg-type]
            scheduled_for=header["scheduled_for"],  # type: ignore[arg-type]
            scheduled_until=header["scheduled_until"],  # type: ignore[arg-type]
            lines=frontmatter.source_map(fm),
        )

    def updates(self, drafts: list[_Draft]) -> list[Update]:
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

    def _same_instant(self, draft: _Draft, before: _Draft) -> None:
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


def parse_incident(source: str, stem: str, text: str, settings: ParseSettings) -> tuple[Incident | None, list[Diagnostic]]:
    """Parse one file. The incident is None when the file has errors."""
    parser = _FileParser(source, stem, text, settings)
    try:
        incident = parser.run()
    except RecursionError:  # pragma: no cover - absurdly nested YAML
        parser.diag.error(1, "front matter is nested too deeply")
        incident = None
    if incident is not None:
        parser.diag.extend(check_languages(incident, settings))
        parser.diag.extend(check_postmortems(incident))
        parser.diag.extend(check_incident(incident))
        if parser.diag.errors:
            incident = None
    return incident, parser.diag.items


def check_languages(incident: Incident, settings: ParseSettings) -> list[Diagnostic]:
    """Warnings for required languages missing from the title (at its line) or an update."""
    diag = Diagnostics(file=incident.source)
    title_line = incident.lines.line("title")
    for lang in settings.required_languages:
        if lang not in incident.titles:
            key = f"title_{lang}"
            diag.warning(title_line, f"no title in required language {lang}; the {incident.lang} title is shown",
                         f"add '{key}: …' to the front matter")
    for update in incident.updates:
        if not update.texts:
            diag.warning(update.line, "update has no text", "write what happened under the heading")
            continue
        missing = [lang for lang in settings.required_languages if lang not in update.texts]
        for lang in missing:
            fallback = incident.lang if incident.lang in update.texts else next(iter(update.texts))
            diag.warning(update.line, f"update has no text in required language {lang}; {fallback} text is shown instead",
                         f"add a '::: {lang}' block" if lang != incident.lang else "write the text outside any ::: block")
    return diag.items


def check_postmortems(incident: Incident) -> list[Diagnostic]:
    """Warnings for postmortems that still hold the placeholder text of ``mkdocs-status postmortem``."""
    diag = Diagnostics(file=incident.source)
    for update in incident.updates:
        if update.status == "postmortem":
            unfilled = [lang for lang, text in update.texts.items() if unfilled_postmortem(text)]
            if unfilled:
                diag.warning(update.line, f"the postmortem still holds the skeleton's placeholder text ({', '.join(unfilled)})",
                             "replace every placeholder sentence with what happened; until then notify does not send it")
    return diag.items


def check_against_now(incident: Incident, now: dt.datetime) -> list[Diagnostic]:
    """Warnings that depend on the build time: future updates, stale incidents."""
    diag = Diagnostics(file=incident.source)
    for update in incident.updates:
        if update.at > now:
            diag.warning(update.line, f"update is dated {update.at.isoformat(sep=' ', timespec='minutes')}, after the build time {now.astimezone(update.at.tzinfo).isoformat(sep=' ', timespec='minutes')}",
                         "check the date, the zone and the clock of the machine that builds the site")
    if incident.kind == INCIDENT and not incident.resolved and now - incident.first.at > STALE_AFTER:
        days = (now - incident.first.at).days
        diag.warning(incident.latest.line, f"incident is unresolved {days} days after its first update",
                     "post '## Resolved · …' if it is over, or an update saying why it is not")
    return diag.items


@dataclass(frozen=True)
class SourceFile:
    """An incident file to parse: how to name it in messages, its id and text."""

    source: str
    stem: str
    text: str


def duplicate_id(source: str, iid: str, other: str) -> Diagnostic:
    """The error for a second file with an id already taken by ``other`` (ids are file names)."""
    return Diagnostic(source, 1, "error", f"duplicate incident id '{iid}' (also {other})",
                      "ids are file names and must be unique across subfolders; rename one")


def parse_site_incidents(files: Iterable[SourceFile], settings: ParseSettings, now: dt.datetime | None = None) -> tuple[list[Incident], list[Diagnostic]]:
    """Parse every file, check ids are unique, and order incidents newest first."""
    incidents: list[Incident] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for f in files:
        if f.stem in seen:
            diagnostics.append(duplicate_id(f.source, f.stem, seen[f.stem]))
            continue
        seen[f.stem] = f.source
        incident, diags = parse_incident(f.source, f.stem, f.text, settings)
        diagnostics.extend(diags)
        if incident is not None and incident.kind == NOTICE and now is not None:
            incident, notes = notice.at_now(incident, now, settings)
            diagnostics.extend(notes)
            if incident is None:
                continue  # shown from its starts_at on
        if incident is not None:
            if now is not None:
                diagnostics.extend(check_against_now(incident, now))
            incidents.append(incident)
    incidents.sort(key=lambda i: (i.start, i.id), reverse=True)
    return incidents, diagnostics
