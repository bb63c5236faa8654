"""The Statuspage-compatible JSON API: what a bot polling ``/api/v2/*.json`` sees.

Pure tests build the API from parsed incident texts in milliseconds; build tests
run a real MkDocs build of ``tests/fixtures/api/site`` (and of the example site)
into a temporary folder and read the files a static host would serve.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import API_FIXTURE, API_FIXTURE_EPOCH
from mkdocs_status import api
from mkdocs_status.build import BuildData
from mkdocs_status.markdown import Renderer
from mkdocs_status.model import Component, Group, Incident, Language, Settings, StatusSite
from mkdocs_status.parse.incident import ParseSettings, parse_incident
from mkdocs_status.site import Links

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = API_FIXTURE
FIXTURE_EPOCH = API_FIXTURE_EPOCH  # one incident and one maintenance active
EXAMPLE_EPOCH = 1795294800  # what the example site's README builds with

# Statuspage's enums, as its public API v2 documents them.
COMPONENT_STATUSES = {"operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
IMPACTS = {"none", "minor", "major", "critical", "maintenance"}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}
PAGE_KEYS = ["id", "name", "url", "time_zone", "updated_at"]
COMPONENT_KEYS = {"id", "name", "status", "created_at", "updated_at", "position", "description", "showcase",
                  "start_date", "group_id", "page_id", "group", "only_show_if_degraded"}
INCIDENT_KEYS = {"id", "name", "status", "impact", "created_at", "updated_at", "monitoring_at", "resolved_at",
                 "started_at", "shortlink", "page_id", "incident_updates", "components"}
UPDATE_KEYS = {"id", "status", "body", "incident_id", "created_at", "updated_at", "display_at",
               "affected_components", "deliver_notifications"}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d")

# -- building -------------------------------------------------------------------


def build_site(project: Path, site_dir: Path, epoch: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real, strict MkDocs build of ``project`` into ``site_dir`` at a fixed "now"."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    mkdocs_build(config)
    return site_dir


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture(scope="module")
def built(api_site: Path) -> Path:
    """The fixture site, built once for the session (conftest)."""
    return api_site


def read(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "api" / "v2" / name).read_text(encoding="utf-8"))


def every_json(site: Path) -> dict[str, Any]:
    root = site / "api" / "v2"
    return {p.relative_to(root).as_posix(): json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.json"))}


def incidents_in(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(doc.get("incidents", [])) + list(doc.get("scheduled_maintenances", []))
    if "incident" in doc:
        found.append(doc["incident"])
    return found


def source_update_count(path: Path) -> int:
    """Update headings in an incident file, counted outside fenced code."""
    count, fence = 0, None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence and stripped.startswith(fence) else (fence or stripped[:3])
            continue
        if fence is None and re.match(r"##(?=[ \t]|[^\W\d_])", line):
            count += 1
    return count


# -- pure helpers -----------------------------------------------------------------

OSLO = ZoneInfo("Europe/Oslo")
SETTINGS = Settings(
    site_name="Example",
    site_url="https://status.example.com/",
    languages=(Language("en", "en", "", "English"), Language("nb", "nb", "nb/", "norsk bokmål")),
    required_languages=(),
    timezone=OSLO,
    display_timezones=(OSLO,),
    components=(
        Component("voice", {"en": "Voice"}, {}, 1, group="engage"),
        Component("messaging", {"en": "Messaging"}, {}, 2, group="engage"),
        Component("reporting", {"en": "Reporting"}, {"en": "Dashboards"}, 3),
    ),
    groups=(Group("engage", {"en": "Engage"}, {}, 0, ("voice", "messaging")),),
)
PARSE = ParseSettings.from_settings(SETTINGS)


def incident(stem: str, text: str) -> Incident:
    parsed, diagnostics = parse_incident(f"incidents/{stem}.md", stem, text, PARSE)
    assert parsed is not None, [d for d in diagnostics if d.level == "error"]
    return parsed


def api_files(now: dt.datetime, *incidents: Incident, settings: Settings = SETTINGS) -> dict[str, Any]:
    site = StatusSite(settings, tuple(sorted(incidents, key=lambda i: (i.start, i.id), reverse=True)))
    data = BuildData(site, now, Links(settings), Renderer(["tables"]))
    files = api.build(data)
    assert all(path.startswith("api/v2/") for path in files)
    return {path.removeprefix("api/v2/"): json.loads(text) for path, text in files.items()}


MAINTENANCE = """---
type: maintenance
title: Reporting upgrade
components: [reporting]
scheduled_for: "2026-11-21 21:30"
scheduled_until: "2026-11-21 23:30"
---

