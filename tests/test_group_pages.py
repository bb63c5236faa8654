"""Group pages (/components/<group>/): the worst member's status at each instant, for the bar,
the uptime and the badge; the members, their incidents and a feed."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import feedparser
import pytest

import dom

NOW = 1795294800  # 2026-11-21 21:00 UTC, 22:00 in Oslo
OSLO = ZoneInfo("Europe/Oslo")


def incident(name: str, components: str, updates: list[tuple[str, str]], impact: str = "major") -> tuple[str, str]:
    body = "".join(f"\n## {word} · {at}\n\nText.\n\n::: nb\nTekst.\n:::\n" for word, at in updates)
    return name, f"---\ntitle: {name}\ntitle_nb: {name} nb\nimpact: {impact}\ncomponents: {components}\n---\n{body}"


FILES = [
    # Voice fully down 10:00-11:00, messaging partly down 10:30-12:00 (Oslo time) on 20 November.
    incident("Voice down", "{voice: major_outage}", [("Investigating", "2026-11-20 10:00"), ("Resolved", "2026-11-20 11:00")]),
    incident("Messaging partly down", "{messaging: partial_outage}", [("Investigating", "2026-11-20 10:30"), ("Resolved", "2026-11-20 12:00")]),
    # And messaging slow right now.
    incident("Messaging slow", "[messaging]", [("Investigating", "2026-11-21 20:00")], impact="minor"),
]


@pytest.fixture(scope="module")
def grouped(module_site):
    """The site of FILES, built once (strict) for the tests below, which only read it."""
    site = module_site()
    for name, text in FILES:
        site.add(f"2026-11-20-{name.lower().replace(' ', '-')}.md", text)
    return site.build(strict=True, epoch=NOW)


def percent(page: dom.Element, days: int) -> float:
    """The uptime over the last ``days`` days that the page's facts state, in per cent."""
    shown = dom.definitions(page, "dl.status-facts")[f"Uptime, last {days} days"]
    assert re.fullmatch(r"[\d.]+\W*%", shown), shown
    return float(shown.rstrip("% \u202f\xa0"))


def window_seconds(days: int) -> float:
    """From local midnight ``days - 1`` days before today (in Oslo) until now, in real seconds."""
    now = dt.datetime.fromtimestamp(NOW, dt.timezone.utc)
    first = now.astimezone(OSLO).date() - dt.timedelta(days=days - 1)
    start = dt.datetime(first.year, first.month, first.day, tzinfo=OSLO).astimezone(dt.timezone.utc)
    return (now - start).total_seconds()


def test_a_group_page_has_its_worst_members_status_its_uptime_and_its_members(grouped):
    page = dom.page(grouped / "components" / "engage")
    assert dom.text(dom.one(page, "h1#status-main")) == "Engage"
    badge = dom.one(page, '.status-badge[data-status-badge="group:engage"]')
    assert dom.modifiers(badge, "status-badge") == ["degraded_performance"]  # messaging is slow now
    assert dom.text(badge) == "Degraded performance"
    # Worst member at each instant: 1 h major outage (100 %), then 1 h partial outage (30 %) alone.
    for days in (30, 90):
        expected = 100 * (1 - (3600 + 0.3 * 3600) / window_seconds(days))
        assert percent(page, days) == pytest.approx(expected, abs=0.005)
    voice = dom.page(grouped / "components" / "voice")
    assert percent(voice, 30) == pytest.approx(100 * (1 - 3600 / window_seconds(30)), abs=0.005)
    members = [(dom.attr(a, "href"), dom.text(a)) for a in dom.select(page, "a.status-component__name")]
    assert members == [("../messaging/", "Messaging"), ("../voice/", "Voice")]
    assert dom.texts(page, ".status-incident__title a") == ["Messaging slow", "Messaging partly down", "Voice down"]
    nb = dom.page(grouped / "nb" / "components" / "engage")
    assert dom.attr(dom.one(nb, "html"), "lang") == "nb"
    assert dom.texts(nb, "a.status-component__name") == ["Meldinger", "Tale"]


def test_a_group_bar_shows_the_worst_member_each_day(grouped):
    page = dom.page(grouped / "components" / "engage")
    group_bar = dom.select(page, "ol.status-bars")[0]  # the first bar: the group's; the members' follow
    bars = dom.select(group_bar, "li.status-day")
    days = [modifier for bar in bars for modifier in dom.modifiers(bar, "status-day")]
    assert len(days) == len(bars) == 90
    assert days[-2:] == ["major_outage", "degraded_performance"]  # 20 November, then today
    assert set(days[:-2]) == {"operational"}
    tip = dom.text(dom.one(bars[-2], ".status-day__tip"))
    assert ": Major outage (" in tip


def test_a_group_has_a_badge_and_a_feed_of_its_members_incidents(grouped):
    svg = dom.svg(grouped / "components" / "engage" / "badge.svg")
    assert dom.attr(svg, "aria-label") == "Engage: Degraded performance"
    for lang, prefix in (("en", ""), ("nb", "nb/")):
        feed = feedparser.parse((grouped / prefix / "components" / "engage" / "history.atom").read_bytes())
        titles = [e.title for e in feed.entries]
        assert sorted(titles) == sorted(n if lang == "en" else f"{n} nb" for n, _ in FILES), lang
        assert len({e.id for e in feed.entries}) == 3
    overview = dom.page(grouped)
    links = [(dom.attr(a, "href"), dom.text(a)) for a in dom.select(overview, ".status-group__page a")]
    assert links == [("components/engage/", "Engage →")]
