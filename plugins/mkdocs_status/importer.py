"""Migration from Atlassian Statuspage: its public API v2 JSON -> incident files.

Reads the documented shapes of ``/api/v2/incidents.json``,
``/api/v2/scheduled-maintenances.json``, ``/api/v2/summary.json``,
``/api/v2/components.json`` and a single incident (``{"incident": {…}}`` or the
bare object), and plans one incident file per Statuspage incident or
maintenance. Planning is pure and deterministic: the same input and the same
incidents folder give the same file names and bytes, so a re-import changes
nothing. Each file carries a YAML comment naming the Statuspage id, which is how
a re-import finds it again.

Only :func:`read_source` does I/O (a local file or an HTTP GET).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .authoring import NewFile, render_file, render_update, safe_body, slugify, stamp, unique_id, yaml_scalar
from .model import COMPONENT_STATUSES, IMPACTS, INCIDENT, INCIDENT_STATUSES, MAINTENANCE, MAINTENANCE_STATUSES, Settings, component_rank
from .parse.dates import MAX_YEAR, MIN_YEAR

# The marker names the Statuspage id percent-encoded (RFC 3986 unreserved characters as they
# are), so an id holding spaces, newlines or '#' can neither break out of the comment nor go
# unrecognised on re-import; ids of letters, digits and '_.-' read as before.
MARKER = re.compile(r"^# Imported from Statuspage (?:incident|maintenance) ([A-Za-z0-9_.~%-]+)", re.MULTILINE)
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", re.IGNORECASE)
_MAINTENANCE_WORDS = {"scheduled": "scheduled", "in_progress": "in_progress", "in progress": "in_progress",
                      "verifying": "verifying", "completed": "completed", "resolved": "completed"}
_API_FILES = ("incidents.json", "scheduled-maintenances.json", "components.json")


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


# -- reading ---------------------------------------------------------------------


# Bounds on a download (README "Import from Statuspage"): all the files of one source within
# DEADLINE seconds in total, however slowly a server answers; no answer larger than MAX_BYTES
# (a page's incidents.json is a few MB); redirects only to the same host.
DEADLINE = 60.0
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024


def read_source(location: str, *, deadline: float = DEADLINE, max_bytes: int = MAX_BYTES) -> list[tuple[str, Any]]:
    """(name, JSON) pairs from a path or URL; a page URL without ``.json`` fetches its API files."""
    if re.match(r"https?://", location, flags=re.IGNORECASE):
        clock = Deadline(deadline)
        try:
            if location.split("?")[0].lower().endswith(".json"):
                return [(location, _fetch(location, clock, max_bytes))]
            root = location.rstrip("/") + "/"
            if not root.endswith("/api/v2/"):
                root += "api/v2/"
            return [(root + name, _fetch(root + name, clock, max_bytes)) for name in _API_FILES]
        finally:
            clock.cancel()
    path = Path(location)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"{location}: cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise SourceError(f"{location}: larger than {max_bytes // (1024 * 1024)} MB; split the export")
    return [(location, _json(location, raw))]


class Deadline:
    """A total time limit for downloads: at its end every socket opened under it is shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left; SourceError once none are."""
        left = self.ends - time.monotonic()
        if left <= 0 or self.expired:
            raise SourceError(f"took longer than {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read: it ends at once
                except OSError:
                    pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Watched:
    """A connection whose socket the deadline watches once it is connected."""

    sock: socket.socket

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.deadline.watch(self.sock)


class _Connection(_Watched, http.client.HTTPConnection):
    """HTTP under a deadline."""


class _TLSConnection(_Watched, http.client.HTTPSConnection):
    """HTTPS under a deadline."""


class _Handler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """Opens http(s) connections whose sockets the deadline can shut."""

    def __init__(self, deadline: Deadline) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(functools.partial(_Connection, deadline=self.deadline), req)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(functools.partial(_TLSConnection, deadline=self.deadline), req, context=self._context)


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the host the user named."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if (new.hostname or "").lower() != (old.hostname or "").lower() or new.scheme.lower() not in ("http", "https"):
            raise SourceError(f"{req.full_url}: the server redirects to another host ({new.scheme}://{new.netloc}); "
                              "import from that address if you trust it")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, deadline: Deadline, max_bytes: int) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": f"mkdocs-status/{__version__}"})
    opener = urllib.request.build_opener(_Handler(deadline), _SameHost())
    try:
        # The socket timeout outlasts the deadline a little: the deadline's own timer ends the wait.
        with opener.open(request, timeout=min(30.0, deadline.left() + 1)) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(f"{url}: the answer is larger than {max_bytes // (1024 * 1024)} MB")
            return _json(url, _read_capped(response, url, deadline, max_bytes))
    except SourceError as exc:
        raise SourceError(str(exc) if str(exc).startswith(url) else f"{url}: {exc}") from None
    except urllib.error.HTTPError as exc:
        raise SourceError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
        if deadline.expired:
            raise SourceError(f"{url}: took longer than {deadline.seconds:g} s") from None
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"{url}: cannot fetch it ({reason})") from None


def _read_capped(response: Any, url: str, deadline: Deadline, max_bytes: int) -> bytes:
    """The body, read in chunks: never more than ``max_bytes`` kept, never past the deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.left()
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"the answer is larger than {max_bytes // (1024 * 1024)} MB")
        chunks.append(chunk)
    deadline.left()  # a socket shut by the deadline reads as the end of the answer
    return b"".join(chunks)


