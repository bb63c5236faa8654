"""A new owner's site in Chromium: made by ``mkdocs-status init`` in an empty folder, built and
served from 127.0.0.1, read in both languages, and checked with axe and the Nu Html Checker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import NewContext
from .sitekit import build_site, serve
from .test_browser_a11y import assert_accessible, axe_run
from .test_browser_reader import word
from .test_html_validity import allowed, run_vnu

pytestmark = pytest.mark.browser

EPOCH = 1795294800  # 2026-11-21 21:00 UTC
INIT_FLAGS = ["--site-name", "Acme Status", "--site-url", "https://status.acme.example/", "--languages", "en,nb",
              "--timezone", "Europe/Oslo", "--component", "api=Public API", "--component", "web=Web shop"]


def init_site(folder: Path, *flags: str) -> Path:
    """``mkdocs-status init`` for real, with no terminal; returns the site's folder."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "mkdocs_status.cli", "init", str(folder), *flags],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    empty = tmp_path_factory.mktemp("owner")
    assert not any(empty.iterdir())
    root = init_site(empty / "status", *INIT_FLAGS)
    return build_site(root / "mkdocs.yml", root / "site", epoch=EPOCH)


@pytest.fixture(scope="module")
def new_url(new_site: Path) -> Iterator[str]:
    with serve(new_site) as url:
        yield url


@pytest.mark.parametrize(("prefix", "lang", "words"), [("", "en", ("Current status", "Public API", "Scheduled maintenance")),
                                                        ("nb/", "nb", ("Nåværende status", "Public API", "Planlagt vedlikehold"))])
def test_a_site_made_by_init_shows_its_overview_in_each_language(new_context: NewContext, new_url: str, prefix: str, lang: str,
                                                                 words: tuple[str, ...]):
    tab = new_context().new_page()
    response = tab.goto(f"{new_url}/{prefix}")
    assert response is not None and response.ok
    assert tab.evaluate("document.documentElement.lang") == lang
    text = tab.locator("article").inner_text()
    for expected in words:
        assert expected in text, (expected, text[:500])
    assert "Acme Status" in tab.title()
    # The first maintenance is linked and its page opens.
    tab.locator(".status-incident__title a").first.click()
    assert "/incidents/" in tab.url
    assert tab.locator("h1").inner_text() in ("Planned maintenance of the status page", "Planlagt vedlikehold av statussiden")


def test_a_site_made_by_init_has_no_serious_accessibility_violations(new_context: NewContext, new_url: str):
    tab = new_context().new_page()
    for path in ("", "nb/", "history/", "components/api/", "about/"):
        tab.goto(f"{new_url}/{path}")
        assert_accessible(axe_run(tab))


def test_a_site_made_by_init_is_valid_html(new_site: Path):
    messages = run_vnu(sorted(new_site.rglob("*.html")))
    problems = [f"{m.get('url')}: {m.get('message')}" for m in messages
                if m.get("type") in ("error", "non-document-error") and not allowed(m)]
    assert problems == []


DRAFT = """---
title: Checkout is slow
title_nb: Betaling går tregt
impact: minor
components: [web]
draft: true
---

## Investigating · 2026-11-21 20:30

Some payments take a minute.

::: nb
Noen betalinger tar et minutt.
:::
"""


def free_port() -> int:
    """A port the system has just handed out for 127.0.0.1 (bound to port 0, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mkdocs_serve(root: Path) -> Iterator[str]:
    """``mkdocs serve`` for real, in the site's folder; yields its URL once it answers."""
    port = free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--no-livereload"],
                            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"mkdocs serve did not start: {proc.stderr.read() if proc.stderr else ''}") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_mkdocs_serve_previews_a_draft_marked_draft_and_keeps_it_out_of_feeds_and_api(new_context: NewContext, tmp_path: Path):
    root = init_site(tmp_path / "status", *INIT_FLAGS)
    (root / "incidents" / "2026-11-21-checkout-slow.md").write_text(DRAFT, encoding="utf-8")
    with mkdocs_serve(root) as url:
        tab = new_context().new_page()
        for prefix, title, mark in (("", "Checkout is slow", "Draft"), ("nb/", "Betaling går tregt", word("nb", "Draft"))):
            tab.goto(f"{url}/{prefix}")
            row = tab.locator(".status-incident", has_text=title).first
            assert row.locator(".status-badge--draft").inner_text().strip() == mark
            assert row.locator(".status-badge--draft").is_visible()
            row.locator("a", has_text=title).click()
            assert tab.locator("h1").inner_text() == title
            assert tab.locator("article .status-badge--draft").inner_text().strip() == mark
            assert_accessible(axe_run(tab))
        for feed in ("updates.atom", "history.rss", "api/v2/incidents.json", "api/v2/summary.json"):
            with urllib.request.urlopen(f"{url}/{feed}", timeout=10) as response:
                assert b"checkout-slow" not in response.read(), feed


