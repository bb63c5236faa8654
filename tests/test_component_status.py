"""An incident as it really happened: three components changing status at five updates.

One realistic incident file is built for real with MkDocs and read back from each output a
reader or a bot sees: the 90-day bars and their tooltips, uptime, the component pages, the
JSON API and the feeds. Every instant and duration below is worked out by hand from the
file (Europe/Oslo is UTC+1 in November), never by the code under test; CLDR words come
from babel.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import feedparser
import pytest
from babel.units import format_unit

import dom
from mkdocs_status.l10n.catalogs import translations

OSLO_OFFSET = dt.timezone(dt.timedelta(hours=1))

INCIDENT = """
---
title: Calls and messages fail
title_nb: Samtaler og meldinger feiler
impact: critical
started_at: "2026-11-20 09:48"
components:
  voice: major_outage
---

## Investigating · 2026-11-20 10:02 {#inv1 messaging=degraded_performance}

Calls fail and messages are slow.

::: nb
Samtaler feiler og meldinger er trege.
:::

## Identified · 2026-11-20 10:30 {#idf1 voice=partial_outage interact=partial_outage}

A storage node failed; queues are affected too.

::: nb
En lagringsnode feilet; køer er også berørt.
:::

## Update · 2026-11-20 11:15 {#upd1 messaging=major_outage interact=degraded_performance}

Messages are not delivered while we move the data.

::: nb
Meldinger leveres ikke mens vi flytter dataene.
:::

## Monitoring · 2026-11-20 11:40 {#mon1 voice=operational messaging=degraded_performance}

Calls work again; messages are catching up.

::: nb
Samtaler virker igjen; meldinger tar igjen etterslepet.
:::

## Resolved · 2026-11-20 12:25 {#res1 notify=false}

Everything works again.

::: nb
Alt virker igjen.
:::
"""

# 2026-11-21 21:00 UTC, the day after.
NOW = 1795294800
# 2026-11-20 11:20 Oslo = 10:20 UTC: voice partial, messaging major, interact degraded.
MIDDLE = int(dt.datetime(2026, 11, 20, 10, 20, tzinfo=dt.timezone.utc).timestamp())


def minutes(n: int) -> str:
    """``42 min`` / ``1 hr 10 min`` as CLDR words it (babel, the short unit form)."""
    hours, rest = divmod(n, 60)
    parts = [format_unit(hours, "duration-hour", length="short", locale="en")] if hours else []
    if rest:
        parts.append(format_unit(rest, "duration-minute", length="short", locale="en"))
    return " ".join(parts)


def build(make_site, epoch: int = NOW):
    site = make_site()
    site.add("2026-11-20-calls-and-messages.md", INCIDENT)
    site.build(epoch=epoch)
    return site


@pytest.fixture(scope="module")
def built(module_site):
    """The site of INCIDENT built once at NOW, for the tests that only read it."""
    return build(module_site)


def bar_tip(page: dom.Element, component: str, day: str) -> str:
    """The tooltip of ``day``'s bar in the component row linking to ``component``."""
    tips = [dom.text(tip) for tip in dom.select(dom.component_row(page, f"components/{component}/"), "li.status-day .status-day__tip")]
    found = [tip for tip in tips if tip.startswith(day)]
    assert len(found) == 1, f"{len(found)} bars for {day}"
    return found[0]


# Time in each status, by hand: voice major 09:48-10:30 (42 min), partial 10:30-11:40 (70 min);
# messaging degraded 10:02-11:15 (73), major 11:15-11:40 (25), degraded 11:40-12:25 (45);
# interact (named first at 10:30) partial 10:30-11:15 (45), degraded 11:15-12:25 (70).


def test_the_day_bar_tooltips_show_each_status_for_as_long_as_it_held(built):
    page = dom.page(built.root / "site")
    assert bar_tip(page, "voice", "Nov 20, 2026") == f"Nov 20, 2026: Major outage ({minutes(42)}), Partial outage ({minutes(70)})Calls and messages fail"
    assert bar_tip(page, "messaging", "Nov 20, 2026") == (
        f"Nov 20, 2026: Major outage ({minutes(25)}), Degraded performance ({minutes(73 + 45)})Calls and messages fail")
    assert bar_tip(page, "interact", "Nov 20, 2026") == (
        f"Nov 20, 2026: Partial outage ({minutes(45)}), Degraded performance ({minutes(70)})Calls and messages fail")
    voice = [dom.modifiers(day, "status-day") for day in dom.select(dom.component_row(page, "components/voice/"), "li.status-day")]
    assert voice[-2] == ["major_outage"]  # 20 November: the worst it reached


def test_uptime_counts_each_status_only_while_it_held(built):
    site = built
    # 30 local days up to now: from 2026-10-23 00:00 Oslo (still summer time, UTC+2) = 10-22 22:00 UTC,
    # to 2026-11-21 21:00 UTC: 29 days 23 hours.
    total = 29 * 86400 + 23 * 3600
    expected = {
        "voice": 42 * 60 + 0.3 * 70 * 60,  # major 100 %, partial 30 %
        "messaging": 25 * 60,  # degraded performance does not count
        "interact": 0.3 * 45 * 60,
    }
    for cid, down in expected.items():
        uptime = dom.definitions(dom.page(site.root / "site" / "components" / cid), "dl.status-facts")["Uptime, last 30 days"]
        assert uptime == f"{100 * (1 - down / total):,.2f}\u00a0%", cid


