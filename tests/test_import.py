"""``mkdocs-status import statuspage``: Statuspage API v2 JSON -> incident files that say the same.

The fixtures in ``fixtures/statuspage/`` follow the documented shapes of
Statuspage's public API v2 (``incidents.json``, ``scheduled-maintenances.json``,
``summary.json``, ``components.json`` and one incident as ``{"page", "incident"}``).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import shutil
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from mkdocs_status.model import Incident
from mkdocs_status.parse.incident import ParseSettings, parse_incident
from test_cli import CONFIG, build, epoch, make_site, run, status_options, write_config

FIXTURES = Path(__file__).parent / "fixtures" / "statuspage"
ALL_FILES = sorted(str(p) for p in FIXTURES.glob("*.json"))
NOW = epoch("2026-11-21 21:00:00")
MARKER = re.compile(r"^# Imported from Statuspage (?:incident|maintenance) (\w+)", re.M)

# Bodies the import must change to keep them inside their update (everything else is kept as written).
REWRITTEN = {
    # A level-2 heading becomes level 3; '---' under a paragraph gets a blank line, so it is a rule, not a heading.
    "1dent1000a04": "We have identified the issue.\n\n### Cause\nAn expired certificate on the SSO proxy.\nWe are renewing it now\n\n---\nNo data was lost.",
    # An unclosed code fence is closed, so it cannot swallow the next update.
    "1nvest000c02": "Payments in the billing portal fail. Affected requests return:\n```\nHTTP 502 Bad Gateway\n```",
    # ':::' lines are indented, so they are not language blocks.
    "1dent1000c01": "Workaround:\n ::: tip\nRetry the payment after a minute.\n :::\nA database node of the billing service is failing over.",
}
COMPONENTS = {
    "p1x4k7z9q2lm": {"interact": "major_outage"},
    "b7w3n5r8t0yd": {"messaging": "degraded_performance"},
    "c9q2v6h1j4ks": {"billing": "major_outage"},  # the public API joins at the second update (its attribute block)
    "m1d8f2g5h7k3": {"interact": None},
    "m2s4t6u8v0w1": {"voice": None},
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def source_incidents() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, key in (("incidents.json", "incidents"), ("scheduled-maintenances.json", "scheduled_maintenances")):
        for obj in json.loads((FIXTURES / name).read_text(encoding="utf-8"))[key]:
            out[obj["id"]] = obj
    return out


def instant(text: str) -> dt.datetime:
    """A Statuspage timestamp to the second, in its own offset."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(microsecond=0)


def imported(root: Path) -> dict[str, Path]:
    """Statuspage id -> the file the import wrote for it."""
    out = {}
    for path in sorted((root / "incidents").rglob("*.md")):
        m = MARKER.search(path.read_text(encoding="utf-8"))
        if m:
            out[m.group(1)] = path
    return out


def parse(path: Path, extra_components: tuple[str, ...] = ("billing", "public-api")) -> Incident:
    settings = ParseSettings(languages=("en", "nb"), required_languages=("en",), timezone=ZoneInfo("Europe/Oslo"),
                             components=("interact", "messaging", "voice", *extra_components), groups={"engage": ("messaging", "voice")})
    incident, diagnostics = parse_incident(path.name, path.stem, path.read_text(encoding="utf-8"), settings)
    assert incident is not None, [d.format() for d in diagnostics]
    assert [d for d in diagnostics if d.level == "error"] == []
    return incident


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((root / "incidents").rglob("*")) if p.is_file()}


def paste_snippet(root: Path, snippet: str, **options: Any) -> None:
    """What a site owner does with the printed snippet: add its entries to the components in mkdocs.yml."""
    entries = yaml.safe_load(textwrap.dedent("\n".join(line for line in snippet.splitlines() if not line.startswith("#"))))
    config = json.loads(json.dumps(CONFIG))
    status_options(config)["components"] += entries
    status_options(config).update(options)
    write_config(root, config)


