"""Import a realistic Statuspage export, build the site, read the site's own API: every update comes back as it was.

The export is generated (``statuspage_export.py``): over 50 incidents and some maintenance with
hundreds of component transitions, components joining late, updates that list a component
without changing it, offsets other than UTC. Times are compared to the second (the file format
has no fractions, PRODUCT.md §7), as instants computed from the export's own strings.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cli_run import run_cli
from conftest import BASE_CONFIG, EXAMPLE_NOW, Site
from mkdocs_status.importer import find_marker
from mkdocs_status.parse.incident import ParseSettings, parse_incident
from statuspage_export import COMPONENTS, CONFIG_COMPONENTS, write
from test_validation import run_build

CONFIG_IDS = {c["name"]: c["id"] for c in CONFIG_COMPONENTS}


def instant(text: str) -> dt.datetime:
    """An export's timestamp as a UTC instant, fractions of a second dropped."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(microsecond=0).astimezone(dt.timezone.utc)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("round-trip")
    config = copy.deepcopy(BASE_CONFIG)
    site = Site(root / "project", config)
    site.plugin.update(languages=["en"], display_timezones=["UTC"], components=CONFIG_COMPONENTS)
    site.write_config()
    exports = write(root / "export")
    imported = run_cli(site.root, "import", "statuspage", *map(str, exports), env={"SOURCE_DATE_EPOCH": str(EXAMPLE_NOW)})
    assert imported.returncode == 0, imported.stderr
    assert "error" not in imported.stderr.lower() and "paste the snippet" not in imported.stderr, imported.stderr
    built = run_build(site.root)
    assert built.returncode == 0, built.stderr
    sources = {}
    for path in exports:
        data = json.loads(path.read_text(encoding="utf-8"))
        for obj in data.get("incidents", []) + data.get("scheduled_maintenances", []):
            sources[obj["id"]] = obj
    files = {find_marker(p.read_text(encoding="utf-8")): p for p in (site.root / "incidents").rglob("*.md")}
    return {"site": site, "sources": sources, "files": files}


def api_incident(trip: dict[str, Any], sid: str) -> dict[str, Any]:
    stem = trip["files"][sid].stem
    return json.loads((trip["site"].root / "site" / "api" / "v2" / "incidents" / f"{stem}.json").read_text(encoding="utf-8"))["incident"]


def by_time(updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(updates, key=lambda u: instant(u["display_at"]))


def test_the_generated_export_is_realistic(trip: dict[str, Any]) -> None:
    sources = list(trip["sources"].values())
    incidents = [s for s in sources if s["impact"] != "maintenance"]
    listed = [a for s in incidents for u in s["incident_updates"] for a in u["affected_components"] or []]
    assert len(incidents) >= 50 and len(sources) - len(incidents) >= 5
    assert len(listed) >= 300
    assert sum(a["old_status"] == a["new_status"] for a in listed) >= 20  # listed without a change
    late = [s for s in incidents if {a["code"] for a in by_time(s["incident_updates"])[0]["affected_components"] or []}
            != {a["code"] for u in s["incident_updates"] for a in u["affected_components"] or []}]
    assert len(late) >= 10  # components that join after the first update
    assert len({a["new_status"] for a in listed}) == 4


def test_every_update_comes_back_with_its_time_status_and_text(trip: dict[str, Any]) -> None:
    assert sorted(trip["files"]) == sorted(trip["sources"])
    for sid, source in trip["sources"].items():
        api = api_incident(trip, sid)
        want = [(instant(u["display_at"]), u["status"], words(u["body"])) for u in by_time(source["incident_updates"])]
        got = [(instant(u["display_at"]), u["status"], words(u["body"])) for u in by_time(api["incident_updates"])]
        assert got == want, sid
        assert api["name"] == source["name"]
        if source["impact"] == "maintenance":
            assert instant(api["scheduled_for"]) == instant(source["scheduled_for"])
            assert instant(api["scheduled_until"]) == instant(source["scheduled_until"])
        else:
            assert instant(api["started_at"]) == instant(source["started_at"]), sid  # kept as the source gives it
            assert api["impact"] == source["impact"]


def test_every_imported_update_sets_the_component_statuses_statuspage_listed(trip: dict[str, Any]) -> None:
    """The files say it exactly: each update's attribute block holds what its affected_components listed."""
    settings = ParseSettings(languages=("en",), required_languages=("en",), timezone=ZoneInfo("Europe/Oslo"),
                             components=tuple(CONFIG_IDS.values()), groups={})
    for sid, source in trip["sources"].items():
        path = trip["files"][sid]
        incident, diagnostics = parse_incident(path.name, path.stem, path.read_text(encoding="utf-8"), settings)
        assert incident is not None and not [d for d in diagnostics if d.level == "error"], [d.format() for d in diagnostics]
        want = [{CONFIG_IDS[COMPONENTS[a["code"]]]: a["new_status"] for a in u["affected_components"] or []}
                for u in by_time(source["incident_updates"])]
        assert [dict(u.components) for u in incident.updates] == want, sid
        assert [u.short_id for u in incident.updates] == [u["id"] for u in by_time(source["incident_updates"])]
        assert not any(u.notify for u in incident.updates)


def affected_mismatches(trip: dict[str, Any], maintenance: bool) -> list[str]:
    """Ids of the incidents (or maintenances) where an update's affected_components in the API differ from the export's."""
    out = []
    for sid, source in trip["sources"].items():
        if (source["impact"] == "maintenance") != maintenance:
            continue
        api = api_incident(trip, sid)
        want = [sorted((a["name"], a["new_status"]) for a in u["affected_components"] or []) for u in by_time(source["incident_updates"])]
        got = [sorted((a["name"], a["new_status"]) for a in u["affected_components"] or []) for u in by_time(api["incident_updates"])]
        if got != want:
            out.append(sid)
    return out


def test_every_incident_update_comes_back_with_its_affected_components(trip: dict[str, Any]) -> None:
    assert affected_mismatches(trip, maintenance=False) == []


def test_every_maintenance_update_comes_back_with_its_affected_components(trip: dict[str, Any]) -> None:
    assert affected_mismatches(trip, maintenance=True) == []


def test_imported_updates_are_not_delivered_as_notifications(trip: dict[str, Any]) -> None:
    for sid in trip["sources"]:
        assert {u["deliver_notifications"] for u in api_incident(trip, sid)["incident_updates"]} == {False}, sid
