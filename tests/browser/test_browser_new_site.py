"""A new owner's site in Chromium: made by ``mkdocs-status init`` in an empty folder, built and
served from 127.0.0.1, read in both languages, and checked with axe and the Nu Html Checker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import NewContext
from .sitekit import build_site, serve
from .test_browser_a11y import assert_accessible, axe_run
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
    for word in words:
        assert word in text, (word, text[:500])
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
