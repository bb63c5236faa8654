"""The status site as plain data: settings, components, incidents, updates.

Everything here is immutable once parsed and free of I/O and clocks. Derived
facts that do not depend on "now" (an incident's status, start, end) are
properties; those that do (maintenance phase, component status, uptime) live
in :mod:`mkdocs_status.timeline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

# Lifecycle order of the status words; equal times sort by this order.
INCIDENT_STATUSES = ("investigating", "identified", "update", "monitoring", "resolved", "postmortem")
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "update", "verifying", "completed", "cancelled")
IMPACTS = ("none", "minor", "major", "critical")
# Worst last.
COMPONENT_STATUSES = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)
IMPACT_COMPONENT_STATUS = {
    "none": None,
    "minor": "degraded_performance",
    "major": "partial_outage",
    "critical": "major_outage",
}
# The share of an instant that counts as downtime (Statuspage's weighting).
DOWNTIME_WEIGHT = {"major_outage": 1.0, "partial_outage": 0.3}
RESOLVED_STATUSES = frozenset({"resolved", "postmortem"})
MAINTENANCE_ENDS = frozenset({"completed", "cancelled"})  # return a maintenance's components to operational
INCIDENT = "incident"
MAINTENANCE = "maintenance"
NOTICE = "notice"  # a pinned informational message (type: notice): impact none, never counted against uptime


def component_rank(status: str) -> int:
    return COMPONENT_STATUSES.index(status)


def worst(statuses: list[str] | tuple[str, ...] | set[str]) -> str:
    """The worst component status of several (operational for none)."""
    return max(statuses, key=component_rank, default="operational")



_UNSET: Any = object()


class _Kept:
    """``cached_property`` for a slotted frozen dataclass: the value is kept in the slot ``_<name>``."""

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.slot = "_" + func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = getattr(obj, self.slot)
        if value is _UNSET:
            value = self.func(obj)
            object.__setattr__(obj, self.slot, value)
        return value


class Language(NamedTuple):
    """A configured language: babel identifier, BCP 47 tag and URL prefix."""

    code: str  # babel identifier: "nb", "pt_BR"
    tag: str  # BCP 47: "pt-BR"
    prefix: str  # URL folder: "" for the default language, else "pt-br/"
    name: str  # its name in itself: "norsk bokmål"


@dataclass(frozen=True)
class Subject:
    """What a component and a group are both: an id, a name and a description per language, a place in the list."""

    id: str
    names: dict[str, str]  # language code -> name
    descriptions: dict[str, str]
    position: int


@dataclass(frozen=True)
class Component(Subject):
    """A component of the service, as mkdocs.yml declares it."""

    group: str | None = None
    start_date: dt.date | None = None
    only_show_if_degraded: bool = False  # Statuspage's flag: hidden from the overview while operational


@dataclass(frozen=True)
class Group(Subject):
    """A group of components: its page and badge show the worst of its members."""

    components: tuple[str, ...]

    def only_show_if_degraded(self, settings: Settings) -> bool:
        """A group whose every member shows only when degraded is hidden with them."""
        return all(settings.component(cid).only_show_if_degraded for cid in self.components)


@dataclass(frozen=True)
class Settings:
    """What the site configuration says, validated and normalised."""

    site_name: str
    site_url: str | None
    languages: tuple[Language, ...]
    required_languages: tuple[str, ...]
    timezone: ZoneInfo
    display_timezones: tuple[ZoneInfo, ...]
    components: tuple[Component, ...]
    groups: tuple[Group, ...]
    feed_limit: int = 50
    description: str = ""
    clock: dt.datetime | None = None  # the ``now:`` option: the site is built as of this instant

    @cached_property
    def default_language(self) -> str:
        return self.languages[0].code

    @cached_property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        return self._languages[code]

    @cached_property
    def _languages(self) -> dict[str, Language]:
        return {lang.code: lang for lang in self.languages}

    def component(self, cid: str) -> Component:
        return self._components[cid]

    def group(self, gid: str) -> Group:
        return self._groups[gid]

    # cached_property writes the instance's __dict__ directly, so it works on frozen dataclasses.
    @cached_property
    def _components(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}

    @cached_property
    def _groups(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    def component_ids(self) -> list[str]:
        return [c.id for c in self.components]

    def subject_ids(self) -> list[str]:
        """Every component's id, then every group's: each has a page, feeds and a badge."""
        return [c.id for c in self.components] + [g.id for g in self.groups]


@dataclass(frozen=True, slots=True)
class Update:
    """One post of an incident: a status word, an instant and its text.

    Slotted, its instant in UTC and its key worked out once: a site of 10,000 incidents holds
    some 45,000 updates for the whole build, and an instance dict each would be some 25 MB.
    """

    status: str  # as written, normalised: "in_progress", "update", ...
    kept: str  # the status it reports: for "update", the status it kept
    at: dt.datetime  # aware, in the zone it was written in
    texts: dict[str, str]  # language code -> Markdown
    line: int
    index: int  # position in the file
    tie: int = 0  # rank among updates of the incident with the same instant
    short_id: str | None = None  # the heading's own id ({#k7f2}), if written
    components: dict[str, str] = field(default_factory=dict)  # component id -> status set from this update on
    notify: bool = True  # False: {notify=false}, Statuspage's deliver_notifications: false
    automatic: bool = False  # added by the build (a maintenance phase the window reached)
    utc: dt.datetime = field(init=False, compare=False, repr=False)  # ``at`` in UTC
    # A stable identifier of the update within its incident: its own id, else its instant.
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        utc = self.at.astimezone(dt.timezone.utc)
        object.__setattr__(self, "utc", utc)
        stamp = self.short_id or utc.strftime("%Y%m%dT%H%M%SZ")
        object.__setattr__(self, "key", stamp if self.short_id or not self.tie else f"{stamp}-{self.tie}")


@dataclass(frozen=True)
class SourceMap:
    """Where an incident's parts are written in its file: the lines its diagnostics name.

    Kept beside what the incident says (never compared, hashed or shown), so that a
    check run after parsing (the timeline's, a notice's, the automatic updates of a
    maintenance) names the front matter line it is about. Updates carry their
    heading's line themselves (``Update.line``).
    """

    front_matter: tuple[tuple[str, int], ...] = ()  # (key, line of the key), in file order

    @classmethod
    def of(cls, lines: dict[str, int]) -> SourceMap:
        return cls(tuple(lines.items()))

    def line(self, key: str, default: int = 1) -> int:
        """The line of a front matter key, ``default`` when the file does not write it."""
        return self._lines.get(key, default)

    @cached_property
    def _lines(self) -> dict[str, int]:
        return dict(self.front_matter)


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident or a maintenance, as its file says it.

    Slotted (a large site holds 10,000 for the whole build); what is worked out from the fields
    is kept in slots of its own (:class:`_Kept`), made again for a copy (``dataclasses.replace``).
    """

    id: str
    source: str  # path as shown in messages, relative to the config file
    kind: str  # INCIDENT or MAINTENANCE
    titles: dict[str, str]
    lang: str
    impact: str
    components: dict[str, str | None]  # id -> status (None: implied by impact)
    updates: tuple[Update, ...]  # oldest first
    timezone: ZoneInfo
    machine_translated: frozenset[str] = frozenset()
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    scheduled_for: dt.datetime | None = None
    scheduled_until: dt.datetime | None = None
    lines: SourceMap = field(default=SourceMap(), compare=False, hash=False, repr=False)  # where it is written
    _affected: Any = field(default=_UNSET, init=False, compare=False, repr=False)
    _component_states: Any = field(default=_UNSET, init=False, compare=False, repr=False)
    _initial_states: Any = field(default=_UNSET, init=False, compare=False, repr=False)
    _final_resolution: Any = field(default=_UNSET, init=False, compare=False, repr=False)
    _component_steps: Any = field(default=_UNSET, init=False, compare=False, repr=False)

    @property
    def is_maintenance(self) -> bool:
        return self.kind == MAINTENANCE

    @property
    def is_notice(self) -> bool:
        return self.kind == NOTICE

    @property
    def first(self) -> Update:
        return self.updates[0]

    @property
    def latest(self) -> Update:
        return self.updates[-1]

    @property
    def status(self) -> str:
        """The status of the latest update (for maintenance: ignoring the window)."""
        return self.latest.kept

    @property
    def resolved(self) -> bool:
        return not self.is_maintenance and self.status in RESOLVED_STATUSES

    @property
    def resolved_at(self) -> dt.datetime | None:
        if not self.resolved:
            return None
        times = [u.at for u in self.updates if u.status == "resolved"]
        return times[-1] if times else self.latest.at

    @property
    def monitoring_at(self) -> dt.datetime | None:
        times = [u.at for u in self.updates if u.status == "monitoring"]
        return times[-1] if times else None

    @property
    def start(self) -> dt.datetime:
        if self.is_maintenance:
            return self.scheduled_for or self.first.at
        return self.started_at or self.first.at

    @property
    def end(self) -> dt.datetime | None:
        """When the impact ended, or None while unresolved."""
        if self.is_maintenance:
            return self.scheduled_until
        if not self.resolved:
            return None
        return self.ended_at or self.resolved_at

    @property
    def duration(self) -> dt.timedelta | None:
        end = self.end
        # Subtract in UTC: Python subtracts two times in one zone by their wall clocks,
        # which is an hour off across a DST change.
        return None if end is None else end.astimezone(dt.timezone.utc) - self.start.astimezone(dt.timezone.utc)

    def component_status(self, cid: str) -> str | None:
        """The status the front matter gives a component from the incident's start (None: unchanged)."""
        if self.is_maintenance:
            return "under_maintenance"
        explicit = self.components.get(cid)
        return explicit or IMPACT_COMPONENT_STATUS[self.impact]

    @property
    def cancelled(self) -> bool:
        """A maintenance whose latest update cancels it: its window never opens."""
        return self.is_maintenance and self.status == "cancelled"

    @_Kept
    def affected(self) -> tuple[str, ...]:
        """Every component the incident names: the front matter's, then those updates add, in order."""
        out = dict.fromkeys(self.components)
        for update in self.updates:
            out.update(dict.fromkeys(update.components))
        return tuple(out)

    @_Kept
    def component_states(self) -> tuple[dict[str, str], ...]:
        """The status of each affected component right after each update, as posted.

        The front matter's status holds from the start; an update's ``components`` set
        statuses from that update on; a resolving update returns every component to
        ``operational`` except those it (or a later update while resolved) names; a
        reopening brings back what the components held before the resolution.
        Maintenance: these are only the statuses its updates name (an import writes
        Statuspage's), ended by ``completed`` or ``cancelled``; on top of them its
        components are under maintenance while it is in progress, which depends on
        its window (see :mod:`mkdocs_status.timeline`).
        """
        held = self.initial_states
        resolved = False
        sticky: set[str] = set()
        out = []
        ends = MAINTENANCE_ENDS if self.is_maintenance else RESOLVED_STATUSES
        for update in self.updates:
            now_resolved = update.kept in ends
            if now_resolved and not resolved:
                sticky = set()
            resolved = now_resolved
            held = {**held, **update.components}
            if resolved:
                sticky.update(update.components)
            out.append({cid: held[cid] if not resolved or cid in sticky else "operational" for cid in self.affected})
        return tuple(out)

    @_Kept
    def initial_states(self) -> dict[str, str]:
        """Each affected component's status from the start, before any update changes it."""
        if self.is_maintenance:  # under maintenance only while in progress (timeline.maintenance_in_progress)
            return dict.fromkeys(self.affected, "operational")
        return {cid: (self.component_status(cid) if cid in self.components else None) or "operational" for cid in self.affected}

    @_Kept
    def final_resolution(self) -> int | None:
        """The index of the update that last resolved the incident (None while unresolved)."""
        if not self.resolved:
            return None
        last = None
        for n, update in enumerate(self.updates):
            if update.kept in RESOLVED_STATUSES and (n == 0 or self.updates[n - 1].kept not in RESOLVED_STATUSES):
                last = n
        return last

    @_Kept
    def component_steps(self) -> tuple[tuple[dt.datetime, dict[str, str]], ...]:
        """The statuses of the affected components over time: (UTC instant, statuses from then on).

        The first step is the start (``started_at``, else the first update); an update
        before the start takes effect at the start. With ``ended_at``, the impact ends
        there: the resolving update's statuses apply from ``ended_at``, and updates
        between ``ended_at`` and that resolution change nothing (the checks warn).
        """
        start = self.start.astimezone(dt.timezone.utc)
        end = self.ended_at.astimezone(dt.timezone.utc) if self.ended_at is not None else None
        final = self.final_resolution
        steps: list[tuple[dt.datetime, dict[str, str]]] = [(start, self.initial_states)]
        for n, (update, states) in enumerate(zip(self.updates, self.component_states, strict=True)):
            at = max(update.utc, start)
            if end is not None and final is not None:
                if n < final and at >= end:
                    continue
                at = end if n == final else max(at, end) if n > final else at
            if steps[-1][0] == at:
                steps[-1] = (at, states)
            else:
                steps.append((at, states))
        return tuple(steps)


@dataclass(frozen=True)
class StatusSite:
    """Settings plus every incident, newest first by start."""

    settings: Settings
    incidents: tuple[Incident, ...]
    drafts: frozenset[str] = frozenset()  # ids of drafts among the incidents (only while previewing)

    def published(self) -> StatusSite:
        """The site without its drafts: what feeds, the API and notify see."""
        if not self.drafts:
            return self
        return StatusSite(self.settings, tuple(i for i in self.incidents if i.id not in self.drafts))

    def incident(self, iid: str) -> Incident:
        return self._by_id[iid]

    @cached_property
    def _by_id(self) -> dict[str, Incident]:
        return {i.id: i for i in self.incidents}
