"""Fixtures for the browser tests: one example build, one server and one Chromium per session.

Every browser context made here routes all requests: anything for a host other
than 127.0.0.1 is aborted and recorded, and the test fails at teardown if there
was any (the site must be self-contained) or if a page threw a JavaScript error. The browser's clock is pinned to the
build's SOURCE_DATE_EPOCH so ``status.js`` sees the same "now" as the build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .sitekit import EXAMPLE_EPOCH, LAUNCH_ARGS, build_example, chromium_path, in_ci, serve

LOCAL_HOSTS = {"127.0.0.1"}


def require(available: object, reason: str) -> None:
    """Skip locally, fail in CI (CI=true), when a tool the test needs is missing."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: run scripts/install-test-tools)", pytrace=False)
    pytest.skip(f"{reason}; run scripts/install-test-tools")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per session with "now" pinned."""
    return build_example(tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def base_url(example_site: Path) -> Iterator[str]:
    """The example site served from 127.0.0.1 on an ephemeral port."""
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright, shared by every test of the session."""
    executable = chromium_path()
    require(executable, "Chromium is not installed (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        require(False, "the Python package 'playwright' is not installed (pip install -e '.[test]')")
        raise
    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        manager.stop()


class RequestLog:
    """Every request of a browser context; requests for other hosts are aborted."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.outside: list[str] = []
        self.failed: list[tuple[int, str]] = []
        self.errors: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        self.urls.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def response(self, response: Any) -> None:
        if response.status >= 400:
            self.failed.append((response.status, response.url))


NewContext = Callable[..., Any]


@pytest.fixture
def new_context(chromium: Any) -> Iterator[NewContext]:
    """Makes browser contexts (Oslo time, pinned clock, request guard); closes and checks them."""
    made: list[tuple[Any, RequestLog]] = []

    def make(*, clock: dt.datetime | None = None, **options: Any) -> Any:
        options.setdefault("timezone_id", "Europe/Oslo")
        options.setdefault("locale", "en-US")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        log = RequestLog()
        context.route("**/*", log.route)
        context.on("response", log.response)
        context.on("page", lambda page: page.on("pageerror", lambda error: log.errors.append(f"{page.url}: {error}")))
        context.clock.install(time=clock or dt.datetime.fromtimestamp(EXAMPLE_EPOCH, dt.timezone.utc))
        context.request_log = log
        made.append((context, log))
        return context

    yield make
    outside, errors = [], []
    for context, log in made:
        context.close()
        outside += log.outside
        errors += log.errors
    assert outside == [], f"requests left 127.0.0.1: {sorted(set(outside))}"
    assert errors == [], f"uncaught JavaScript errors: {errors}"


@pytest.fixture
def tab(new_context: NewContext) -> Any:
    """A page in a fresh default context (desktop size, light scheme, JavaScript on)."""
    return new_context().new_page()
