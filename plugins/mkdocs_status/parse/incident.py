"""One incident file -> an :class:`~mkdocs_status.model.Incident` plus diagnostics.

Follows the format contract: front matter, then ``## <status> <sep> <date time>
[<zone>]`` update headings whose bodies may hold ``::: <lang>`` blocks. This module
reads the front matter and checks the whole; :mod:`~mkdocs_status.parse.updates`
reads the updates. Nothing here raises on bad input: every problem becomes a
diagnostic naming the line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ..diagnostics import Diagnostic, Diagnostics, did_you_mean, one_of
from ..l10n.languages import normalize
from ..model import (
    COMPONENT_STATUSES,
    IMPACTS,
    INCIDENT,
    MAINTENANCE,
    NOTICE,
    RESOLVED_STATUSES,
    Incident,
    Settings,
)
from ..postmortem import unfilled_postmortem
from ..timeline import check_incident
from . import frontmatter, invisible, notice
from .attributes import AttributeReader
from .dates import DateError, parse_datetime, zone
from .updates import HEADING_EXAMPLE, SEPARATORS, STATUS_ALIASES, UpdateReader, reads_as_update

__all__ = [  # reads_as_update and the heading's words are the updates module's, here as the CLI has always imported them
    "SEPARATORS", "STATUS_ALIASES", "ParseSettings", "SourceFile", "check_against_now", "check_languages", "check_postmortems",
    "duplicate_id", "parse_incident", "parse_site_incidents", "reads_as_update",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
# Ids whose URLs the site already uses (api/v2/incidents/unresolved.json).
RESERVED_IDS = frozenset({"unresolved"})
KNOWN_KEYS = (
    "title", "impact", "components", "lang", "timezone", "machine_translated", "type",
    "started_at", "ended_at", "scheduled_for", "scheduled_until", "draft", *notice.NOTICE_KEYS,
)  # fmt: skip
STALE_AFTER = dt.timedelta(days=7)


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



class _FileParser(UpdateReader):
    """Reads one file: its front matter here, its updates as an :class:`UpdateReader`."""

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


# Reads one file: (source, stem, text, settings) -> (incident or None, diagnostics), as parse_incident.
ParseOne = Callable[[str, str, str, ParseSettings], tuple[Incident | None, list[Diagnostic]]]


def duplicate_id(source: str, iid: str, other: str) -> Diagnostic:
    """The error for a second file with an id already taken by ``other`` (ids are file names)."""
    return Diagnostic(source, 1, "error", f"duplicate incident id '{iid}' (also {other})",
                      "ids are file names and must be unique across subfolders; rename one")


def parse_site_incidents(files: Iterable[SourceFile], settings: ParseSettings, now: dt.datetime | None = None,
                         parse: ParseOne | None = None) -> tuple[list[Incident], list[Diagnostic]]:
    """Parse every file, check ids are unique, and order incidents newest first.

    ``parse`` reads one file (default :func:`parse_incident`); ``mkdocs serve`` passes a cache
    of its results, so a rebuild parses only the files that changed.
    """
    parse = parse or parse_incident
    incidents: list[Incident] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for f in files:
        if f.stem in seen:
            diagnostics.append(duplicate_id(f.source, f.stem, seen[f.stem]))
            continue
        seen[f.stem] = f.source
        incident, diags = parse(f.source, f.stem, f.text, settings)
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
