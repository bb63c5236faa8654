"""What was published before, what the new build holds, and the delivery ledger.

Three inputs decide what to send; see the package docstring for the story.

* the new build: ``SITE_DIR/api/v2/incidents.json`` plus every
  ``SITE_DIR/api/v2/incidents/<id>.json`` (so an update to an incident outside
  the 50-newest window is seen), plus ``scheduled-maintenances.json``;
* the previous state: the last published ``incidents.json`` (URL or file) and
  the ``notify-ledger.json`` published beside it;
* the ledger already in ``SITE_DIR`` when `notify` runs again on the same build;

and, kept on the machine, the journal of every delivery (``journal.py``). Updates
are matched across builds by :func:`~.records.identities`, on what they say, not
only on their ids (``records.py``); the ledger's format is ``ledger.py``'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .ledger import Ledger, parse_ledger, write_atomically
from .records import (
    API_DIR,
    BACKFILL_AGE,
    INCIDENTS_JSON,
    LEDGER_JSON,
    MAINTENANCES_JSON,
    WINDOW,
    ApiIncident,
    ApiUpdate,
    Known,
    SiteError,
    StateError,
    UpdateKey,
    identities,
    incidents_of,
    known_updates,
    merge_known,
    parse_json,
    parse_time,
    text_digest,
)
from .transport import DeliveryError, Policy, http_get_optional, with_retries

__all__ = [  # this module's, and those of the records and the ledger that it reads and hands on
    "ApiIncident", "ApiUpdate", "Known", "Ledger", "NewBuild", "Previous", "PreviousSource", "SiteError", "StateError",
    "UpdateKey", "identities", "incidents_of", "known_updates", "parse_ledger", "parse_time", "read_build", "read_previous",
    "read_site_ledger", "text_digest", "write_atomically",
]  # fmt: skip


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


def _read_json(path: Path) -> Any:
    try:
        return parse_json(path.read_bytes(), str(path))
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
    document = parse_json(raw, f"the previous {INCIDENTS_JSON} at {location}")
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


def read_site_ledger(build: NewBuild) -> Ledger | None:
    """A ledger left in SITE_DIR by an earlier `notify` run on this same build."""
    path = build.ledger_path
    if not path.is_file():
        return None
    ledger = parse_ledger(path.read_bytes(), str(path))
    if ledger is not None and ledger.incidents_sha256 != build.incidents_sha256:
        return None  # left over from another build; MkDocs normally cleans site_dir
    return ledger
