"""What a feed reader subscribed to the status site sees: Atom and RSS, per language and component.

Every test builds a small site for real with MkDocs and reads the feeds as a
feed reader would (feedparser, which must not flag them as malformed), or as
raw XML where the exact bytes matter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from babel.dates import format_date
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

import dom
from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT, Site
from feedvalidator_check import check_site, validator_dir
from mkdocs_status.l10n.catalogs import translations
from mkdocs_status.l10n.dates import duration_text, instant_text

ATOM = "{http://www.w3.org/2005/Atom}"
ZONES = (ZoneInfo("Europe/Oslo"), ZoneInfo("UTC"))
UTC = dt.timezone.utc
LANGUAGE_FEEDS = ("history.atom", "history.rss", "updates.atom", "updates.rss")
NB = translations("nb").gettext  # the interface words of Norwegian feeds
FALLBACK = "This text is not available in %(page)s; it is shown in %(shown)s."
MACHINE = "This text was machine translated into %(lang)s."

# Three incidents and a maintenance whose order by start differs from their order by
# latest update: the long-running API incident began first but was updated last.
API_INCIDENT = """
---
title: Public API returns errors
title_nb: Offentlig API gir feil
impact: minor
components: [messaging]
---

## Investigating · 2026-11-10 09:00

Some API calls fail with HTTP 503.

::: nb
Noen API-kall feiler med HTTP 503.
:::

## Monitoring · 2026-11-10 12:00

A fix is deployed. See the [history](../../history/) for earlier incidents.

::: nb
En retting er rullet ut. Se [historikken](../../history/) for tidligere hendelser.
:::

## Resolved · 2026-11-20 15:00

Error rates have been normal for ten days.

::: nb
Feilraten har vært normal i ti dager.
:::
"""

VOICE_INCIDENT = """
---
title: Calls drop after ringing
title_nb: Samtaler faller ut etter oppringing
impact: critical
components: [voice, interact]
---

## Identified · 2026-11-18 14:00

A carrier is rejecting calls.

::: nb
En operatør avviser samtaler.
:::

## Resolved · 2026-11-18 14:45

Calls connect again.

::: nb
Samtaler kobles opp igjen.
:::
"""

MAINTENANCE = """
---
type: maintenance
title: Database upgrade
title_nb: Databaseoppgradering
components: [interact]
scheduled_for: "2026-11-28 22:00"
scheduled_until: "2026-11-29 01:00"
---

## Scheduled · 2026-11-19 12:00

We will upgrade the database.

::: nb
Vi oppgraderer databasen.
:::
"""

FILES = {
    "2026-11-10-api-errors.md": API_INCIDENT,
    "2026-11-18-calls-drop.md": VOICE_INCIDENT,
    "2026-11-20-queue-login.md": SIMPLE_INCIDENT,
    "2026-11-28-database-upgrade.md": MAINTENANCE,
}
# Newest latest update first: resolved 20 Nov 15:00, resolved 20 Nov 11:30, scheduled 19 Nov, resolved 18 Nov.
ORDER = ["2026-11-10-api-errors", "2026-11-20-queue-login", "2026-11-28-database-upgrade", "2026-11-18-calls-drop"]


def oslo(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Oslo"))


def parse(site_dir: Path, path: str) -> Any:
    """The feed as a feed reader sees it; it must be well-formed."""
    feed = feedparser.parse((site_dir / path).read_bytes())
    assert feed.bozo == 0, f"{path}: {feed.get('bozo_exception')}"
    return feed


def xml(site_dir: Path, path: str) -> etree._Element:
    return etree.fromstring((site_dir / path).read_bytes())


def utc(struct: Any) -> dt.datetime:
    return dt.datetime(*struct[:6], tzinfo=UTC)


def with_files(s: Site) -> Site:
    """``s`` with the incidents and the maintenance of FILES."""
    for name, text in FILES.items():
        s.add(name, text)
    return s


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    """The site of FILES, this test's own to change."""
    return with_files(make_site())


@pytest.fixture(scope="module")
def built(module_site: Callable[..., Site]) -> Path:
    """The site of FILES, built once (strict) for the tests that only read its feeds."""
    return with_files(module_site()).build(strict=True)


# -- history feeds --------------------------------------------------------------