# -- an owner's site with everything this module reads: hidden components, groups, incidents on
#    the first and the last day of the 90-day bar, and one in an earlier year --------------------

OWNER_COMPONENTS = [
    {"id": "api", "name": "Public API", "name_nb": "Offentlig API"},
    {"group": "Shop", "id": "shop", "name_nb": "Butikk", "components": [
        {"id": "web", "name": "Web shop", "name_nb": "Nettbutikk"},
        {"id": "checkout", "name": "Checkout", "name_nb": "Betaling"},
        {"id": "fax", "name": "Fax orders", "name_nb": "Faksordre", "only_show_if_degraded": True},
    ]},
    {"group": "Legacy", "id": "legacy", "name_nb": "Eldre", "components": [
        {"id": "telex", "name": "Telex", "only_show_if_degraded": True},
    ]},
]


def incident(title: str, title_nb: str, components: str, updates: list[tuple[str, str]], impact: str = "minor") -> str:
    body = "".join(f"\n## {word} · {at}\n\n{word} on {title}.\n\n::: nb\n{word} for {title_nb}.\n:::\n" for word, at in updates)
    return f"---\ntitle: {title}\ntitle_nb: {title_nb}\nimpact: {impact}\ncomponents: {components}\n---\n{body}"


OWNER_FILES = {
    # The first day of the bar (89 days before 2026-11-21) and the last (today).
    "2026/2026-08-24-api-errors.md": incident("API errors", "API-feil", "[api]", [("Investigating", "2026-08-24 09:00"), ("Resolved", "2026-08-24 10:00")]),
    "2026/2026-11-21-api-slow.md": incident("API slow", "API tregt", "[api]", [("Investigating", "2026-11-21 18:00"), ("Resolved", "2026-11-21 19:00")]),
    "2026/2026-11-21-checkout-down.md": incident("Checkout down", "Betaling nede", "{checkout: major_outage}",
                                                 [("Identified", "2026-11-21 20:00")], impact="critical"),
    "2026/2026-11-20-new-api-keys.md": ("---\ntitle: New API keys from 1 December\ntitle_nb: Nye API-nøkler fra 1. desember\n"
                                        "type: notice\nstarts_at: \"2026-11-20 08:00\"\ncomponents: [api]\n---\n\n"
                                        "Old keys stop working on **15 December**.\n\n::: nb\nGamle nøkler slutter å virke **15. desember**.\n:::\n"),
    "2025/2025-03-02-web-shop-slow.md": incident("Web shop slow", "Nettbutikken treg", "[web]",
                                                 [("Investigating", "2025-03-02 12:00"), ("Resolved", "2025-03-02 13:00")]),
}


