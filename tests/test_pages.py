"""What a reader sees on the generated pages: exact instants, statuses in words, notices."""

from __future__ import annotations

import re

import pytest

ZONES = """
---
title: Times in many forms
title_nb: Tider i mange former
impact: minor
components: [interact]
timezone: America/Sao_Paulo
---

## Investigating · 2026-11-20 10:00

Local to the file's zone (São Paulo, UTC-3).

::: nb
Filens sone.
:::

## Identified - 2026-11-20 14:30 +01:00

An offset.

::: nb
En forskyvning.
:::

## Update | 2026-11-20T14:45:10 Europe/Oslo

An IANA zone name, with seconds.

::: nb
Et sonenavn.
:::

## Monitoring @ 2026-11-20 14:00 Z

UTC.

::: nb
UTC.
:::

## Resolved 2026-11-20 20:00:00 +0530

No separator, compact offset.

::: nb
Ingen skilletegn.
:::
"""

SITE_ZONE = """
---
title: Site zone across the autumn change
title_nb: Stedets sone over høstskiftet
impact: none
---

## Investigating · 2026-10-25 01:30

Before the clocks go back (CEST).

::: nb
Før klokka stilles tilbake.
:::

## Resolved · 2026-10-25 03:30

After the clocks went back (CET).

::: nb
Etter at klokka ble stilt tilbake.
:::
"""


def datetimes(page: str) -> list[str]:
    return re.findall(r'<h3 class="status-update__head" id="([^"]+)".*?<time class="status-time" datetime="([^"]+)"', page, flags=re.S)


def test_time_elements_hold_the_exact_instant_whatever_form_the_heading_used(make_site):
    site = make_site()
    site.add("2026-11-20-zones.md", ZONES)
    site.add("2026-10-25-autumn.md", SITE_ZONE)
    site.build(strict=True)
    page = site.read("incidents/2026-11-20-zones/index.html")
    got = [stamp for _, stamp in datetimes(page)]
    assert got == [  # newest first
        "2026-11-20T20:00:00+05:30",
        "2026-11-20T14:00:00+00:00",
        "2026-11-20T14:45:10+01:00",
        "2026-11-20T14:30:00+01:00",
        "2026-11-20T10:00:00-03:00",
    ]
    anchors = [anchor for anchor, _ in datetimes(page)]
    assert anchors[-1] == "update-20261120t130000z"
    autumn = [stamp for _, stamp in datetimes(site.read("incidents/2026-10-25-autumn/index.html"))]
    assert autumn == ["2026-10-25T03:30:00+01:00", "2026-10-25T01:30:00+02:00"]
    # Shown in the display zones with their abbreviations.
    assert "01:30\u202fAM CEST" in site.read("incidents/2026-10-25-autumn/index.html") or "1:30\u202fAM CEST" in site.read("incidents/2026-10-25-autumn/index.html")


def test_update_post_shows_update_but_keeps_the_incident_status(make_site):
    site = make_site()
    site.add("2026-11-20-zones.md", ZONES)
    site.build()
    page = site.read("incidents/2026-11-20-zones/index.html")
    heads = re.findall(r'class="status-update__link"[^>]*><span class="status-icon[^"]*" aria-hidden="true"></span>([^<]+)</a>', page)
    assert [h.strip() for h in heads] == ["Resolved", "Monitoring", "Update", "Identified", "Investigating"]


def test_statuses_are_told_in_words_and_icons_not_colour_alone(make_site):
    site = make_site()
    site.add("2026-11-20-zones.md", ZONES)
    site.build()
    overview = site.read("index.html")
    for badge in re.findall(r'<span class="status-badge[^"]*">(.*?)</span></span>', overview, flags=re.S):
        assert re.search(r'<span class="status-icon status-icon--[\w-]+" aria-hidden="true"></span>', badge)
        assert re.sub(r"<[^>]+>", "", badge).strip()
    bars = re.findall(r'<li class="status-day status-day--(\w+)"[^>]*>\s*<span class="status-day__tip">([^<]+)', overview)
    assert len(bars) == 3 * 90
    assert all(text.strip() for _, text in bars)


def test_overview_lists_quiet_days_and_the_incident_on_its_day(make_site):
    site = make_site()
    site.add("2026-11-20-zones.md", ZONES)
    site.build()
    overview = re.sub(r"\s+", " ", site.read("index.html"))
    assert overview.count("No incidents reported.") == 13
    assert "Times in many forms" in overview
    assert "All systems operational" in overview


