"""Notices (``type: notice``): pinned informational messages, shown from starts_at until ends_at."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

import dom
from test_cli import build, run
from test_drafts import check_with_line

NOW = 1795294800  # 2026-11-21 21:00 UTC (22:00 in Oslo)
DAY = 86400
NOTICE = """
---
title: Our phone number changes on 1 March
title_nb: Telefonnummeret vårt endres 1. mars
type: notice
starts_at: "2026-11-20 08:00"
ends_at: "2026-11-25 08:00"
components: [voice]
---

From 1 March, call **+47 21 00 00 01**.

::: nb
Fra 1. mars ringer du **+47 21 00 00 01**.
:::
"""


def pinned(page: Path) -> list[str]:
    """The titles of the notices pinned on a built page."""
    return dom.texts(dom.page(page), "h2.status-pinned__title a")


def api(out, name: str):
    return json.loads((out / "api" / "v2" / name).read_text(encoding="utf-8"))


@pytest.fixture
def noticed(make_site):
    site = make_site()
    site.add("2026-11-20-phone-number.md", NOTICE)
    return site


@pytest.fixture(scope="module")
def shown(module_site) -> Path:
    """The site with the notice, built (strict) once while the notice is shown, for the tests that read it."""
    site = module_site()
    site.add("2026-11-20-phone-number.md", NOTICE)
    return site.build(strict=True, epoch=NOW)


def test_a_notice_is_pinned_on_the_overview_in_every_language_and_on_its_components_pages(shown):
    out = shown
    assert pinned(out) == ["Our phone number changes on 1 March"]
    overview = dom.page(out)
    top = dom.select(overview, "section.status-pinned, .status-banner")
    assert ["status-pinned" in dom.classes(el) for el in top] == [True, False]  # at the top
    assert dom.texts(overview, "section.status-pinned .status-update__body strong") == ["+47 21 00 00 01"]
    # Pinned, not listed as an incident.
    assert not dom.select(overview, "#active-incidents") and "Active incidents" not in dom.visible_text(overview, templates=True)
    assert pinned(out / "nb") == ["Telefonnummeret vårt endres 1. mars"]
    assert pinned(out / "components" / "voice") == ["Our phone number changes on 1 March"]
    assert pinned(out / "components" / "interact") == []
    page = dom.page(out / "incidents" / "2026-11-20-phone-number")
    assert dom.select(page, ".status-badge--notice") and "Not yet resolved" not in dom.visible_text(page, templates=True)


def test_a_notice_is_an_unresolved_informational_incident_in_the_api_and_feeds_while_shown(shown):
    out = shown
    summary = api(out, "summary.json")
    [shown] = summary["incidents"]
    assert (shown["id"], shown["impact"], shown["status"], shown["resolved_at"]) == ("2026-11-20-phone-number", "none", "identified", None)
    assert summary["status"]["indicator"] == "none"
    assert [u["status"] for u in shown["incident_updates"]] == ["identified"]
    assert "+47 21 00 00 01" in shown["incident_updates"][0]["body"]
    assert [i["id"] for i in api(out, "incidents/unresolved.json")["incidents"]] == ["2026-11-20-phone-number"]
    feed = feedparser.parse((out / "history.atom").read_bytes())
    assert [e.title for e in feed.entries] == ["Our phone number changes on 1 March"]


def test_after_ends_at_an_automatic_update_resolves_the_notice_and_it_is_no_longer_pinned(noticed):
    out = noticed.build(strict=True, epoch=NOW + 5 * DAY)  # 26 November
    assert pinned(out) == []
    assert api(out, "incidents/unresolved.json")["incidents"] == []
    [notice] = api(out, "incidents.json")["incidents"]
    assert notice["status"] == "resolved" and notice["resolved_at"] == "2026-11-25T08:00:00.000+01:00"
    assert [u["status"] for u in notice["incident_updates"]] == ["resolved", "identified"]
    assert notice["incident_updates"][0]["body"] == "This notice has ended."
    assert notice["incident_updates"][0]["created_at"] == "2026-11-25T08:00:00.000+01:00"


def test_a_notice_before_its_starts_at_is_nowhere_yet(noticed):
    result = build(noticed.root, NOW - 2 * DAY)  # 19 November
    assert result.returncode == 0, result.stderr
    assert "notice '2026-11-20-phone-number' is shown from 2026-11-20 08:00" in result.stderr
    out = noticed.root / "site"
    assert pinned(out) == []
    assert api(out, "incidents.json")["incidents"] == []


def test_a_notice_without_an_end_is_never_warned_about_for_age_and_never_counts_against_uptime(noticed):
    path = noticed.root / "incidents" / "2026-11-20-phone-number.md"
    path.write_text(path.read_text(encoding="utf-8").replace('ends_at: "2026-11-25 08:00"\n', ""), encoding="utf-8")
    result = build(noticed.root, NOW + 60 * DAY)
    assert result.returncode == 0, result.stderr  # --strict: no "unresolved for 60 days" warning
    out = noticed.root / "site"
    assert pinned(out) == ["Our phone number changes on 1 March"]
    voice = {c["id"]: c for c in api(out, "components.json")["components"]}["voice"]
    assert voice["status"] == "operational"
    facts = dom.definitions(dom.page(out / "components" / "voice"), "dl.status-facts")
    uptimes = [re.fullmatch(r"([\d.]+)\W*%", facts[f"Uptime, last {days} days"]) for days in (30, 90)]
    assert [float(u.group(1)) for u in uptimes] == [100.0, 100.0]


@pytest.mark.parametrize(("change", "line", "message"), [
    (("From 1 March", "## Update · 2026-11-21 10:00\n\nFrom 1 March"), 10, "a notice has no update headings"),
    (('starts_at: "2026-11-20 08:00"\n', ""), 2, "notice without 'starts_at'"),
    (('ends_at: "2026-11-25 08:00"', 'ends_at: "2026-11-19 08:00"'), 6, "ends_at is not after starts_at"),
    (("components: [voice]", "components: {voice: major_outage}"), 7, "a notice does not set a component's status"),
    (("type: notice\n", "type: notice\nimpact: minor\n"), 5, "'impact' is not for notices"),
    (("::: nb", "::: xx"), 12, "unknown language 'xx' in ::: block"),
])
def test_a_broken_notice_is_an_error_naming_its_line(noticed, change, line, message):
    path = noticed.root / "incidents" / "2026-11-20-phone-number.md"
    path.write_text(path.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    done = run(noticed.root, "check")
    assert done.returncode == 1, done.stdout
    assert f"incidents/2026-11-20-phone-number.md:{line}: error: {message}" in done.stdout, done.stdout


def test_starts_at_in_an_incident_is_an_error_not_ignored(make_site):
    check_with_line(make_site, 'starts_at: "2026-11-20 09:00"', "'starts_at' is for notices; add 'type: notice'")


def test_a_notice_in_another_language_carries_the_language_notice_never_mixed_with_itself(make_site):
    site = make_site(required_languages=["en"])
    site.add("2026-11-20-phone-number.md", NOTICE.replace("::: nb\nFra 1. mars ringer du **+47 21 00 00 01**.\n:::\n", ""))
    out = site.build(strict=True, epoch=NOW)
    nb = dom.page(out / "nb")
    section = dom.one(nb, "section.status-pinned")
    assert dom.select(section, "p.status-language-notice")  # "not available in Norwegian; shown in English"
    assert dom.attrs(section, ".status-update__body", "lang") == ["en"]
    pinned_parts = dom.select(nb, '[class*="status-pinned"]', templates=True)
    assert all(el is section or section in el.iterancestors() for el in pinned_parts)
    assert not dom.select(nb, ".status-notice", templates=True)
