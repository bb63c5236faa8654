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

import pytest

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
