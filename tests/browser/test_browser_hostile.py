"""The hostile site of tests/test_safe_output.py, opened in Chromium: nothing runs, nothing loads.

Every payload would call alert() or fetch from evil.example; the page listens for
dialogs, and the request guard of ``new_context`` fails the test on any request that
leaves 127.0.0.1. Material's search renders its index as HTML, so a search that
finds the payloads is part of the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import NewContext
from .sitekit import HOSTILE_TITLE, HOSTILE_TITLE_NB, build_site, serve, write_hostile_site
from .test_browser_reader import search, text

pytestmark = pytest.mark.browser

PAGES = ["", "nb/", "history/", "incidents/2026-11-21-hostile-incident/", "nb/incidents/2026-11-21-hostile-incident/",
         "incidents/2026-11-26-hostile-maintenance/", "components/voice/", "nb/components/interact/"]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-browser")
    site = build_site(write_hostile_site(root), root / "site")
    with serve(site) as url:
        yield url


def test_no_payload_runs_or_loads_anything(new_context: NewContext, hostile_url: str):
    tab: Any = new_context().new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in PAGES:
        response = tab.goto(f"{hostile_url}/{path}")
        assert response is not None and response.ok, path
        # Fire the events the payloads' handlers wait for, on every element of the content.
        tab.evaluate("""() => { for (const el of document.querySelectorAll('article *')) {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error'])
                el.dispatchEvent(new Event(type, {bubbles: false}));
        } }""")
        tab.wait_for_load_state("networkidle")
    tab.goto(f"{hostile_url}/")
    results = search(tab, "maintenance")
    assert results.count() > 0
    tab.wait_for_timeout(300)
    assert dialogs == []


@pytest.mark.parametrize(("path", "title"), [("incidents/2026-11-21-hostile-incident/", HOSTILE_TITLE),
                                             ("nb/incidents/2026-11-21-hostile-incident/", HOSTILE_TITLE_NB)])
def test_titles_read_as_the_text_that_was_written(tab: Any, hostile_url: str, path: str, title: str):
    tab.goto(f"{hostile_url}/{path}")
    assert text(tab.locator("main h1")) == " ".join(title.split())
    assert tab.title() == f"{title} - Hostile Status"
    assert tab.locator("main h1 *").count() == 0  # no element made from the title