@pytest.fixture(scope="module")
def owner_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_site(tmp_path_factory.mktemp("owner-site") / "status", *INIT_FLAGS)
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    next(p for p in config["plugins"] if isinstance(p, dict))["status"]["components"] = OWNER_COMPONENTS
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path in (root / "incidents").glob("2*.md"):
        path.unlink()  # init's example maintenance names a component this site does not have
    for name, text in OWNER_FILES.items():
        (root / "incidents" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "incidents" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def owner_site(owner_root: Path) -> Path:
    return build_site(owner_root / "mkdocs.yml", owner_root / "site", epoch=EPOCH)


@pytest.fixture(scope="module")
def owner_url(owner_site: Path) -> Iterator[str]:
    with serve(owner_site) as url:
        yield url


def tip_box(tab: Any, day: Any) -> tuple[float, float, float]:
    """(left, right, viewport width) of a day's tooltip as the browser lays it out."""
    return day.evaluate("d => { const r = d.querySelector('.status-day__tip').getBoundingClientRect();"
                        " return [r.left, r.right, document.documentElement.clientWidth]; }")


@pytest.mark.parametrize("width", [320, 375, 768, 1440])
def test_bar_tooltips_of_the_first_and_last_day_stay_inside_the_viewport(new_context: NewContext, owner_url: str, width: int):
    tab = new_context(viewport={"width": width, "height": 800}).new_page()
    tab.goto(f"{owner_url}/")
    bar = tab.locator(".status-component", has_text="Public API").locator("li.status-day")
    assert bar.count() == 90
    for index in (0, 89):
        day = bar.nth(index)
        assert day.get_attribute("tabindex") == "0"  # both days have an incident: reachable by keyboard
        if width == 375:
            day.focus()
        else:
            day.hover()
        tip = day.locator(".status-day__tip")
        assert tip.is_visible()
        left, right, viewport = tip_box(tab, day)
        assert 0 <= left and right <= viewport, (index, left, right, viewport)
        text = tip.inner_text()
        assert ("API errors" if index == 0 else "API slow") in text
        tab.mouse.move(0, 0)
        tab.locator("h1").click()


@pytest.mark.parametrize("path", ["", "nb/history/", "components/api/", "incidents/2026-11-21-api-slow/"])
def test_the_first_tab_on_a_generated_page_offers_a_skip_link_to_its_heading(new_context: NewContext, owner_url: str, path: str):
    tab = new_context().new_page()
    tab.goto(f"{owner_url}/{path}")
    tab.keyboard.press("Tab")
    link = tab.locator("a.md-skip")
    assert tab.evaluate("document.activeElement.classList.contains('md-skip')")
    assert link.is_visible()
    link.press("Enter")
    assert tab.url.endswith("#status-main")
    assert tab.locator("#status-main").evaluate("e => e.tagName") == "H1"


@pytest.mark.parametrize(("prefix", "shown", "hidden"), [("", ["Public API", "Shop", "Web shop", "Checkout"], ["Fax orders", "Legacy", "Telex"]),
                                                         ("nb/", ["Offentlig API", "Butikk", "Nettbutikk", "Betaling"], ["Faksordre", "Eldre", "Telex"])])
def test_components_shown_only_when_degraded_are_not_on_the_overview_while_operational(new_context: NewContext, owner_url: str, prefix: str,
                                                                                       shown: list[str], hidden: list[str]):
    tab = new_context().new_page()
    tab.goto(f"{owner_url}/{prefix}")
    names = [n.strip() for n in tab.locator(".status-components").locator(".status-component__name, .status-group__name").all_inner_texts()]
    assert names == shown
    page_text = tab.locator("article").inner_text()
    for name in hidden:
        assert name not in page_text
    # Their own pages are still there.
    assert tab.goto(f"{owner_url}/{prefix}components/fax/").ok


def visible_titles(tab: Any) -> list[str]:
    return [t.strip() for t in tab.locator(".status-history li.status-incident:visible .status-incident__title").all_inner_texts()]


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("nb/", "nb")])
def test_the_history_narrows_to_one_component_in_place_with_javascript(new_context: NewContext, owner_url: str, prefix: str, lang: str):
    tab = new_context().new_page()
    tab.goto(f"{owner_url}/{prefix}history/")
    everything = visible_titles(tab)
    assert len(everything) == 5
    checkout = "Shop (Checkout)" if lang == "en" else "Butikk (Betaling)"  # as every page names a grouped component
    tab.locator(".status-filter a", has_text=checkout).click()
    assert tab.url.endswith("history/#component=checkout")  # stayed on the page
    assert visible_titles(tab) == ["Checkout down" if lang == "en" else "Betaling nede"]
    assert tab.locator(".status-filter a[aria-current]").inner_text() == checkout
    assert tab.locator(".status-month:visible").count() == 1
    tab.locator(".status-filter a[data-status-filter='']").click()
    assert visible_titles(tab) == everything
    # The filtered address can be shared.
    tab.goto(f"{owner_url}/{prefix}history/#component=web")
    tab.reload()
    assert visible_titles(tab) == ["Web shop slow" if lang == "en" else "Nettbutikken treg"]


def test_without_javascript_the_filter_leads_to_the_components_incidents(new_context: NewContext, owner_url: str):
    tab = new_context(java_script_enabled=False).new_page()
    tab.goto(f"{owner_url}/history/")
    tab.locator(".status-filter a", has_text="Checkout").click()
    assert tab.url.endswith("/components/checkout/")
    assert [t.strip() for t in tab.locator(".status-list .status-incident__title").all_inner_texts()] == ["Checkout down"]


@pytest.mark.parametrize(("prefix", "year", "titles"), [("", "2025", ["Web shop slow"]),
                                                        ("nb/", "2026", ["API tregt", "Betaling nede", "Nye API-nøkler fra 1. desember", "API-feil"])])
def test_each_year_of_the_history_has_its_page(new_context: NewContext, owner_url: str, prefix: str, year: str, titles: list[str]):
    tab = new_context().new_page()
    tab.goto(f"{owner_url}/{prefix}history/")
    tab.locator(".status-years a", has_text=year).click()
    assert tab.url.endswith(f"/{prefix}history/{year}/")
    assert year in tab.locator("h1").inner_text()
    assert sorted(visible_titles(tab)) == sorted(titles)
    assert tab.locator(".status-years a[aria-current='page']").inner_text() == year
    assert_accessible(axe_run(tab))


