"""Facts that depend on "now": maintenance phases, component status over time,
the overall indicator, day bars and uptime.

Pure functions of (site, now). Every listing is built in one pass over the
incidents so that 10,000 of them cost no more per incident than 100.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import (
    COMPONENT_STATUSES,
    DOWNTIME_WEIGHT,
    IMPACTS,
    Incident,
    StatusSite,
    component_rank,
    worst,
)

PHASES = ("scheduled", "in_progress", "verifying", "completed")
INDICATORS = ("none", "minor", "major", "critical")
STATUS_INDICATOR = {"degraded_performance": "minor", "partial_outage": "major", "major_outage": "critical"}


def _phase_of_update(status: str) -> str:
    return status if status in PHASES else "scheduled"


def maintenance_phase(m: Incident, at: dt.datetime, *, all_updates: bool = True) -> str:
    """The later of what the latest update says and what the window says."""
    updates = m.updates if all_updates else [u for u in m.updates if u.at <= at]
    said = _phase_of_update(updates[-1].kept) if updates else "scheduled"
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


@dataclass(frozen=True)
class Segment:
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


def segments(site: StatusSite) -> dict[str, list[Segment]]:
    """Every component's segments, in one pass over the incidents."""
    out: dict[str, list[Segment]] = defaultdict(list)
    for incident in site.incidents:
        if not incident.components:
            continue
        if incident.is_maintenance:
            for start, end in maintenance_in_progress(incident):
                for cid in incident.components:
                    out[cid].append(Segment(start, end, "under_maintenance", incident))
            continue
        for cid in incident.components:
            status = incident.component_status(cid)
            if status:
                out[cid].append(Segment(incident.start, incident.end, status, incident))
    return out


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
    segs = segments(site)
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