def _json(name: str, raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise SourceError(f"{name}: JSON nested too deeply; expected a Statuspage JSON export") from None
    except UnicodeDecodeError:
        raise SourceError(f"{name}: not UTF-8 text; expected a Statuspage JSON export") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg}); expected a Statuspage JSON export") from None


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
        found = False
        items: list[tuple[str, Any, bool]] = []
        if isinstance(data, list):
            items = [(f"{name}[{i}]", obj, False) for i, obj in enumerate(data)]
            found = True
        elif isinstance(data, dict):
            if isinstance(data.get("page"), dict) and not out.page_name:
                out.page_name = _text(data["page"].get("name"))
            for key, maintenance in (("incidents", False), ("scheduled_maintenances", True)):
                value = data.get(key)
                if value is None:
                    continue
                if not isinstance(value, list):
                    raise SourceError(f"{name}: '{key}' is not a list")
                items += [(f"{name}: {key}[{i}]", obj, maintenance) for i, obj in enumerate(value)]
                found = True
            if isinstance(data.get("incident"), dict):
                items.append((f"{name}: incident", data["incident"], False))
                found = True
            elif "incident_updates" in data and "id" in data:
                items.append((name, data, False))
                found = True
            comps = data.get("components")
            if isinstance(comps, list) and ("page" in data or "status" in data or not found):
                for i, c in enumerate(comps):
                    comp = _component(c, f"{name}: components[{i}]")
                    out.components[comp.id] = comp
                found = True
        if not found:
            raise SourceError(f"{name}: not a Statuspage export; expected the JSON of /api/v2/incidents.json, "
                              "scheduled-maintenances.json, summary.json, components.json or one incident")
        for where, obj, maintenance in items:
            incident = _incident(obj, where, maintenance_list=maintenance)
            old = out.incidents.get(incident.id)
            if old is None or (len(incident.updates), incident.updated_at) > (len(old.updates), old.updated_at):
                out.incidents[incident.id] = incident
            for comp in incident.components:
                out.components.setdefault(comp.id, comp)
    return out


# -- converting -------------------------------------------------------------------


def convert_body(body: str) -> str:
    """A Statuspage body as update text: line endings normalised, kept inside its update."""
    return safe_body(body.replace("\r\n", "\n").replace("\r", "\n"))


def find_marker(text: str) -> str | None:
    """The Statuspage id an imported file names in its front matter, if any."""
    head = text.removeprefix("\ufeff")
    if not head.startswith("---"):
        return None
    end = re.search(r"^(---|\.\.\.)[ \t]*$", head[3:], flags=re.MULTILINE)
    m = MARKER.search(head[: end.start() + 3 if end else 4000])
    return urllib.parse.unquote(m.group(1)) if m else None


