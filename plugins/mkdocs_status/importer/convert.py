"""The collected export as incident files: names, front matter, update headings, components.

Planning is pure and deterministic: the same input and the same incidents folder give
the same file names and bytes, so a re-import changes nothing. Each file carries a
YAML comment naming the Statuspage id (:data:`MARKER`), which is how a re-import finds
it again.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..authoring import NewFile, render_file, render_update, safe_body, slugify, stamp, unique_id, yaml_scalar
from ..model import COMPONENT_STATUSES, INCIDENT, INCIDENT_STATUSES, MAINTENANCE, MAINTENANCE_STATUSES, Settings, component_rank
from .export import Collected, SPComponent, SPIncident, SPUpdate

# The marker names the Statuspage id percent-encoded (RFC 3986 unreserved characters as they
# are), so an id holding spaces, newlines or '#' can neither break out of the comment nor go
# unrecognised on re-import; ids of letters, digits and '_.-' read as before.
MARKER = re.compile(r"^# Imported from Statuspage (?:incident|maintenance) ([A-Za-z0-9_.~%-]+)", re.MULTILINE)
_MAINTENANCE_WORDS = {"scheduled": "scheduled", "in_progress": "in_progress", "in progress": "in_progress",
                      "verifying": "verifying", "completed": "completed", "resolved": "completed"}


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
