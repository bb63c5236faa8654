"""The Statuspage-compatible JSON API: ``api/v2/*.json`` at the site root.

Same paths, shapes and enums as Atlassian Statuspage's public API v2, so its
existing clients (bots, monitors, dashboards) work unchanged:

``summary.json``, ``status.json``, ``components.json``, ``incidents.json``
(the 50 newest, maintenance included as Statuspage does),
``incidents/unresolved.json``, ``scheduled-maintenances.json`` (the 50
newest), ``scheduled-maintenances/upcoming.json`` and ``…/active.json``, plus
``incidents/<id>.json`` for every incident and maintenance (``{"page": …,
"incident": …}``), so no update is ever out of reach. (An incident whose id
is ``unresolved`` is the one exception: Statuspage's listing keeps that path,
and the incident is still in ``incidents.json``.)

Decisions, where Statuspage's model and ours differ:

- **Ids** are the ids people already use: an incident's file stem, a
  component's or group's configured id, and ``<incident id>-<update key>`` for
  an update (its own id, ``{#k7f2}`` on its heading, else its UTC instant plus
  its rank among equal instants). The page id
  is a short hash of ``site_url``. They never change while those do not.
- **Statuses** are Statuspage's: an ``update`` post reports the status it kept;
  an incident's status is its latest update's (``postmortem`` included); a
  maintenance's status is its phase at "now" (its window opens and closes it).
  Maintenance has ``impact: "maintenance"``.
- **Times** are ISO 8601 in the site's ``timezone`` with its offset and
  milliseconds, like Statuspage (``2026-11-21T22:24:00.000+01:00``);
  ``page.time_zone`` names the zone. ``created_at`` is the first update,
  ``updated_at`` the latest update or the window edge a maintenance passed
  (whichever is later), ``started_at`` the start of the impact (``started_at``
  in the file, else the first update; a maintenance's window start once it
  opened, and while it is upcoming its ``created_at``, as Statuspage gives it).
  ``resolved_at`` is when an incident was last resolved, or when a maintenance
  completed (by post or by window). A component's ``updated_at`` is the last
  time its status changed; its ``created_at`` its ``start_date``, else the
  oldest incident's start. ``page.updated_at`` is when the page last changed:
  the latest of every incident's ``updated_at`` and every component's, up to
  "now" (the build time only for a site where nothing has happened yet): nothing
  here reads a clock, so an unchanged site gives byte-identical JSON.
- **Status description** is Statuspage's wording for the indicator, which for
  ``minor`` depends on why: "Partially Degraded Service" when a component is
  degraded, "Minor Service Outage" when only an incident's impact says minor.
- **Text** is in the site's default language, with the pages' fallback
  (the file's own language, then any). ``body`` is the *plain text* of the
  rendered Markdown, not its source: API consumers (chat bots, widgets, mail)
  show it as text, as they show Statuspage's bodies; Markdown markup and HTML
  would be noise there. Links keep their target: ``text (https://…)``.
- ``affected_components`` of an update lists the components whose status *this
  incident* changed with it, or that the update names (``{voice=partial_outage}``
  on its heading), with the true ``old_status`` and ``new_status`` of that update, each named
  by its own name as in ``components[].name`` (a grouped component without its group)
  (see ``timeline.component_changes``), else ``null``. The first update brings
  the front matter's statuses; a resolving update returns the others to
  ``operational``. An incident's ``components`` are every component it names,
  with their current status, as Statuspage's are.
- ``deliver_notifications`` is ``false`` for an update written ``{notify=false}``
  (imported updates are), as Statuspage's is.
- **Automatic updates**: when a maintenance window opens or closes and no post
  had reached that phase, the build adds the phase's update at the window's
  instant (standard text). Their ids are ``<incident id>-auto-in-progress`` and
  ``<incident id>-auto-completed``: fixed, so they never change across rebuilds
  and notify sends each once. Every update carries ``"automatic"`` (``true`` for
  these; a field Statuspage's clients ignore).
- **Cancelled** maintenance (``## Cancelled · …``) has status ``completed`` (the
  update too, with its text), ``resolved_at`` the cancellation, and is never in
  ``upcoming`` or ``active``.
- ``shortlink`` is the incident page's absolute URL, so ``site_url`` is needed.

Pure: a function of (site, now); no MkDocs, no logging, no clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from typing import TYPE_CHECKING, Any

from . import timeline
from .markdown import absolute_links, plain_text
from .model import Incident, Update
from .site import choose_text, choose_title, localized

if TYPE_CHECKING:
    from .build import BuildData

LIMIT = 50  # Statuspage lists the 50 newest incidents and maintenances
INDICATOR_DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
    "maintenance": "Service Under Maintenance",
}
# Statuspage words a minor indicator by its cause: degraded components (seen on real pages:
# indicator "minor" with a degraded_performance component reads "Partially Degraded Service"),
# else an incident's minor impact alone.
DEGRADED_DESCRIPTION = "Partially Degraded Service"
INDICATORS = tuple(INDICATOR_DESCRIPTIONS)
# Our status words Statuspage has no word for: a cancelled maintenance is reported completed.
STATUS_WORD = {"cancelled": "completed"}

_ANCHOR = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_LIST_GAP = re.compile(r"(</li>|<[uo]l\b[^>]*>)\s+")


def build(data: BuildData) -> dict[str, str | bytes]:
    """Every API file, by site-relative path."""
    return Api(data).files()


def encode(document: dict[str, Any]) -> str:
    """Compact, UTF-8-friendly JSON in a fixed key order, newline-terminated."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # "<", ">" and "&" as JSON escapes: decoded, the text is the same, but a raw "<script>"
    # in the file is never one content-sniffing or innerHTML away from running.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def update_id(incident: Incident, update: Update) -> str:
    return f"{incident.id}-{update.key.lower()}"


