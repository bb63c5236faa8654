"""What the status API says, as `notify` reads it: incidents, their updates, what was known.

Read leniently from any API document (a build's, the previous site's), and matched
across builds by :func:`identities` on what updates say, not only on their ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

API_DIR = Path("api") / "v2"
INCIDENTS_JSON = "incidents.json"
MAINTENANCES_JSON = "scheduled-maintenances.json"
LEDGER_JSON = "notify-ledger.json"
LEDGER_FORMAT = "mkdocs-status notify ledger"
LEDGER_VERSION = 2  # 2: known holds each update's fingerprint; built_at; uncertain
READABLE_VERSIONS = (1, 2)
BACKFILL_AGE = dt.timedelta(hours=24)  # older than this before the previous build: backfill, not news
WINDOW = 50  # incidents.json holds the 50 newest incidents, like Statuspage's

UpdateKey = tuple[str, str]  # (incident id, update id)


class StateError(Exception):
    """The previous state or the new build cannot be read reliably; nothing is sent."""


class SiteError(StateError):
    """SITE_DIR is not a status site build (a usage error, exit code 2)."""


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _text_part(fingerprint: str) -> str:
    return fingerprint.rpartition(":")[2]


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class ApiUpdate:
    """One entry of an incident's ``incident_updates``, as the API publishes it."""

    incident_id: str
    id: str
    status: str
    body: str
    at: dt.datetime  # display_at, else created_at
    position: int  # oldest first within its incident
    raw: dict[str, Any]

    @property
    def key(self) -> UpdateKey:
        return (self.incident_id, self.id)

    @property
    def fingerprint(self) -> str:
        """What an update says, without its id or time: ``<status>:<digest of its text>``.
        A corrected time or a renumbered id keeps it, so a correction is recognised as one."""
        return f"{self.status}:{text_digest(self.body)}"

    @property
    def notify(self) -> bool:
        """False for Statuspage's ``deliver_notifications: false`` (``{notify=false}``, imports)."""
        return self.raw.get("deliver_notifications") is not False


@dataclass
class ApiIncident:
    id: str
    name: str
    created_at: dt.datetime | None
    raw: dict[str, Any]
    updates: list[ApiUpdate] = field(default_factory=list)  # oldest first

    @property
    def start(self) -> dt.datetime | None:
        """What incidents.json is ordered by (newest first): started_at, else created_at."""
        return parse_time(self.raw.get("started_at")) or self.created_at or (self.updates[0].at if self.updates else None)


def _incident(raw: Any) -> ApiIncident | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        return None
    iid = raw["id"]
    entries = [u for u in raw.get("incident_updates") or [] if isinstance(u, dict) and u.get("id") is not None]
    # Statuspage lists updates newest first; order oldest first by time, keeping
    # the published order (reversed) for equal times.
    indexed = list(enumerate(reversed(entries)))
    epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    indexed.sort(key=lambda pair: (parse_time(pair[1].get("display_at")) or parse_time(pair[1].get("created_at")) or epoch, pair[0]))
    updates = [
        ApiUpdate(iid, str(u["id"]), str(u.get("status") or ""), str(u.get("body") or ""),
                  parse_time(u.get("display_at")) or parse_time(u.get("created_at")) or epoch, position, u)
        for position, (_, u) in enumerate(indexed)
    ]
    return ApiIncident(iid, str(raw.get("name") or iid), parse_time(raw.get("created_at")), raw, updates)


def incidents_of(document: Any) -> list[ApiIncident]:
    """Incidents of any API document: ``{"incidents": [...]}``, ``{"scheduled_maintenances": [...]}``,
    ``{"incident": {...}}`` or a bare incident."""
    if not isinstance(document, dict):
        return []
    raws: list[Any] = []
    for key in ("incidents", "scheduled_maintenances"):
        if isinstance(document.get(key), list):
            raws.extend(document[key])
    for key in ("incident", "scheduled_maintenance"):
        if isinstance(document.get(key), dict):
            raws.append(document[key])
    if not raws and "incident_updates" in document:
        raws.append(document)
    return [i for i in (_incident(r) for r in raws) if i is not None]


Known = dict[str, dict[str, str]]  # incident id -> update id -> fingerprint ("" when not recorded)


def known_updates(incidents: Iterable[ApiIncident]) -> Known:
    out: Known = {}
    for incident in incidents:
        out.setdefault(incident.id, {}).update({u.id: u.fingerprint for u in incident.updates})
    return out


def merge_known(into: Known, more: Known) -> None:
    for iid, ids in more.items():
        table = into.setdefault(iid, {})
        for uid, fingerprint in ids.items():
            if fingerprint or uid not in table:
                table[uid] = fingerprint


def identities(history: dict[str, str], current: list[ApiUpdate]) -> dict[str, str | None]:
    """Each current update's id -> the id it had before (itself when unchanged), or None when it is news.

    ``history``: update id -> fingerprint of one incident as last recorded. In order:
    the same id saying the same thing is the same update; an update saying what a
    recorded one said, whose id changed (a corrected time or zone, a renumbering by an
    update inserted at the same time), is that update; the same id saying something
    new is a corrected text, unless what it said before moved to another id (then an
    update inserted above took the id over, and it is news). Anything else is news.
    """
    out: dict[str, str | None] = {}
    for u in current:
        if u.id in history and history[u.id] in ("", u.fingerprint):
            out[u.id] = u.id
    current_ids = {u.id for u in current}
    # Vanished ids first: an id still present is matched by content only when its content moved.
    unmatched = sorted((h for h in history if h not in out and history[h]), key=lambda h: h in current_ids)
    consumed: set[str] = set()
    # What it says: first the same status and text, then the same text (the status the API
    # reports for an "update" post is the one before it, which a reordering can change).
    for part in (lambda f: f, _text_part):
        leftover: dict[str, list[str]] = {}
        for uid in unmatched:
            if uid not in consumed:
                leftover.setdefault(part(history[uid]), []).append(uid)
        for u in current:
            if u.id not in out and leftover.get(part(u.fingerprint)):
                found = leftover[part(u.fingerprint)].pop(0)
                consumed.add(found)
                out[u.id] = found
    for u in current:
        if u.id not in out:
            out[u.id] = u.id if u.id in history and u.id not in consumed else None
    return out


def parse_json(raw: bytes, what: str) -> Any:
    """A JSON document of the state (``what`` names it); StateError when it cannot be read."""
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise StateError(f"{what} is not valid JSON ({exc})") from None
    except RecursionError:
        raise StateError(f"{what} is nested too deeply to be a status API file or ledger") from None