def test_import_reproduces_every_update_status_body_and_instant(site: Path) -> None:
    result = run(site, "import", "statuspage", *ALL_FILES, at=NOW)
    assert result.returncode == 0, result.stderr
    files = imported(site)
    sources = source_incidents()
    assert sorted(files) == sorted(sources)
    for sid, obj in sources.items():
        incident = parse(files[sid])
        # summary.json holds an older copy of the billing incident; the newer one (with more updates) wins.
        source_updates = sorted(obj["incident_updates"], key=lambda u: instant(u["display_at"]))
        expected = [(u["status"], instant(u["display_at"]), REWRITTEN.get(u["id"], u["body"].replace("\r\n", "\n").strip()))
                    for u in source_updates]
        if obj.get("postmortem_body"):
            expected.append(("postmortem", instant(obj["postmortem_published_at"]), obj["postmortem_body"].replace("\r\n", "\n").strip()))
        got = [(u.kept, u.at, u.texts.get("en", "")) for u in incident.updates]
        assert got == expected, sid
        assert [u.at.utcoffset() for u in incident.updates] == [e[1].utcoffset() for e in expected], "offsets are kept"
        assert incident.titles == {"en": obj["name"]}
        assert incident.components == COMPONENTS[sid]
        if obj["impact"] == "maintenance":
            assert incident.is_maintenance
            assert (incident.scheduled_for, incident.scheduled_until) == (instant(obj["scheduled_for"]), instant(obj["scheduled_until"]))
        else:
            assert incident.impact == obj["impact"]
    billing = parse(files["c9q2v6h1j4ks"])
    assert [u.components for u in billing.updates] == [{"billing": "major_outage"}, {"public-api": "partial_outage"}]
    assert [u.short_id for u in billing.updates] == ["1nvest000c02", "1dent1000c01"]
    assert not any(u.notify for sid in sources for u in parse(files[sid]).updates), "imported updates are never news"
    login = parse(files["p1x4k7z9q2lm"])
    # A repeated status is written as 'Update' (it keeps the status), as Statuspage shows it.
    assert [u.status for u in login.updates] == ["investigating", "identified", "update", "monitoring", "resolved"]
    assert login.started_at == instant("2026-03-02T09:41:00.000+01:00")


def test_updates_in_one_second_keep_statuspages_order(site: Path, tmp_path: Path) -> None:
    """Fractions of a second are dropped; where that would let the lifecycle order reorder two updates, the later moves on a second."""
    export = tmp_path / "incidents.json"
    updates = [
        {"id": "u3", "status": "monitoring", "body": "Still fine.", "display_at": "2026-05-01T10:00:05.900+02:00"},
        {"id": "u2", "status": "monitoring", "body": "Fix deployed.", "display_at": "2026-05-01T10:00:05.100+02:00"},
        {"id": "u1", "status": "investigating", "body": "Looking.", "display_at": "2026-05-01T09:40:00.000+02:00"},
    ]
    export.write_text(json.dumps({"page": {"id": "p"}, "incidents": [
        {"id": "t1e", "name": "Tie", "status": "monitoring", "impact": "minor", "incident_updates": updates, "components": []}]}), encoding="utf-8")
    assert run(site, "import", "statuspage", str(export)).returncode == 0
    incident = parse(imported(site)["t1e"])
    assert [(u.status, u.kept, u.at.isoformat()) for u in incident.updates] == [
        ("investigating", "investigating", "2026-05-01T09:40:00+02:00"),
        ("monitoring", "monitoring", "2026-05-01T10:00:05+02:00"),
        ("update", "monitoring", "2026-05-01T10:00:06+02:00"),
    ]


def test_import_names_files_by_date_and_title(site: Path) -> None:
    assert run(site, "import", "statuspage", *ALL_FILES).returncode == 0
    assert sorted(p.name for p in (site / "incidents").iterdir()) == [
        "2026-03-02-agents-unable-to-log-in-to-interact.md",
        "2026-04-15-delayed-sms-delivery.md",
        "2026-10-13-interact-database-upgrade.md",  # a maintenance is named by its window
        "2026-11-21-billing-portal-errors-payments-fail.md",
        "2026-12-03-voice-platform-upgrade.md",
    ]


def test_reimporting_the_same_export_changes_nothing(site: Path) -> None:
    first = run(site, "import", "statuspage", *ALL_FILES)
    assert first.returncode == 0
    before = snapshot(site)
    again = run(site, "import", "statuspage", *reversed(ALL_FILES))
    assert again.returncode == 0
    assert snapshot(site) == before
    assert "0 new, 0 updated, 5 unchanged, 0 kept" in again.stderr
    assert again.stdout == first.stdout  # the same components snippet