def marker_id(statuspage_id: str) -> str:
    """The id as the marker writes it: nothing but URL-safe characters, reversible by ``unquote``."""
    return urllib.parse.quote(statuspage_id, safe="")


def safe_shortlink(link: str) -> str:
    """A shortlink fit for a one-line comment: an http(s) URL with every other character percent-encoded; else ''."""
    link = link.strip()
    if not re.match(r"https?://", link, flags=re.IGNORECASE):
        return ""
    return urllib.parse.quote(link, safe=":/?&=+@!$,;~*'()[]%-._")


def group_slug(name: str) -> str:
    """The id a new group gets from its name: the slug incident and component ids get."""
    return slugify(name, fallback="group")


@dataclass(frozen=True)
class NewComponent:
    """A Statuspage component with no counterpart in mkdocs.yml: the id the import gives it."""

    id: str
    name: str
    description: str
    start_date: dt.date | None
    group_name: str | None  # Statuspage group
    group_id: str | None  # our id for the group (an existing config group or a new one)
    group_exists: bool


class ComponentMap:
    """Maps Statuspage components to component ids of mkdocs.yml, inventing ids for unknown ones.

    A Statuspage component matches a configured one when the configured id is
    its Statuspage id or the slug of its name, or when the names are equal
    (in any configured language, ignoring case).
    """

    def __init__(self, settings: Settings, known: dict[str, SPComponent]) -> None:
        self.settings = settings
        self.known = known
        self.ids = set(settings.component_ids())
        self.group_ids = {g.id for g in settings.groups}
        self.taken = self.ids | self.group_ids
        self.by_name: dict[str, list[str]] = {}
        for comp in settings.components:
            for name in comp.names.values():
                self.by_name.setdefault(name.casefold(), []).append(comp.id)
        self.groups_by_name = {name.casefold(): g.id for g in settings.groups for name in g.names.values()}
        self.new: dict[str, NewComponent] = {}  # statuspage id -> new component
        self.new_groups: dict[str, str] = {}  # statuspage group name -> our new id
        self.cache: dict[str, str] = {}

    def group_name(self, comp: SPComponent, shown: str = "") -> str | None:
        if comp.group_id and comp.group_id in self.known:
            return self.known[comp.group_id].name
        suffix = f" - {comp.name}"
        if shown.endswith(suffix) and len(shown) > len(suffix):
            return shown[: -len(suffix)].strip()
        return None

    def config_group(self, name: str | None, sp_group_id: str | None) -> str | None:
        if sp_group_id and sp_group_id in self.group_ids:
            return sp_group_id
        if not name:
            return None
        if group_slug(name) in self.group_ids:
            return group_slug(name)
        return self.groups_by_name.get(name.casefold())

    def resolve(self, comp: SPComponent, shown: str = "") -> str:
        if comp.id in self.cache:
            return self.cache[comp.id]
        group_name = self.group_name(comp, shown)
        our_group = self.config_group(group_name, comp.group_id)
        found: str | None = None
        if comp.id in self.ids:
            found = comp.id
        elif slugify(comp.name, fallback="") in self.ids:
            found = slugify(comp.name, fallback="")
        else:
            candidates = self.by_name.get(comp.name.casefold(), [])
            if len(candidates) > 1 and our_group:
                candidates = [c for c in candidates if self.settings.component(c).group == our_group] or candidates
            found = candidates[0] if candidates else None
        if found is None:
            found = self._invent(comp, group_name, our_group)
        self.cache[comp.id] = found
        return found

    def _allocate(self, base: str, prefix: str | None = None) -> str:
        candidate = base
        if candidate in self.taken and prefix:
            candidate = f"{prefix}-{base}"
        n = 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate

    def _invent(self, comp: SPComponent, group_name: str | None, our_group: str | None) -> str:
        group_id = our_group
        if group_name and not our_group:
            if group_name not in self.new_groups:
                self.new_groups[group_name] = self._allocate(group_slug(group_name))
            group_id = self.new_groups[group_name]
        cid = self._allocate(slugify(comp.name, fallback=comp.id.lower()), group_slug(group_name) if group_name else None)
        self.new[comp.id] = NewComponent(cid, comp.name, comp.description, comp.created, group_name, group_id, bool(our_group))
        return cid