## Scheduled · 2026-11-16 11:00

We will upgrade reporting.
"""


# -- pure tests -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "status", "listed_in", "component", "indicator"),
    [
        ("2026-11-21 21:00", "scheduled", "upcoming.json", "operational", "none"),
        ("2026-11-21 22:00", "in_progress", "active.json", "under_maintenance", "maintenance"),
        ("2026-11-22 00:00", "completed", None, "operational", "none"),
    ],
)
def test_a_maintenance_reports_its_phase_before_during_and_after_its_window(
    when: str, status: str, listed_in: str | None, component: str, indicator: str
) -> None:
    now = dt.datetime.fromisoformat(when).replace(tzinfo=OSLO)
    files = api_files(now, incident("upgrade", MAINTENANCE))
    m = files["incidents/upgrade.json"]["incident"]
    assert m["status"] == status
    assert m["impact"] == "maintenance"
    assert m["scheduled_for"] == "2026-11-21T21:30:00.000+01:00"
    assert m["scheduled_until"] == "2026-11-21T23:30:00.000+01:00"
    for name in ("upcoming.json", "active.json"):
        ids = [x["id"] for x in files[f"scheduled-maintenances/{name}"]["scheduled_maintenances"]]
        assert ids == (["upgrade"] if name == listed_in else [])
    summary = files["summary.json"]
    assert [x["id"] for x in summary["scheduled_maintenances"]] == (["upgrade"] if listed_in else [])
    assert {c["id"]: c["status"] for c in summary["components"]}["reporting"] == component
    assert summary["status"]["indicator"] == indicator
    assert summary["incidents"] == []
    # The window closing by itself is when the maintenance was resolved and last changed.
    if status == "completed":
        assert m["resolved_at"] == m["updated_at"] == "2026-11-21T23:30:00.000+01:00"
    else:
        assert m["resolved_at"] is None


def test_only_maintenance_active_gives_indicator_maintenance_and_statuspages_description() -> None:
    now = dt.datetime(2026, 11, 21, 22, 0, tzinfo=OSLO)
    status = api_files(now, incident("upgrade", MAINTENANCE))["status.json"]["status"]
    assert status == {"indicator": "maintenance", "description": "Service Under Maintenance"}


@pytest.mark.parametrize(
    ("impact", "indicator", "description"),
    [
        ("none", "none", "All Systems Operational"),
        ("minor", "minor", "Partially Degraded Service"),  # its component is degraded: Statuspage's words for that
        ("major", "major", "Partial System Outage"),
        ("critical", "critical", "Major System Outage"),
    ],
)
def test_an_active_incident_sets_the_indicator_from_its_impact(impact: str, indicator: str, description: str) -> None:
    ongoing = incident("ongoing", f"""---
title: Something
impact: {impact}
components: [voice]
---

## Investigating · 2026-11-21 20:00

Looking.
""")
    files = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), ongoing, incident("upgrade", MAINTENANCE))
    assert files["status.json"]["status"] == {"indicator": indicator, "description": description}
    assert [i["id"] for i in files["incidents/unresolved.json"]["incidents"]] == ["ongoing"]


def test_a_minor_incident_without_degraded_components_reads_minor_service_outage() -> None:
    """Statuspage's minor indicator has two descriptions: degraded components, or a minor incident alone."""
    alone = incident("alone", """---
title: Slow exports
impact: minor
---

## Investigating · 2026-11-21 20:00

Exports are slow.
""")
    files = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), alone)
    assert files["status.json"]["status"] == {"indicator": "minor", "description": "Minor Service Outage"}
    degraded = incident("degraded", """---
title: Slow messaging
impact: minor
components:
  messaging: degraded_performance
---

## Investigating · 2026-11-21 20:00

Messages are slow.
""")
    files = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), alone, degraded)
    assert files["summary.json"]["status"] == {"indicator": "minor", "description": "Partially Degraded Service"}


