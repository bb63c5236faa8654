"""What was published before, what the new build holds, and the delivery ledger.

Three inputs decide what to send; see the package docstring for the story.

* the new build: ``SITE_DIR/api/v2/incidents.json`` plus every
  ``SITE_DIR/api/v2/incidents/<id>.json`` (so an update to an incident outside
  the 50-newest window is seen), plus ``scheduled-maintenances.json``;
* the previous state: the last published ``incidents.json`` (URL or file) and
  the ``notify-ledger.json`` published beside it;
* the ledger already in ``SITE_DIR`` when `notify` runs again on the same build;

and, kept on the machine, the journal of every delivery (``journal.py``). Updates
are matched across builds by :func:`identities`, on what they say, not only on
their ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import __version__
from .transport import DeliveryError, Policy, http_get_optional, with_retries

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


@dataclass
class NewBuild:
    """The build about to be published."""

    site_dir: Path
    page: dict[str, Any]
    status: dict[str, Any]
    incidents: dict[str, ApiIncident]
    incidents_sha256: str

    @property
    def api_dir(self) -> Path:
        return self.site_dir / API_DIR

    @property
    def ledger_path(self) -> Path:
        return self.api_dir / LEDGER_JSON

    def updates(self) -> list[ApiUpdate]:
        return [u for i in self.incidents.values() for u in i.updates]


def _parse(raw: bytes, what: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise StateError(f"{what} is not valid JSON ({exc})") from None
    except RecursionError:
        raise StateError(f"{what} is nested too deeply to be a status API file or ledger") from None


def _read_json(path: Path) -> Any:
    try:
        return _parse(path.read_bytes(), str(path))
    except OSError as exc:
        raise StateError(f"{path}: cannot read it ({exc.strerror})") from None


def read_build(site_dir: Path) -> NewBuild:
    api = site_dir / API_DIR
    index = api / INCIDENTS_JSON
    if not index.is_file():
        raise SiteError(f"{index} does not exist: is {site_dir} a status site build? Run 'mkdocs build' first "
                        "(and check that site_url is set, which the API needs)")
    raw_index = index.read_bytes()
    try:
        document = json.loads(raw_index)
    except ValueError as exc:
        raise SiteError(f"{index}: not valid JSON ({exc})") from None
    incidents: dict[str, ApiIncident] = {}
    found = incidents_of(document)
    for extra in (api / MAINTENANCES_JSON, *sorted((api / "incidents").glob("*.json"))):
        if extra.is_file():
            found.extend(incidents_of(_read_json(extra)))
    for incident in found:
        have = incidents.get(incident.id)
        # Per-incident files are complete; keep the version with the most updates.
        if have is None or len(incident.updates) > len(have.updates):
            incidents[incident.id] = incident
    status: dict[str, Any] = {}
    status_path = api / "status.json"
    if status_path.is_file():
        status_doc = _read_json(status_path)
        if isinstance(status_doc, dict) and isinstance(status_doc.get("status"), dict):
            status = status_doc["status"]
    page = document.get("page") if isinstance(document, dict) and isinstance(document.get("page"), dict) else {}
    return NewBuild(site_dir, page, status, incidents, hashlib.sha256(raw_index).hexdigest())


# -- the previous state -------------------------------------------------------


@dataclass
class Previous:
    """What was published last time.

    ``known`` maps incident ids to the updates already accounted for (sent, owed
    or deliberately not sent), with what each said; ``pending`` holds what the
    last run still owes, ``uncertain`` what it sent without hearing back.
    ``cutoff``: without a ledger and with a full 50-incident window, incidents
    absent from that window but starting before its oldest are taken as known.
    ``built_at``: when the previous site was built (its ledger's ``built_at``;
    without one, the newest ``updated_at`` it lists); updates more than
    :data:`BACKFILL_AGE` older are backfill.
    """

    location: str
    known: Known
    pending: dict[UpdateKey, set[str]] = field(default_factory=dict)
    uncertain: dict[UpdateKey, set[str]] = field(default_factory=dict)
    has_ledger: bool = False
    cutoff: dt.datetime | None = None
    built_at: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)

    def is_known(self, incident: ApiIncident, identity: str | None, update: ApiUpdate) -> bool:
        if identity is not None and identity in self.known.get(incident.id, ()):
            return True
        if incident.id in self.known or self.cutoff is None:
            return False
        start = incident.start
        return start is None or start < self.cutoff

    def adopt(self, ledger: Ledger) -> None:
        """Take the last ledger written on this machine as the record, when the previous site has none:
        it was deployed without a ledger (notify killed, or skipped), so what it lists was not
        necessarily announced."""
        self.known = {iid: dict(ids) for iid, ids in ledger.known.items()}
        self.pending = ledger.pending
        self.uncertain = ledger.uncertain
        self.built_at = ledger.built_at or self.built_at
        self.cutoff = None
        self.has_ledger = True
        self.notes = [f"the previous site has no {LEDGER_JSON} of its own (deployed without notify, or notify was "
                      "stopped before it wrote one): the last ledger written on this machine is the record"]

    def is_backfill(self, update: ApiUpdate) -> bool:
        return self.built_at is not None and update.at < self.built_at - BACKFILL_AGE


class PreviousSource:
    """Reads files that sit beside the previous ``incidents.json``: over HTTP(S) or on disk."""

    def __init__(self, location: str, policy: Policy) -> None:
        self.location = location
        self.policy = policy
        scheme = urlsplit(location).scheme.lower()
        self.remote = scheme in ("http", "https")
        self.nonce = secrets.token_hex(6)
        if self.remote:
            base = location.split("#", 1)[0].split("?", 1)[0]
            if not base.endswith(".json"):  # the site's root URL (or its api/v2/ folder)
                base = base.rstrip("/") + "/"
                base += INCIDENTS_JSON if base.endswith("/api/v2/") else f"api/v2/{INCIDENTS_JSON}"
            self.base = base
        else:
            path = Path(location[7:] if location.startswith("file://") else location)
            if path.is_dir():
                path = path / API_DIR / INCIDENTS_JSON if (path / API_DIR / INCIDENTS_JSON).exists() else path / INCIDENTS_JSON
            self.path = path

    def where(self, name: str) -> str:
        """The URL or path of a sibling of incidents.json, for messages."""
        return urljoin(self.base, name) if self.remote else str(self.path.parent / name)

    def read(self, name: str) -> bytes | None:
        """A sibling of incidents.json by name; None when it does not exist."""
        if self.remote:
            url = urljoin(self.base, name)
            # A CDN may serve the state of a deploy or two ago for minutes (GitHub Pages
            # caches for 10); that state would make published updates look new again.
            # A query string it has not seen fetches the files from the origin.
            fresh = f"{url}?notify={self.nonce}"

            def get() -> bytes | None:
                return http_get_optional(fresh, timeout=self.policy.timeout)

            try:
                return with_retries(get, self.policy)[0]
            except DeliveryError as exc:
                raise StateError(f"cannot read {url}: {exc}") from None
        path = self.path.parent / name
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(f"cannot read {path}: {exc.strerror}") from None


def read_previous(location: str | None, policy: Policy) -> Previous | None:
    """The previous state, or None on a first deploy (no location, 404, missing or empty file)."""
    if not location:
        return None
    source = PreviousSource(location, policy)
    raw = source.read(INCIDENTS_JSON)
    if raw is None or not raw.strip():
        return None
    document = _parse(raw, f"the previous {INCIDENTS_JSON} at {location}")
    if not isinstance(document, dict) or not isinstance(document.get("incidents"), list):
        raise StateError(f"the previous {INCIDENTS_JSON} at {location} has no 'incidents' list; is it a status API file?")
    listed = incidents_of(document)
    previous = Previous(location, known_updates(listed))
    ledger = parse_ledger(source.read(LEDGER_JSON), f"the previous ledger {source.where(LEDGER_JSON)}")
    digest = hashlib.sha256(raw).hexdigest()
    if ledger is not None and ledger.incidents_sha256 == digest:
        merge_known(previous.known, ledger.known)
        previous.pending = ledger.pending
        previous.uncertain = ledger.uncertain
        previous.has_ledger = True
        previous.built_at = ledger.built_at or _newest(document, listed)
        return previous
    previous.built_at = _newest(document, listed)
    if ledger is not None:
        previous.notes.append(f"the previous {LEDGER_JSON} belongs to another build than the previous {INCIDENTS_JSON} "
                              "(a deploy without notify?); it is ignored, and what it still owed is not retried")
    # No usable ledger: take what the previous site lists, maintenance included.
    maintenances = source.read(MAINTENANCES_JSON)
    if maintenances:
        try:
            merge_known(previous.known, known_updates(incidents_of(json.loads(maintenances))))
        except (ValueError, RecursionError):
            pass
    if len(document["incidents"]) >= WINDOW:
        times = [t for t in (i.start for i in listed) if t is not None]
        previous.cutoff = min(times) if times else None
        previous.notes.append(f"no {LEDGER_JSON} was published with the previous site; incidents older than its "
                              f"{WINDOW}-incident window are taken as already announced")
    return previous


def _newest(document: dict[str, Any], listed: list[ApiIncident]) -> dt.datetime | None:
    """Without a ledger, the previous build's time is not recorded: the newest time it shows stands in."""
    page = document.get("page")
    times = [parse_time(page.get("updated_at"))] if isinstance(page, dict) else []
    times += [u.at for i in listed for u in i.updates]
    found = [t for t in times if t is not None]
    return max(found) if found else None


