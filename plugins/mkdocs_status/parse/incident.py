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
    RESOLVED_STATUSES,
    Incident,
    Settings,
    Update,
)
from ..timeline import check_incident
from . import frontmatter
from .attributes import EXAMPLE as ATTRIBUTES_EXAMPLE
from .attributes import AttributeReader, Attributes, split_block
from .dates import DATE_TIME, DateError, ParsedTime, finish, parse_datetime, zone

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
# Ids whose URLs the site already uses (api/v2/incidents/unresolved.json).
RESERVED_IDS = frozenset({"unresolved"})
HEADING = re.compile(r"##(?=[ \t]|[^\W\d_])")
LEVEL1 = re.compile(r" {0,3}#(?:[ \t]|$)")
FENCE = re.compile(r"\s*(`{3,}|~{3,})")
BLOCK_OPEN = re.compile(r":::[ \t]*(\S.*?)[ \t]*$")
BLOCK_CLOSE = re.compile(r":::[ \t]*$")
SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
NOT_PARAGRAPH = re.compile(r"\s*($|[-*+>|#]|\d+[.)]\s|:::|`{3}|~{3})")
SEPARATORS = "·-–—|@"
STATUS_ALIASES = {"in progress": "in_progress", "inprogress": "in_progress", "post-mortem": "postmortem", "post mortem": "postmortem"}
KNOWN_KEYS = (
    "title", "impact", "components", "lang", "timezone", "machine_translated", "type",
    "started_at", "ended_at", "scheduled_for", "scheduled_until",
)  # fmt: skip
STALE_AFTER = dt.timedelta(days=7)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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


Fence = tuple[str, int]  # the fence's character and length


def next_fence(fence: Fence | None, line: str) -> tuple[Fence | None, bool]:
    """Fenced-code tracking: (the fence open after ``line``, whether ``line`` is code).

    Inside fenced code, ``##`` and ``:::`` lines are just code.
    """
    if fence is not None:
        closing = FENCE.match(line)
        if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= fence[1] and not line[closing.end():].strip():
            return None, True
        return fence, True
    opened = FENCE.match(line)
    return ((opened.group(1)[0], len(opened.group(1))), True) if opened else (None, False)