def test_a_grouped_component_has_the_same_name_in_affected_components_as_in_components() -> None:
    text = """---
title: Messages late
impact: minor
components: [messaging]
---

## Investigating · 2026-11-21 20:00

Late.
"""
    doc = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), incident("late", text))["incidents/late.json"]["incident"]
    names = {c["id"]: c["name"] for c in doc["components"]}
    affected = doc["incident_updates"][-1]["affected_components"]
    assert [(a["code"], a["name"]) for a in affected] == [("messaging", "Messaging")]
    assert names == {"messaging": "Messaging"}, "the component's own name, without its group, as Statuspage names both"


def test_an_upcoming_maintenance_started_when_it_was_posted_and_at_its_window_once_open() -> None:
    """Statuspage gives an upcoming maintenance's started_at as its created_at, not a start in the future."""
    upcoming = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), incident("upgrade", MAINTENANCE))
    m = upcoming["scheduled-maintenances/upcoming.json"]["scheduled_maintenances"][0]
    assert m["started_at"] == m["created_at"] == "2026-11-16T11:00:00.000+01:00"
    started = api_files(dt.datetime(2026, 11, 21, 22, 0, tzinfo=OSLO), incident("upgrade", MAINTENANCE))
    assert started["scheduled-maintenances/active.json"]["scheduled_maintenances"][0]["started_at"] == "2026-11-21T21:30:00.000+01:00"


def test_page_updated_at_is_the_last_change_not_the_build_time_nor_a_future_post() -> None:
    future = incident("future", """---
title: Planned notice
impact: none
---

## Investigating · 2026-11-25 10:00

Posted ahead of time.
""")
    done = incident("done", """---
title: Short outage
impact: major
components: [voice]
---

## Investigating · 2026-11-20 10:00

Down.

## Resolved · 2026-11-20 11:00

Up.
""")
    for hours in (0, 5, 50):
        now = dt.datetime(2026, 11, 21, 12, 0, tzinfo=OSLO) + dt.timedelta(hours=hours)
        page = api_files(now, done, future)["summary.json"]["page"]
        assert page["updated_at"] == "2026-11-20T11:00:00.000+01:00", now
    later = api_files(dt.datetime(2026, 11, 26, 0, 0, tzinfo=OSLO), done, future)["summary.json"]["page"]
    assert later["updated_at"] == "2026-11-25T10:00:00.000+01:00", "a post counts once its time has come"


def test_an_update_post_reports_the_status_it_kept_and_every_update_is_listed_newest_first() -> None:
    text = """---
title: Calls dropped
impact: critical
components: [voice]
---

## Identified · 2026-11-21 20:00

Found it.

## Update · 2026-11-21 20:30

Still on it.

## Monitoring · 2026-11-21 20:45

Watching.

## Update · 2026-11-21 20:50

Still watching.
"""
    files = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), incident("calls", text))
    doc = files["incidents/calls.json"]["incident"]
    assert doc["status"] == "monitoring"
    assert [u["status"] for u in doc["incident_updates"]] == ["monitoring", "monitoring", "identified", "identified"]
    assert [u["body"] for u in doc["incident_updates"]] == ["Still watching.", "Watching.", "Still on it.", "Found it."]
    assert doc["monitoring_at"] == "2026-11-21T20:45:00.000+01:00"
    assert doc["incident_updates"][-1]["affected_components"] == [
        {"code": "voice", "name": "Voice", "old_status": "operational", "new_status": "major_outage"}
    ]
    assert all(u["affected_components"] is None for u in doc["incident_updates"][:-1])


