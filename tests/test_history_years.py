"""History you can narrow: a page per year in every language, and links to each component's incidents."""

from __future__ import annotations

import re

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


def titles(html: str) -> list[str]:
    return re.findall(r'class="status-incident__title"><a href="[^"]+"><span[^>]*>([^<]+)</span>', html)


def test_each_year_has_its_own_history_page_in_every_language_linked_from_the_history(make_site):
    site = make_site()
    site.add("2024/2024-12-31-late.md", incident("Late in 2024", "voice", "2024-12-31 23:30"))
    site.add("2025/2025-01-01-new-year.md", incident("New year", "voice", "2025-01-01 00:30"))
    site.add("2026/2026-11-20-recent.md", incident("Recent", "interact", "2026-11-20 10:00"))
    out = site.build(strict=True, epoch=NOW)
    history = (out / "history" / "index.html").read_text(encoding="utf-8")
    assert titles(history) == ["Recent", "New year", "Late in 2024"]
    years = re.findall(r'<nav class="status-years"[^>]*>(.*?)</nav>', history, re.S)[0]
    assert re.findall(r'href="([^"]+)"', years) == ["./", "2026/", "2025/", "2024/"]
    for year, expected in (("2026", ["Recent"]), ("2025", ["New year"]), ("2024", ["Late in 2024"])):
        page = (out / "history" / year / "index.html").read_text(encoding="utf-8")
        assert titles(page) == expected, year
        assert f"<h1 id=\"status-main\">Incident history {year}</h1>" in page
        assert f'href="./" aria-current="page">{year}</a>' in page
        nb = (out / "nb" / "history" / year / "index.html").read_text(encoding="utf-8")
        assert titles(nb) == [f"{t} (nb)" for t in expected]
        assert '<html lang="nb"' in nb and 'hreflang="en"' in nb


def test_a_late_evening_incident_counts_in_the_sites_own_year(make_site):
    site = make_site()
    # 23:30 UTC on 31 December is 00:30 on 1 January in Oslo, the site's time zone.
    site.add("2025-12-31-utc.md", incident("Just after midnight in Oslo", "voice", "2025-12-31 23:30 UTC", "2026-01-01 02:00"))
    out = site.build(strict=True, epoch=NOW)
    assert (out / "history" / "2026" / "index.html").is_file()
    assert not (out / "history" / "2025").exists()


def test_the_history_filter_links_to_every_components_page_without_javascript(make_site):
    site = make_site()
    site.add("2026-11-20-recent.md", incident("Recent", "interact", "2026-11-20 10:00"))
    out = site.build(strict=True, epoch=NOW)
    history = (out / "history" / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'<nav class="status-filter"[^>]*>(.*?)</nav>', history, re.S)[0]
    links = dict(re.findall(r'href="([^"]+)" data-status-filter="([a-z-]*)"', nav))
    assert links == {"./": "", "../components/interact/": "interact", "../components/messaging/": "messaging", "../components/voice/": "voice"}
    component = (out / "components" / "interact" / "index.html").read_text(encoding="utf-8")
    assert titles(component) == ["Recent"]
    assert 'data-status-components="interact"' in history