def _status_word(text: str) -> str:
    word = re.sub(r"[\s_]+", " ", text.strip().lower())
    return STATUS_ALIASES.get(word, word)


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
        for number, line in enumerate(self.lines, 1):
            # Control characters cannot be shown in HTML or XML: say so, then leave them out.
            if CONTROL.search(line):
                self.diag.warning(number, f"invisible control character U+{ord(CONTROL.search(line).group()):04X} is left out",  # type: ignore[union-attr]
                                  "delete it; it is often pasted from a terminal")
                self.lines[number - 1] = CONTROL.sub("", line)
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
        out: dict[str, object] = {}
        # First the fields others depend on.
        if "type" in fm:
            kind = str(fm["type"].data).strip().lower()
            if kind not in (INCIDENT, MAINTENANCE):
                self.diag.error(fm["type"].line, f"unknown type '{fm['type'].data}'{did_you_mean(kind, (INCIDENT, MAINTENANCE))}",
                                one_of((INCIDENT, MAINTENANCE)))
            else:
                self.kind = kind
        if "lang" in fm:
            self.lang = self._language(fm["lang"].data, fm["lang"].line, "'lang'") or self.lang
        if "timezone" in fm:
            try:
                self.tz = zone(str(fm["timezone"].data))
            except DateError as exc:
                self.diag.error(fm["timezone"].line, exc.message, exc.hint)
        titles: dict[str, str] = {}
        if "title" in fm:
            self.title_line = fm["title"].line
            title = self._text(fm["title"], "title")
            if title:
                titles[self.lang] = title
        else:
            self.diag.error(1, "missing title", "add 'title: …' to the front matter")
        for key, value in fm.items():
            m = re.fullmatch(r"title[_-](.+)", key)
            if m:
                code = self._language(m.group(1), value.line, f"'{key}'")
                if code is None:
                    continue
                if code == self.lang:
                    self.diag.error(value.line, f"'{key}' repeats the file's own language ({code})",
                                    "'title' already holds it; remove one")
                    continue
                text = self._text(value, key)
                if text:
                    titles[code] = text
            elif key not in KNOWN_KEYS:
                self.diag.warning(value.line, f"unknown front matter key '{key}' is not used{did_you_mean(key, KNOWN_KEYS)}",
                                  "known keys: " + ", ".join(KNOWN_KEYS))
        out["titles"] = titles
        # Impact.
        impact = "none"
        if "impact" in fm:
            word = str(fm["impact"].data).strip().lower()
            if word not in IMPACTS and not (self.kind == MAINTENANCE and word == "maintenance"):
                self.diag.error(fm["impact"].line, f"unknown impact '{fm['impact'].data}'{did_you_mean(word, IMPACTS)}", one_of(IMPACTS))
            elif word in IMPACTS:
                impact = word
        elif self.kind == INCIDENT:
            self.diag.error(self.title_line, "missing impact", "add 'impact: none', 'minor', 'major' or 'critical'")
        out["impact"] = impact
        out["components"] = self.components(fm.get("components"))
        # Languages with machine translated text.
        machine: set[str] = set()
        if "machine_translated" in fm:
            value = fm["machine_translated"]
            items = value.data if isinstance(value.data, list) else [value.data] if value.data else []
            for item in items:
                code = self._language(item, value.line, "'machine_translated'")
                if code:
                    machine.add(code)
        out["machine_translated"] = frozenset(machine)
        # Times.
        for key in ("started_at", "ended_at", "scheduled_for", "scheduled_until"):
            out[key] = self._time(fm[key], key) if key in fm else None
        if self.kind == MAINTENANCE:
            for key in ("scheduled_for", "scheduled_until"):
                if key not in fm:
                    self.diag.error(self.title_line, f"maintenance without '{key}'",
                                    f"add '{key}: \"YYYY-MM-DD HH:MM\"' with the window")
            for key in ("started_at", "ended_at"):
                if key in fm:
                    self.diag.error(fm[key].line, f"'{key}' is for incidents", "a maintenance's window is scheduled_for and scheduled_until")
            start, until = out["scheduled_for"], out["scheduled_until"]
            if isinstance(start, dt.datetime) and isinstance(until, dt.datetime) and until <= start:
                self.diag.error(fm["scheduled_until"].line, "scheduled_until is not after scheduled_for", "check the window")
        else:
            for key in ("scheduled_for", "scheduled_until"):
                if key in fm:
                    self.diag.error(fm[key].line, f"'{key}' is for maintenance", "add 'type: maintenance', or use started_at and ended_at")
            start, end = out["started_at"], out["ended_at"]
            if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end < start:
                self.diag.error(fm["ended_at"].line, "ended_at is before started_at", "check both times")
        out["lines"] = {k: v.line for k, v in fm.items()}
        return out

    def components(self, value: frontmatter.Value | None) -> dict[str, str | None]:
        if value is None or value.data is None:
            return {}
        s = self.settings
        data = value.data
        if isinstance(data, str):
            data = [data]
        pairs: list[tuple[str, str | None]] = []
        if isinstance(data, list):
            for item in data:
                if isinstance(item, dict) and len(item) == 1:
                    pairs.extend(item.items())
                elif isinstance(item, str):
                    pairs.append((item, None))
                else:
                    self.diag.error(value.line, "components must be a list of component ids or a mapping 'id: status'")
        elif isinstance(data, dict):
            pairs = [(k, v) for k, v in data.items()]
        out: dict[str, str | None] = {}
        allowed = COMPONENT_STATUSES[1:]
        for cid, status in pairs:
            cid = str(cid).strip()
            if cid in s.groups:
                self.diag.error(value.line, f"'{cid}' is a group, not a component",
                                "name the affected components instead: " + ", ".join(s.groups[cid]))
                continue
            if cid not in s.components:
                self.diag.error(value.line, f"unknown component '{cid}'{did_you_mean(cid, s.components)}",
                                "declare it in mkdocs.yml under the plugin's components, or use one of: " + ", ".join(s.components))
                continue
            if status is not None and status != "":
                word = str(status).strip().lower()
                if word not in allowed:
                    self.diag.error(value.line, f"unknown component status '{status}' for '{cid}'{did_you_mean(word, allowed)}", one_of(allowed))
                    continue
                if self.kind == INCIDENT and word == "under_maintenance":
                    self.diag.error(value.line, f"'{cid}: under_maintenance' belongs in a maintenance", "add 'type: maintenance' or pick an outage status")
                    continue
                out[cid] = word
            else:
                out[cid] = None
        return out

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

    def body(self, start: int) -> list[_Draft]:
        drafts: list[_Draft] = []
        current: _Draft | None = None
        fence: tuple[str, int] | None = None
        block: str | None = None  # language of the open ::: block ("" = invalid block)
        block_line = 0
        reported_preamble = False
        prev = ""
        for index in range(start, len(self.lines)):
            lineno = index + 1
            line = self.lines[index]
            target_lang = self.lang if block is None else block
            if fence is not None:
                fence, _ = next_fence(fence, line)
                if current is not None:
                    current.texts.setdefault(target_lang, []).append(line)
                prev = line
                continue
            if HEADING.match(line):
                if block is not None:
                    self.diag.error(block_line, "::: block is not closed before the next update", "close it with a line ':::'")
                    block = None
                current = self.heading(lineno, line)
                drafts.append(current)
                prev = ""
                continue
            if current is None:
                if line.strip() and not reported_preamble:
                    self.diag.error(lineno, "text before the first update heading", HEADING_EXAMPLE)
                    reported_preamble = True
                prev = line
                continue
            if not line or line[0].isalpha():
                # Plain text (most lines): cannot open a fence, a block or a heading.
                if block != "":
                    current.texts.setdefault(target_lang, []).append(line)
                prev = line
                continue
            fence, code = next_fence(None, line)
            if code:
                pass
            elif LEVEL1.match(line):
                self.diag.error(lineno, "level-1 heading inside an update", "use '###' for headings inside an update")
            elif SETEXT.match(line) and prev.strip() and not NOT_PARAGRAPH.match(prev) and not SETEXT.match(prev):
                self.diag.error(lineno, "text underlined with '---' or '===' is a heading, not an update",
                                "use '###' for a heading inside an update, or leave a blank line before the rule")
            elif BLOCK_CLOSE.match(line):
                if block is None:
                    self.diag.error(lineno, "stray ':::' with no open language block", "open blocks with '::: <lang>'")
                block = None
                prev = ""
                continue
            elif BLOCK_OPEN.match(line):
                raw = BLOCK_OPEN.match(line).group(1)
                if block is not None:
                    self.diag.error(block_line, "::: block is not closed", "close it with a line ':::' before opening another")
                block_line = lineno
                code = normalize(raw)
                if code is None or code not in self.settings.languages:
                    self.diag.error(lineno, f"unknown language '{raw}' in ::: block{did_you_mean(raw.replace('-', '_'), self.settings.languages)}",
                                    "blocks hold translations; configured languages: " + ", ".join(self.settings.languages))
                    block = ""
                elif code == self.lang:
                    self.diag.error(lineno, f"::: {raw} block is in the file's own language",
                                    "text outside blocks is already in that language; remove the block markers")
                    block = ""
                elif code in current.block_lines:
                    self.diag.error(lineno, f"second ::: {raw} block in one update (first at line {current.block_lines[code]})",
                                    "merge the two blocks")
                    block = ""
                else:
                    current.block_lines[code] = lineno
                    block = code
                prev = ""
                continue
            if block != "":
                current.texts.setdefault(target_lang, []).append(line)
            prev = line
        if block is not None:
            self.diag.error(block_line, "::: block is never closed", "close it with a line ':::'")
        return drafts

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
        drafts = self.body(body_start)
        if not drafts:
            self.diag.error(max(body_start, 1), "no update heading found", HEADING_EXAMPLE)
        updates = self.updates([d for d in drafts if d.ok])
        ended = header.get("ended_at")
        if ended is not None and updates and self.kind == INCIDENT and updates[-1].kept not in RESOLVED_STATUSES:
            self.diag.error(int(header["lines"]["ended_at"]), "ended_at is set but the incident is not resolved",  # type: ignore[index]
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
            extra={"lines": header["lines"], "title_line": self.title_line},
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
            last_instant = instant
            texts = {lang: _clean(lines) for lang, lines in draft.texts.items()}
            texts = {lang: text for lang, text in texts.items() if text}
            attrs = draft.attributes
            out.append(Update(status=draft.status, kept=status, at=draft.at.at, texts=texts, line=draft.line, index=index, tie=tie,
                              short_id=attrs.short_id, components=attrs.components, notify=attrs.notify))
        self._check_keys(out)
        return out

    def _check_keys(self, updates: list[Update]) -> None:
        """Every update's id (written or derived from its instant) is unique in the incident, ignoring case."""
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
        parser.diag.extend(check_incident(incident))
        if parser.diag.errors:
            incident = None
    return incident, parser.diag.items


def check_languages(incident: Incident, settings: ParseSettings) -> list[Diagnostic]:
    """Warnings for required languages missing from the title or an update."""
    diag = Diagnostics(file=incident.source)
    title_line = int(incident.extra.get("title_line", 1))  # type: ignore[call-overload]
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


def check_against_now(incident: Incident, now: dt.datetime) -> list[Diagnostic]:
    """Warnings that depend on the build time: future updates, stale incidents."""
    diag = Diagnostics(file=incident.source)
    for update in incident.updates:
        if update.at > now:
            diag.warning(update.line, f"update is dated {update.at.isoformat(sep=' ', timespec='minutes')}, after the build time {now.astimezone(update.at.tzinfo).isoformat(sep=' ', timespec='minutes')}",
                         "check the date, the zone and the clock of the machine that builds the site")
    if not incident.is_maintenance and not incident.resolved and now - incident.first.at > STALE_AFTER:
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


def parse_site_incidents(files: Iterable[SourceFile], settings: ParseSettings, now: dt.datetime | None = None) -> tuple[list[Incident], list[Diagnostic]]:
    """Parse every file, check ids are unique, and order incidents newest first."""
    incidents: list[Incident] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for f in files:
        if f.stem in seen:
            diagnostics.append(Diagnostic(f.source, 1, "error", f"duplicate incident id '{f.stem}' (also {seen[f.stem]})",
                                          "ids are file names and must be unique across subfolders; rename one"))
            continue
        seen[f.stem] = f.source
        incident, diags = parse_incident(f.source, f.stem, f.text, settings)
        diagnostics.extend(diags)
        if incident is not None:
            if now is not None:
                diagnostics.extend(check_against_now(incident, now))
            incidents.append(incident)
    incidents.sort(key=lambda i: (i.start, i.id), reverse=True)
    return incidents, diagnostics