# -- the ledger ---------------------------------------------------------------


@dataclass
class Ledger:
    """The delivery ledger published with the site as ``api/v2/notify-ledger.json``."""

    incidents_sha256: str
    known: Known
    pending: dict[UpdateKey, set[str]] = field(default_factory=dict)
    delivered: dict[UpdateKey, set[str]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)  # id -> label, for people reading it
    uncertain: dict[UpdateKey, set[str]] = field(default_factory=dict)
    built_at: dt.datetime | None = None

    def to_json(self) -> bytes:
        def pairs(table: dict[UpdateKey, set[str]]) -> list[dict[str, Any]]:
            return [{"incident_id": i, "update_id": u, "channels": sorted(chs)} for (i, u), chs in sorted(table.items()) if chs]

        built = self.built_at.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z") if self.built_at else None
        document = {
            "format": LEDGER_FORMAT,
            "version": LEDGER_VERSION,
            "generator": f"mkdocs-status {__version__}",
            "incidents_sha256": self.incidents_sha256,
            "built_at": built,
            "channels": dict(sorted(self.channels.items())),
            "pending": pairs(self.pending),
            "uncertain": pairs(self.uncertain),
            "delivered": pairs(self.delivered),
            "known": {iid: dict(sorted(ids.items())) for iid, ids in sorted(self.known.items())},
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()

    def write(self, path: Path) -> None:
        """Atomically: a run killed half-way leaves the last complete ledger."""
        write_atomically(path, self.to_json())


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a reader sees the old or the new file, whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _kind(value: Any) -> str:
    """What a JSON value is, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


class _Fields:
    """Reads a parsed ledger field by field; a field of the wrong type is a :class:`StateError` naming it."""

    def __init__(self, document: dict[str, Any], what: str) -> None:
        self.document = document
        self.what = what

    def wrong(self, name: str, expected: str, value: Any) -> StateError:
        return StateError(f"{self.what}: field '{name}' must be {expected}, not {_kind(value)}; the file was not written by "
                          "this tool or was damaged. It is not used: nothing is sent until a run writes a new one "
                          "(delete it from the published site, or deploy once with a fresh build)")

    def text(self, name: str, *, optional: bool = False) -> str | None:
        value = self.document.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.wrong(name, "text", value)
        return value

    def known(self) -> Known:
        value = self.document.get("known", {})
        if not isinstance(value, dict):
            raise self.wrong("known", "an object of incident ids", value)
        out: Known = {}
        for iid, ids in value.items():
            if isinstance(ids, list) and all(isinstance(u, str) for u in ids):  # version 1
                out[iid] = dict.fromkeys(ids, "")
            elif isinstance(ids, dict) and all(isinstance(f, str) for f in ids.values()):
                out[iid] = dict(ids)
            else:
                raise self.wrong(f"known.{iid}", "an object of update ids and fingerprints", ids)
        return out

    def pairs(self, name: str) -> dict[UpdateKey, set[str]]:
        value = self.document.get(name, [])
        if not isinstance(value, list):
            raise self.wrong(name, "a list of {incident_id, update_id, channels}", value)
        out: dict[UpdateKey, set[str]] = {}
        for n, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise self.wrong(f"{name}[{n}]", "an object {incident_id, update_id, channels}", entry)
            for key in ("incident_id", "update_id"):
                if not isinstance(entry.get(key), str):
                    raise self.wrong(f"{name}[{n}].{key}", "text", entry.get(key))
            channels = entry.get("channels")
            if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
                raise self.wrong(f"{name}[{n}].channels", "a list of channel ids", channels)
            out.setdefault((entry["incident_id"], entry["update_id"]), set()).update(channels)
        return out

    def channels(self) -> dict[str, str]:
        value = self.document.get("channels", {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.wrong("channels", "an object of channel ids and labels", value)
        return dict(value)


def parse_ledger(raw: bytes | None, what: str) -> Ledger | None:
    if raw is None or not raw.strip():
        return None
    document = _parse(raw, what)
    if not isinstance(document, dict) or document.get("format") != LEDGER_FORMAT:
        raise StateError(f"{what} is not a notify ledger (its field 'format' is not {LEDGER_FORMAT!r})")
    if document.get("version") not in READABLE_VERSIONS:
        raise StateError(f"{what}: field 'version' is {document.get('version')!r}; this mkdocs-status reads "
                         f"version {' or '.join(map(str, READABLE_VERSIONS))}")
    fields = _Fields(document, what)
    built_text = fields.text("built_at", optional=True)
    built_at = parse_time(built_text)
    if built_text is not None and built_at is None:
        raise fields.wrong("built_at", "a time such as 2026-11-21T21:00:00Z", built_text)
    return Ledger(fields.text("incidents_sha256") or "", fields.known(), fields.pairs("pending"), fields.pairs("delivered"),
                  fields.channels(), fields.pairs("uncertain"), built_at)


def read_site_ledger(build: NewBuild) -> Ledger | None:
    """A ledger left in SITE_DIR by an earlier `notify` run on this same build."""
    path = build.ledger_path
    if not path.is_file():
        return None
    ledger = parse_ledger(path.read_bytes(), str(path))
    if ledger is not None and ledger.incidents_sha256 != build.incidents_sha256:
        return None  # left over from another build; MkDocs normally cleans site_dir
    return ledger
