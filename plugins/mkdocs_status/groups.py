"""Groups of components as subjects of their own: a page, a 90-day bar, uptime, a badge, a feed.

A group's status at each instant is its worst member's (PRODUCT.md §3, §7): its stretches are
all its members' stretches together, and the same timeline functions that make a component's
day bars and uptime (``timeline.day_bars``, ``timeline.uptime``, which take the worst status
of overlapping stretches) make the group's. Pure: no MkDocs, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import timeline
from .model import Component, Group, Incident, StatusSite

if TYPE_CHECKING:
    from .pages import ComponentFacts


@dataclass
class GroupFacts:
    """A group's facts, shaped as a component's (``component`` stands for the group) plus its members."""

    component: Component
    status: str
    bars: list[timeline.DayBar]
    uptime_30: float | None
    uptime_90: float | None
    incidents: list[Incident] = field(default_factory=list)
    group: Group | None = None
    members: list[ComponentFacts] = field(default_factory=list)


def group_start(site: StatusSite, group: Group) -> dt.date | None:
    """The first day with data: the earliest member's ``start_date`` (None if any member has none)."""
    dates = [site.settings.component(cid).start_date for cid in group.components]
    return None if any(d is None for d in dates) else min(d for d in dates if d is not None)


def group_incidents(site: StatusSite, group: Group) -> list[Incident]:
    """The incidents that affect any member, once each, in the site's order (newest first)."""
    members = set(group.components)
    return [i for i in site.incidents if members.intersection(i.components)]


def group_facts(site: StatusSite, overview: timeline.Overview, components: dict[str, ComponentFacts], now: dt.datetime) -> dict[str, GroupFacts]:
    """Every group's facts, from the members' segments."""
    tz = site.settings.timezone
    out: dict[str, GroupFacts] = {}
    for group in site.settings.groups:
        segs = [s for cid in group.components for s in overview.segments.get(cid, [])]
        since = group_start(site, group)
        subject = Component(id=group.id, names=group.names, descriptions=group.descriptions, position=group.position, start_date=since)
        out[group.id] = GroupFacts(
            component=subject,
            status=overview.group_status[group.id],
            bars=timeline.day_bars(segs, now, tz, 90, since),
            uptime_30=timeline.uptime(segs, now, tz, 30, since),
            uptime_90=timeline.uptime(segs, now, tz, 90, since),
            incidents=group_incidents(site, group),
            group=group,
            members=[components[cid] for cid in group.components],
        )
    return out
