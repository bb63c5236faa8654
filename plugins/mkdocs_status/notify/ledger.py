"""The delivery ledger published with the site as ``api/v2/notify-ledger.json``.

It records, per update, what was announced, what is still owed and what was sent
without hearing back, for the build whose ``incidents.json`` it names by digest.
A ledger of the wrong shape is a :class:`StateError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from .records import LEDGER_FORMAT, LEDGER_VERSION, READABLE_VERSIONS, Known, StateError, UpdateKey, parse_json, parse_time


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
    document = parse_json(raw, what)
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