def test_a_file_edited_after_the_import_is_kept_unless_overwrite(site: Path) -> None:
    assert run(site, "import", "statuspage", str(FIXTURES / "incidents.json")).returncode == 0
    path = imported(site)["b7w3n5r8t0yd"]
    edited = path.read_text(encoding="utf-8").replace("Delayed SMS delivery\n", "Delayed SMS delivery\ntitle_nb: Forsinket SMS\n")
    path.write_text(edited, encoding="utf-8")
    kept = run(site, "import", "statuspage", str(FIXTURES / "incidents.json"))
    assert kept.returncode == 0
    assert f"kept {path.relative_to(site)}" in kept.stderr and "--overwrite" in kept.stderr
    assert path.read_text(encoding="utf-8") == edited
    replaced = run(site, "import", "statuspage", "--overwrite", str(FIXTURES / "incidents.json"))
    assert replaced.returncode == 0 and "1 updated" in replaced.stderr
    assert "title_nb" not in path.read_text(encoding="utf-8")


def test_unknown_components_get_a_snippet_that_makes_the_site_check_and_build(site: Path) -> None:
    result = run(site, "import", "statuspage", *ALL_FILES, at=NOW)
    assert result.returncode == 0
    assert result.stdout == textwrap.dedent("""\
        # Components the imported incidents use that mkdocs.yml does not declare.
        # Paste under `plugins: - status: components:` (indented as in the example site):
                - id: public-api
                  name: Public API
                  start_date: 2020-06-15
                - group: Payments
                  id: payments
                  components:
                    - id: billing
                      name: Billing
                      description: Invoices and the payment portal
                      start_date: 2021-01-11
        """)
    assert "2 components are not in mkdocs.yml yet" in result.stderr
    assert run(site, "check", at=NOW).returncode == 1  # until the snippet is pasted

    # Statuspage text is English only: the site asks for English alone while it translates.
    paste_snippet(site, result.stdout, required_languages=["en"])
    check = run(site, "check", "--strict", at=NOW)
    assert check.returncode == 0, check.stdout
    again = run(site, "import", "statuspage", *ALL_FILES, at=NOW)
    assert (again.returncode, again.stdout) == (0, "")  # mapped by id now: no snippet, no change

    built = build(site, NOW)
    assert built.returncode == 0, built.stderr
    files = imported(site)
    api = site / "site" / "api" / "v2" / "incidents"
    if api.is_dir():  # the JSON API reports the same updates Statuspage did
        for sid, obj in source_incidents().items():
            document = json.loads((api / f"{files[sid].stem}.json").read_text(encoding="utf-8"))["incident"]
            ours = [(u["status"], dt.datetime.fromisoformat(u["display_at"])) for u in document["incident_updates"]]
            theirs = sorted(((u["status"], instant(u["display_at"])) for u in obj["incident_updates"]), key=lambda s: s[1], reverse=True)
            if obj.get("postmortem_body"):
                theirs.insert(0, ("postmortem", instant(obj["postmortem_published_at"])))
            assert ours == theirs, sid
            assert document["name"] == obj["name"]


def test_groups_and_components_map_to_config_ids_by_name(site: Path) -> None:
    config = json.loads(json.dumps(CONFIG))
    status_options(config)["components"].append({"id": "api", "name": "Public API"})
    write_config(site, config)
    result = run(site, "import", "statuspage", str(FIXTURES / "incidents.json"), str(FIXTURES / "components.json"))
    assert result.returncode == 0
    assert "- id: public-api" not in result.stdout and "- id: billing" in result.stdout
    text = imported(site)["c9q2v6h1j4ks"].read_text(encoding="utf-8")
    assert "components:\n  billing: major_outage\n" in text and " · 2026-11-21 19:30:45 +00:00 {#1dent1000c01 api=partial_outage notify=false}\n" in text


def test_a_single_incident_file_imports(site: Path) -> None:
    result = run(site, "import", "statuspage", str(FIXTURES / "incident-b7w3n5r8t0yd.json"))
    assert result.returncode == 0, result.stderr
    assert list(imported(site)) == ["b7w3n5r8t0yd"]
    assert [u.status for u in parse(imported(site)["b7w3n5r8t0yd"]).updates] == ["investigating", "resolved", "postmortem"]


def test_import_writes_into_year_folders_when_the_site_uses_them(site: Path) -> None:
    (site / "incidents" / "2025").mkdir()
    assert run(site, "import", "statuspage", str(FIXTURES / "incidents.json")).returncode == 0
    assert sorted(str(p.relative_to(site / "incidents")) for p in imported(site).values()) == [
        "2026/2026-03-02-agents-unable-to-log-in-to-interact.md",
        "2026/2026-04-15-delayed-sms-delivery.md",
        "2026/2026-11-21-billing-portal-errors-payments-fail.md",
    ]