def page_id(site_url: str) -> str:
    """Twelve lowercase characters, like Statuspage's page ids, stable per site_url."""
    digest = hashlib.sha256(site_url.encode("utf-8")).digest()
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    number = int.from_bytes(digest[:10], "big")
    chars = []
    for _ in range(12):
        number, rest = divmod(number, 36)
        chars.append(alphabet[rest])
    return "".join(chars)


def body_text(rendered: str, base: str) -> str:
    """Plain text of rendered, sanitised HTML; a link keeps its target in brackets."""

    def link(m: re.Match[str]) -> str:
        href, inner = html.unescape(m.group(1)), m.group(2)
        label = html.unescape(_TAG.sub("", inner)).strip()
        if not href or href.startswith("#") or label == href or href == f"mailto:{label}":
            return inner
        return f"{inner} ({html.escape(href, quote=False)})"

    # plain_text ends each item with a newline; the source's newline after it would leave blank lines in lists.
    tight = _LIST_GAP.sub(r"\1", rendered)
    return plain_text(_ANCHOR.sub(link, absolute_links(tight, base)))


class Api:
    """Builds the API documents from one build's shared data."""

    def __init__(self, data: BuildData) -> None:
        self.data = data
        self.settings = data.settings
        self.links = data.links
        self.now = data.now
        self.view = data.overview
        self.lang = self.settings.default_language
        self.tz = self.settings.timezone
        if self.links.site_url is None:
            raise ValueError("the JSON API needs site_url for its links")
        self.page_id = page_id(self.links.site_url)
        self.incidents = sorted(data.site.incidents, key=lambda i: (i.first.utc, i.id), reverse=True)
        self._incident_cache: dict[str, dict[str, Any]] = {}
        self._components = self._component_objects()

    # -- scalars --------------------------------------------------------------

    def time(self, at: dt.datetime | None) -> str | None:
        if at is None:
            return None
        return at.astimezone(self.tz).isoformat(timespec="milliseconds")

    def status(self, incident: Incident) -> str:
        status = timeline.status_of(incident, self.now)
        return STATUS_WORD.get(status, status)

    def updated_at(self, incident: Incident) -> dt.datetime:
        """The latest update, or the window edge at which a maintenance changed phase by itself, if later."""
        times = [incident.latest.utc]
        if incident.is_maintenance:
            for edge in (incident.scheduled_for, incident.scheduled_until):
                if edge is None or edge > self.now:
                    continue
                before = timeline.maintenance_phase(incident, edge - dt.timedelta(microseconds=1), all_updates=False)
                if timeline.maintenance_phase(incident, edge, all_updates=False) != before:
                    times.append(edge.astimezone(dt.timezone.utc))
        return max(times)

    def started_at(self, incident: Incident) -> dt.datetime:
        """The start of the impact; for a maintenance still upcoming, when it was posted (as Statuspage gives it)."""
        if incident.is_maintenance and self.status(incident) == "scheduled":
            return incident.first.at
        return incident.start

    def completed_at(self, m: Incident) -> dt.datetime | None:
        """When a maintenance became completed: its first 'completed' post or its window's end."""
        if self.status(m) != "completed":
            return None
        times = [u.utc for u in m.updates if u.kept in ("completed", "cancelled")]
        if m.scheduled_until is not None and m.scheduled_until <= self.now:
            times.append(m.scheduled_until.astimezone(dt.timezone.utc))
        return min(times) if times else m.latest.utc

    # -- page and status ------------------------------------------------------

    def last_change(self) -> dt.datetime:
        """When the page last changed: the latest incident or component change up to "now"."""
        changes = [self.updated_at(i) for i in self.incidents] + self._changes
        past = [t for t in changes if t <= self.now]
        return max(past, default=min(changes, default=self.now))

    def page(self) -> dict[str, Any]:
        newest = self.last_change()
        return {
            "id": self.page_id,
            "name": self.settings.site_name,
            "url": self.links.site_url.rstrip("/") if self.links.site_url else "",
            "time_zone": self.tz.key,
            "updated_at": self.time(newest),
        }

    def status_object(self) -> dict[str, str]:
        indicator = self.view.indicator
        description = INDICATOR_DESCRIPTIONS[indicator]
        if indicator == "minor" and "degraded_performance" in self.view.component_status.values():
            description = DEGRADED_DESCRIPTION
        return {"indicator": indicator, "description": description}

    # -- components -----------------------------------------------------------

    def _component_objects(self) -> dict[str, dict[str, Any]]:
        """Every component and group, in the order of the configuration (a group before its members)."""
        first = min((min(i.start, i.first.at).astimezone(dt.timezone.utc) for i in self.data.site.incidents), default=self.now)
        members: dict[str, dict[str, Any]] = {}
        self._changes: list[dt.datetime] = []
        for comp in self.settings.components:
            created = dt.datetime.combine(comp.start_date, dt.time(0), tzinfo=self.tz) if comp.start_date else first
            changes = [t for s in self.view.segments.get(comp.id, []) for t in (s.start, s.end) if t is not None and t <= self.now]
            updated = max([created, *changes], key=lambda t: t.astimezone(dt.timezone.utc))
            self._changes.append(updated.astimezone(dt.timezone.utc))
            members[comp.id] = {
                "id": comp.id,
                "name": localized(comp.names, self.lang, self.settings),
                "status": self.view.component_status[comp.id],
                "created_at": self.time(created),
                "updated_at": self.time(updated),
                "position": comp.position + 1,
                "description": localized(comp.descriptions, self.lang, self.settings) or None,
                "showcase": True,
                "start_date": comp.start_date.isoformat() if comp.start_date else None,
                "group_id": comp.group,
                "page_id": self.page_id,
                "group": False,
                "only_show_if_degraded": comp.only_show_if_degraded,
            }
        out: dict[str, dict[str, Any]] = {}
        groups = {g.id: g for g in self.settings.groups}
        for comp in self.settings.components:
            if comp.group is not None and comp.group not in out:
                group = groups[comp.group]
                parts = [members[c] for c in group.components]
                out[group.id] = {
                    "id": group.id,
                    "name": localized(group.names, self.lang, self.settings),
                    "status": self.view.group_status[group.id],
                    "created_at": min((p["created_at"] for p in parts), key=dt.datetime.fromisoformat),
                    "updated_at": max((p["updated_at"] for p in parts), key=dt.datetime.fromisoformat),
                    "position": group.position + 1,
                    "description": localized(group.descriptions, self.lang, self.settings) or None,
                    "showcase": False,
                    "start_date": None,
                    "group_id": None,
                    "page_id": self.page_id,
                    "group": True,
                    "only_show_if_degraded": group.only_show_if_degraded(self.settings),
                    "components": list(group.components),
                }
            out[comp.id] = members[comp.id]
        return out

    def components(self) -> list[dict[str, Any]]:
        return list(self._components.values())

    # -- incidents --------------------------------------------------------------

    def _update(self, incident: Incident, update: Update, changes: tuple[timeline.Change, ...], shortlink: str) -> dict[str, Any]:
        chosen = choose_text(incident, update, self.lang, self.settings)
        body = body_text(self.data.renderer.render(chosen.text), shortlink) if chosen else ""
        changed = [
            {"code": c.component, "name": self._components[c.component]["name"], "old_status": c.old, "new_status": c.new}
            for c in changes
        ]
        stamp = self.time(update.at)
        return {
            "id": update_id(incident, update),
            "status": STATUS_WORD.get(update.kept, update.kept),
            "body": body,
            "incident_id": incident.id,
            "created_at": stamp,
            "updated_at": stamp,
            "display_at": stamp,
            "affected_components": changed or None,
            "deliver_notifications": update.notify,
            "custom_tweet": None,
            "tweet_id": None,
            "automatic": update.automatic,
        }

    def incident(self, incident: Incident) -> dict[str, Any]:
        cached = self._incident_cache.get(incident.id)
        if cached is None:
            # Its components' objects hold their status now, which other incidents make: added each build.
            head, tail = self.data.carry("api", self.lang, incident, lambda: self._incident(incident))
            components = [self._components[cid] for cid in incident.affected if cid in self._components]
            cached = self._incident_cache[incident.id] = {**head, "components": components, **tail}
        return cached

    def _incident(self, incident: Incident) -> tuple[dict[str, Any], dict[str, Any]]:
        """An incident's object but its components: the keys before them and those after."""
        shortlink = self.links.absolute(self.links.incident(self.lang, incident))
        changes = timeline.component_changes(incident)
        updates = [self._update(incident, u, changes[n], shortlink) for n, u in enumerate(incident.updates)]
        updates.reverse()  # newest first, as Statuspage lists them
        if incident.is_maintenance:
            resolved_at = self.completed_at(incident)
            verifying = [u.at for u in incident.updates if u.kept == "verifying"]
            monitoring_at = verifying[-1] if verifying else None
        else:
            resolved_at = incident.resolved_at
            monitoring_at = incident.monitoring_at
        obj: dict[str, Any] = {
            "id": incident.id,
            "name": choose_title(incident, self.lang, self.settings).text,
            "status": self.status(incident),
            "created_at": self.time(incident.first.at),
            "updated_at": self.time(self.updated_at(incident)),
            "monitoring_at": self.time(monitoring_at),
            "resolved_at": self.time(resolved_at),
            "impact": "maintenance" if incident.is_maintenance else incident.impact,
            "shortlink": shortlink,
            "started_at": self.time(self.started_at(incident)),
            "page_id": self.page_id,
            "incident_updates": updates,
        }
        tail: dict[str, Any] = {}
        if incident.is_maintenance:
            tail = {"scheduled_for": self.time(incident.scheduled_for), "scheduled_until": self.time(incident.scheduled_until)}
        return obj, tail

    # -- listings -------------------------------------------------------------

    def unresolved(self) -> list[dict[str, Any]]:
        active = {i.id for i in self.view.active_incidents}
        return [self.incident(i) for i in self.incidents if i.id in active]

    def maintenances(self) -> list[Incident]:
        """Every maintenance, newest window first."""
        found = [i for i in self.incidents if i.is_maintenance]
        return sorted(found, key=lambda m: (m.start.astimezone(dt.timezone.utc), m.id), reverse=True)

    def upcoming(self) -> list[dict[str, Any]]:
        return [self.incident(m) for m in self.view.upcoming_maintenance]

    def active(self) -> list[dict[str, Any]]:
        found = sorted(self.view.active_maintenance, key=lambda m: (m.start.astimezone(dt.timezone.utc), m.id))
        return [self.incident(m) for m in found]

    # -- files ------------------------------------------------------------------

    def files(self) -> dict[str, str | bytes]:
        page = self.page()
        status = self.status_object()
        components = self.components()
        unresolved = self.unresolved()
        active, upcoming = self.active(), self.upcoming()
        docs: dict[str, dict[str, Any]] = {
            "summary.json": {"page": page, "components": components, "incidents": unresolved,
                             "scheduled_maintenances": active + upcoming, "status": status},
            "status.json": {"page": page, "status": status},
            "components.json": {"page": page, "components": components},
            "incidents.json": {"page": page, "incidents": [self.incident(i) for i in self.incidents[:LIMIT]]},
            "incidents/unresolved.json": {"page": page, "incidents": unresolved},
            "scheduled-maintenances.json": {"page": page, "scheduled_maintenances": [self.incident(m) for m in self.maintenances()[:LIMIT]]},
            "scheduled-maintenances/upcoming.json": {"page": page, "scheduled_maintenances": upcoming},
            "scheduled-maintenances/active.json": {"page": page, "scheduled_maintenances": active},
        }
        for incident in self.incidents:
            # An incident named "unresolved" would replace Statuspage's listing; the listing wins.
            docs.setdefault(f"incidents/{incident.id}.json", {"page": page, "incident": self.incident(incident)})
        return {self.links.api(name): encode(doc) for name, doc in docs.items()}
