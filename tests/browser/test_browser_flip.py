"""Between builds: a page read after a maintenance window opened or closed shows what the next build would.

One small site is built before the window (the page under test) and again inside and after
it (the oracle: what the next build really says). Chromium reads the first build with its
clock set inside and after the window, and must show the same banner, component and group
badges, maintenance sections and maintenance page as the later builds.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE_CONFIG, incident_text

from .conftest import NewContext
from .sitekit import build_site, serve

pytestmark = pytest.mark.browser

ID = "2026-11-25-voice-upgrade"
MAINTENANCE = """
---
title: Voice platform upgrade
title_nb: Oppgradering av taleplattformen
type: maintenance
components: [voice]
scheduled_for: 2026-11-25 22:00
scheduled_until: 2026-11-25 23:00
---

## Scheduled · 2026-11-21 12:00 {#plan1}

We will upgrade the voice platform.

::: nb
Vi oppgraderer taleplattformen.
:::
"""
UTC = dt.timezone.utc
BEFORE = dt.datetime(2026, 11, 25, 20, 0, tzinfo=UTC)  # 21:00 Oslo
INSIDE = dt.datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # 22:30 Oslo
AFTER = dt.datetime(2026, 11, 25, 22, 30, tzinfo=UTC)  # 23:30 Oslo


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site built at each instant, with the same sources."""
    root = tmp_path_factory.mktemp("flip")
    (root / "docs").mkdir()
    (root / "incidents").mkdir()
    (root / "incidents" / f"{ID}.md").write_text(incident_text(MAINTENANCE), encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(copy.deepcopy(BASE_CONFIG), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {name: build_site(root / "mkdocs.yml", root / f"site-{name}", epoch=int(at.timestamp()))
            for name, at in (("before", BEFORE), ("inside", INSIDE), ("after", AFTER))}


def overview_facts(page: Any) -> dict[str, Any]:
    """What a reader sees of the overview's status: banner, badges, maintenance sections."""
    return page.evaluate("""() => {
      const text = (el) => el ? el.textContent.replace(/\\s+/g, " ").trim() : null;
      const banner = document.querySelector(".status-banner");
      const section = (id) => {
        const h = document.getElementById(id);
        if (!h) return null;
        return {heading: text(h), rows: Array.from(h.nextElementSibling.children).map((li) => ({
          title: text(li.querySelector(".status-incident__title")),
          badges: Array.from(li.querySelectorAll(".status-incident__meta .status-badge")).map((b) => [b.className, text(b)]),
          latest: text(li.querySelector(".status-update__body")),
        }))};
      };
      return {
        banner: [banner.className, text(banner.querySelector("strong")),
                 banner.querySelector(".status-icon").className],
        components: Array.from(document.querySelectorAll(".status-component")).map((c) => [
          text(c.querySelector(".status-component__name")), c.querySelector(".status-badge").className,
          text(c.querySelector(".status-badge"))]),
        groups: Array.from(document.querySelectorAll(".status-group > summary")).map((s) => [
          text(s.querySelector(".status-group__name")), s.querySelector(".status-badge").className, text(s.querySelector(".status-badge"))]),
        active: section("active-maintenance"),
        upcoming: section("upcoming-maintenance"),
      };
    }""")


def maintenance_facts(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
      const text = (el) => el ? el.textContent.replace(/\\s+/g, " ").trim() : null;
      return {
        badges: Array.from(document.querySelectorAll(".status-incident__meta .status-badge")).map((b) => [b.className, text(b)]),
        updates: Array.from(document.querySelectorAll("ol.status-updates > li")).map((li) => [
          li.querySelector("h3").id, text(li.querySelector("h3")), text(li.querySelector(".status-update__body"))]),
      };
    }""")


def component_badge(page: Any) -> list[str]:
    return page.evaluate("""() => { const b = document.querySelector("[data-status-badge='component:voice']");
      return [b.className, b.textContent.trim()]; }""")


def read(new_context: NewContext, url: str, clock: dt.datetime) -> Any:
    page = new_context(clock=clock).new_page()
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("lang", ["", "nb/"])
@pytest.mark.parametrize("when", ["inside", "after"])
def test_a_page_read_after_a_window_edge_shows_what_the_next_build_shows(new_context: NewContext, builds: dict[str, Path],
                                                                         when: str, lang: str) -> None:
    clock = {"inside": INSIDE, "after": AFTER}[when]
    with serve(builds["before"]) as stale, serve(builds[when]) as fresh:
        old = read(new_context, f"{stale}/{lang}", clock)
        new = read(new_context, f"{fresh}/{lang}", clock)
        assert overview_facts(old) == overview_facts(new)
        old_page = read(new_context, f"{stale}/{lang}incidents/{ID}/", clock)
        new_page = read(new_context, f"{fresh}/{lang}incidents/{ID}/", clock)
        assert maintenance_facts(old_page) == maintenance_facts(new_page)
        old_comp = read(new_context, f"{stale}/{lang}components/voice/", clock)
        new_comp = read(new_context, f"{fresh}/{lang}components/voice/", clock)
        assert component_badge(old_comp) == component_badge(new_comp)
    facts = overview_facts(new)
    if when == "inside":
        # Not trivially equal: the build before the window said something else.
        assert facts["upcoming"] is None and facts["active"] is not None and len(facts["active"]["rows"]) == 1
        assert "status-banner--maintenance" in facts["banner"][0]
        assert [u[0] for u in maintenance_facts(new_page)["updates"]] == ["update-auto-in-progress", "update-plan1"]
    else:
        assert facts["active"] is None and facts["upcoming"] is None
        assert [u[0] for u in maintenance_facts(new_page)["updates"]] == ["update-auto-completed", "update-auto-in-progress", "update-plan1"]


def test_the_page_as_built_before_the_window_is_unchanged_before_it(new_context: NewContext, builds: dict[str, Path]) -> None:
    with serve(builds["before"]) as url:
        page = read(new_context, f"{url}/", BEFORE)
        facts = overview_facts(page)
    assert facts["active"] is None and facts["upcoming"] is not None
    assert "status-banner--none" in facts["banner"][0]
    assert [c[1] for c in facts["components"] if c[0] == "Voice"] == ["status-badge status-badge--operational"]