def test_import_avoids_ids_already_taken(site: Path) -> None:
    (site / "incidents" / "2026-04-15-delayed-sms-delivery.md").write_text("hand-written\n", encoding="utf-8")
    assert run(site, "import", "statuspage", str(FIXTURES / "incidents.json")).returncode == 0
    assert imported(site)["b7w3n5r8t0yd"].name == "2026-04-15-delayed-sms-delivery-2.md"
    assert (site / "incidents" / "2026-04-15-delayed-sms-delivery.md").read_text(encoding="utf-8") == "hand-written\n"


def test_import_in_another_language_marks_the_file(site: Path) -> None:
    assert run(site, "import", "statuspage", "--lang", "nb", str(FIXTURES / "incident-b7w3n5r8t0yd.json")).returncode == 0
    text = imported(site)["b7w3n5r8t0yd"].read_text(encoding="utf-8")
    assert text.startswith("---\nlang: nb\ntitle: Delayed SMS delivery\n")


def test_dry_run_writes_nothing(site: Path) -> None:
    result = run(site, "import", "statuspage", "--dry-run", *ALL_FILES)
    assert result.returncode == 0
    assert "would write incidents/2026-04-15-delayed-sms-delivery.md" in result.stdout
    assert list((site / "incidents").iterdir()) == []


def test_a_large_import_reports_progress(site: Path, tmp_path: Path) -> None:
    template = json.loads((FIXTURES / "incident-b7w3n5r8t0yd.json").read_text(encoding="utf-8"))["incident"]
    many = []
    for n in range(250):
        obj = json.loads(json.dumps(template))
        obj["id"] = f"bulk{n:08d}"
        obj["name"] = f"Incident number {n}"
        many.append(obj)
    export = tmp_path / "incidents.json"
    export.write_text(json.dumps({"page": {"id": "x", "name": "Bulk"}, "incidents": many}), encoding="utf-8")
    result = run(site, "import", "statuspage", str(export))
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("importing")] == [
        "importing 100/250", "importing 200/250", "importing 250/250"]
    assert len(list((site / "incidents").iterdir())) == 250


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The fixtures served over HTTP as a Statuspage page would: under /api/v2/."""
    root = tmp_path / "served"
    (root / "api" / "v2").mkdir(parents=True)
    for name in ("incidents.json", "scheduled-maintenances.json", "components.json"):
        shutil.copy(FIXTURES / name, root / "api" / "v2" / name)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_import_from_a_url(site: Path, server: str) -> None:
    result = run(site, "import", "statuspage", f"{server}/api/v2/incidents.json")
    assert result.returncode == 0, result.stderr
    assert sorted(imported(site)) == ["b7w3n5r8t0yd", "c9q2v6h1j4ks", "p1x4k7z9q2lm"]


def test_import_from_a_page_url_fetches_its_api_files(site: Path, server: str) -> None:
    result = run(site, "import", "statuspage", server)
    assert result.returncode == 0, result.stderr
    assert sorted(imported(site)) == sorted(source_incidents())


def test_a_url_that_fails_is_a_clear_error(site: Path, server: str) -> None:
    result = run(site, "import", "statuspage", f"{server}/api/v2/nothing.json")
    assert result.returncode == 2
    assert "the server answered 404" in result.stderr


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not valid JSON"),
    (b'{"hello": "world"}', "not a Statuspage export"),
    (b'{"incidents": [{"id": "x1", "name": "n", "incident_updates": [{"status": "resolved", "display_at": "soon"}]}]}', "'soon' is not a timestamp"),
    (b'{"incidents": {"id": 1}}', "'incidents' is not a list"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_an_unusable_export_exits_2_and_writes_nothing(site: Path, tmp_path: Path, content: bytes, message: str) -> None:
    export = tmp_path / "export.json"
    export.write_bytes(content)
    result = run(site, "import", "statuspage", str(export))
    assert result.returncode == 2
    assert message in result.stderr
    assert list((site / "incidents").iterdir()) == []


def test_a_missing_export_file_exits_2(site: Path) -> None:
    result = run(site, "import", "statuspage", "nope.json")
    assert result.returncode == 2 and "nope.json: cannot read the file" in result.stderr


def test_import_without_a_source_shows_the_sources(site: Path) -> None:
    result = run(site, "import")
    assert result.returncode == 2 and "statuspage" in result.stderr