@dataclass
class PlannedFile:
    """One file the import writes (or finds unchanged)."""

    statuspage_id: str
    stem: str
    path: Path  # relative to the config file's folder
    text: str
    updates: int


@dataclass
class ImportPlan:
    files: list[PlannedFile]
    new_components: list[NewComponent]
    notes: list[str]


def _statuses(incident: SPIncident) -> list[tuple[SPUpdate, str]]:
    """Each update with the status word the file writes: repeated statuses become ``update``."""
    out: list[tuple[SPUpdate, str]] = []
    kept: str | None = None
    for u in incident.updates:
        if incident.kind == MAINTENANCE:
            status = _MAINTENANCE_WORDS.get(u.status.replace("_", " "), _MAINTENANCE_WORDS.get(u.status))
        else:
            status = u.status if u.status in INCIDENT_STATUSES and u.status != "update" else None
        if kept is None:
            word = status or ("scheduled" if incident.kind == MAINTENANCE else "investigating")
        else:
            word = "update" if status in (None, kept) else status
        kept = kept if word == "update" else word
        out.append((u, word))
    return out


def _changes(incident: SPIncident, cmap: ComponentMap) -> list[dict[str, str]]:
    """Each update's component statuses as Statuspage lists them (``affected_components``), in our ids.

    A listed group stands for its members; two Statuspage components that map to one of ours keep the worse status.
    """
    out: list[dict[str, str]] = []
    for u in incident.updates:
        changes: dict[str, str] = {}
        for code, name, status in u.affected:
            if status not in COMPONENT_STATUSES:
                continue
            comp = cmap.known.get(code) or SPComponent(code, name.rsplit(" - ", 1)[-1] or code)
            members = [c for c in cmap.known.values() if comp.is_group and c.group_id == comp.id] or [comp]
            for member in members:
                cid = cmap.resolve(member, name if member is comp else "")
                if cid not in changes or component_rank(status) > component_rank(changes[cid]):
                    changes[cid] = status
        out.append(changes)
    return out


def _first_components(incident: SPIncident, cmap: ComponentMap, changes: list[dict[str, str]]) -> dict[str, str | None]:
    """The front matter's components when updates list theirs: the first update's statuses, from the start.

    Components that join later are set by their update's attribute block only; a component the
    incident names but no update lists is named as operational, so it is not dropped.
    """
    first: dict[str, str | None] = dict(changes[0])
    later = {cid for step in changes for cid in step}
    for comp in incident.components:
        members = [c for c in cmap.known.values() if comp.is_group and c.group_id == comp.id] or [comp]
        for member in members:
            cid = cmap.resolve(member)
            if cid not in later and cid not in first:
                first[cid] = "operational" if incident.kind == INCIDENT else None
    if incident.kind == MAINTENANCE:
        return dict.fromkeys(first) | dict.fromkeys(later)
    return first


def _short_ids(incident: SPIncident) -> list[str | None]:
    """Each update's own id from Statuspage's, as the attribute block allows it (letters, digits, hyphens), unique ignoring case."""
    seen: set[str] = set()
    out: list[str | None] = []
    for u in incident.updates:
        base = re.sub(r"[^A-Za-z0-9-]+", "-", u.id).strip("-")
        candidate, n = base, 1
        while candidate and candidate.lower() in seen:
            n += 1
            candidate = f"{base}-{n}"
        if candidate:
            seen.add(candidate.lower())
        out.append(candidate or None)
    return out


def attribute_block(short_id: str | None, components: dict[str, str]) -> str:
    """`` {#id comp=status … notify=false}``: what an imported update's heading ends with."""
    items = ([f"#{short_id}"] if short_id else []) + [f"{cid}={status}" for cid, status in components.items()]
    return " {" + " ".join([*items, "notify=false"]) + "}"