def test_history_feed_has_one_entry_per_incident_and_maintenance_newest_update_first(built: Path) -> None:
    for name in ("history.atom", "history.rss"):
        feed = parse(built, name)
        assert [e.link.rsplit("/", 2)[-2] for e in feed.entries] == ORDER, name
    atom = parse(built, "history.atom")
    assert [e.title for e in atom.entries] == ["Public API returns errors", "Queue login fails", "Database upgrade", "Calls drop after ringing"]


def test_history_entry_shows_one_date_its_latest_update_in_atom_and_rss(built: Path) -> None:
    """As Statuspage dates its entries: a reader shows the news' date, the same in both formats."""
    api = parse(built, "history.atom").entries[0]
    assert utc(api.published_parsed) == oslo("2026-11-20 15:00")
    assert utc(api.updated_parsed) == oslo("2026-11-20 15:00")
    rss = parse(built, "history.rss").entries[0]
    assert utc(rss.published_parsed) == oslo("2026-11-20 15:00"), "RSS pubDate is the latest update"
    raw = xml(built, "history.atom")
    assert raw.findtext(f"{ATOM}entry/{ATOM}updated") == "2026-11-20T14:00:00+00:00"
    assert raw.findtext(f"{ATOM}entry/{ATOM}published") == "2026-11-20T14:00:00+00:00"


def test_feed_is_dated_at_its_newest_update_not_at_build_time(built: Path) -> None:
    assert utc(parse(built, "history.atom").feed.updated_parsed) == oslo("2026-11-20 15:00")
    assert utc(parse(built, "updates.rss").feed.updated_parsed) == oslo("2026-11-20 15:00")
    # Interact's newest update is queue login's "Resolved"; the API incident is not Interact's.
    assert utc(parse(built, "components/interact/history.atom").feed.updated_parsed) == oslo("2026-11-20 11:30")


def test_each_history_entry_tells_every_update_newest_first_with_status_time_and_text(built: Path) -> None:
    api = parse(built, "history.atom").entries[0]
    content = dom.parse(api.content[0].value)
    assert api.content[0].type == "text/html"
    texts = dom.texts(content, "p")
    positions = [next(n for n, p in enumerate(texts) if text in p) for text in (
        "Error rates have been normal for ten days.", "A fix is deployed.", "Some API calls fail with HTTP 503.")]
    assert positions == sorted(positions), "newest update first"
    told = [(dom.texts(item, "strong"), dom.text(item)) for item in dom.select(content, "ul.status-updates li")]
    assert told == [([label], f"{label} · {instant_text(oslo(at), 'en', ZONES)}")
                    for label, at in (("Resolved", "2026-11-20 15:00"), ("Monitoring", "2026-11-10 12:00"), ("Investigating", "2026-11-10 09:00"))]
    assert "CET" in dom.visible_text(content) and "UTC" in dom.visible_text(content)
    rss = parse(built, "history.rss").entries[0]
    for text in ("Error rates have been normal", "A fix is deployed.", "Some API calls fail"):
        assert text in rss.summary


def test_relative_links_in_update_text_point_at_the_live_site(built: Path) -> None:
    content = parse(built, "history.atom").entries[0].content[0].value
    assert "https://status.example.com/history/" in dom.attrs(content, "p a", "href")
    nb = parse(built, "nb/history.atom").entries[0].content[0].value
    assert "https://status.example.com/nb/history/" in dom.attrs(nb, "p a", "href")


def test_history_entry_tells_impact_components_and_duration_as_the_page_does(built: Path) -> None:
    calls = dom.parse(parse(built, "history.atom").entries[3].content[0].value)
    assert "Critical impact" in dom.texts(calls, "p > strong")
    facts = dom.definitions(calls)
    assert facts["Started"] == instant_text(oslo("2026-11-18 14:00"), "en", ZONES)
    assert facts["Ended"] == instant_text(oslo("2026-11-18 14:45"), "en", ZONES)
    assert facts["Duration"] == duration_text(dt.timedelta(minutes=45), "en")
    affected = [(dom.attr(a, "href"), dom.text(a)) for a in dom.select(calls, "dd a")]
    assert ("https://status.example.com/components/voice/", "Engage (Voice)") in affected
    assert facts["This incident affected"] == "Engage (Voice), Interact"
    maintenance = dom.definitions(parse(built, "history.atom").entries[2].content[0].value)
    assert "This maintenance affects" in maintenance and "Scheduled for" in maintenance


