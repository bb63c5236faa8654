"""Groups of components as subjects of their own: a page, a 90-day bar, uptime, a badge, a feed.

A group's status at each instant is its worst member's: its stretches are
all its members' stretches together, and the same timeline functions that make a component's
day bars and uptime (``timeline.day_bars``, ``timeline.uptime``, which take the worst status
of overlapping stretches) make the group's. Pure: no MkDocs, no clock.
"""

from __future__ import annotations

import datetime as dt

from . import timeline
from .model import Component, Group, Incident, StatusSite


def group_start(site: StatusSite, group: Group) -> dt.date | None:
    """The first day with data: the earliest member's ``start_date`` (None if any member has none)."""
    dates = [site.settings.component(cid).start_date for cid in group.components]
    return None if any(d is None for d in dates) else min(d for d in dates if d is not None)


def group_incidents(site: StatusSite, group: Group) -> list[Incident]:
    """The incidents that affect any member, once each, in the site's order (newest first)."""
    members = set(group.components)
    return [i for i in site.incidents if members.intersection(i.components)]


def group_subject(site: StatusSite, group: Group) -> Component:
    """The group as its page, bar and feeds treat it: a component named as the group, with data from its first member's start."""
    return Component(id=group.id, names=group.names, descriptions=group.descriptions, position=group.position,
                     start_date=group_start(site, group))


def group_segments(overview: timeline.Overview, group: Group) -> list[timeline.Segment]:
    """Every member's stretches together: the timeline functions take the worst at each instant."""
    return [s for cid in group.components for s in overview.segments.get(cid, [])]
