"""Drafts (``draft: true``): out of the published site, its feeds, API and notify; listed by check."""

from __future__ import annotations

import json

import feedparser
import pytest

from conftest import SIMPLE_INCIDENT
from test_cli import build, run

NOW = 1795294800  # 2026-11-21 21:00 UTC
# Unresolved, without its Norwegian text: published, it would warn (and fail --strict).
DRAFT = """
---
title: Calls may drop
impact: major
components: [voice]
draft: true
---

## Investigating · 2026-11-21 20:00

We are looking at dropped calls.
"""


@pytest.fixture
def drafted(make_site):
    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    site.add("2026-11-21-calls-may-drop.md", DRAFT)
    return site


def test_a_draft_is_in_no_page_feed_or_api_file_of_the_build_and_never_fails_strict(drafted):
    result = build(drafted.root, NOW)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "draft '2026-11-21-calls-may-drop' is not published" in result.stderr  # said, as information
    out = drafted.root / "site"
    assert not (out / "incidents" / "2026-11-21-calls-may-drop").exists()
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".json", ".atom", ".rss", ".ics", ".svg"))
    assert "calls-may-drop" not in everything and "Calls may drop" not in everything
    assert "queue-login" in everything
    feed = feedparser.parse((out / "updates.atom").read_bytes())
    assert [e.title for e in feed.entries if "drop" in e.title.lower()] == []
    summary = json.loads((out / "api" / "v2" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"]["indicator"] == "none"  # the draft's major outage is not published either
    assert {c["id"]: c["status"] for c in summary["components"]}["voice"] == "operational"


def test_publishing_a_draft_is_removing_its_line_and_the_id_stays(drafted):
    path = drafted.root / "incidents" / "2026-11-21-calls-may-drop.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = build(drafted.root, NOW)
    assert result.returncode == 1  # now published: its missing translation fails --strict
    assert "required language nb" in result.stderr
    drafted.build()
    assert (drafted.root / "site" / "incidents" / "2026-11-21-calls-may-drop" / "index.html").is_file()


def test_check_lists_drafts_as_information_and_their_problems_never_fail_strict(drafted):
    done = run(drafted.root, "check", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "incidents/2026-11-21-calls-may-drop.md:5: info: draft '2026-11-21-calls-may-drop' is not published; remove 'draft: true' to publish it" in lines
    assert any(line.startswith("incidents/2026-11-21-calls-may-drop.md:") and ": info: " in line and "required language nb" in line for line in lines)
    assert not any(": warning: " in line or ": error: " in line for line in lines)
    assert "1 draft" in done.stderr


def check_with_line(make_site, line: str, error: str) -> None:
    """``check`` of an incident with one more front matter line (line 5): exit 1 and that error at line 5."""
    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT.replace("impact: major\n", f"impact: major\n{line}\n"))
    done = run(site.root, "check")
    assert done.returncode == 1
    assert f"incidents/2026-11-20-queue-login.md:5: error: {error}" in done.stdout, done.stdout


def test_a_draft_value_that_is_not_true_or_false_is_an_error_naming_the_line(make_site):
    check_with_line(make_site, "draft: maybe", "draft must be true or false, not 'maybe'")


def test_draft_false_is_published(make_site):
    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT.replace("impact: major\n", "impact: major\ndraft: false\n"))
    site.build()
    assert (site.root / "site" / "incidents" / "2026-11-20-queue-login" / "index.html").is_file()