def test_a_postmortem_keeps_the_incident_resolved_and_reports_postmortem() -> None:
    text = """---
title: Outage
impact: major
components: [messaging]
---

## Investigating · 2026-11-01 10:00

Down.

## Resolved · 2026-11-01 11:00

Up.

## Postmortem · 2026-11-03 09:00

### Root cause

A full disk.
"""
    files = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), incident("outage", text))
    doc = files["incidents/outage.json"]["incident"]
    assert doc["status"] == "postmortem"
    assert doc["resolved_at"] == "2026-11-01T11:00:00.000+01:00"
    assert doc["updated_at"] == "2026-11-03T09:00:00.000+01:00"
    assert doc["incident_updates"][0]["body"] == "Root cause\n\nA full disk."
    assert files["incidents/unresolved.json"]["incidents"] == []
    assert files["summary.json"]["status"]["indicator"] == "none"


def test_incidents_json_holds_the_50_newest_and_every_incident_keeps_its_own_file() -> None:
    many = [
        incident(f"i{n:03}", f"""---
title: Incident {n}
impact: minor
---

## Investigating · 2026-01-01 00:00 +00:00

Start.

## Resolved · 2026-01-01 00:00 +00:00

End.
""".replace("2026-01-01 00:00", (dt.datetime(2026, 1, 1) + dt.timedelta(hours=n)).strftime("%Y-%m-%d %H:%M")))
        for n in range(60)
    ]
    files = api_files(dt.datetime(2026, 11, 21, tzinfo=OSLO), *many)
    listed = [i["id"] for i in files["incidents.json"]["incidents"]]
    assert listed == [f"i{n:03}" for n in range(59, 9, -1)]
    assert all(f"incidents/i{n:03}.json" in files for n in range(60))
    # Equal instants get distinct, stable update ids.
    updates = files["incidents/i000.json"]["incident"]["incident_updates"]
    assert [u["id"] for u in updates] == ["i000-20260101t000000z-1", "i000-20260101t000000z"]


def test_text_falls_back_to_the_files_own_language_when_the_default_is_missing() -> None:
    nb_only = incident("treg", """---
lang: nb
title: Treg rapportering
title_en: Slow reporting
impact: minor
components: [reporting]
---

## Investigating · 2026-11-21 20:00

Rapportene er trege.

## Resolved · 2026-11-21 20:30

Rapportene er raske igjen.

::: en
Reports are fast again.
:::
""")
    doc = api_files(dt.datetime(2026, 11, 21, 21, 0, tzinfo=OSLO), nb_only)["incidents/treg.json"]["incident"]
    assert doc["name"] == "Slow reporting"
    assert [u["body"] for u in doc["incident_updates"]] == ["Reports are fast again.", "Rapportene er trege."]


def test_components_and_groups_follow_the_configuration_with_statuspages_fields() -> None:
    files = api_files(dt.datetime(2026, 11, 21, 22, 0, tzinfo=OSLO), incident("upgrade", MAINTENANCE))
    components = files["components.json"]["components"]
    assert [(c["id"], c["group"], c["group_id"]) for c in components] == [
        ("engage", True, None), ("voice", False, "engage"), ("messaging", False, "engage"), ("reporting", False, None),
    ]
    group = components[0]
    assert group["components"] == ["voice", "messaging"]
    assert group["status"] == "operational"
    reporting = components[-1]
    assert set(reporting) == COMPONENT_KEYS
    assert reporting["description"] == "Dashboards"
    assert reporting["status"] == "under_maintenance"
    assert reporting["updated_at"] == "2026-11-21T21:30:00.000+01:00"  # when its status last changed
    assert [c["position"] for c in components] == sorted(c["position"] for c in components)


def test_api_is_deterministic_for_the_same_input_and_now() -> None:
    now = dt.datetime(2026, 11, 21, 22, 0, tzinfo=OSLO)
    first = api_files(now, incident("upgrade", MAINTENANCE))
    second = api_files(now, incident("upgrade", MAINTENANCE))
    assert first == second
    assert first["summary.json"]["page"]["updated_at"] == "2026-11-21T21:30:00.000+01:00"


