"""Maintenance that moves by itself, as readers, feed readers, bots and notify channels see it.

Real MkDocs builds of one maintenance at three instants (before, inside and after its
window), read back from the API, both feeds, the calendar and the pages; and notify run
against a receiver on 127.0.0.1 after every build, twice at each instant, so that each
automatic update is sent exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import feedparser
import pytest
from icalendar import Calendar

import dom
from test_notify import MAINTENANCE, Project, Receiver, project, receivers  # noqa: F401 - fixtures

ID = "2026-11-25-db-upgrade"
# The window: 2026-11-25 22:00-23:00 Oslo = 21:00-22:00 UTC.
BEFORE = int(dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.timezone.utc).timestamp())
INSIDE = int(dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.timezone.utc).timestamp())
AFTER = int(dt.datetime(2026, 11, 25, 22, 30, tzinfo=dt.timezone.utc).timestamp())
IN_PROGRESS_TEXT = "The scheduled maintenance is now in progress."
COMPLETED_TEXT = "The scheduled maintenance has been completed."


def api_updates(p: Project) -> list[dict]:
    return json.loads((p.site_dir / "api" / "v2" / "incidents" / f"{ID}.json").read_text())["incident"]["incident_updates"]


def feed_entries(p: Project, name: str) -> dict[str, str]:
    feed = feedparser.parse((p.site_dir / name).read_bytes())
    assert not feed.bozo, name
    return {e.id: e.content[0].value if "content" in e else e.description for e in feed.entries}


def run(p: Project, epoch: int, capsys: pytest.CaptureFixture[str], **kwargs: object) -> str:
    p.site.build(epoch=epoch)
    code, out, err = p.notify(capsys=capsys, epoch=epoch, **kwargs)  # type: ignore[arg-type]  # notify right after the build
    assert code == 0, out + err
    p.deploy()
    return out


def test_a_window_opening_and_closing_is_told_once_by_the_api_feeds_calendar_pages_and_notify(
    project: Callable[..., Project], receivers: Callable[..., Receiver],  # noqa: F811 - the fixtures imported above
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    hook = receivers()
    monkeypatch.setenv("HOOK_URL", hook.url)
    p = project({"webhooks": [{"url_env": "HOOK_URL"}]})
    p.site.add(f"{ID}.md", MAINTENANCE)
    run(p, BEFORE, capsys, previous=None)  # the first deploy: nothing sent
    assert [u["id"] for u in api_updates(p)] == [f"{ID}-20261121t110000z"]

    # Inside the window: the build posts "in progress" at 22:00 Oslo by itself.
    run(p, INSIDE, capsys)
    updates = api_updates(p)
    assert [(u["id"], u["status"], u["created_at"], u["automatic"]) for u in updates] == [
        (f"{ID}-auto-in-progress", "in_progress", "2026-11-25T22:00:00.000+01:00", True),
        (f"{ID}-20261121t110000z", "scheduled", "2026-11-21T12:00:00.000+01:00", False),
    ]
    assert updates[0]["body"] == IN_PROGRESS_TEXT
    assert updates[0]["affected_components"] == [
        {"code": "messaging", "name": "Messaging", "old_status": "operational", "new_status": "under_maintenance"}]
    assert [r.json()["update"]["id"] for r in hook.requests] == [f"{ID}-auto-in-progress"]
    # The message tells what the update did to the components, after its text.
    assert hook.requests[0].json()["message"]["text"] == IN_PROGRESS_TEXT + "\n\nEngage (Messaging): Operational → Under maintenance"
    assert hook.requests[0].json()["update"]["automatic"] is True
    for name in ("updates.atom", "updates.rss"):
        entries = feed_entries(p, name)
        assert any(key.endswith(f"{ID}/updates/auto-in-progress") and IN_PROGRESS_TEXT in text for key, text in entries.items()), name
    nb = feed_entries(p, "nb/updates.atom")
    assert any("Det planlagte vedlikeholdet pågår nå." in text for text in nb.values())
    for name in ("history.atom", "history.rss"):
        assert any(IN_PROGRESS_TEXT in text for text in feed_entries(p, name).values()), name
    calendar = Calendar.from_ical((p.site_dir / "maintenance.ics").read_bytes())
    event = next(c for c in calendar.walk("VEVENT"))
    assert IN_PROGRESS_TEXT in str(event["DESCRIPTION"]) and str(event["STATUS"]) == "CONFIRMED"
    [automatic] = dom.select(dom.page(p.site_dir / "incidents" / ID), "li.status-update[data-status-automatic]")
    assert dom.select(automatic, "#update-auto-in-progress")

    # The same instant rebuilt (a scheduled CI run): nothing is sent again.
    out = run(p, INSIDE, capsys)
    assert "No new updates" in out and len(hook.requests) == 1

    # After the window: "completed" at 23:00 Oslo, sent once, and "in progress" not again.
    run(p, AFTER, capsys)
    assert [(u["id"], u["status"], u["created_at"]) for u in api_updates(p)][:2] == [
        (f"{ID}-auto-completed", "completed", "2026-11-25T23:00:00.000+01:00"),
        (f"{ID}-auto-in-progress", "in_progress", "2026-11-25T22:00:00.000+01:00"),
    ]
    assert [r.json()["update"]["id"] for r in hook.requests] == [f"{ID}-auto-in-progress", f"{ID}-auto-completed"]
    assert hook.requests[1].json()["message"]["text"] == COMPLETED_TEXT + "\n\nEngage (Messaging): Under maintenance → Operational"
    for name in ("updates.atom", "updates.rss", "history.atom", "history.rss"):
        assert any(COMPLETED_TEXT in text for text in feed_entries(p, name).values()), name
    out = run(p, AFTER + 3600, capsys)
    assert "No new updates" in out and len(hook.requests) == 2


CANCELLED = MAINTENANCE + """
## Cancelled · 2026-11-24 09:00

The upgrade is not needed after all.

::: nb
Oppgraderingen trengs likevel ikke.
:::
"""


def test_a_cancelled_maintenance_shows_cancelled_leaves_the_calendar_and_never_flips(make_site) -> None:
    site = make_site()
    site.add(f"{ID}.md", CANCELLED)
    site.build(epoch=INSIDE)  # inside the window it would have opened
    calendar = Calendar.from_ical((site.root / "site" / "maintenance.ics").read_bytes())
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]
    doc = json.loads(site.read(f"api/v2/incidents/{ID}.json"))["incident"]
    assert doc["status"] == "completed" and doc["resolved_at"] == "2026-11-24T09:00:00.000+01:00"
    assert doc["incident_updates"][0]["status"] == "completed"
    assert doc["incident_updates"][0]["body"] == "The upgrade is not needed after all."
    assert not any(u["automatic"] for u in doc["incident_updates"])
    for name in ("scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"):
        assert json.loads(site.read(f"api/v2/{name}"))["scheduled_maintenances"] == []
    summary = json.loads(site.read("api/v2/summary.json"))
    assert summary["status"]["indicator"] == "none"
    assert {c["id"]: c["status"] for c in summary["components"]}["messaging"] == "operational"
    page = dom.page(site.root / "site" / "incidents" / ID)
    [badge] = dom.select(page, ".status-incident__meta .status-badge--cancelled")
    assert dom.text(badge) == "Cancelled"
    assert not dom.select(page, "[data-status-start]", templates=True)  # nothing for the browser to flip
    overview = dom.page(site.root / "site")
    assert not dom.select(overview, "#upcoming-maintenance, #active-maintenance", templates=True)
