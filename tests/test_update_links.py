"""Relative links in update text reach their target from every page that shows the update.

PRODUCT §7: a writer's relative link is read as from the incident page (``/incidents/<id>/``,
per language); the overview, history, component pages, the other language and a sub-path site
show the same update with the link rewritten for their own URL.
"""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import BASE_CONFIG, Site

# Still open at the build's "now" (2026-11-21 21:00 UTC): the overview shows its latest update.
ONGOING = """
---
title: Calls drop
title_nb: Samtaler brytes
impact: major
components: [voice]
---

## Investigating · 2026-11-21 18:00

See [the history](../../history/), [the earlier incident](../2026-11-09-login/),
[this update](#top) and the graph: ![graph](../../assets/graph.png)

::: nb
Se [historikken](../../history/) og [forrige hendelse](../2026-11-09-login/).
:::
"""

EARLIER = """
---
title: Login fails
title_nb: Innlogging feiler
impact: minor
components: [interact]
---

## Investigating · 2026-11-09 10:00

Back to [the overview](../../) and [Calls drop](../2026-11-21-calls/).

::: nb
Tilbake til [oversikten](../../).
:::

## Resolved · 2026-11-09 11:00

Fixed, see [history](../../history/).

::: nb
Løst.
:::
"""

WRITTEN = ("history/", "2026-11-09-login/", "../../assets/graph.png", "../../", "2026-11-21-calls/")


SITE_URLS: dict[Path, str] = {}  # each built site's site_url


class _All(HTMLParser):
    """Every href and src of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]


class _Links(HTMLParser):
    """Every href and src inside an update's text (``.status-update__body``)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self.depth:
            self.depth += tag not in ("img", "br", "hr", "input")
            self.found += [v for k, v in attrs if k in ("href", "src") and v]
        elif tag == "div" and "status-update__body" in (a.get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def _build(tmp: Path, site_url: str) -> Path:
    site = Site(tmp / "src", copy.deepcopy(BASE_CONFIG))
    site.config["site_url"] = site_url
    site.write_config()
    (site.root / "docs" / "assets").mkdir(parents=True)
    (site.root / "docs" / "assets" / "graph.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site.add("2026-11-21-calls.md", ONGOING)
    site.add("2026-11-09-login.md", EARLIER)
    return site.build()


@pytest.fixture(scope="module", params=["https://status.example.com/", "https://example.com/team/status/"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = _build(tmp_path_factory.mktemp("links"), request.param)
    SITE_URLS[site] = request.param
    return site


def _target(site: Path, page: Path, href: str) -> Path:
    path = unquote(urlsplit(href).path)
    target = (page.parent / path).resolve() if path else page
    return target / "index.html" if target.is_dir() else target


def _update_links(site: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            out[page.relative_to(site).as_posix()] = parser.found
    return out


def test_relative_links_in_updates_reach_their_files_from_every_page(built: Path):
    links = _update_links(built)
    pages = set(links)
    # Every page is read; these show update text (history and component pages list titles only).
    for expected in ("index.html", "incidents/2026-11-21-calls/index.html", "incidents/2026-11-09-login/index.html",
                     "nb/index.html", "nb/incidents/2026-11-21-calls/index.html"):
        assert expected in pages, (expected, sorted(pages))
    root = built.resolve()
    for rel, hrefs in links.items():
        page = built / rel
        for href in hrefs:
            if urlsplit(href).scheme:
                continue
            target = _target(built, page, href)
            assert target.exists() and root in target.parents, (rel, href)


def test_links_stay_as_written_on_the_incident_page_and_are_rewritten_elsewhere(built: Path):
    links = _update_links(built)
    on_incident = links["incidents/2026-11-21-calls/index.html"]
    assert "../../history/" in on_incident and "../../assets/graph.png" in on_incident and "#top" in on_incident
    assert "history/" in links["index.html"] and "assets/graph.png" in links["index.html"]
    # The Norwegian overview's history link is the Norwegian history page.
    nb_history = _target(built, built / "nb" / "index.html", "history/")
    assert "history/" in links["nb/index.html"] and nb_history == (built / "nb" / "history" / "index.html").resolve()


def test_a_fragment_link_elsewhere_points_at_the_incident_page():
    from mkdocs_status.markdown import relink

    html = '<a href="#top">t</a><a href="https://x.example/">x</a><a href="/abs/">a</a>'
    assert relink(html, "incidents/a/", "components/voice/") == \
        '<a href="../../incidents/a/#top">t</a><a href="https://x.example/">x</a><a href="/abs/">a</a>'
    assert relink(html, "incidents/a/", "incidents/a/") == html


def test_feeds_make_the_links_absolute_from_the_incident_page(built: Path):
    import feedparser

    site_url = SITE_URLS[built]
    for feed, prefix in (("history.atom", ""), ("nb/history.atom", "nb/")):
        parsed = feedparser.parse((built / feed).read_text(encoding="utf-8"))
        entry = next(e for e in parsed.entries if "2026-11-21-calls" in e.link)
        parser = _All()
        parser.feed(entry.content[0].value)
        hrefs = parser.found
        assert f"{site_url}{prefix}history/" in hrefs, hrefs
        assert f"{site_url}{prefix}incidents/2026-11-09-login/" in hrefs, hrefs
