"""The local delivery journal and the lock that keeps two runs on one machine apart.

Both live in the state folder (``--state-dir``, default ``.cache/mkdocs-status/notify``
beside mkdocs.yml, outside SITE_DIR, which ``mkdocs build`` empties):

``lock``
    held (``flock``) for the whole of a run; a second run waits for it (``--wait``
    seconds), then gives up without sending anything. The kernel releases it when a
    run dies, however it dies.
``journal.jsonl``
    one JSON line per step of every delivery, written and flushed to disk *before*
    the run goes on: ``pending`` for everything a run owes, before it sends anything
    (so a run killed before it wrote a ledger, and deployed anyway, still owes it);
    ``sending`` just before a request leaves, then ``delivered``,
    ``failed`` (certainly not delivered) or ``uncertain`` (sent, no answer). A
    delivery whose last line is ``sending`` was interrupted while in flight: it is
    uncertain too. Each line also holds the update's fingerprint, so a time corrected
    after a killed run does not make a delivered update look new. A torn last line
    (killed while writing it) is dropped, which leaves the safe step before it; a
    damaged line elsewhere stops the run before it sends anything.

``last-ledger.json``
    a copy of the last ledger this machine wrote: the record when the published site
    has no ledger (a deploy that went ahead after notify was killed before writing one).

The journal makes a kill or a re-run exact on one machine (and on CI runners that
restore the folder from a cache); the published ledger carries the same facts to
runners that do not have it.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .ledger import write_atomically
from .records import UpdateKey

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock
    fcntl = None  # type: ignore[assignment]

JOURNAL = "journal.jsonl"
LAST_LEDGER = "last-ledger.json"
LOCK = "lock"
STATES = ("pending", "sending", "delivered", "failed", "uncertain")
OWED = ("pending", "failed", "uncertain")  # states of a delivery still owed (or in doubt)
PairKey = tuple[str, str, str]  # (incident id, update id, channel id)


class JournalError(Exception):
    """The journal is damaged in a way that could make a run send something twice."""


class LockBusy(Exception):
    """Another run holds the lock for longer than we were willing to wait."""


@dataclass
class Journal:
    directory: Path
    states: dict[PairKey, str] = field(default_factory=dict)
    fingerprints: dict[str, dict[str, str]] = field(default_factory=dict)  # incident -> update -> fingerprint
    _lock: IO[bytes] | None = None

    @property
    def path(self) -> Path:
        return self.directory / JOURNAL

    # -- the lock ---------------------------------------------------------------

    def lock(self, wait: float, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock, waiting up to ``wait`` seconds; :class:`LockBusy` after that."""
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / LOCK, "a+b")  # noqa: SIM115 - held for the whole run
        if fcntl is None:  # pragma: no cover
            self._lock = handle
            return
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise LockBusy(self._holder()) from None
                if not told and on_wait is not None:
                    on_wait(self._holder())
                    told = True
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._lock = handle

    def _holder(self) -> str:
        try:
            pid = (self.directory / LOCK).read_text().strip()
        except OSError:
            pid = ""
        return f"process {pid}" if pid.isdigit() else "another process"

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing releases the flock
            self._lock = None

    # -- the records ------------------------------------------------------------

    def load(self) -> None:
        """Read every line. A torn last line (a run killed while writing it) is dropped: the step
        before it stands, which is always the safe one. A damaged line anywhere else (an edit, a
        broken disk) raises :class:`JournalError`: skipping it could send a delivery twice."""
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return
        for number, line in enumerate(lines, 1):
            record = _record(line)
            if record is None:
                if line.strip() and number < len(lines):
                    raise JournalError(f"{self.path}:{number}: not a journal record (a field is missing or of the wrong "
                                       "type). Nothing was sent. Repair the line, or move the file away to start afresh "
                                       "(the published ledger is then the only record)")
                continue
            iid, uid, cid, state, fingerprint = record
            self.states[(iid, uid, cid)] = "uncertain" if state == "sending" else state
            if fingerprint:
                self.fingerprints.setdefault(iid, {})[uid] = fingerprint

    def compact(self) -> None:
        """Rewrite the journal with one line per delivery (its last state), atomically."""
        lines = [_line(iid, uid, cid, state, self.fingerprints.get(iid, {}).get(uid, ""))
                 for (iid, uid, cid), state in sorted(self.states.items())]
        write_atomically(self.path, b"".join(lines))

    def state(self, key: UpdateKey, channel: str) -> str | None:
        return self.states.get((key[0], key[1], channel))

    def record(self, state: str, key: UpdateKey, channel: str, fingerprint: str) -> None:
        """Append one step and force it to disk before returning."""
        self.record_many(state, [(key, channel, fingerprint)])

    def record_many(self, state: str, entries: list[tuple[UpdateKey, str, str]]) -> None:
        """Append one step for several deliveries at once (one write, one flush to disk)."""
        assert state in STATES
        if not entries:
            return
        with open(self.path, "ab") as fp:
            fp.write(b"".join(_line(key[0], key[1], channel, state, fingerprint) for key, channel, fingerprint in entries))
            fp.flush()
            os.fsync(fp.fileno())
        for key, channel, fingerprint in entries:
            self.states[(key[0], key[1], channel)] = "uncertain" if state == "sending" else state
            self.fingerprints.setdefault(key[0], {})[key[1]] = fingerprint

    def owed(self, key: UpdateKey) -> set[str]:
        """Channels the journal says this update is still owed (or in doubt for)."""
        return {cid for (iid, uid, cid), state in self.states.items() if (iid, uid) == key and state in OWED}


def _line(iid: str, uid: str, cid: str, state: str, fingerprint: str) -> bytes:
    return (json.dumps({"incident_id": iid, "update_id": uid, "channel": cid, "state": state, "fingerprint": fingerprint},
                       ensure_ascii=False, sort_keys=True) + "\n").encode()


def _record(line: bytes) -> tuple[str, str, str, str, str] | None:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    values = tuple(data.get(k) for k in ("incident_id", "update_id", "channel", "state", "fingerprint"))
    if not all(isinstance(v, str) for v in values) or values[3] not in STATES:
        return None
    return values  # type: ignore[return-value]