def _components(incident: SPIncident, cmap: ComponentMap) -> dict[str, str | None]:
    worst: dict[str, str | None] = {}
    shown = {code: name for u in incident.updates for code, name, _ in u.affected}
    comps = {c.id: c for c in incident.components}
    for u in incident.updates:
        for code, name, _ in u.affected:
            comps.setdefault(code, cmap.known.get(code) or SPComponent(code, name.rsplit(" - ", 1)[-1] or code))
    expanded: list[SPComponent] = []
    for comp in comps.values():
        members = [c for c in cmap.known.values() if comp.is_group and c.group_id == comp.id]
        expanded += members or [comp]
    for comp in expanded:
        worst.setdefault(cmap.resolve(comp, shown.get(comp.id, "")), None)
    if incident.kind == MAINTENANCE:
        return worst
    allowed = set(COMPONENT_STATUSES[2:])
    for u in incident.updates:
        for code, _name, status in u.affected:
            if status not in allowed or code not in cmap.cache:
                continue
            cid = cmap.cache[code]
            current = worst.get(cid)
            if current is None or component_rank(status) > component_rank(current):
                worst[cid] = status
    return worst


def plan(collected: Collected, settings: Settings, *, existing: dict[str, Path], taken: set[str], target_dir: Path,
         year_folders: bool, lang: str) -> ImportPlan:
    """Decide every file's name and text. ``existing`` maps Statuspage ids to files a previous import wrote."""
    cmap = ComponentMap(settings, collected.components)
    notes: list[str] = []
    files: list[PlannedFile] = []
    taken = set(taken)
    ordered = sorted(collected.incidents.values(), key=lambda i: (i.start.astimezone(dt.timezone.utc), i.id))
    for incident in ordered:
        if not incident.updates:
            notes.append(f"Statuspage incident {incident.id} ('{incident.name}') has no updates; skipped")
            continue
        file = _render(incident, settings, cmap, lang)
        if incident.id in existing:
            path = existing[incident.id]
            stem = path.stem
        else:
            day = incident.start.astimezone(settings.timezone).date()
            stem = unique_id(day, slugify(incident.name, fallback=incident.id.lower()), taken)
            folder = target_dir / f"{day:%Y}" if year_folders else target_dir
            path = folder / f"{stem}.md"
        taken.add(stem)
        files.append(PlannedFile(incident.id, stem, path, file, len(incident.updates) + (1 if _has_postmortem(incident) else 0)))
    new = sorted(cmap.new.values(), key=lambda c: (c.group_name or "", c.id))
    return ImportPlan(files, new, notes)


def _has_postmortem(incident: SPIncident) -> bool:
    return incident.kind == INCIDENT and bool(incident.postmortem_body)


def _instants(incident: SPIncident, steps: list[tuple[SPUpdate, str]]) -> list[dt.datetime]:
    """Each update's instant to the second; where two fall in one second against the lifecycle order the
    parser sorts equal instants by, the later one moves on a second, so the file keeps Statuspage's order."""
    order = MAINTENANCE_STATUSES if incident.kind == MAINTENANCE else INCIDENT_STATUSES
    out: list[dt.datetime] = []
    for n, (u, word) in enumerate(steps):
        at = u.at
        if out and at <= out[-1] and order.index(word) < order.index(steps[n - 1][1]):
            at = out[-1] + dt.timedelta(seconds=1)
        out.append(at)
    return out


