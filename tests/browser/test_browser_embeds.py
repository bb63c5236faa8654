"""The status site read from other origins, in Chromium: Atlassian's status widget and our embed.js.

The status site is served on one 127.0.0.1 port with the headers its ``_headers``
file gives (as Netlify and Cloudflare Pages serve it); the page that embeds it is
served on another port, so every read is cross-origin, as on a product's own web
app. Atlassian's widget (npm ``@statuspage/status-widget``, installed by
``scripts/install-test-tools``) fetches ``/api/v2/summary.json`` from the root of the
host it is given, so it is tested with a site at a root path; ``embed.js`` is also
tested under a sub-path.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_status.l10n import strings
from mkdocs_status.l10n.catalogs import translations

from .conftest import NewContext, require
from .sitekit import TOOLS_DIR, build_site, serve
from .test_browser_a11y import assert_accessible, axe_run

pytestmark = pytest.mark.browser

WIDGET = TOOLS_DIR / "node_modules" / "@statuspage" / "status-widget" / "dist" / "index.js"
SCHEMES = ("light", "dark")


def summary(site: Path, prefix: str = "") -> dict[str, Any]:
    return json.loads((site / prefix / "api" / "v2" / "summary.json").read_text(encoding="utf-8"))


def host_page(folder: Path, body: str, lang: str = "en") -> Path:
    """A product's own page (another origin) that shows the status site's status."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>Acme app</title></head>\n'
        f"<body><main><h1>Acme app</h1>\n{body}\n</main></body></html>\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def status_origin(example_site: Path) -> Iterator[str]:
    """The example site (at a root path) served with its ``_headers``, as Netlify would."""
    with serve(example_site, host_headers=True) as url:
        yield url