def test_entry_links_and_feed_links_are_absolute(built: Path) -> None:
    atom = xml(built, "history.atom")
    links = atom.findall(f"{ATOM}link")
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        ("self", "https://status.example.com/history.atom"),
        ("alternate", "https://status.example.com/"),
    ]
    feed = parse(built, "history.rss")
    assert feed.feed.link == "https://status.example.com/", "the RSS channel link is the site, not the feed"
    assert feed.entries[0].link == "https://status.example.com/incidents/2026-11-10-api-errors/"
    for entry in parse(built, "updates.atom").entries:
        assert entry.link.startswith("https://status.example.com/incidents/")


# -- updates feeds --------------------------------------------------------------


def test_updates_feed_tells_of_every_update_with_its_status_and_a_link_to_it(built: Path) -> None:
    for name in ("updates.atom", "updates.rss"):
        feed = parse(built, name)
        assert len(feed.entries) == 3 + 2 + 2 + 1, name
        titles = [e.title for e in feed.entries]
        assert titles[:3] == ["Resolved: Public API returns errors", "Resolved: Queue login fails", "Investigating: Queue login fails"]
        assert "Scheduled: Database upgrade" in titles
        assert feed.entries[0].link == "https://status.example.com/incidents/2026-11-10-api-errors/#update-20261120t140000z"
    page = dom.page(built / "incidents" / "2026-11-10-api-errors")
    assert dom.select(page, "li.status-update h3#update-20261120t140000z"), "the anchor the entry links to exists on the page"


def test_update_entry_carries_that_update_only_dated_at_its_time(built: Path) -> None:
    entry = parse(built, "updates.atom").entries[0]
    content = dom.visible_text(dom.parse(entry.content[0].value))
    assert "Error rates have been normal for ten days." in content
    assert "A fix is deployed." not in content
    assert utc(entry.updated_parsed) == utc(entry.published_parsed) == oslo("2026-11-20 15:00")
    assert utc(parse(built, "updates.rss").entries[0].published_parsed) == oslo("2026-11-20 15:00")


def test_updates_at_the_same_minute_are_separate_entries_in_lifecycle_order(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.add("2026-11-20-blip.md", """
        ---
        title: Short blip
        impact: minor
        ---

        ## Investigating · 2026-11-20 10:00

        Looking.

        ## Resolved · 2026-11-20 10:00

        Gone.
        """)
    site.plugin["required_languages"] = ["en"]
    site.write_config()
    built = site.build()  # not strict: equal instants are a warning (PRODUCT.md §7), and the build goes on
    feed = parse(built, "updates.atom")
    assert [e.title for e in feed.entries] == ["Resolved: Short blip", "Investigating: Short blip"]
    ids = [e.id for e in feed.entries]
    assert ids == ["tag:status.example.com,2025:en/incidents/2026-11-20-blip/updates/20261120T090000Z-1",
                   "tag:status.example.com,2025:en/incidents/2026-11-20-blip/updates/20261120T090000Z"]


# -- ids ----------------------------------------------------------------------


def test_entry_ids_are_tag_uris_of_host_language_and_incident(built: Path) -> None:
    history = parse(built, "history.atom")
    assert history.feed.id == "tag:status.example.com,2025:en/history"
    assert history.entries[0].id == "tag:status.example.com,2025:en/incidents/2026-11-10-api-errors"
    updates = parse(built, "updates.rss")
    assert updates.entries[0].id == "tag:status.example.com,2025:en/incidents/2026-11-10-api-errors/updates/20261120T140000Z"
    assert updates.entries[0].guidislink is False
    nb = parse(built, "nb/history.atom")
    assert nb.entries[0].id == "tag:status.example.com,2025:nb/incidents/2026-11-10-api-errors"
    component = parse(built, "components/messaging/history.atom")
    assert component.entries[0].id == "tag:status.example.com,2025:en/components/messaging/incidents/2026-11-10-api-errors", \
        "a component feed's entries have their own ids: readers that de-duplicate across feeds show both"


def test_ids_are_unique_within_every_feed(built: Path) -> None:
    for path in sorted(built.rglob("*.atom")) + sorted(built.rglob("*.rss")):
        feed = parse(built, path.relative_to(built).as_posix())
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)), path


