"""Realistic Statuspage exports, generated: incidents whose components change status update by update.

The shapes are those of Statuspage's public API v2 (``incidents.json``,
``scheduled-maintenances.json``): updates newest first, each with its
``affected_components`` (``code``, ``name``, ``old_status``, ``new_status``),
timestamps with milliseconds in the page's offset. What the generator makes:

- components that start at different statuses, worsen, improve and recover
  update by update; components that join an incident hours after it began;
  updates that list a component without changing it (``old_status`` equal to
  ``new_status``), as Statuspage does when a writer re-ticks it;
- incidents whose first update lists no component; repeated statuses; offsets
  other than UTC; ``started_at`` before the first update;
- maintenance: scheduled, in progress at its window's start (components under
  maintenance), sometimes verifying, completed at its end.

Every resolving update returns the components still affected to operational, as
Statuspage's "resolve" with the components ticked does.

    python tests/statuspage_export.py OUT_DIR [--incidents 62] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

COMPONENTS = {"k1ntr4ct0001": "Interact", "m3ssag1ng001": "Messaging", "v01ce0000001": "Voice",
              "publ1capi001": "Public API", "r3p0rt1ng001": "Reporting"}
# The mkdocs.yml entries these components map to (by name).
CONFIG_COMPONENTS = [{"id": "interact", "name": "Interact"}, {"id": "messaging", "name": "Messaging"},
                     {"id": "voice", "name": "Voice"}, {"id": "public-api", "name": "Public API"},
                     {"id": "reporting", "name": "Reporting"}]
OUTAGES = ("degraded_performance", "partial_outage", "major_outage")
IMPACT = {"degraded_performance": "minor", "partial_outage": "major", "major_outage": "critical"}
OFFSETS = (dt.timezone.utc, dt.timezone(dt.timedelta(hours=1)), dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-5)))
SENTENCES = (
    "We are investigating reports of delays.", "Some customers cannot log in to their queues.",
    "The cause is a failing database node.", "Traffic has been moved to the other data centre.",
    "A fix is being deployed.", "Error rates are back to normal.", "We keep monitoring the service.",
    "Calls may drop when they are transferred.", "Messages are delivered with a delay of up to ten minutes.",
    "The carrier has confirmed the problem on their side.",
)
BASE = dt.datetime(2025, 1, 6, 8, 0, tzinfo=dt.timezone.utc)


class Export:
    """One generated export: incidents and maintenances as Statuspage's API lists them."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def ident(self) -> str:
        while True:
            value = "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=12))
            if value not in self.used:
                self.used.add(value)
                return value

    def stamp(self, at: dt.datetime, tz: dt.tzinfo, *, exact: bool = False) -> str:
        """Statuspage's form: milliseconds (some, unless ``exact``) and the page's offset."""
        shown = at.astimezone(tz).replace(microsecond=0 if exact else self.rng.randrange(1000) * 1000)
        return shown.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def body(self) -> str:
        count = self.rng.randint(1, 3)
        sentences = self.rng.sample(SENTENCES, count)
        return "\n\n".join(sentences) if self.rng.random() < 0.3 else " ".join(sentences)

    @staticmethod
    def affected(code: str, old: str, new: str) -> dict[str, str]:
        return {"code": code, "name": COMPONENTS[code], "old_status": old, "new_status": new}

    def incident(self, start: dt.datetime) -> dict[str, Any]:
        tz = self.rng.choice(OFFSETS)
        codes = self.rng.sample(sorted(COMPONENTS), self.rng.randint(1, 4))
        joins = {code: (0 if n == 0 else self.rng.randint(0, 3)) for n, code in enumerate(codes)}
        if self.rng.random() < 0.15:
            joins[codes[0]] = 1  # the first update lists no component
        count = self.rng.randint(max(joins.values()) + 2, max(joins.values()) + 6)
        state = dict.fromkeys(codes, "operational")
        words = ["investigating"]
        for _ in range(count - 2):
            words.append(self.rng.choice(("investigating", "identified", "identified", "monitoring", "monitoring")))
        words.append("resolved")
        updates = []
        at = start
        worst = "operational"
        for n, word in enumerate(words):
            listed = []
            for code in codes:
                old = state[code]
                if word == "resolved":
                    new = "operational"
                    if old == new and self.rng.random() > 0.3:
                        continue  # recovered before: usually not listed again
                elif joins[code] == n:
                    new = self.rng.choice(OUTAGES + ("operational",) if n else OUTAGES)
                elif joins[code] < n and self.rng.random() < 0.45:
                    new = self.rng.choice((*OUTAGES, "operational", old))  # old: listed without a change
                else:
                    continue
                state[code] = new
                listed.append(self.affected(code, old, new))
                if new in IMPACT and OUTAGES.index(new) > (OUTAGES.index(worst) if worst in OUTAGES else -1):
                    worst = new
            updates.append({"id": self.ident(), "status": word, "body": self.body(), "display_at": self.stamp(at, tz),
                            "created_at": self.stamp(at, tz), "affected_components": listed or None,
                            "deliver_notifications": True})
            at += dt.timedelta(minutes=self.rng.randint(3, 95), seconds=self.rng.randint(1, 59))
        iid = self.ident()
        for u in updates:
            u["incident_id"] = iid
        return {
            "id": iid, "name": f"{self.rng.choice(('Delays', 'Errors', 'Outage'))} on {COMPONENTS[codes[0]]} #{len(self.used)}",
            "status": "resolved", "impact": IMPACT.get(worst, "none"), "shortlink": f"https://stspg.io/{iid[:6]}",
            "started_at": self.stamp(start - dt.timedelta(minutes=self.rng.choice((0, 0, 4, 17))), tz),
            "created_at": updates[0]["created_at"], "updated_at": updates[-1]["created_at"],
            "resolved_at": updates[-1]["created_at"], "incident_updates": list(reversed(updates)),
            "components": [{"id": code, "name": COMPONENTS[code], "status": "operational"} for code in codes],
        }

    def maintenance(self, start: dt.datetime) -> dict[str, Any]:
        tz = self.rng.choice(OFFSETS)
        codes = self.rng.sample(sorted(COMPONENTS), self.rng.randint(1, 2))
        until = start + dt.timedelta(hours=self.rng.randint(1, 4))
        steps = [("scheduled", start - dt.timedelta(days=3, minutes=self.rng.randint(0, 600), seconds=self.rng.randint(0, 59)), None),
                 ("in_progress", start, "under_maintenance")]
        if self.rng.random() < 0.5:
            steps.append(("verifying", until - dt.timedelta(minutes=20), None))
        steps.append(("completed", until, "operational"))
        updates = []
        for word, at, status in steps:
            listed = [self.affected(code, "operational" if status == "under_maintenance" else "under_maintenance", status)
                      for code in codes] if status else None
            updates.append({"id": self.ident(), "status": word, "body": self.body(), "display_at": self.stamp(at, tz),
                            "created_at": self.stamp(at, tz), "affected_components": listed, "deliver_notifications": True})
        iid = self.ident()
        return {
            "id": iid, "name": f"Maintenance of {COMPONENTS[codes[0]]} #{len(self.used)}", "status": "completed",
            "impact": "maintenance", "shortlink": f"https://stspg.io/{iid[:6]}",
            "scheduled_for": self.stamp(start, tz, exact=True), "scheduled_until": self.stamp(until, tz, exact=True),
            "started_at": updates[1]["created_at"], "created_at": updates[0]["created_at"],
            "updated_at": updates[-1]["created_at"], "incident_updates": list(reversed(updates)),
            "components": [{"id": code, "name": COMPONENTS[code], "status": "operational"} for code in codes],
        }

    def documents(self, incidents: int = 62) -> dict[str, dict[str, Any]]:
        """``{"incidents.json": …, "scheduled-maintenances.json": …}``, newest first as Statuspage lists them."""
        page = {"id": "gen3rat3dp4g", "name": "Generated Status", "url": "https://status.example.com"}
        found: list[dict[str, Any]] = []
        planned: list[dict[str, Any]] = []
        at = BASE
        for n in range(incidents):
            at += dt.timedelta(days=self.rng.randint(2, 6), minutes=self.rng.randint(0, 900))
            if n % 7 == 6:
                planned.append(self.maintenance(at.replace(minute=0, second=0)))
            else:
                found.append(self.incident(at.replace(second=self.rng.randint(0, 59))))
        return {"incidents.json": {"page": page, "incidents": list(reversed(found))},
                "scheduled-maintenances.json": {"page": page, "scheduled_maintenances": list(reversed(planned))}}


def write(folder: Path, incidents: int = 62, seed: int = 7) -> list[Path]:
    """Write the export's files into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in Export(seed).documents(incidents).items():
        path = folder / name
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--incidents", type=int, default=62)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for path in write(args.out, args.incidents, args.seed):
        print(path)
