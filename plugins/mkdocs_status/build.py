"""The facts every output of one build shares (pages, feeds, calendars, API, badges), computed once.

No Jinja and no MkDocs here: the HTML views (pages.py), the API (api.py) and the badges
(badges.py) all read a :class:`BuildData`, and only the views need templates (the views'
shared fragments are kept here as strings, with their per-page parts as slots: slots.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from . import timeline
from .groups import group_incidents, group_segments, group_subject
from .markdown import Renderer
from .model import Component, Group, Incident, StatusSite, Update
from .site import Links
from .slots import Slots

if TYPE_CHECKING:
    from markupsafe import Markup


T = TypeVar("T")


class Carried:
    """Pieces made from one incident, kept across the rebuilds of ``mkdocs serve`` (one instance lives across them).

    A piece is given again only while its incident is equal, field by field, to the one it was
    made from and the facts it depends on besides the incident (:meth:`BuildData.facts`) are the same;
    the caller starts afresh when anything else it depends on (the configuration, the theme's
    templates: rebuild.carry_key) changed.
    """

    def __init__(self) -> None:
        self._last: dict[tuple[str, str, str], tuple[Incident, tuple[object, ...], Any]] = {}
        self._next: dict[tuple[str, str, str], tuple[Incident, tuple[object, ...], Any]] = {}
        self._last_named: dict[str, tuple[tuple[object, ...], Any]] = {}  # pieces made of many incidents (a feed)
        self._next_named: dict[str, tuple[tuple[object, ...], Any]] = {}

    def get(self, kind: str, lang: str, incident: Incident, facts: tuple[object, ...], make: Callable[[], T]) -> T:
        key = (kind, lang, incident.id)
        found = self._next.get(key) or self._last.get(key)
        if found is not None and found[1] == facts and (found[0] is incident or found[0] == incident):
            value: T = found[2]
        else:
            value = make()
        self._next[key] = (incident, facts, value)
        return value

    def same(self, name: str, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
        """``make()``, or the last build's piece called ``name`` if it was made of equal ``inputs``."""
        found = self._next_named.get(name) or self._last_named.get(name)
        value: T = found[1] if found is not None and found[0] == inputs else make()
        self._next_named[name] = (inputs, value)
        return value

    def end(self) -> None:
        """The build succeeded: what it used is what the next one may reuse."""
        self._last, self._next = self._next, {}
        self._last_named, self._next_named = self._next_named, {}

    def discard(self) -> None:
        self._next, self._next_named = {}, {}


@dataclass
class ComponentFacts:
    """Per-component facts computed once per build and shared by every language."""

    component: Component
    status: str
    bars: list[timeline.DayBar]
    uptime_30: float | None
    uptime_90: float | None
    incidents: list[Incident] = field(default_factory=list)


@dataclass
class GroupFacts(ComponentFacts):
    """A group's facts: ``component`` stands for the group (see groups.group_subject), plus its members."""

    group: Group | None = None
    members: list[ComponentFacts] = field(default_factory=list)


