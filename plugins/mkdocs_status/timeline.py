"""Facts that depend on "now": maintenance phases, component status over time,
the overall indicator, day bars and uptime.

Pure functions of (site, now). Every listing is built in one pass over the
incidents so that 10,000 of them cost no more per incident than 100.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .diagnostics import Diagnostic, Diagnostics
from .l10n import strings
from .l10n.catalogs import translations
from .model import (
    COMPONENT_STATUSES,
    DOWNTIME_WEIGHT,
    IMPACTS,
    MAINTENANCE_STATUSES,
    RESOLVED_STATUSES,
    Incident,
    StatusSite,
    Update,
    component_rank,
    worst,
)

PHASES = ("scheduled", "in_progress", "verifying", "completed")
INDICATORS = ("none", "minor", "major", "critical")
STATUS_INDICATOR = {"degraded_performance": "minor", "partial_outage": "major", "major_outage": "critical"}


def _phase_of_update(status: str) -> str:
    return status if status in PHASES else "scheduled"


def maintenance_phase(m: Incident, at: dt.datetime, *, all_updates: bool = True) -> str:
    """The later of what the latest update says and what the window says.

    ``cancelled`` is final: a maintenance cancelled by its latest update never
    follows its window, and its phase is what its posts say.
    """
    updates = m.updates if all_updates else [u for u in m.updates if u.at <= at]
    word = updates[-1].kept if updates else "scheduled"
    if word == "cancelled":
        return "cancelled"
    said = _phase_of_update(word)
    if m.cancelled:
        return said
    start, until = m.scheduled_for, m.scheduled_until
    if until is not None and at >= until:
        window = "completed"
    elif start is not None and at >= start:
        window = "in_progress"
    else:
        window = "scheduled"
    return max(said, window, key=PHASES.index)


def status_of(incident: Incident, now: dt.datetime) -> str:
    """The status word the incident has at ``now`` (maintenance: its phase)."""
    if incident.is_maintenance:
        return maintenance_phase(incident, now)
    return incident.status


class Segment(NamedTuple):
    """A stretch of time in which an incident gives a component a status."""

    start: dt.datetime
    end: dt.datetime | None  # None: still going on
    status: str
    incident: Incident


def maintenance_in_progress(m: Incident) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches during which a maintenance is in progress."""
    points = sorted({u.at for u in m.updates} | {t for t in (m.scheduled_for, m.scheduled_until) if t is not None})
    out: list[tuple[dt.datetime, dt.datetime]] = []
    for i, point in enumerate(points):
        if maintenance_phase(m, point, all_updates=False) != "in_progress":
            continue
        end = points[i + 1] if i + 1 < len(points) else m.scheduled_until or point
        if out and out[-1][1] == point:
            out[-1] = (out[-1][0], end)
        else:
            out.append((point, end))
    return [(a, b) for a, b in out if b > a]


def incident_segments(incident: Incident) -> dict[str, list[Segment]]:
    """Each status an incident gave each of its components, for as long as it held.

    A maintenance puts its components under maintenance while it is in progress.
    An incident follows its :attr:`~mkdocs_status.model.Incident.component_steps`:
    a status holds from the step that set it to the next step that changed it;
    the last one is open (``end`` None) unless it is ``operational``.
    """
    out: dict[str, list[Segment]] = defaultdict(list)
    if incident.is_maintenance:
        for start, end in maintenance_in_progress(incident):
            for cid in incident.affected:
                out[cid].append(Segment(start, end, "under_maintenance", incident))
        if not any(u.components for u in incident.updates):
            return out
    steps = incident.component_steps
    for cid in incident.affected:
        since: dt.datetime | None = None
        status = "operational"
        for at, states in steps:
            new = states.get(cid, "operational")
            if new == status:
                continue
            if status != "operational" and since is not None:
                out[cid].append(Segment(since, at, status, incident))
            since, status = at, new
        if status != "operational" and since is not None:
            out[cid].append(Segment(since, None, status, incident))
    return out