def test_a_new_update_keeps_every_entry_id_and_only_moves_its_incident(site: Site, tmp_path: Path) -> None:
    first = site.build(strict=True)
    before = {name: parse(first, name) for name in LANGUAGE_FEEDS + ("nb/history.atom", "nb/updates.atom")}
    before_bytes = {name: (first / name).read_bytes() for name in before}
    site.add("2026-11-18-calls-drop.md", VOICE_INCIDENT + """
## Postmortem · 2026-11-21 09:00

The carrier had an expired certificate.

::: nb
Operatøren hadde et utløpt sertifikat.
:::
""")
    second = site.build(strict=True)
    for name, old in before.items():
        new = parse(second, name)
        old_entries = {e.id: e for e in old.entries}
        new_entries = {e.id: e for e in new.entries}
        assert set(old_entries) <= set(new_entries), f"{name}: an entry id changed or vanished"
        if "history" in name:
            assert set(new_entries) == set(old_entries), name
            changed = [i for i in old_entries if old_entries[i] != new_entries[i]]
            assert len(changed) == 1 and changed[0].endswith("/incidents/2026-11-18-calls-drop"), name
            moved = new_entries[changed[0]]
            assert utc(moved.updated_parsed if "atom" in name else moved.published_parsed) == oslo("2026-11-21 09:00")
            assert new.entries[0].id == changed[0], "the incident with the newest update comes first"
            assert utc(moved.published_parsed) == oslo("2026-11-21 09:00"), "the entry comes back with the new date"
        else:
            added = set(new_entries) - set(old_entries)
            assert len(added) == 1 and next(iter(added)).endswith("/2026-11-18-calls-drop/updates/20261121T080000Z"), name
            assert all(old_entries[i] == new_entries[i] for i in old_entries), f"{name}: an old update entry changed"
        assert (second / name).read_bytes() != before_bytes[name]


# -- the window -------------------------------------------------------------------


def test_feed_limit_keeps_the_incidents_with_the_newest_updates(make_site: Callable[..., Site]) -> None:
    site = make_site(feed_limit=2)
    for name, text in FILES.items():
        site.add(name, text)
    built = site.build(strict=True)
    assert [e.link.rsplit("/", 2)[-2] for e in parse(built, "history.atom").entries] == ORDER[:2]
    assert [e.link.rsplit("/", 2)[-2] for e in parse(built, "nb/history.rss").entries] == ORDER[:2]
    updates = parse(built, "updates.atom")
    assert len(updates.entries) == 3 + 2, "every update of the incidents in the window, and only those"
    assert {e.link.split("#")[0].rsplit("/", 2)[-2] for e in updates.entries} == set(ORDER[:2])
    # A component's feed takes its own newest incidents.
    interact = parse(built, "components/interact/history.atom")
    assert [e.link.rsplit("/", 2)[-2] for e in interact.entries] == ["2026-11-20-queue-login", "2026-11-28-database-upgrade"]


# -- languages --------------------------------------------------------------------


def test_norwegian_feeds_are_in_norwegian_under_their_prefix(built: Path) -> None:
    for name in LANGUAGE_FEEDS:
        feed = parse(built, f"nb/{name}")
        assert feed.feed.language == "nb", name
        assert feed.feed.link == "https://status.example.com/nb/", name
        for entry in feed.entries:
            assert entry.link.startswith("https://status.example.com/nb/incidents/"), name
            assert ",2025:nb/" in entry.id, name
    assert xml(built, "nb/history.atom").get("{http://www.w3.org/XML/1998/namespace}lang") == "nb"
    assert xml(built, "history.atom").get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entry = parse(built, "nb/history.atom").entries[0]
    assert entry.title == "Offentlig API gir feil"
    doc = dom.parse(entry.content[0].value)
    content = dom.visible_text(doc)
    assert "Feilraten har vært normal i ti dager." in content
    assert "Error rates" not in content
    assert instant_text(oslo("2026-11-20 15:00"), "nb", ZONES) in content
    assert format_date(dt.date(2026, 11, 20), "medium", locale="nb") in content, "dates as Norwegian readers write them"
    titles = [e.title for e in parse(built, "nb/updates.atom").entries]
    assert titles[0] == f"{NB('Resolved')}: Offentlig API gir feil", "the status word as the Norwegian page shows it"
    assert dom.texts(doc, "ul.status-updates li strong")[0] == NB("Resolved")


