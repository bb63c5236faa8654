"""Group pages (/components/<group>/): the worst member's status at each instant, for the bar,
the uptime and the badge; the members, their incidents and a feed."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import feedparser
import pytest

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


@pytest.fixture
def grouped(make_site):
    site = make_site()
    for name, text in FILES:
        site.add(f"2026-11-20-{name.lower().replace(' ', '-')}.md", text)
    return site.build(strict=True, epoch=NOW)


def percent(html: str, days: int) -> float:
    return float(re.search(rf"Uptime, last {days} days</dt><dd>([\d.]+)\W*%</dd>", html).group(1))


def window_seconds(days: int) -> float:
    """From local midnight ``days - 1`` days before today (in Oslo) until now, in real seconds."""
    now = dt.datetime.fromtimestamp(NOW, dt.timezone.utc)
    first = now.astimezone(OSLO).date() - dt.timedelta(days=days - 1)
    start = dt.datetime(first.year, first.month, first.day, tzinfo=OSLO).astimezone(dt.timezone.utc)
    return (now - start).total_seconds()


def test_a_group_page_has_its_worst_members_status_its_uptime_and_its_members(grouped):
    page = (grouped / "components" / "engage" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="status-main">Engage</h1>' in page
    assert re.search(r'status-badge--degraded_performance.*?<span>Degraded performance</span>', page)  # messaging is slow now
    # Worst member at each instant: 1 h major outage (100 %), then 1 h partial outage (30 %) alone.
    for days in (30, 90):
        expected = 100 * (1 - (3600 + 0.3 * 3600) / window_seconds(days))
        assert percent(page, days) == pytest.approx(expected, abs=0.005)
    voice = (grouped / "components" / "voice" / "index.html").read_text(encoding="utf-8")
    assert percent(voice, 30) == pytest.approx(100 * (1 - 3600 / window_seconds(30)), abs=0.005)
    members = re.findall(r'class="status-component__name" href="([^"]+)">([^<]+)<', page)
    assert members == [("../messaging/", "Messaging"), ("../voice/", "Voice")]
    listed = re.findall(r'class="status-incident__title"><a href="[^"]+"><span>([^<]+)<', page)
    assert listed == ["Messaging slow", "Messaging partly down", "Voice down"]
    nb = (grouped / "nb" / "components" / "engage" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in nb and re.findall(r'class="status-component__name" href="[^"]+">([^<]+)<', nb) == ["Meldinger", "Tale"]


def test_a_group_bar_shows_the_worst_member_each_day(grouped):
    page = (grouped / "components" / "engage" / "index.html").read_text(encoding="utf-8")
    group_bar = page.split('<ol class="status-bars"')[1].split("</ol>")[0]  # the first bar: the group's; the members' follow
    days = re.findall(r'<li class="status-day status-day--(\w+)"', group_bar)
    assert len(days) == 90
    assert days[-2:] == ["major_outage", "degraded_performance"]  # 20 November, then today
    assert set(days[:-2]) == {"operational"}
    tip = re.findall(r'<span class="status-day__tip">([^<]+)', group_bar)[-2]
    assert ": Major outage (" in tip


def test_a_group_has_a_badge_and_a_feed_of_its_members_incidents(grouped):
    svg = (grouped / "components" / "engage" / "badge.svg").read_text(encoding="utf-8")
    assert 'aria-label="Engage: Degraded performance"' in svg
    for lang, prefix in (("en", ""), ("nb", "nb/")):
        feed = feedparser.parse((grouped / prefix / "components" / "engage" / "history.atom").read_bytes())
        titles = [e.title for e in feed.entries]
        assert sorted(titles) == sorted(n if lang == "en" else f"{n} nb" for n, _ in FILES), lang
        assert len({e.id for e in feed.entries}) == 3
    overview = (grouped / "index.html").read_text(encoding="utf-8")
    assert '<p class="status-group__page"><a href="components/engage/">Engage →</a></p>' in overview