@pytest.fixture(scope="module")
def calm_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site under a sub-path with nothing going on, deployed as ``/status/`` of its host."""
    root = tmp_path_factory.mktemp("calm")
    (root / "src" / "docs").mkdir(parents=True)
    (root / "src" / "incidents").mkdir()
    config = {
        "site_name": "Calm & <Quiet> Status",
        "site_url": "https://example.github.io/status/",
        "theme": {"name": "material", "font": False},
        "plugins": [{"status": {"languages": ["en", "nb"], "timezone": "Europe/Oslo",
                                "components": [{"id": "web", "name": "Web shop", "name_nb": "Nettbutikk"}]}}],
    }
    (root / "src" / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build_site(root / "src" / "mkdocs.yml", root / "host" / "status")
    shutil.copy(root / "host" / "status" / "_headers", root / "host" / "_headers")  # the host's root reads it
    return root / "host"


def widget_page(tmp_path: Path, src: str, appearance: str = "basic") -> Path:
    require(WIDGET.is_file(), f"@statuspage/status-widget is not installed ({WIDGET})")
    folder = host_page(tmp_path / "app", f'<statuspage-widget src="{html.escape(src)}" appearance="{appearance}"></statuspage-widget>\n'
                                        # The published bundle assigns an undeclared global under "use strict" (it
                                        # throws "parcelRequire is not defined" after rendering); declaring it first
                                        # is the workaround the README gives.
                                        '<script>var parcelRequire;</script>\n<script src="status-widget.js"></script>')
    shutil.copy(WIDGET, folder / "status-widget.js")
    return folder


# -- Atlassian's widget -------------------------------------------------------------


@pytest.mark.parametrize("appearance", ["basic", "badge"])
def test_atlassians_status_widget_on_another_origin_shows_the_sites_status(
        new_context: NewContext, example_site: Path, status_origin: str, tmp_path: Path, appearance: str) -> None:
    status = summary(example_site)["status"]
    with serve(widget_page(tmp_path, f"{status_origin}/", appearance)) as app:
        assert app != status_origin
        tab = new_context().new_page()
        tab.goto(f"{app}/")
        # "basic" shows the description as its text; "badge" shows a title and the description beside it.
        shown = tab.locator("statuspage-widget .status-text" if appearance == "basic" else "statuspage-widget .status-indicator")
        shown.first.wait_for()
        texts = [" ".join(t.split()) for t in shown.all_text_contents()]  # as written, before CSS text-transform
        assert status["description"] in texts, texts
        assert f"status-indicator {status['indicator']}" in tab.locator("statuspage-widget .status-indicator").first.get_attribute("class")
        assert any(u == f"{status_origin}/api/v2/summary.json" for u in tab.context.request_log.urls)


def test_without_the_header_files_rules_the_widget_stays_blank(chromium: Any, example_site: Path, tmp_path: Path) -> None:
    """Guards the test above: served without ``_headers``, the browser refuses the cross-origin read."""
    with serve(example_site) as plain, serve(widget_page(tmp_path, f"{plain}/")) as app:
        context = chromium.new_context()
        try:
            context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
            tab = context.new_page()
            tab.goto(f"{app}/")
            tab.wait_for_timeout(1500)
            assert tab.locator("statuspage-widget .status-text").count() == 0
        finally:
            context.close()


# -- embed.js -------------------------------------------------------------------------


def embed_line(tab: Any) -> Any:
    line = tab.locator(".mkdocs-status-embed p")
    line.wait_for()
    return line


def expected_line(site: Path, lang: str) -> tuple[str, list[str], dict[str, Any]]:
    """What the line must say, from summary.json and the catalogs: (status word, names, incident)."""
    data = summary(site)
    order = ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"]
    down = sorted((c for c in data["components"] if not c["group"] and c["status"] != "operational"),
                  key=lambda c: -order.index(c["status"]))  # worst first, else in the configuration's order
    worst = down[0]["status"]
    names = [c["name"] for c in down]
    return translations(lang).gettext(strings.COMPONENT_STATUS_LABELS[worst]), names, data["incidents"][0]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(("lang", "prefix"), [("en", ""), ("nb", "nb/")])
def test_embed_on_another_origin_shows_the_status_in_the_pages_language_linked_to_the_incident(
        new_context: NewContext, example_site: Path, status_origin: str, tmp_path: Path, lang: str, prefix: str, scheme: str) -> None:
    page = host_page(tmp_path / "app", f'<p>Our status:</p>\n<script src="{status_origin}/embed.js" async></script>', lang)
    word, names, incident = expected_line(example_site, lang)
    with serve(page) as app:
        tab = new_context(color_scheme=scheme).new_page()
        tab.goto(f"{app}/")
        line = embed_line(tab)
        said = " ".join(line.inner_text().split())
        assert said.startswith(f"{word} — {', '.join(names)} ·"), said
        link = line.locator("a")
        assert link.inner_text() == incident["name"]
        assert link.get_attribute("href") == f"{status_origin}/{prefix}incidents/{incident['id']}/"
        assert tab.locator(".mkdocs-status-embed [role=status]").get_attribute("lang") == lang
        background = line.evaluate("el => getComputedStyle(el).backgroundColor")
        dark = sum(int(v) for v in background[background.index("(") + 1:-1].split(",")[:3]) < 3 * 128
        assert dark == (scheme == "dark"), background
        assert_accessible(axe_run(tab))
        urls = tab.context.request_log.urls
        assert {u.split("/")[2] for u in urls} <= {app.split("/")[2], status_origin.split("/")[2]}, "no third-party request"
        assert [u for u in urls if u.startswith(status_origin)] == [f"{status_origin}/embed.js", f"{status_origin}/api/v2/summary.json"]


def test_embed_refreshes_every_five_minutes(new_context: NewContext, status_origin: str, tmp_path: Path) -> None:
    page = host_page(tmp_path / "app", f'<script src="{status_origin}/embed.js"></script>')
    with serve(page) as app:
        tab = new_context().new_page()
        tab.goto(f"{app}/")
        embed_line(tab)
        reads = lambda: [u for u in tab.context.request_log.urls if u.endswith("/summary.json")]  # noqa: E731
        assert len(reads()) == 1
        tab.clock.run_for(299_000)
        assert len(reads()) == 1
        tab.clock.run_for(2_000)
        tab.wait_for_function("() => true")
        tab.wait_for_timeout(200)
        assert len(reads()) == 2


@pytest.mark.parametrize("scheme", SCHEMES)
def test_embed_of_a_site_under_a_sub_path_says_all_is_well_or_hides_when_asked(
        new_context: NewContext, calm_site: Path, tmp_path: Path, scheme: str) -> None:
    with serve(calm_site, host_headers=True) as origin:
        page = host_page(tmp_path / "app", f'<script src="{origin}/status/embed.js" data-style="banner"></script>\n'
                                           f'<div id="quiet"></div><script src="{origin}/status/embed.js" data-target="#quiet" data-hide-operational></script>')
        with serve(page) as app:
            tab = new_context(color_scheme=scheme).new_page()
            tab.goto(f"{app}/")
            line = tab.locator(".mkdocs-status-embed:not([hidden]) p")
            line.wait_for()
            assert " ".join(line.inner_text().split()) == f"{strings.INDICATOR_LABELS['none']} · Current status"
            assert line.locator("a").get_attribute("href") == f"{origin}/status/"
            tab.wait_for_function("document.querySelector('#quiet .mkdocs-status-embed')?.hidden === true")
            assert [u for u in tab.context.request_log.urls if u.endswith("summary.json")] == [f"{origin}/status/api/v2/summary.json"] * 2
            assert_accessible(axe_run(tab))


def test_embed_is_small_and_asks_nothing_of_other_hosts(example_site: Path) -> None:
    source = (example_site / "embed.js").read_text(encoding="utf-8")
    assert len(source.encode("utf-8")) < 10_000
    assert "http://" not in source and "https://" not in source, "every URL it reads is relative to its own"
