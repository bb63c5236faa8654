"""A Statuspage export read into plain records: components, incidents, maintenances and updates.

:func:`collect` reads the documented JSON shapes of ``/api/v2/incidents.json``,
``/api/v2/scheduled-maintenances.json``, ``/api/v2/summary.json``,
``/api/v2/components.json`` and a single incident (``{"incident": {…}}`` or the bare
object); anything else is a :class:`SourceError` naming where it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import IMPACTS, INCIDENT, MAINTENANCE
from ..parse.dates import MAX_YEAR, MIN_YEAR

_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", re.IGNORECASE)


class SourceError(ValueError):
    """An input that is not a readable Statuspage export."""


@dataclass(frozen=True)
class SPComponent:
    """A Statuspage component (or group, when ``is_group``)."""

    id: str
    name: str
    group_id: str | None = None
    is_group: bool = False
    description: str = ""
    created: dt.date | None = None


@dataclass(frozen=True)
class SPUpdate:
    """One incident update: its status word as Statuspage says it, the instant shown, the body."""

    status: str
    body: str
    at: dt.datetime  # whole seconds, in the offset Statuspage gave
    affected: tuple[tuple[str, str, str], ...] = ()  # (component id, shown name, new status)
    position: int = 0  # index in the API's list (newest first there)
    id: str = ""  # Statuspage's id of the update


@dataclass
class SPIncident:
    """A Statuspage incident or scheduled maintenance."""

    id: str
    name: str
    kind: str
    impact: str
    updates: list[SPUpdate]  # oldest first
    components: list[SPComponent]
    started_at: dt.datetime | None = None
    scheduled_for: dt.datetime | None = None
    scheduled_until: dt.datetime | None = None
    shortlink: str = ""
    postmortem_body: str = ""
    postmortem_at: dt.datetime | None = None
    updated_at: str = ""

    @property
    def start(self) -> dt.datetime:
        if self.kind == MAINTENANCE and self.scheduled_for:
            return self.scheduled_for
        first = self.updates[0].at if self.updates else None
        candidates = [t for t in (self.started_at, first) if t is not None]
        return min(candidates) if candidates else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass
class Collected:
    """Everything read from the inputs, deduplicated by Statuspage id."""

    incidents: dict[str, SPIncident] = field(default_factory=dict)
    components: dict[str, SPComponent] = field(default_factory=dict)
    page_name: str = ""


def parse_time(value: Any, where: str) -> dt.datetime:
    """``2015-09-18T18:20:40.794-07:00`` -> an aware datetime in that offset, fractions dropped."""
    m = _TIME.match(str(value).strip()) if isinstance(value, str) else None
    if not m:
        raise SourceError(f"{where}: '{value}' is not a timestamp")
    zone = (m.group(3) or "Z").upper()
    clock = m.group(2) if m.group(2).count(":") == 2 else m.group(2) + ":00"
    try:
        if zone == "Z":
            tz: dt.tzinfo = dt.timezone.utc
        else:
            digits = zone[1:].replace(":", "")
            delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            tz = dt.timezone(-delta if zone[0] == "-" else delta)
        at = dt.datetime.fromisoformat(f"{m.group(1)}T{clock}").replace(tzinfo=tz)
    except ValueError:
        raise SourceError(f"{where}: '{value}' is not a valid date and time") from None
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise SourceError(f"{where}: '{value}' is outside the years {MIN_YEAR} to {MAX_YEAR} a status page can show")
    return at


def _optional_time(value: Any, where: str) -> dt.datetime | None:
    return None if value in (None, "") else parse_time(value, where)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _component(obj: Any, where: str) -> SPComponent:
    if not isinstance(obj, dict) or not obj.get("id"):
        raise SourceError(f"{where}: a component needs an 'id'")
    created = None
    if obj.get("created_at"):
        try:
            created = parse_time(obj["created_at"], where).date()
        except SourceError:
            created = None
    return SPComponent(
        id=str(obj["id"]),
        name=" ".join(_text(obj.get("name")).split()) or str(obj["id"]),
        group_id=str(obj["group_id"]) if obj.get("group_id") else None,
        is_group=bool(obj.get("group")) or isinstance(obj.get("components"), list),
        description=" ".join(_text(obj.get("description")).split()),
        created=created,
    )


def _incident(obj: Any, where: str, *, maintenance_list: bool) -> SPIncident:
    if not isinstance(obj, dict):
        raise SourceError(f"{where}: expected an incident object")
    if not obj.get("id"):
        raise SourceError(f"{where}: an incident needs an 'id'")
    iid = str(obj["id"])
    where = f"{where} ({iid})"
    raw_updates = obj.get("incident_updates") or []
    if not isinstance(raw_updates, list):
        raise SourceError(f"{where}: 'incident_updates' is not a list")
    updates: list[SPUpdate] = []
    for position, u in enumerate(raw_updates):
        uw = f"{where}.incident_updates[{position}]"
        if not isinstance(u, dict):
            raise SourceError(f"{uw}: expected an update object")
        at = parse_time(u.get("display_at") or u.get("created_at"), f"{uw}.display_at")
        affected: list[tuple[str, str, str]] = []
        for a in u.get("affected_components") or []:
            if isinstance(a, dict) and a.get("code"):
                affected.append((str(a["code"]), _text(a.get("name")), _text(a.get("new_status")).lower()))
        updates.append(SPUpdate(_text(u.get("status")).strip().lower(), _text(u.get("body")), at, tuple(affected), position,
                                _text(u.get("id"))))
    components = [_component(c, f"{where}.components[{i}]") for i, c in enumerate(obj.get("components") or [])]
    statuses = {u.status for u in updates}
    is_maintenance = (maintenance_list or obj.get("scheduled_for") not in (None, "") or str(obj.get("impact")) == "maintenance"
                      or bool(statuses & {"scheduled", "in_progress", "verifying", "completed"}))
    impact = _text(obj.get("impact")).lower()
    # Statuspage lists updates newest first; equal instants keep the API's order reversed.
    updates.sort(key=lambda u: (u.at.astimezone(dt.timezone.utc), -u.position))
    return SPIncident(
        id=iid,
        name=" ".join(_text(obj.get("name")).split()) or f"Statuspage incident {iid}",
        kind=MAINTENANCE if is_maintenance else INCIDENT,
        impact=impact if impact in IMPACTS else "none",
        updates=updates,
        components=components,
        started_at=_optional_time(obj.get("started_at"), f"{where}.started_at"),
        scheduled_for=_optional_time(obj.get("scheduled_for"), f"{where}.scheduled_for"),
        scheduled_until=_optional_time(obj.get("scheduled_until"), f"{where}.scheduled_until"),
        shortlink=_text(obj.get("shortlink")),
        postmortem_body=_text(obj.get("postmortem_body")).strip(),
        postmortem_at=_optional_time(obj.get("postmortem_published_at"), f"{where}.postmortem_published_at"),
        updated_at=_text(obj.get("updated_at")),
    )


def collect(documents: Iterable[tuple[str, Any]]) -> Collected:
    """Read every document; SourceError when one is not a Statuspage export."""
    out = Collected()
    for name, data in documents:
        items = _items(name, data, out)
        if items is None:
            raise SourceError(f"{name}: not a Statuspage export; expected the JSON of /api/v2/incidents.json, "
                              "scheduled-maintenances.json, summary.json, components.json or one incident")
        for where, obj, maintenance in items:
            _keep(out, _incident(obj, where, maintenance_list=maintenance))
    return out


def _keep(out: Collected, incident: SPIncident) -> None:
    """Add an incident, or keep the fuller of two copies (more updates, then the later ``updated_at``)."""
    old = out.incidents.get(incident.id)
    if old is None or (len(incident.updates), incident.updated_at) > (len(old.updates), old.updated_at):
        out.incidents[incident.id] = incident
    for comp in incident.components:
        out.components.setdefault(comp.id, comp)


def _items(name: str, data: Any, out: Collected) -> list[tuple[str, Any, bool]] | None:
    """The incident objects of one document as (where, object, from a maintenance list); None: not an export.

    A document's components (summary.json, components.json) go straight into ``out``.
    """
    if isinstance(data, list):
        return [(f"{name}[{i}]", obj, False) for i, obj in enumerate(data)]
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("page"), dict) and not out.page_name:
        out.page_name = _text(data["page"].get("name"))
    items = _listed(name, data)
    if isinstance(data.get("incident"), dict):
        items.append((f"{name}: incident", data["incident"], False))
    elif "incident_updates" in data and "id" in data:
        items.append((name, data, False))
    found = bool(items) or any(data.get(key) is not None for key in ("incidents", "scheduled_maintenances"))
    comps = data.get("components")
    if isinstance(comps, list) and ("page" in data or "status" in data or not found):
        for i, c in enumerate(comps):
            comp = _component(c, f"{name}: components[{i}]")
            out.components[comp.id] = comp
        found = True
    return items if found else None


def _listed(name: str, data: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """The objects of a document's ``incidents`` and ``scheduled_maintenances`` lists."""
    items: list[tuple[str, Any, bool]] = []
    for key, maintenance in (("incidents", False), ("scheduled_maintenances", True)):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            raise SourceError(f"{name}: '{key}' is not a list")
        items += [(f"{name}: {key}[{i}]", obj, maintenance) for i, obj in enumerate(value)]
    return items
