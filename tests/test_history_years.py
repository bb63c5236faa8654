"""History you can narrow: a page per year in every language, and links to each component's incidents."""

from __future__ import annotations

import pytest

import dom

NOW = 1795294800  # 2026-11-21 21:00 UTC


def incident(title: str, component: str, at: str, resolved: str = "") -> str:
    return f"""---
title: {title}
title_nb: {title} (nb)
impact: minor
components: [{component}]
---

## Investigating · {at}

Looking.

::: nb
Ser på det.
:::

## Resolved · {resolved or at[:11] + "23:59"}

Fixed.

::: nb
Fikset.
:::
"""


def titles(page: dom.Element) -> list[str]:
    """The titles of the incidents a page lists, in its order."""
    return dom.texts(page, ".status-incident__title a")


@pytest.fixture(scope="module")
def years(module_site):
    """A site with incidents in 2024, 2025 and 2026, built once (strict) for the tests that read it."""
    site = module_site()
    site.add("2024/2024-12-31-late.md", incident("Late in 2024", "voice", "2024-12-31 23:30"))
    site.add("2025/2025-01-01-new-year.md", incident("New year", "voice", "2025-01-01 00:30"))
    site.add("2026/2026-11-20-recent.md", incident("Recent", "interact", "2026-11-20 10:00"))
    return site.build(strict=True, epoch=NOW)


def test_each_year_has_its_own_history_page_in_every_language_linked_from_the_history(years):
    out = years
    history = dom.page(out / "history")
    assert titles(history) == ["Recent", "New year", "Late in 2024"]
    assert dom.attrs(history, "nav.status-years a", "href") == ["./", "2026/", "2025/", "2024/"]
    for year, expected in (("2026", ["Recent"]), ("2025", ["New year"]), ("2024", ["Late in 2024"])):
        page = dom.page(out / "history" / year)
        assert titles(page) == expected, year
        assert dom.text(dom.one(page, "h1#status-main")) == f"Incident history {year}"
        current = dom.one(page, "nav.status-years a[aria-current=page]")
        assert (dom.attr(current, "href"), dom.text(current)) == ("./", year)
        nb = dom.page(out / "nb" / "history" / year)
        assert titles(nb) == [f"{t} (nb)" for t in expected]
        assert dom.attr(dom.one(nb, "html"), "lang") == "nb"
        assert dom.attrs(nb, "head link[rel=alternate][hreflang=en]", "href") == [f"../../../history/{year}/"]


def test_a_late_evening_incident_counts_in_the_sites_own_year(make_site):
    site = make_site()
    # 23:30 UTC on 31 December is 00:30 on 1 January in Oslo, the site's time zone.
    site.add("2025-12-31-utc.md", incident("Just after midnight in Oslo", "voice", "2025-12-31 23:30 UTC", "2026-01-01 02:00"))
    out = site.build(strict=True, epoch=NOW)
    assert (out / "history" / "2026" / "index.html").is_file()
    assert not (out / "history" / "2025").exists()


def test_the_history_filter_links_to_every_components_page_without_javascript(years):
    out = years
    history = dom.page(out / "history")
    links = {dom.attr(a, "href"): dom.attr(a, "data-status-filter") for a in dom.select(history, "nav.status-filter a")}
    assert links == {"./": "", "../components/interact/": "interact", "../components/messaging/": "messaging", "../components/voice/": "voice"}
    assert titles(dom.page(out / "components" / "interact")) == ["Recent"]
    [recent] = [item for item in dom.select(history, "li.status-incident") if titles(item) == ["Recent"]]
    assert dom.attr(recent, "data-status-components") == "interact"