def test_missing_translation_falls_back_with_a_notice_in_the_feeds_language(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.add("2026-11-20-english-only.md", """
        ---
        title: Reports are slow
        impact: minor
        components: [interact]
        ---

        ## Investigating · 2026-11-20 10:00

        Reports take minutes to load.
        """)
    built = site.build(strict=True)
    entry = parse(built, "nb/history.atom").entries[0]
    assert entry.title == "Reports are slow"
    doc = dom.parse(entry.content[0].value)
    notice = NB(FALLBACK) % {"page": "norsk bokmål", "shown": "engelsk"}
    assert dom.visible_text(doc).count(notice) == 2, "one for the title, one for the update's text, as on the page"
    [update] = [p for p in dom.select(doc, "p") if dom.texts(p, "strong") == ["Undersøker"]]
    assert dom.texts(update, "span[lang=en]") == ["Reports take minutes to load."]
    assert notice in parse(built, "nb/updates.rss").entries[0].summary
    assert "not available" not in parse(built, "history.atom").entries[0].content[0].value


def test_machine_translated_text_says_so(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.add("2026-11-20-mt.md", """
        ---
        title: Chat widget does not load
        title_nb: Chat-widgeten lastes ikke
        impact: minor
        machine_translated: [nb]
        ---

        ## Investigating · 2026-11-20 10:00

        The widget shows a blank box.

        ::: nb
        Widgeten viser en tom boks.
        :::
        """)
    built = site.build(strict=True)
    content = dom.visible_text(dom.parse(parse(built, "nb/history.atom").entries[0].content[0].value))
    assert NB(MACHINE) % {"lang": "norsk bokmål"} in content
    assert "Widgeten viser en tom boks." in content
    assert "machine translated" not in parse(built, "history.atom").entries[0].content[0].value
    assert "notice" not in parse(built, "history.atom").entries[0].content[0].value


# -- components -------------------------------------------------------------------


def test_component_feed_lists_only_the_incidents_that_affected_it(built: Path) -> None:
    interact = parse(built, "components/interact/history.atom")
    assert [e.link.rsplit("/", 2)[-2] for e in interact.entries] == ["2026-11-20-queue-login", "2026-11-28-database-upgrade", "2026-11-18-calls-drop"]
    assert interact.feed.title == "Test Status · Interact · Incident history"
    assert interact.feed.link == "https://status.example.com/components/interact/"
    voice = parse(built, "nb/components/voice/history.rss")
    assert [e.title for e in voice.entries] == ["Samtaler faller ut etter oppringing"]
    assert voice.feed.title == f"Test Status · Engage (Tale) · {NB('Incident history')}"
    assert voice.feed.link == "https://status.example.com/nb/components/voice/"


def test_site_without_incidents_has_empty_feeds_dated_at_build_time(make_site: Callable[..., Site]) -> None:
    built = make_site().build(strict=True)
    for name in LANGUAGE_FEEDS + ("components/voice/history.atom",):
        feed = parse(built, name)
        assert feed.entries == []
        assert utc(feed.feed.updated_parsed) == dt.datetime.fromtimestamp(EXAMPLE_NOW, UTC)


# -- hostile text -------------------------------------------------------------------

XSS_TITLE = 'Outage <script>alert("t")</script> & "quotes" R&D'
XSS = """
---
title: 'Outage <script>alert("t")</script> & "quotes" R&D'
impact: minor
components: [interact]
---

## Investigating · 2026-11-20 10:00

<script>alert("body")</script>
Ben & Jerry's "quoted" <b onclick="alert(1)">bold</b> and a [link](javascript:alert(1)).
"""


@pytest.fixture(scope="module")
def hostile(module_site: Callable[..., Site]) -> Path:
    """A site whose incident's title and text hold markup, built once (strict); the tests only read it."""
    site = module_site(required_languages=["en"])
    site.add("2026-11-20-xss.md", XSS)
    return site.build(strict=True)


def test_markup_in_a_title_is_shown_as_text_escaped_exactly_once(hostile: Path) -> None:
    for name in ("history.atom", "updates.atom", "history.rss", "updates.rss", "nb/history.atom"):
        raw = (hostile / name).read_text(encoding="utf-8")
        assert "<script" not in raw, f"{name}: raw markup in the XML"
        # RSS writes "&" and "<" of plain text as hexadecimal references (&#x26; &#x3C;), as its profile asks.
        raw_titles = [t.replace("&#x3C;", "&lt;").replace("&#x26;", "&amp;") for t in re.findall(r"<title>(.*)</title>", raw)[1:]]
        assert raw_titles and all(t.endswith('Outage &lt;script&gt;alert("t")&lt;/script&gt; &amp; "quotes" R&amp;D') for t in raw_titles), name
        titles = [t.text for t in xml(hostile, name).iter("{*}title", "title")][1:]
        assert titles and all(t.endswith(XSS_TITLE) for t in titles), name
    assert parse(hostile, "history.atom").entries[0].title == XSS_TITLE
    assert parse(hostile, "updates.atom").entries[0].title == f"Investigating: {XSS_TITLE}"


def test_markup_in_an_update_never_becomes_active_content(hostile: Path) -> None:
    for name in ("history.atom", "updates.atom"):
        html_content = xml(hostile, name).findtext(f"{ATOM}entry/{ATOM}content")
        assert html_content is not None
        assert "<script" not in html_content and "onclick" not in html_content and "javascript:" not in html_content
        assert "Ben &amp; Jerry" in html_content, "& is escaped once in the HTML"
        assert "&amp;amp;" not in html_content
        [bold] = dom.select(html_content, "b")
        assert dom.text(bold) == "bold" and dict(bold.attrib) == {}
    for name in ("history.rss", "updates.rss"):
        description = xml(hostile, name).findtext("channel/item/description")
        assert description is not None and "<script" not in description and "Ben &amp; Jerry" in description


# -- sites under a path, and other URL layouts ----------------------------------------


def test_feeds_of_a_site_under_a_sub_path_link_below_that_path(site: Site) -> None:
    site.config["site_url"] = "https://example.github.io/status/"
    site.write_config()
    built = site.build(strict=True)
    atom = xml(built, "nb/history.atom")
    assert [link.get("href") for link in atom.findall(f"{ATOM}link")] == [
        "https://example.github.io/status/nb/history.atom", "https://example.github.io/status/nb/"]
    feed = parse(built, "history.rss")
    assert feed.feed.link == "https://example.github.io/status/"
    assert feed.entries[0].link == "https://example.github.io/status/incidents/2026-11-10-api-errors/"
    assert 'href="https://example.github.io/status/history/"' in parse(built, "history.atom").entries[0].content[0].value
    assert parse(built, "updates.atom").entries[0].link == (
        "https://example.github.io/status/incidents/2026-11-10-api-errors/#update-20261120t140000z")
    assert parse(built, "components/voice/history.atom").feed.link == "https://example.github.io/status/components/voice/"
    assert parse(built, "history.atom").entries[0].id == "tag:example.github.io,2025:status/en/incidents/2026-11-10-api-errors", \
        "the site's path is part of every id: another site under the same host has other ids"


def test_feeds_link_to_html_files_without_directory_urls(site: Site) -> None:
    site.config["use_directory_urls"] = False
    site.write_config()
    built = site.build(strict=True)
    assert parse(built, "history.atom").entries[0].link == "https://status.example.com/incidents/2026-11-10-api-errors.html"
    assert parse(built, "updates.rss").entries[0].link == (
        "https://status.example.com/incidents/2026-11-10-api-errors.html#update-20261120t140000z")
    assert (built / "incidents" / "2026-11-10-api-errors.html").is_file()


# -- reproducibility ------------------------------------------------------------------


def test_same_input_gives_byte_identical_feeds(site: Site, tmp_path: Path) -> None:
    first = site.build(strict=True)
    copies = {p.relative_to(first).as_posix(): p.read_bytes() for p in first.rglob("*") if p.suffix in (".atom", ".rss")}
    assert len(copies) == 2 * (4 + 2 * (3 + 1))  # per language: 4 site feeds, 2 per component and per group
    second = site.build(strict=True)
    for rel, data in copies.items():
        assert (second / rel).read_bytes() == data, rel


def test_feeds_do_not_change_with_build_time_when_nothing_was_posted(site: Site) -> None:
    first = site.build(strict=True)
    copies = {p.relative_to(first).as_posix(): p.read_bytes() for p in first.rglob("*") if p.suffix in (".atom", ".rss")}
    later = site.build(strict=True, epoch=EXAMPLE_NOW + 3 * 86400)
    for rel, data in copies.items():
        assert (later / rel).read_bytes() == data, rel


def test_feeds_are_pretty_utf8_xml(built: Path) -> None:
    raw = (built / "nb/history.atom").read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<feed")
    assert b"Databaseoppgradering" in raw and "Feilraten har vært".encode() in raw
    assert re.search(rb"\n  <entry>\n", raw)


# -- the W3C Feed Validator -------------------------------------------------------------

needs_validator = pytest.mark.skipif(validator_dir() is None, reason="W3C Feed Validator not set up: see tests/feedvalidator_check.py")


@needs_validator
def test_example_site_feeds_pass_the_w3c_feed_validator(example_site: Path) -> None:
    site_dir = example_site
    assert len(list(site_dir.rglob("*.atom"))) > 4
    assert check_site(site_dir, "https://status.nordlys.example/") == {}


@needs_validator
def test_hostile_fallback_and_sub_path_feeds_pass_the_w3c_feed_validator(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.config["site_url"] = "https://example.github.io/status/"
    site.write_config()
    site.add("2026-11-20-xss.md", XSS)
    for name, text in FILES.items():
        site.add(name, text)
    built = site.build(strict=True)
    found = check_site(built, "https://example.github.io/status/")
    # Two warnings are expected here, and nothing else may be reported:
    # - a title that is plain text containing "</script>" trips the validator's heuristic "title should
    #   not contain HTML". It is text, escaped once, as Atom's type="text" and RSS readers take it;
    #   declaring it HTML would mean escaping it twice.
    # - two updates posted at the same minute (the hostile incident and the queue login incident both
    #   at 10:00) give two update entries the same atom:updated. The times are true; faking seconds
    #   to silence the warning would tell subscribers a wrong time.
    expected = re.compile(r"^(Contains(Undeclared)?HTML: line \d+, column \d+: title should not contain HTML"
                          r"|DuplicateUpdated: line \d+, column \d+: Two entries with the same value for atom:updated)")
    assert {rel: [p for p in lines if not expected.match(p)] for rel, lines in found.items()} == dict.fromkeys(found, [])
    assert any(p.startswith("DuplicateUpdated") for p in found["updates.atom"])
    assert set(found) == {p.relative_to(built).as_posix() for p in built.rglob("*") if p.suffix in (".atom", ".rss")} - {
        f"{prefix}components/{cid}/{name}" for prefix in ("", "nb/") for cid in ("voice", "messaging", "engage") for name in ("history.atom", "history.rss")}, \
        "only the feeds that carry the hostile incident"


@needs_validator
def test_the_validator_check_reports_a_broken_feed(built: Path) -> None:
    """Guards the guard: a feed published at another address than its self link is reported."""
    found = check_site(built, "https://elsewhere.example.com/")
    assert found and all(any("SelfDoesntMatchLocation" in line for line in lines) for lines in found.values())


def test_a_regional_language_gets_its_bcp47_tag_and_lowercase_prefix(make_site: Callable[..., Site]) -> None:
    site = make_site(languages=["en", "pt_BR"], required_languages=["en"],
                     components=[{"id": "messaging", "name": "Messaging", "name_pt_BR": "Mensagens"}])
    site.add("2026-11-20-whatsapp.md", """
        ---
        title: WhatsApp delays
        title_pt_BR: Atrasos no WhatsApp
        impact: minor
        components: [messaging]
        ---

        ## Investigating · 2026-11-20 10:00

        Messages are late.

        ::: pt-BR
        As mensagens estão atrasadas.
        :::
        """)
    built = site.build(strict=True)
    for name in ("pt-br/history.atom", "pt-br/updates.rss", "pt-br/components/messaging/history.rss"):
        feed = parse(built, name)
        assert feed.feed.language == "pt-BR", name
        assert feed.entries[0].link.startswith("https://status.example.com/pt-br/incidents/2026-11-20-whatsapp/"), name
        assert re.search(r",2025:pt-BR/(components/messaging/)?incidents/2026-11-20-whatsapp(/updates/\w+)?$", feed.entries[0].id), name
    assert xml(built, "pt-br/history.atom").get("{http://www.w3.org/XML/1998/namespace}lang") == "pt-BR"
    entry = parse(built, "pt-br/history.atom").entries[0]
    assert entry.title == "Atrasos no WhatsApp"
    assert "As mensagens estão atrasadas." in entry.content[0].value


def test_control_characters_in_an_incident_file_never_break_a_feed(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.add("2026-11-20-ctl.md", '---\ntitle: "Bad \\x01 title \\x0b"\nimpact: minor\n---\n\n'
                                  "## Investigating · 2026-11-20 10:00\n\nText with \x0c form feed and \x1b escape.\n")
    built = site.build(strict=False)
    for name in LANGUAGE_FEEDS + ("nb/history.rss", "components/interact/history.atom"):
        feed = parse(built, name)
        if "components" not in name:
            assert "Bad  title" in feed.entries[0].title, name
            assert "Text with  form feed and  escape." in (feed.entries[0].get("content") or [feed.entries[0].summary_detail])[0].value


# -- entries made once, shown in many feeds ---------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"), max_size=40)
_AT = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(UTC))


def _feedgen_alone(info: Any, entries: list[Any]) -> dict[str, bytes]:
    """The oracle: the same feed with every entry given to feedgen in the ordinary way."""
    from feedgen.feed import FeedGenerator

    from mkdocs_status import feeds

    fg = FeedGenerator()
    fg.id(info.id)
    fg.title(feeds.xml_safe(info.title))
    fg.description(feeds.xml_safe(info.description))
    fg.author({"name": feeds.xml_safe(info.author)})
    fg.generator(feeds.GENERATOR)
    fg.language(info.lang_tag)
    newest = max(e.updated for e in entries)
    fg.updated(newest)
    fg.pubDate(newest)
    made = []
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(e.id)
        fe.title(e.title)
        fe.link(href=e.link, rel="alternate", type="text/html")
        fe.content(e.content, type="html")
        fe.published(e.published)
        fe.updated(e.updated)
        made.append((fe, e))
    fg.link(href=info.self_url, rel="self", type="application/atom+xml", replace=True)
    fg.link(href=info.page_url, rel="alternate", type="text/html", hreflang=info.lang_tag)
    atom = re.sub(rb'<link href="([^"]*)"/>', rb'<link href="\1" rel="alternate" type="text/html"/>', fg.atom_str(pretty=True))
    fg.link(href=info.self_url.removesuffix(".atom") + ".rss", rel="self", type="application/rss+xml", replace=True)
    fg.link(href=info.page_url, rel="alternate", type="text/html", hreflang=info.lang_tag)
    for fe, e in made:
        fe.pubDate(e.updated)
    return {"atom": atom, "rss": feeds.rss_plain_text(fg.rss_str(pretty=True))}


# Any text, and the ones that could be written otherwise than as they are: empty, only white space
# (which indenting replaces), XML's specials, a quote and line ends (an attribute's), marker-like text.
_FIELD = st.one_of(_TEXT, st.sampled_from(["", " ", "\t\n ", "a\r\nb", '"q" & <t>', "]]>", "<id></id>", "mkdocs-status-skeleton-title"]))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_FIELD, _FIELD, _FIELD, _TEXT, _AT, _AT), min_size=1, max_size=4), st.lists(_TEXT, min_size=1, max_size=3))
@example([('A & <b>', '"q" & <t>\r\n\tb', "<p>x</p>\r\n", "T", dt.datetime(2026, 1, 2, tzinfo=UTC), dt.datetime(2026, 1, 3, tzinfo=UTC)),
          (" ", "a", "\t\n ", "T", dt.datetime(2026, 1, 2, tzinfo=UTC), dt.datetime(2026, 1, 2, tzinfo=UTC))], ["1", "2"])