def test_a_site_without_incidents_says_all_systems_operational_as_of_now() -> None:
    now = dt.datetime(2026, 11, 21, 22, 0, tzinfo=OSLO)
    files = api_files(now)
    assert files["summary.json"]["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert files["summary.json"]["page"]["updated_at"] == "2026-11-21T22:00:00.000+01:00"
    assert files["incidents.json"]["incidents"] == []


def test_an_incident_named_unresolved_is_refused_because_the_listing_uses_that_url() -> None:
    _, diagnostics = parse_incident("incidents/unresolved.md", "unresolved", """---
title: Named like the listing
impact: minor
---

## Investigating · 2026-11-21 20:00

A.
""", PARSE)
    assert [d.format() for d in diagnostics if d.level == "error"] == [
        "incidents/unresolved.md:1: error: 'unresolved' cannot be an incident id: the site uses that name already; "
        "rename the file, e.g. 2025-11-12-unresolved-calls.md"
    ]


def test_the_api_needs_site_url() -> None:
    settings = dataclasses.replace(SETTINGS, site_url=None)
    with pytest.raises(ValueError, match="site_url"):
        api_files(dt.datetime(2026, 11, 21, tzinfo=OSLO), settings=settings)


def test_body_is_plain_text_with_link_targets_kept() -> None:
    html = Renderer().render("We **fixed** it; see [the notes](https://example.com/n?a=1&b=2) and [ours](../x/).\n\n- one\n- two")
    assert api.body_text(html, "https://status.example.com/incidents/a/") == (
        "We fixed it; see the notes (https://example.com/n?a=1&b=2) and ours (https://status.example.com/incidents/x/).\n\n- one\n- two"
    )


# -- real builds ----------------------------------------------------------------------


def test_every_api_file_is_valid_json_with_statuspages_page_object(built: Path) -> None:
    docs = every_json(built)
    expected = {"summary.json", "status.json", "components.json", "incidents.json", "incidents/unresolved.json",
                "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"}
    assert expected <= set(docs)
    pages = {json.dumps(doc["page"], sort_keys=True) for doc in docs.values()}
    assert len(pages) == 1
    page = docs["summary.json"]["page"]
    assert list(page) == PAGE_KEYS
    assert page["name"] == "Example & Co <Status>"
    assert page["url"] == "https://status.example.com/sub"
    assert page["time_zone"] == "Europe/Oslo"
    assert page["updated_at"] == "2026-06-15T11:45:00.000+02:00"  # the newest update
    assert list(docs["summary.json"]) == ["page", "components", "incidents", "scheduled_maintenances", "status"]


def test_enums_and_fields_are_exactly_statuspages(built: Path) -> None:
    for name, doc in every_json(built).items():
        for comp in doc.get("components", []):
            assert comp["status"] in COMPONENT_STATUSES, name
            assert COMPONENT_KEYS <= set(comp), name
        if "status" in doc:
            assert doc["status"]["indicator"] in INDICATORS
        for inc in incidents_in(doc):
            assert INCIDENT_KEYS <= set(inc), (name, inc["id"])
            assert inc["impact"] in IMPACTS
            allowed = MAINTENANCE_STATUSES if inc["impact"] == "maintenance" else INCIDENT_STATUSES
            assert inc["status"] in allowed, (name, inc["id"])
            if inc["impact"] == "maintenance":
                assert TIMESTAMP.fullmatch(inc["scheduled_for"]) and TIMESTAMP.fullmatch(inc["scheduled_until"])
            for comp in inc["components"]:
                assert comp["status"] in COMPONENT_STATUSES
            for upd in inc["incident_updates"]:
                assert UPDATE_KEYS <= set(upd)
                assert upd["status"] in allowed
                assert upd["incident_id"] == inc["id"]
                for change in upd["affected_components"] or []:
                    assert {change["old_status"], change["new_status"]} <= COMPONENT_STATUSES
            for key in ("created_at", "updated_at", "started_at"):
                assert TIMESTAMP.fullmatch(inc[key]), (name, key, inc[key])
        if name == "incidents/unresolved.json":
            assert all(i["status"] in {"investigating", "identified", "monitoring"} for i in doc["incidents"])


def test_every_update_of_every_incident_is_in_its_incident_file(built: Path) -> None:
    for path in sorted((FIXTURE / "incidents").rglob("*.md")):
        doc = read(built, f"incidents/{path.stem}.json")["incident"]
        assert doc["id"] == path.stem
        posted = [u for u in doc["incident_updates"] if not u["automatic"]]
        assert len(posted) == source_update_count(path), path.name
        # The rest are the phases a maintenance window reached by itself (PRODUCT.md §2).
        assert all(u["id"].startswith(f"{path.stem}-auto-") for u in doc["incident_updates"] if u["automatic"])
        ids = [u["id"] for u in doc["incident_updates"]]
        assert len(set(ids)) == len(ids)


def test_summary_shows_the_active_incident_and_the_active_and_upcoming_maintenance(built: Path) -> None:
    summary = read(built, "summary.json")
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert [i["id"] for i in summary["incidents"]] == ["2026-06-15-checkout-errors"]
    assert [(m["id"], m["status"]) for m in summary["scheduled_maintenances"]] == [
        ("2026-06-15-database-maintenance", "in_progress"), ("2026-06-20-network-upgrade", "scheduled"),
    ]
    assert {c["id"]: c["status"] for c in summary["components"]} == {
        "web": "degraded_performance", "backend": "partial_outage", "api": "partial_outage",
        "db": "under_maintenance", "login": "operational",
    }
    active = summary["incidents"][0]
    assert active["name"] == 'Errors & timeouts in "checkout" <b>'
    assert active["status"] == "identified"
    assert [u["status"] for u in active["incident_updates"]] == ["identified", "investigating", "investigating"]
    assert active["shortlink"] == "https://status.example.com/sub/incidents/2026-06-15-checkout-errors/"
    assert "<" not in active["incident_updates"][0]["body"]  # plain text: no HTML, and no script
    assert "(https://status.example.com/sub/components/api/)" in active["incident_updates"][-1]["body"]
    assert [c["id"] for c in active["components"]] == ["api", "web"]


def test_listings_hold_what_statuspage_puts_in_them(built: Path) -> None:
    incidents = read(built, "incidents.json")["incidents"]
    created = [dt.datetime.fromisoformat(i["created_at"]) for i in incidents]
    assert created == sorted(created, reverse=True)
    assert {i["id"] for i in incidents} == {p.stem for p in (FIXTURE / "incidents").rglob("*.md")}
    maintenances = read(built, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert [(m["id"], m["status"]) for m in maintenances] == [
        ("2026-06-20-network-upgrade", "scheduled"), ("2026-06-15-database-maintenance", "in_progress"),
        ("2026-04-01-old-maintenance", "completed"),
    ]
    assert [m["id"] for m in read(built, "scheduled-maintenances/active.json")["scheduled_maintenances"]] == ["2026-06-15-database-maintenance"]
    assert [m["id"] for m in read(built, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]] == ["2026-06-20-network-upgrade"]
    login = read(built, "incidents/2026-05-02-login-outage.json")["incident"]
    assert login["status"] == "postmortem"
    assert login["started_at"] == "2026-05-02T07:40:00.000+02:00"  # started_at from the file, before the first post
    nb_only = read(built, "incidents/2026-05-20-api-treg.json")["incident"]
    assert nb_only["name"] == "Treg API"  # no English title: the file's own language


def test_badges_and_api_are_byte_identical_across_builds(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    again = build_site(copy_fixture(tmp_path / "project"), tmp_path / "site", FIXTURE_EPOCH, monkeypatch)
    outputs = sorted(p.relative_to(built) for p in built.rglob("*") if p.suffix in (".json", ".svg") and "assets" not in p.parts)
    assert len(outputs) > 10
    for rel in outputs:
        assert (again / rel).read_bytes() == (built / rel).read_bytes(), rel


def test_the_example_site_builds_strict_with_every_update_in_the_api(example_site: Path) -> None:
    site = example_site  # built strict, once per run, from a copy of the example (conftest)
    sources = [p for p in (ROOT / "incidents").rglob("*.md") if p.name != "README.md" and not p.name.startswith("_")]
    assert sources
    listed = {i["id"] for i in read(site, "incidents.json")["incidents"]}
    for path in sources:
        doc = read(site, f"incidents/{path.stem}.json")["incident"]
        assert len(doc["incident_updates"]) == source_update_count(path), path.name
        assert path.stem in listed
    summary = read(site, "summary.json")
    assert summary["status"]["indicator"] in INDICATORS
    assert (site / "badge.svg").is_file()