def test_a_status_page_listed_in_the_nav_shows_the_nav_title_there(make_site):
    from conftest import SIMPLE_INCIDENT

    site = make_site()
    site.config["nav"] = [{"Status": "index.md"}, {"About": "about.md"}]
    site.write_config()
    (site.root / "docs" / "about.md").write_text("# About\n\nHow this page works.\n", encoding="utf-8")
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.build(strict=True)
    about = re.sub(r"\s+", " ", site.read("about/index.html"))
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"> <span class="md-ellipsis"> ([^<]+?) </span>', about)
    assert ("..", "Status") in links, links


def test_links_from_hand_written_pages_to_an_update_are_checked_like_any_anchor(make_site, caplog):
    from conftest import SIMPLE_INCIDENT

    site = make_site()
    site.config["validation"] = {"anchors": "warn"}
    site.write_config()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    (site.root / "docs" / "about.md").write_text(
        "# About\n\n[The first update](incidents/2026-11-20-queue.md#update-20261120t090000z), "
        "[all updates](incidents/2026-11-20-queue.md#updates) and "
        "[a typo](incidents/2026-11-20-queue.md#update-20261120t0900z).\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        site.build()
    anchors = [r.getMessage() for r in caplog.records if "anchor" in r.getMessage()]
    assert len(anchors) == 1 and "#update-20261120t0900z" in anchors[0], anchors


def test_a_build_leaves_the_garbage_collector_as_it_found_it(make_site):
    # The plugin freezes what lives through the build; `mkdocs serve` rebuilds in one process.
    import gc

    from conftest import SIMPLE_INCIDENT

    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    before = gc.get_freeze_count()
    site.build()
    assert gc.get_freeze_count() == before == 0
    # A site template that fails while pages are rendered, after the freeze.
    (site.root / "overrides" / "status").mkdir(parents=True)
    (site.root / "overrides" / "status" / "history.html").write_text("{{ no_such_function() }}", encoding="utf-8")
    site.config["theme"]["custom_dir"] = "overrides"
    site.write_config()
    with pytest.raises(Exception, match="no_such_function|Aborted"):
        site.build()
    assert gc.get_freeze_count() == 0


def _links_resolve_to(page_url: str, href: str) -> str:
    from posixpath import normpath
    from urllib.parse import urljoin

    return normpath(urljoin("https://status.example.com/" + page_url, href).removeprefix("https://status.example.com"))


def test_an_incident_named_index_and_its_neighbours_link_to_the_shared_pages_correctly(make_site):
    from conftest import SIMPLE_INCIDENT

    site = make_site()
    site.add("index.md", SIMPLE_INCIDENT)
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.build(strict=True)
    for page_url in ("incidents/", "incidents/2026-11-20-queue/"):
        page = site.read(page_url + "index.html")
        feed = re.search(r'<link rel="alternate" type="application/atom\+xml" title="Incidents \(Atom\)" href="([^"]+)"', page).group(1)
        history = re.search(r'<nav class="status-nav"[^>]*>.*?<a href="[^"]+"[^>]*>[^<]*</a>\s*<a href="([^"]+)"', page, re.S).group(1)
        assert _links_resolve_to(page_url, feed) == "/history.atom", page_url
        assert _links_resolve_to(page_url, history) == "/history", page_url


def test_the_same_instant_written_with_two_offsets_keeps_each_as_written(make_site):
    site = make_site()
    for name, stamp in (("2026-11-10-a.md", "2026-11-10 09:30 UTC"), ("2026-11-10-b.md", "2026-11-10 10:30 +01:00")):
        site.add(name, f"---\ntitle: {name}\ntitle_nb: {name}\nimpact: minor\n---\n\n## Investigating · {stamp}\n\nText.\n\n::: nb\nTekst.\n:::\n")
    site.build()
    assert 'datetime="2026-11-10T09:30:00+00:00"' in site.read("incidents/2026-11-10-a/index.html")
    assert 'datetime="2026-11-10T10:30:00+01:00"' in site.read("incidents/2026-11-10-b/index.html")


def test_a_plugin_reading_a_status_page_early_does_not_lose_its_title(make_site):
    from conftest import SIMPLE_INCIDENT

    site = make_site()
    (site.root / "hooks.py").write_text(
        "def on_nav(nav, config, files):\n"
        "    files.get_file_from_path('index.md').page.read_source(config)\n"
        "    return nav\n", encoding="utf-8")
    site.config["hooks"] = ["hooks.py"]
    site.config["nav"] = [{"Status": "index.md"}, {"Past": "history.md"}, {"Again": "history.md"}]
    site.write_config()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.build()
    overview = site.read("index.html")
    assert "<title>Status - Test Status</title>" in overview or "<title>Current status" in overview
    assert 'name="description"' in overview and "status-nav" in overview
    nav = re.findall(r'class="md-nav__link[^"]*"> <span class="md-ellipsis"> ([^<]+?) </span>', re.sub(r"\s+", " ", overview))
    assert "Past" in nav and "Again" not in nav, nav