def test_an_entry_shown_in_several_feeds_reads_as_feedgen_writes_it_in_each(pieces, ids):
    """The history feed and a component's show an incident's entry under their own ids: every feed's
    bytes are those feedgen writes when given each entry itself, whatever the texts (XML's
    specials, an id's ``&`` and ``<``, a text that looks like an entry's tags, an empty or blank one)."""
    from mkdocs_status import feeds

    assert feeds._skeleton() is not None  # this feedgen's entries are filled in, not made one by one
    made = feeds.Made()
    for suffix in ids:
        entries = [feeds.Entry(id=feeds.xml_safe(f"tag:status.example,2025:{n}<&>{suffix}"), title=feeds.xml_safe(t),
                               link=feeds.xml_safe(f"https://status.example/{n}/{link}"), content=feeds.xml_safe(c),
                               published=min(a, b), updated=max(a, b))
                   for n, (t, link, c, _, a, b) in enumerate(pieces)]
        info = feeds.FeedInfo("tag:status.example,2025:history.atom", feeds.xml_safe(pieces[0][3]) or "Status", "Incidents",
                              "en", "https://status.example/history.atom", "https://status.example/", "Status & Co")
        try:
            expected = _feedgen_alone(info, entries)
        except ValueError:  # feedgen refuses an entry without a title: so must the feed
            with pytest.raises(ValueError):
                feeds.render(info, entries, dt.datetime(2026, 11, 21, tzinfo=UTC), made)
            continue
        assert feeds.render(info, entries, dt.datetime(2026, 11, 21, tzinfo=UTC), made) == expected
