"""The example as shipped is a snapshot (its `now:` option): read years later in a browser, it
still reads as of its instant, as every page, feed and JSON file of the build does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_status.l10n import strings

from .conftest import NewContext
from .sitekit import EXAMPLE_EPOCH, REPO, build_site, serve
from .test_browser_reader import open_page, text, word

pytestmark = pytest.mark.browser

UPCOMING_BADGE = "main #upcoming-maintenance + ul li[data-status-start] .status-incident__meta .status-badge"
AGO = "main #active-incidents + .status-list .status-ago"


@pytest.fixture(scope="module")
def snapshot_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("snapshot") / "site", epoch=EXAMPLE_EPOCH + 3 * 365 * 86400)
    with serve(Path(site)) as url:
        yield url


def test_a_snapshot_read_years_later_keeps_to_its_instant(new_context: NewContext, snapshot_url: str):
    at_build = new_context().new_page()
    open_page(at_build, snapshot_url, "en", "")
    years_later = new_context(clock=dt.datetime.fromtimestamp(EXAMPLE_EPOCH, dt.timezone.utc) + dt.timedelta(days=800)).new_page()
    open_page(years_later, snapshot_url, "en", "")
    page: Any
    for page in (at_build, years_later):
        assert text(page.locator(UPCOMING_BADGE)) == word("en", strings.STATUS_LABELS["scheduled"]), "no flip past the snapshot"
    assert text(years_later.locator(AGO)) == text(at_build.locator(AGO)), "'(16 minutes ago)' as of the snapshot"
    assert "year" not in text(years_later.locator(AGO))
