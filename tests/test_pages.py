"""What a reader sees on the generated pages: exact instants, statuses in words, notices."""

from __future__ import annotations

import pytest

import dom
from conftest import Site

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


@pytest.fixture(scope="module")
def zones(module_site) -> Site:
    """A site with the two incidents above, built once (strict) for the tests that read it."""
    site = module_site()
    site.add("2026-11-20-zones.md", ZONES)
    site.add("2026-10-25-autumn.md", SITE_ZONE)
    site.build(strict=True)
    return site


def datetimes(doc: dom.Element) -> list[tuple[str, str]]:
    """Each update's anchor and the instant its time element carries, as the page lists them."""
    return [(dom.attr(dom.one(update, "h3.status-update__head"), "id"),
             dom.attr(dom.one(update, ".status-update__time time.status-time"), "datetime"))
            for update in dom.select(doc, "li.status-update")]


def test_time_elements_hold_the_exact_instant_whatever_form_the_heading_used(zones):
    page = dom.page(zones.root / "site/incidents/2026-11-20-zones")
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
    autumn = dom.page(zones.root / "site/incidents/2026-10-25-autumn")
    assert [stamp for _, stamp in datetimes(autumn)] == ["2026-10-25T03:30:00+01:00", "2026-10-25T01:30:00+02:00"]
    # Shown in the display zones with their abbreviations.
    first = dom.text(dom.select(autumn, ".status-update__time time.status-time")[-1])
    assert "1:30\u202fAM CEST" in first, first


def test_update_post_shows_update_but_keeps_the_incident_status(zones):
    page = dom.page(zones.root / "site/incidents/2026-11-20-zones")
    links = dom.select(page, "h3.status-update__head a.status-update__link")
    assert [dom.text(a) for a in links] == ["Resolved", "Monitoring", "Update", "Identified", "Investigating"]
    assert all(dom.select(a, "span.status-icon[aria-hidden=true]") for a in links)


def test_statuses_are_told_in_words_and_icons_not_colour_alone(zones):
    overview = dom.page(zones.root / "site")
    badges = dom.select(overview, ".status-badge")
    assert len(badges) >= 4  # the site's and each component's
    for badge in badges:
        [icon] = dom.select(badge, "span.status-icon[aria-hidden=true]")
        assert any(name.startswith("status-icon--") for name in dom.classes(icon))
        assert dom.text(badge)
    bars = dom.select(overview, "li.status-day")
    assert len(bars) == 3 * 90
    assert all(dom.text(dom.one(bar, ".status-day__tip")) for bar in bars)
    assert all(any(name.startswith("status-day--") for name in dom.classes(bar)) for bar in bars)


def test_overview_lists_quiet_days_and_the_incident_on_its_day(zones):
    overview = dom.page(zones.root / "site")
    days = {dom.text(dom.one(day, "h3")): day for day in dom.select(overview, "section.status-day-list")}
    assert len(days) == 14
    quiet = [name for name, day in days.items() if dom.texts(day, ".status-quiet") == ["No incidents reported."]]
    assert len(quiet) == 13 and "November 20, 2026" not in quiet
    assert dom.texts(days["November 20, 2026"], ".status-incident__title") == ["Times in many forms"]
    assert dom.text(dom.one(overview, ".status-banner strong")) == "All systems operational"


def test_a_status_page_listed_in_the_nav_shows_the_nav_title_there(make_site):
    from conftest import SIMPLE_INCIDENT

    site = make_site()
    site.config["nav"] = [{"Status": "index.md"}, {"About": "about.md"}]
    site.write_config()
    (site.root / "docs" / "about.md").write_text("# About\n\nHow this page works.\n", encoding="utf-8")
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.build(strict=True)
    about = dom.page(site.root / "site/about")
    links = [(dom.attr(a, "href"), dom.text(a)) for a in dom.select(about, "a.md-nav__link")]
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
        page = dom.page(site.root / "site" / page_url)
        feed = dom.attr(dom.one(page, 'head link[rel=alternate][type="application/atom+xml"][title="Incidents (Atom)"]'), "href")
        [history] = [dom.attr(a, "href") for a in dom.select(page, "nav.status-nav a") if dom.text(a) == "Incident history"]
        assert _links_resolve_to(page_url, feed) == "/history.atom", page_url
        assert _links_resolve_to(page_url, history) == "/history", page_url


def test_the_same_instant_written_with_two_offsets_keeps_each_as_written(make_site):
    site = make_site()
    for name, stamp in (("2026-11-10-a.md", "2026-11-10 09:30 UTC"), ("2026-11-10-b.md", "2026-11-10 10:30 +01:00")):
        site.add(name, f"---\ntitle: {name}\ntitle_nb: {name}\nimpact: minor\n---\n\n## Investigating · {stamp}\n\nText.\n\n::: nb\nTekst.\n:::\n")
    site.build()
    for name, stamp in (("a", "2026-11-10T09:30:00+00:00"), ("b", "2026-11-10T10:30:00+01:00")):
        assert [at for _, at in datetimes(dom.page(site.root / f"site/incidents/2026-11-10-{name}"))] == [stamp], name


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
    overview = dom.page(site.root / "site")
    title = dom.text(dom.one(overview, "head title"))
    assert title == "Status - Test Status" or title.startswith("Current status"), title
    assert dom.attr(dom.one(overview, "meta[name=description]"), "content")
    assert dom.select(overview, "nav.status-nav a")
    nav = dom.texts(overview, ".md-nav__link .md-ellipsis")
    assert "Past" in nav and "Again" not in nav, nav