def _render(incident: SPIncident, settings: Settings, cmap: ComponentMap, lang: str) -> str:
    """The file: front matter, then every update with its attribute block (id, component statuses, notify=false)."""
    steps = _statuses(incident)
    instants = _instants(incident, steps)
    per_update = any(u.affected for u in incident.updates)
    changes = _changes(incident, cmap) if per_update else [{} for _ in incident.updates]
    ids = _short_ids(incident)
    updates = [(word, at, {lang: convert_body(u.body)}, attribute_block(sid, step))
               for (u, word), at, sid, step in zip(steps, instants, ids, changes, strict=True)]
    started_at = scheduled_for = scheduled_until = None
    if incident.kind == MAINTENANCE:
        start = incident.scheduled_for or incident.started_at or incident.updates[0].at
        until = incident.scheduled_until or instants[-1]
        if until <= start:
            until = start + dt.timedelta(hours=1)
        scheduled_for, scheduled_until = stamp(start), stamp(until)
    elif incident.started_at and incident.started_at <= instants[-1]:
        started_at = stamp(incident.started_at)  # as Statuspage gives it (never after the last update)
    if _has_postmortem(incident):
        at = max(incident.postmortem_at or instants[-1], instants[-1])
        updates.append(("postmortem", at, {lang: convert_body(incident.postmortem_body)}, attribute_block(None, {})))
    kind_word = "maintenance" if incident.kind == MAINTENANCE else "incident"
    comment = f"Imported from Statuspage {kind_word} {marker_id(incident.id)}"
    if safe_shortlink(incident.shortlink):
        comment += f" ({safe_shortlink(incident.shortlink)})"
    first_word, first_at, first_texts, first_block = updates[0]
    new = NewFile(
        titles={lang: incident.name},
        own_lang=lang,
        kind=incident.kind,
        impact=incident.impact if incident.kind == INCIDENT else None,
        components=_first_components(incident, cmap, changes) if per_update else _components(incident, cmap),
        status=first_word,
        at=first_at,
        texts=first_texts,
        scheduled_for=scheduled_for,
        scheduled_until=scheduled_until,
        started_at=started_at,
        comments=[comment],
    )
    head = render_file(new, settings)
    first = render_update(first_word, first_at, first_texts, lang, settings.language_codes)
    assert head.endswith(first)  # render_file ends with the first update as render_update writes it
    parts = [head[: -len(first)], _with_block(first, first_block)]
    for word, at, texts, block in updates[1:]:
        parts.append("\n" + _with_block(render_update(word, at, texts, lang, settings.language_codes), block))
    return "".join(parts)


def _with_block(update: str, block: str) -> str:
    """An update as render_update writes it, its heading (the first line) ending with the attribute block."""
    heading, rest = update.split("\n", 1)
    return f"{heading}{block}\n{rest}"


def components_snippet(new: list[NewComponent]) -> str:
    """YAML to paste under the status plugin's ``components:`` in mkdocs.yml."""
    if not new:
        return ""

    def entry(c: NewComponent, indent: str) -> list[str]:
        lines = [f"{indent}- id: {c.id}", f"{indent}  name: {yaml_scalar(c.name)}"]
        if c.description:
            lines.append(f"{indent}  description: {yaml_scalar(c.description)}")
        if c.start_date:
            lines.append(f"{indent}  start_date: {c.start_date:%Y-%m-%d}")
        return lines

    out = ["# Components the imported incidents use that mkdocs.yml does not declare.",
           "# Paste under `plugins: - status: components:` (indented as in the example site):"]
    loose = [c for c in new if c.group_id is None]
    for c in loose:
        out += entry(c, "        ")
    new_groups: dict[str, list[NewComponent]] = {}
    old_groups: dict[str, list[NewComponent]] = {}
    for c in new:
        if c.group_id is not None:
            (old_groups if c.group_exists else new_groups).setdefault(c.group_id, []).append(c)
    for gid, members in new_groups.items():
        out += [f"        - group: {yaml_scalar(members[0].group_name or gid)}", f"          id: {gid}", "          components:"]
        for c in members:
            out += entry(c, "            ")
    for gid, members in old_groups.items():
        out.append(f"# …and add these to the components of the existing group '{gid}':")
        for c in members:
            out += entry(c, "            ")
    return "\n".join(out) + "\n"


def relative(path: Path, base: Path) -> str:
    try:
        return PurePosixPath(path.resolve().relative_to(base.resolve())).as_posix()
    except ValueError:
        return path.as_posix()