def test_a_component_page_lists_an_incident_that_named_it_only_in_a_later_update(built):
    site = built
    interact = dom.page(site.root / "site" / "components" / "interact")
    assert dom.texts(interact, ".status-incident__title a") == ["Calls and messages fail"]
    incident = dom.page(site.root / "site" / "incidents" / "2026-11-20-calls-and-messages")
    described = dom.terms(dom.one(incident, "dl.status-facts"))
    # The worst status each reached, in the order the file names them (front matter, then updates).
    assert dom.text(described[0][1]) == "Engage (Voice) (Major outage), Engage (Messaging) (Major outage), Interact (Partial outage)"
    # Started 09:48 Oslo (started_at), ended 12:25 Oslo (the resolution): 2 h 37 min.
    times = {term: dom.attrs(description, "time", "datetime") for term, description in described}
    assert times["Started"] == ["2026-11-20T09:48:00+01:00"] and times["Ended"] == ["2026-11-20T12:25:00+01:00"]
    assert {term: dom.text(description) for term, description in described}["Duration"] == minutes(157)


def test_the_api_gives_each_update_its_true_old_and_new_component_statuses(built):
    site = built
    doc = json.loads(site.read("api/v2/incidents/2026-11-20-calls-and-messages.json"))["incident"]
    changes = {u["id"]: [(c["code"], c["old_status"], c["new_status"]) for c in u["affected_components"] or []]
               for u in doc["incident_updates"]}
    iid = "2026-11-20-calls-and-messages"
    assert changes == {
        f"{iid}-inv1": [("voice", "operational", "major_outage"), ("messaging", "operational", "degraded_performance")],
        f"{iid}-idf1": [("voice", "major_outage", "partial_outage"), ("interact", "operational", "partial_outage")],
        f"{iid}-upd1": [("messaging", "degraded_performance", "major_outage"), ("interact", "partial_outage", "degraded_performance")],
        f"{iid}-mon1": [("voice", "partial_outage", "operational"), ("messaging", "major_outage", "degraded_performance")],
        f"{iid}-res1": [("messaging", "degraded_performance", "operational"), ("interact", "degraded_performance", "operational")],
    }
    assert [u["id"] for u in doc["incident_updates"]] == [f"{iid}-{k}" for k in ("res1", "mon1", "upd1", "idf1", "inv1")]
    # {notify=false} is Statuspage's deliver_notifications: false; none of these was posted by the build.
    assert [u["deliver_notifications"] for u in doc["incident_updates"]] == [False, True, True, True, True]
    assert not any(u["automatic"] for u in doc["incident_updates"])
    assert [c["id"] for c in doc["components"]] == ["voice", "messaging", "interact"]
    assert doc["started_at"] == "2026-11-20T09:48:00.000+01:00"


def test_the_api_tells_each_component_status_at_the_build_instant(make_site):
    site = build(make_site, MIDDLE)
    components = {c["id"]: c for c in json.loads(site.read("api/v2/components.json"))["components"]}
    assert components["voice"]["status"] == "partial_outage"
    assert components["messaging"]["status"] == "major_outage"
    assert components["interact"]["status"] == "degraded_performance"
    assert components["engage"]["status"] == "major_outage"  # a group is its worst member
    # Each component's last change by then: voice 10:30, messaging and interact 11:15 (Oslo).
    assert components["voice"]["updated_at"] == "2026-11-20T10:30:00.000+01:00"
    assert components["messaging"]["updated_at"] == "2026-11-20T11:15:00.000+01:00"
    summary = json.loads(site.read("api/v2/summary.json"))
    assert summary["status"]["indicator"] == "critical"


def test_the_feeds_tell_what_each_update_did_to_the_components(built):
    site = built
    feed = feedparser.parse((site.root / "site" / "updates.atom").read_bytes())
    assert not feed.bozo
    by_link = {e.link.rsplit("#", 1)[1]: e.content[0].value for e in feed.entries}
    assert set(by_link) == {"update-inv1", "update-idf1", "update-upd1", "update-mon1", "update-res1"}

    def lines(anchor: str) -> list[str]:
        """The component lines of an update entry, without the status word that leads each."""
        items = dom.select(by_link[anchor], "ul.status-changes > li")
        assert all(len(dom.select(item, ":scope > strong")) == 1 for item in items)
        return [re.sub(r"^[^·]+ · ", "", dom.text(item), count=1) for item in items]

    assert lines("update-mon1") == ["Engage (Voice): Partial outage → Operational", "Engage (Messaging): Major outage → Degraded performance"]
    assert lines("update-idf1") == ["Engage (Voice): Major outage → Partial outage", "Interact: Operational → Partial outage"]
    nb = feedparser.parse((site.root / "site" / "nb" / "updates.atom").read_bytes())
    nb_res = next(e.content[0].value for e in nb.entries if e.link.endswith("#update-res1"))
    nb_words = translations("nb").gettext
    expected = f"Engage (Meldinger): {nb_words('Degraded performance')} → {nb_words('Operational')}"
    assert expected in [re.sub(r"^[^·]+ · ", "", line, count=1) for line in dom.texts(nb_res, "ul.status-changes > li")]
    assert nb_words("Operational") != "Operational"
    history = feedparser.parse((site.root / "site" / "components" / "interact" / "history.atom").read_bytes())
    assert [e.title for e in history.entries] == ["Calls and messages fail"]
