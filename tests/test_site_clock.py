"""A site built as of a fixed instant (the `now:` option): for demos and documentation sites."""

from __future__ import annotations

import datetime as dt

import pytest
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

import dom

ACTIVE = """
---
title: Calls delayed
title_nb: Samtaler forsinket
impact: major
components: [voice]
---

## Investigating · 2026-11-21 21:30

Calls are delayed.

::: nb
Samtaler er forsinket.
:::
"""

LATER = 1795294800 + 3 * 365 * 24 * 3600  # three years after the incident


def test_a_pinned_now_shows_the_site_as_of_that_instant_on_any_date(make_site):
    site = make_site(now="2026-11-21 22:00")  # Europe/Oslo: 21:00 UTC
    site.add("2026-11-21-calls.md", ACTIVE)
    site.build(strict=True, epoch=LATER)  # without the pin: "unresolved for 3 years" would fail --strict
    page = dom.page(site.root / "site")
    assert dom.select(page, "#active-incidents")
    clock = dom.attrs(page, "head meta[name=mkdocs-status-clock]", "content")
    assert clock == ["2026-11-21T22:00:00+01:00"], "the page script keeps to it too"


def test_without_a_pin_the_site_is_built_as_of_the_build_time(make_site):
    site = make_site()
    site.add("2026-11-21-calls.md", ACTIVE)
    with pytest.raises(Abort):
        site.build(strict=True, epoch=LATER)  # the stale-incident warning fails --strict
    site.build(epoch=LATER)
    assert "mkdocs-status-clock" not in site.read("index.html")


@pytest.mark.parametrize("value", ["yesterday", "2026-11-31 10:00", "2026-11-21 22:00 CEST"])
def test_an_unreadable_pin_is_a_clear_configuration_error(make_site, value, caplog):
    site = make_site(now=value)
    with pytest.raises((ConfigurationError, PluginError, Abort)):
        site.build()
    assert "Plugin 'status' option 'now': " in caplog.text and "write it as YYYY-MM-DD HH:MM" in caplog.text, caplog.text


def test_a_yaml_timestamp_pin_is_read_in_the_sites_zone():
    from mkdocs_status.config import _clock

    oslo = dt.timezone(dt.timedelta(hours=1))
    assert _clock(dt.datetime(2026, 11, 21, 22, 0), oslo) == dt.datetime(2026, 11, 21, 21, 0, tzinfo=dt.timezone.utc)
    assert _clock("2026-11-21 21:00 UTC", oslo) == dt.datetime(2026, 11, 21, 21, 0, tzinfo=dt.timezone.utc)