@pytest.mark.parametrize(("prefix", "title", "text"), [("", "New API keys from 1 December", "Old keys stop working on 15 December."),
                                                        ("nb/", "Nye API-nøkler fra 1. desember", "Gamle nøkler slutter å virke 15. desember.")])
def test_a_notice_is_pinned_at_the_top_of_the_overview_and_of_its_components_page(new_context: NewContext, owner_url: str, prefix: str,
                                                                                   title: str, text: str):
    tab = new_context(viewport={"width": 375, "height": 812}).new_page()
    tab.goto(f"{owner_url}/{prefix}")
    notice = tab.locator("section.status-pinned")
    assert notice.count() == 1 and notice.is_visible()
    assert notice.locator("h2").inner_text().strip() == title
    assert notice.locator(".status-update__body").inner_text().strip() == text
    # Above the status banner: the first thing after the page's heading.
    assert notice.bounding_box()["y"] < tab.locator(".status-banner").bounding_box()["y"]
    active = tab.locator("#active-incidents + ul").inner_text()
    assert title not in active and ("Checkout down" in active or "Betaling nede" in active)
    assert_accessible(axe_run(tab))
    tab.goto(f"{owner_url}/{prefix}components/api/")
    assert tab.locator("section.status-pinned h2").inner_text().strip() == title
    tab.goto(f"{owner_url}/{prefix}components/checkout/")
    assert tab.locator("section.status-pinned").count() == 0
    tab.goto(f"{owner_url}/{prefix}")
    tab.locator("section.status-pinned h2 a").click()
    assert tab.locator("h1").inner_text() == title
    assert_accessible(axe_run(tab))


def test_every_page_of_the_owner_site_is_valid_html(owner_site: Path):
    pages = sorted(owner_site.rglob("*.html"))
    rel = {p.relative_to(owner_site).as_posix() for p in pages}
    for must in ("history/2025/index.html", "nb/history/2026/index.html", "incidents/2026-11-20-new-api-keys/index.html",
                 "components/fax/index.html", "components/shop/index.html", "nb/components/legacy/index.html"):
        assert must in rel, must
    messages = run_vnu(pages + [owner_site / "assets" / "mkdocs-status" / "status.css"])
    problems = [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages
                if m.get("type") in ("error", "non-document-error") and not allowed(m)]
    assert problems == []


@pytest.mark.parametrize(("prefix", "group", "members", "status"), [
    ("", "Shop", ["Web shop", "Checkout", "Fax orders"], "Major outage"),
    ("nb/", "Butikk", ["Nettbutikk", "Betaling", "Faksordre"], None),
])
def test_a_group_page_shows_its_worst_members_status_bar_members_and_incidents(new_context: NewContext, owner_url: str, prefix: str,
                                                                                group: str, members: list[str], status: str | None):
    tab = new_context().new_page()
    tab.goto(f"{owner_url}/{prefix}")
    tab.locator(".status-group__page a", has_text=group).click()
    assert tab.url.endswith(f"/{prefix}components/shop/")
    assert tab.locator("h1").inner_text() == group
    badge = tab.locator("article > p .status-badge").first
    assert "status-badge--major_outage" in (badge.get_attribute("class") or "")  # checkout is down: the worst member
    if status:
        assert badge.inner_text().strip() == status
    bars = tab.locator("ol.status-bars")
    assert bars.count() == 1 + len(members)  # the group's own bar, then each member's
    today = bars.first.locator("li.status-day").nth(89)
    assert "status-day--major_outage" in (today.get_attribute("class") or "")
    today.focus()
    assert today.locator(".status-day__tip").bounding_box()["width"] > 50  # opened, not the 1 px hidden box
    assert ("Checkout down" if not prefix else "Betaling nede") in today.locator(".status-day__tip").inner_text()
    names = [n.strip() for n in tab.locator(".status-components .status-component__name").all_inner_texts()]
    assert names == members  # on its own page every member is listed, hidden ones too
    titles = [t.strip() for t in tab.locator("#incidents + ul .status-incident__title").all_inner_texts()]
    assert titles == (["Checkout down", "Web shop slow"] if not prefix else ["Betaling nede", "Nettbutikken treg"])
    feeds = tab.locator("details.status-subscribe a").evaluate_all("links => links.map(a => a.href)")
    assert f"{owner_url}/{prefix}components/shop/history.atom" in feeds
    assert_accessible(axe_run(tab))
    with urllib.request.urlopen(f"{owner_url}/components/shop/badge.svg", timeout=10) as response:
        assert b"Shop: Major outage" in response.read()