class BuildData:
    """Everything derived from (site, now) that the pages share, computed once."""

    def __init__(self, site: StatusSite, now: dt.datetime, links: Links, renderer: Renderer, carried: Carried | None = None) -> None:
        self.site = site
        self.carried = carried
        self.settings = site.settings
        self.now = now
        self.links = links
        self.renderer = renderer
        self.overview = timeline.overview(site, now)
        tz = self.settings.timezone
        by_component: dict[str, list[Incident]] = defaultdict(list)
        for incident in site.incidents:
            for cid in incident.affected:
                by_component[cid].append(incident)
        self.components: dict[str, ComponentFacts] = {
            comp.id: ComponentFacts(comp, self.overview.component_status[comp.id], *self._timeline(self.overview.segments.get(comp.id, []), comp),
                                    incidents=by_component.get(comp.id, []))
            for comp in self.settings.components}
        # A group's status, bar and uptime: its worst member's at each instant, by the same functions.
        self.groups: dict[str, GroupFacts] = {}
        for group in self.settings.groups:
            subject = group_subject(site, group)
            self.groups[group.id] = GroupFacts(subject, self.overview.group_status[group.id], *self._timeline(group_segments(self.overview, group), subject),
                                               incidents=group_incidents(site, group), group=group,
                                               members=[self.components[cid] for cid in group.components])
        self.past_days = timeline.past_days(site, now)
        # Instants as pages show them, per language: the same instant appears on the incident
        # page, in listings and in the search text.
        self.times: dict[tuple[dt.datetime, dt.timedelta | None, str], Markup] = {}
        self.urls: dict[tuple[str, str], str] = {}  # (site path, PageView._links_from) -> relative link
        self.incident_prefixes = tuple(f"{lang.prefix}incidents/" for lang in self.settings.languages)
        # Fragments the same on every page of a language, rendered once: ("row", incident, language),
        # ("badge", …), ("bars", component, language), ("day", language, DayView), ("nav", …), ("head", …); their per-page
        # parts (links, update bodies with relative links) are slots, filled per page.
        self.shown: dict[tuple[object, ...], Markup] = {}
        self.slots = Slots()
        self.feed_links: dict[tuple[str, ...], list[dict[str, str]]] = {}
        self.titles: dict[tuple[str, str], Markup] = {}  # (incident, language) -> its title as listings show it
        self.months = timeline.by_month(site.incidents, tz)
        self._changes: dict[tuple[str, int], dict[str, tuple[timeline.Change, ...]]] = {}
        # What the builds at the next window edges would say, for pages read between builds.
        self.flips = [(edge, timeline.state_at(site, self.overview.segments, edge)) for edge in timeline.window_edges(site, now)]
        self.years = links.years(site)

    def clock_facts(self, incident: Incident) -> tuple[object, ...]:
        """What of an incident follows the clock: its status now and its window edges still to come."""
        edges = tuple(e for e in (incident.scheduled_for, incident.scheduled_until) if e is not None and e > self.now)
        return (timeline.status_of(incident, self.now), edges)

    def facts(self, incident: Incident) -> tuple[object, ...]:
        """What a piece made of an incident shows besides the incident and the configuration: its
        clock facts, and whether it is a draft (``mkdocs serve`` marks drafts; ``draft: true`` is
        not part of the parsed incident)."""
        return (*self.clock_facts(incident), incident.id in self.site.drafts)

    def carry(self, kind: str, lang: str, incident: Incident, make: Callable[[], T]) -> T:
        """``make()``, a piece made of the incident, its :meth:`facts` and the configuration only; in
        ``mkdocs serve``, the last build's while those are unchanged (:class:`Carried`)."""
        if self.carried is None:
            return make()
        return self.carried.get(kind, lang, incident, self.facts(incident), make)

    def carry_same(self, name: str, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
        """``make()``, a piece made of ``inputs`` only; in ``mkdocs serve``, the last build's while they are equal."""
        return make() if self.carried is None else self.carried.same(name, inputs, make)

    def forget_shown(self) -> None:
        """Let go of the pieces kept for the pages rendered so far (rows, bars, times, links, slots).

        Called once a language's last page is written: every piece is per language, so none would
        be used again (one that is, is made again, the same).
        """
        self.shown = {}
        self.times = {}
        self.urls = {}
        self.titles = {}
        self.feed_links = {}
        self.slots = Slots()

    def changes(self, incident: Incident, update: Update) -> tuple[timeline.Change, ...]:
        """What an update did to the components (worked out once per incident and number of updates)."""
        key = (incident.id, len(incident.updates))
        found = self._changes.get(key)
        if found is None:
            found = self._changes[key] = timeline.changes_by_update(incident)
        return found.get(update.key, ())

    def future(self, m: Incident, edge: dt.datetime) -> Incident:
        """A maintenance as the build at ``edge`` would have it (with the automatic update it posts)."""
        return timeline.with_automatic_updates(StatusSite(self.settings, (m,)), edge).incidents[0]


    def _timeline(self, segs: list[timeline.Segment], subject: Component) -> tuple[list[timeline.DayBar], float | None, float | None]:
        """The 90-day bar and the 30- and 90-day uptime of a component (or group) from its stretches."""
        tz, since = self.settings.timezone, subject.start_date
        return (timeline.day_bars(segs, self.now, tz, 90, since), timeline.uptime(segs, self.now, tz, 30, since),
                timeline.uptime(segs, self.now, tz, 90, since))