def segments(site: StatusSite) -> dict[str, list[Segment]]:
    """Every component's segments, in one pass over the incidents."""
    out: dict[str, list[Segment]] = defaultdict(list)
    for incident in site.incidents:
        if not incident.affected:
            continue
        for cid, segs in incident_segments(incident).items():
            out[cid].extend(segs)
    return out


# -- automatic maintenance phases -------------------------------------------

# The update ids (Update.short_id) of the phases the build posts by itself. Fixed, so an
# automatic update keeps its anchor, feed entry id, API id and notify key across rebuilds.
AUTOMATIC_IDS = {"in_progress": "auto-in-progress", "completed": "auto-completed"}


def automatic_phases(m: Incident, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The phases a maintenance's window reached by ``now`` that nobody posted.

    A phase is posted when an update says it (at any time: a late "In progress" tells
    the phase, and replaces the automatic one), or when the posts had already reached
    it or a later one at the window's instant (started early, completed early).
    """
    if not m.is_maintenance or m.cancelled:
        return []
    out = []
    posted = {u.kept for u in m.updates}
    for phase, edge in (("in_progress", m.scheduled_for), ("completed", m.scheduled_until)):
        if edge is None or edge > now or phase in posted:
            continue
        said = [u.kept for u in m.updates if u.at <= edge]
        if said and said[-1] == "cancelled":
            continue
        if not said or PHASES.index(_phase_of_update(said[-1])) < PHASES.index(phase):
            out.append((phase, edge))
    return out


def automatic_update(m: Incident, phase: str, at: dt.datetime, languages: Iterable[str]) -> Update:
    """The update the build posts when a window reaches ``phase``: standard text in every language."""
    message = strings.AUTOMATIC_TEXTS[phase]
    key = "scheduled_for" if phase == "in_progress" else "scheduled_until"
    line = m.lines.line(key)
    return Update(status=phase, kept=phase, at=at, texts={lang: translations(lang).gettext(message) for lang in languages},
                  line=line, index=len(m.updates) + (phase == "completed"), short_id=AUTOMATIC_IDS[phase], automatic=True)


def with_automatic_updates(site: StatusSite, now: dt.datetime) -> StatusSite:
    """The site with an automatic update for each maintenance phase a window reached unposted.

    Each sits at its window's instant, after any post of the same instant; the
    ties (and so the ids) of the posted updates never change.
    """
    languages = site.settings.language_codes
    order = MAINTENANCE_STATUSES
    changed = False
    incidents = []
    for incident in site.incidents:
        phases = automatic_phases(incident, now)
        if phases:
            added = [automatic_update(incident, phase, at, languages) for phase, at in phases]
            updates = sorted((*incident.updates, *added), key=lambda u: (u.utc, u.automatic, order.index(u.status), u.index))
            incident = dataclasses.replace(incident, updates=tuple(updates))
            changed = True
        incidents.append(incident)
    return dataclasses.replace(site, incidents=tuple(incidents)) if changed else site


def status_at(segs: Iterable[Segment], at: dt.datetime) -> str:
    return worst([s.status for s in segs if s.start <= at and (s.end is None or at < s.end)])


@dataclass
class Overview:
    """Everything the overview page and the API summary need at "now"."""

    now: dt.datetime
    component_status: dict[str, str]
    group_status: dict[str, str]
    indicator: str
    active_incidents: list[Incident]
    active_maintenance: list[Incident]
    upcoming_maintenance: list[Incident]
    segments: dict[str, list[Segment]] = field(repr=False, default_factory=dict)


def overview(site: StatusSite, now: dt.datetime) -> Overview:
    return state_at(site, segments(site), now)


def state_at(site: StatusSite, segs: dict[str, list[Segment]], now: dt.datetime) -> Overview:
    """What the overview says at an instant, given every component's segments."""
    comp = {c.id: status_at(segs.get(c.id, ()), now) for c in site.settings.components}
    groups = {g.id: worst([comp[c] for c in g.components]) for g in site.settings.groups}
    active = [i for i in site.incidents if not i.is_maintenance and not i.resolved and i.start <= now]
    active += [i for i in site.incidents if not i.is_maintenance and not i.resolved and i.start > now]
    maint_active, maint_upcoming = [], []
    for m in site.incidents:
        if m.is_maintenance:
            phase = maintenance_phase(m, now)
            if phase in ("in_progress", "verifying"):
                maint_active.append(m)
            elif phase == "scheduled":
                maint_upcoming.append(m)
    maint_upcoming.sort(key=lambda m: (m.start, m.id))
    level = 0
    for i in active:
        level = max(level, IMPACTS.index(i.impact))
    for status in comp.values():
        if status in STATUS_INDICATOR:
            level = max(level, INDICATORS.index(STATUS_INDICATOR[status]))
    indicator = INDICATORS[level]
    if indicator == "none" and (maint_active or "under_maintenance" in comp.values()):
        indicator = "maintenance"
    return Overview(now, comp, groups, indicator, active, maint_active, maint_upcoming, segs)


def window_edges(site: StatusSite, now: dt.datetime, limit: int = 20) -> list[dt.datetime]:
    """The next ``limit`` instants after ``now`` at which a maintenance window opens or closes by itself.

    A page read between builds flips to what the build at each of them would say.
    """
    edges = {e.astimezone(dt.timezone.utc) for m in site.incidents if m.is_maintenance and not m.cancelled
             for e in (m.scheduled_for, m.scheduled_until) if e is not None and e > now}
    return sorted(edges)[:limit]


# -- days, bars and uptime --------------------------------------------------


def day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """Local midnight (DST-correct: a day may last 23 or 25 hours)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def local_day(at: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return at.astimezone(tz).date()


@dataclass
class DayBar:
    day: dt.date
    status: str  # worst status that day; "no_data" before the component existed
    seconds: dict[str, float]  # time spent in each non-operational status
    incidents: list[Incident]


def _sweep(segs: list[Segment], start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """The worst status over [start, end) as consecutive stretches (non-operational only).

    Works in UTC: Python subtracts and compares two datetimes that share a tzinfo
    by their wall-clock fields, which is an hour off across a DST change.
    """
    start, end = start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)
    events: list[tuple[dt.datetime, int, str]] = []
    for s in segs:
        a = max(s.start.astimezone(dt.timezone.utc), start)
        b = end if s.end is None else min(s.end.astimezone(dt.timezone.utc), end)
        if b > a:
            events.append((a, 1, s.status))
            events.append((b, -1, s.status))
    events.sort(key=lambda e: (e[0], e[1]))
    counts = [0] * len(COMPONENT_STATUSES)
    out: list[tuple[dt.datetime, dt.datetime, str]] = []
    last: dt.datetime | None = None
    for at, delta, status in events:
        if last is not None and at > last:
            current = next((COMPONENT_STATUSES[r] for r in range(len(counts) - 1, 0, -1) if counts[r] > 0), None)
            if current:
                out.append((last, at, current))
        counts[component_rank(status)] += delta
        last = at
    return out


def downtime(stretches: list[tuple[dt.datetime, dt.datetime, str]]) -> float:
    """Weighted seconds of downtime (major outage 100 %, partial outage 30 %)."""
    return sum((b - a).total_seconds() * DOWNTIME_WEIGHT.get(status, 0.0) for a, b, status in stretches)


def day_bars(segs: list[Segment], now: dt.datetime, tz: dt.tzinfo, days: int = 90, since: dt.date | None = None) -> list[DayBar]:
    """One bar per local day, oldest first, ending today."""
    today = local_day(now, tz)
    first = today - dt.timedelta(days=days - 1)
    window_start = day_start(first, tz)
    relevant = [s for s in segs if (s.end is None or s.end > window_start) and s.start < now]
    bars = []
    by_day: dict[dt.date, list[Segment]] = defaultdict(list)
    for s in relevant:
        d = max(local_day(s.start, tz), first)
        stop = s.end if s.end is not None else now
        # A stretch ending exactly at midnight does not touch the next day.
        last = min(local_day(stop - dt.timedelta(microseconds=1), tz) if stop > s.start else d, today)
        while d <= last:
            by_day[d].append(s)
            d += dt.timedelta(days=1)
    for n in range(days):
        day = first + dt.timedelta(days=n)
        if since is not None and day < since:
            bars.append(DayBar(day, "no_data", {}, []))
            continue
        a, b = day_start(day, tz), min(day_start(day + dt.timedelta(days=1), tz), now)
        stretches = _sweep(by_day.get(day, []), a, b)
        seconds: dict[str, float] = defaultdict(float)
        for x, y, status in stretches:
            seconds[status] += (y - x).total_seconds()
        incidents: list[Incident] = []
        for s in by_day.get(day, []):
            if s.incident not in incidents:
                incidents.append(s.incident)
        bars.append(DayBar(day, worst(list(seconds)) if seconds else "operational", dict(seconds), incidents))
    return bars


def uptime(segs: list[Segment], now: dt.datetime, tz: dt.tzinfo, days: int, since: dt.date | None = None) -> float | None:
    """Percentage of the last ``days`` local days (up to now) without weighted downtime."""
    first = local_day(now, tz) - dt.timedelta(days=days - 1)
    if since is not None and since > first:
        first = since
    start = day_start(first, tz)
    if start >= now:
        return None
    total = (now - start).total_seconds()
    return 100.0 * (1.0 - downtime(_sweep(segs, start, now)) / total)


def past_days(site: StatusSite, now: dt.datetime, days: int = 14) -> list[tuple[dt.date, list[Incident]]]:
    """The last ``days`` local days, newest first, each with the incidents that began on it."""
    tz = site.settings.timezone
    today = local_day(now, tz)
    first = today - dt.timedelta(days=days - 1)
    by_day: dict[dt.date, list[Incident]] = defaultdict(list)
    for incident in site.incidents:
        day = local_day(incident.start, tz)
        if first <= day <= today and (not incident.is_maintenance or maintenance_phase(incident, now) != "scheduled"):
            by_day[day].append(incident)
    return [(today - dt.timedelta(days=n), by_day.get(today - dt.timedelta(days=n), [])) for n in range(days)]


def by_month(incidents: Iterable[Incident], tz: dt.tzinfo) -> list[tuple[dt.date, list[Incident]]]:
    """Incidents grouped by the local month they began in, newest first."""
    months: dict[dt.date, list[Incident]] = defaultdict(list)
    for incident in incidents:
        local = incident.start.astimezone(tz)
        months[dt.date(local.year, local.month, 1)].append(incident)
    return sorted(months.items(), reverse=True)


# -- consistency of an incident's impact ---------------------------------------------


def check_incident(incident: Incident) -> list[Diagnostic]:
    """Errors and warnings about the impact window and the component statuses of one incident.

    Pure and independent of "now": the parser runs it on every incident it reads.
    """
    diag = Diagnostics(file=incident.source)
    for update in incident.updates:
        if update.short_id and update.short_id.lower() in AUTOMATIC_IDS.values():
            diag.error(update.line, f"'{{#{update.short_id}}}' is the id of an update the build posts by itself",
                       "give this update another id")
    if incident.is_maintenance:
        return diag.items
    _check_window(incident, diag)
    if diag.errors:
        return diag.items
    _check_resolution(incident, diag)
    if incident.impact == "critical" and incident.resolved and incident.affected:
        segs = incident_segments(incident)
        down = sum(downtime([(s.start, s.end, s.status)]) for ss in segs.values() for s in ss if s.end is not None)
        if down <= 0:
            line = incident.lines.line("started_at", incident.lines.line("impact", incident.first.line))
            diag.warning(line, "a critical incident with no downtime: no component was in an outage for any time between its start and its end",
                         "set started_at (and ended_at) to when the impact really began and ended, or lower the impact")
    return diag.items


def _check_window(incident: Incident, diag: Diagnostics) -> None:
    """started_at after the resolution, or an end before the start: errors (no page may show "Ended" before "Started")."""
    resolved_at = incident.resolved_at
    if incident.started_at is not None and resolved_at is not None and incident.started_at > resolved_at:
        diag.error(incident.lines.line("started_at"),
                   f"started_at ({incident.started_at.isoformat(sep=' ', timespec='minutes')}) is after the incident was resolved "
                   f"({resolved_at.isoformat(sep=' ', timespec='minutes')})",
                   "started_at is when the impact began; check its date and zone")
    end = incident.end
    if end is not None and incident.ended_at is not None and incident.started_at is None and end < incident.start:
        diag.error(incident.lines.line("ended_at"),
                   f"ended_at ({end.isoformat(sep=' ', timespec='minutes')}) is before the first update "
                   f"({incident.start.isoformat(sep=' ', timespec='minutes')}), where the incident starts",
                   "set started_at to when the impact began, or check ended_at")


def _check_resolution(incident: Incident, diag: Diagnostics) -> None:
    """Warnings: a component kept out of operational by a resolving update; statuses set after ended_at."""
    resolved = False
    final = incident.final_resolution
    end = incident.ended_at
    for n, update in enumerate(incident.updates):
        resolved = update.kept in RESOLVED_STATUSES
        kept = {cid: s for cid, s in update.components.items() if s != "operational"}
        if resolved and kept:
            names = ", ".join(f"{cid}={s}" for cid, s in kept.items())
            diag.warning(update.line, f"the incident is resolved, but this update keeps {names}: shown so until a later update changes it",
                         "write COMPONENT=operational, or leave the component out to return it to operational")
        elif end is not None and final is not None and n < final and update.at >= end and update.components:
            diag.warning(update.line, f"this update's component statuses come after ended_at ({end.isoformat(sep=' ', timespec='minutes')}) and are not used",
                         "the impact ended at ended_at; move ended_at later or drop the statuses")


# -- what each update did to the components --------------------------------------


class Change(NamedTuple):
    """A component an update names or changes: its status before and after the update."""

    component: str
    old: str
    new: str


def _maintenance_states(m: Incident) -> list[dict[str, str]]:
    """After each update of a maintenance: its components under maintenance while it is in progress."""
    out = []
    for n, update in enumerate(m.updates):
        word = update.kept
        said = "cancelled" if word == "cancelled" else _phase_of_update(word)
        phase = said
        if not m.cancelled and said != "cancelled":
            phase = max(said, maintenance_phase(dataclasses.replace(m, updates=m.updates[: n + 1]), update.at), key=PHASES.index)
        status = "under_maintenance" if phase == "in_progress" else "operational"
        named = m.component_states[n]  # what its updates say, as an import writes Statuspage's
        out.append({cid: worst([status, named[cid]]) for cid in m.affected})
    return out


def component_changes(incident: Incident) -> tuple[tuple[Change, ...], ...]:
    """For each update, the components whose status it changed or that it names, in the incident's order.

    The first update brings the front matter's statuses (from operational).
    """
    states = _maintenance_states(incident) if incident.is_maintenance else list(incident.component_states)
    before = dict.fromkeys(incident.affected, "operational")
    out = []
    for update, after in zip(incident.updates, states, strict=True):
        out.append(tuple(Change(cid, before[cid], after[cid]) for cid in incident.affected
                         if before[cid] != after[cid] or cid in update.components))
        before = after
    return tuple(out)


def changes_by_update(incident: Incident) -> dict[str, tuple[Change, ...]]:
    """:func:`component_changes` by update key."""
    return dict(zip((u.key for u in incident.updates), component_changes(incident), strict=True))


def worst_status(incident: Incident, cid: str) -> str:
    """The worst status an incident gave a component at any time (maintenance: under maintenance)."""
    if incident.is_maintenance:
        return "under_maintenance"
    return worst([incident.initial_states.get(cid, "operational"), *(s.get(cid, "operational") for s in incident.component_states)])
