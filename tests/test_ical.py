"""What a calendar subscribed to ``maintenance.ics`` shows: every maintenance, in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from icalendar import Calendar

from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT, Site
from mkdocs_status.l10n.catalogs import translations

UTC = dt.timezone.utc

UPCOMING = """
---
type: maintenance
title: Database upgrade
title_nb: Databaseoppgradering
components: [interact, voice]
scheduled_for: "2026-11-28 22:00"
scheduled_until: "2026-11-29 01:00"
---

## Scheduled · 2026-11-19 12:00

We will upgrade the database. See the [history](../../history/).

::: nb
Vi oppgraderer databasen.
:::
"""

PAST = """
---
type: maintenance
title: Network maintenance
title_nb: Nettverksvedlikehold
components: [messaging]
scheduled_for: "2026-10-01 23:00"
scheduled_until: "2026-10-02 01:00"
---

## Scheduled · 2026-09-24 09:00

Planned switch replacement.

::: nb
Planlagt bytte av svitsjer.
:::

## In progress · 2026-10-01 23:00

Started.

::: nb
Startet.
:::

## Completed · 2026-10-02 00:40

Done, ahead of time.

::: nb
Ferdig før tiden.
:::
"""


def oslo(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Oslo"))


def calendar(site_dir: Path, path: str = "maintenance.ics") -> Calendar:
    return Calendar.from_ical((site_dir / path).read_bytes())


def events(site_dir: Path, path: str = "maintenance.ics") -> dict[str, object]:
    return {str(ev["uid"]): ev for ev in calendar(site_dir, path).walk("VEVENT")}


def with_files(s: Site) -> Site:
    """``s`` with an upcoming and a past maintenance and an incident."""
    s.add("2026-11-28-database-upgrade.md", UPCOMING)
    s.add("2026-10-01-network.md", PAST)
    s.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    return s


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    """The site of this test's own, to change."""
    return with_files(make_site())


@pytest.fixture(scope="module")
def built(module_site: Callable[..., Site]) -> Path:
    """The site built once (strict) for the tests that only read its calendars."""
    return with_files(module_site()).build(strict=True)


def test_calendar_has_every_maintenance_past_and_upcoming_and_no_incidents(built: Path) -> None:
    found = events(built)
    assert sorted(found) == ["2026-10-01-network@status.example.com", "2026-11-28-database-upgrade@status.example.com"]
    assert [str(ev["summary"]) for ev in calendar(built).walk("VEVENT")] == ["Database upgrade", "Network maintenance"]


def test_each_event_spans_the_maintenance_window_in_utc(built: Path) -> None:
    ev = events(built)["2026-11-28-database-upgrade@status.example.com"]
    assert ev.decoded("dtstart") == oslo("2026-11-28 22:00")
    assert ev.decoded("dtend") == oslo("2026-11-29 01:00")
    raw = (built / "maintenance.ics").read_bytes().decode("utf-8")
    assert "DTSTART:20261128T210000Z\r\n" in raw and "DTEND:20261129T000000Z\r\n" in raw
    assert "VTIMEZONE" not in raw, "UTC needs no time zone definitions"


def test_event_is_stamped_when_the_calendar_was_made_and_modified_at_its_latest_update(built: Path) -> None:
    """RFC 5545: with METHOD:PUBLISH, DTSTAMP is when the calendar was made: the build's "now"."""
    ev = events(built)["2026-10-01-network@status.example.com"]
    assert ev.decoded("dtstamp") == dt.datetime.fromtimestamp(EXAMPLE_NOW, dt.timezone.utc)
    raw = (built / "maintenance.ics").read_bytes().decode("utf-8")
    assert raw.count("DTSTAMP:20261121T210000Z\r\n") == 2, "SOURCE_DATE_EPOCH, in UTC, on every event"
    assert ev.decoded("last-modified") == oslo("2026-10-02 00:40")
    assert ev.decoded("created") == oslo("2026-09-24 09:00")
    assert ev.decoded("sequence") == 2, "one more for each update after the first"


def test_event_links_to_its_page_and_describes_every_update_newest_first(built: Path) -> None:
    ev = events(built)["2026-10-01-network@status.example.com"]
    assert str(ev["url"]) == "https://status.example.com/incidents/2026-10-01-network/"
    text = str(ev["description"])
    positions = [text.index(t) for t in ("Done, ahead of time.", "Started.", "Planned switch replacement.")]
    assert positions == sorted(positions)
    assert text.index("Completed · ") < text.index("In progress · ") < text.index("Scheduled · ")
    assert "Oct 2, 2026" in text and "CEST" in text and "UTC" in text
    assert "This maintenance affects\nEngage (Messaging)" in text
    assert "https://status.example.com/incidents/2026-10-01-network/" in text
    assert "<" not in text, "plain text, not HTML"


def test_events_are_confirmed_and_do_not_block_the_subscribers_time(built: Path) -> None:
    for ev in events(built).values():
        assert str(ev["status"]) == "CONFIRMED"
        assert str(ev["transp"]) == "TRANSPARENT"


def test_calendar_names_itself_and_asks_to_be_reloaded(built: Path) -> None:
    cal = calendar(built)
    assert str(cal["x-wr-calname"]) == "Test Status · Scheduled maintenance"
    assert str(cal["method"]) == "PUBLISH" and str(cal["version"]) == "2.0"
    assert str(cal["url"]) == "https://status.example.com/maintenance.ics"
    raw = (built / "maintenance.ics").read_bytes().decode("utf-8")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw and "X-PUBLISHED-TTL:PT1H\r\n" in raw


def test_norwegian_calendar_is_in_norwegian_under_its_prefix(built: Path) -> None:
    found = events(built, "nb/maintenance.ics")
    ev = found["2026-11-28-database-upgrade@status.example.com"]
    assert str(ev["summary"]) == "Databaseoppgradering"
    assert ev["summary"].params["LANGUAGE"] == "nb"
    assert ev["description"].params["LANGUAGE"] == "nb"
    assert str(ev["url"]) == "https://status.example.com/nb/incidents/2026-11-28-database-upgrade/"
    text = str(ev["description"])
    assert "Vi oppgraderer databasen." in text and "We will upgrade" not in text
    assert format_date(dt.date(2026, 11, 19), "medium", locale="nb") in text, "dates as babel writes them in Norwegian"
    assert "Engage (Tale)" in text
    assert str(calendar(built, "nb/maintenance.ics")["url"]) == "https://status.example.com/nb/maintenance.ics"
    assert set(found) == set(events(built)), "the same event has the same UID in every language"


def test_missing_translation_falls_back_with_a_notice(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.add("2026-11-28-english-only.md", """
        ---
        type: maintenance
        title: Firewall update
        scheduled_for: "2026-11-28 22:00"
        scheduled_until: "2026-11-28 23:00"
        ---

        ## Scheduled · 2026-11-19 12:00

        Firewall rules are updated.
        """)
    built = site.build(strict=True)
    ev = next(iter(events(built, "nb/maintenance.ics").values()))
    assert str(ev["summary"]) == "Firewall update"
    assert ev["summary"].params["LANGUAGE"] == "en", "the summary says which language it is in"
    text = str(ev["description"])
    notice = translations("nb").gettext("This text is not available in %(page)s; it is shown in %(shown)s.") % {
        "page": "norsk bokmål", "shown": "engelsk"}
    assert text.count(notice) == 2, "one for the title, one for the update's text, as on the page"
    assert "Firewall rules are updated." in text


def test_markup_in_titles_and_text_is_plain_text_escaped_once(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.add("2026-11-28-xss.md", """
        ---
        type: maintenance
        title: 'Upgrade <script>alert("t")</script> & "R&D"; part 1, 2'
        scheduled_for: "2026-11-28 22:00"
        scheduled_until: "2026-11-28 23:00"
        ---

        ## Scheduled · 2026-11-19 12:00

        <script>alert("body")</script>
        Ben & Jerry's "quoted" <b onclick="alert(1)">bold</b>.
        """)
    built = site.build(strict=True)
    raw = (built / "maintenance.ics").read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded
    assert 'SUMMARY;LANGUAGE=en:Upgrade <script>alert("t")</script> & "R&D"\\; part 1\\, 2\r\n' in raw
    assert "&amp;" not in raw and "&lt;" not in raw and "&quot;" not in raw, "no HTML escaping in plain text"
    ev = next(iter(events(built).values()))
    assert str(ev["summary"]) == 'Upgrade <script>alert("t")</script> & "R&D"; part 1, 2'
    text = str(ev["description"])
    assert "Ben & Jerry's \"quoted\" bold." in text
    assert "alert(\"body\")" not in text and "onclick" not in text


def test_lines_are_folded_and_end_in_crlf(built: Path) -> None:
    raw = (built / "nb/maintenance.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR" and lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    raw.decode("utf-8")  # folding never splits a character


def test_a_site_under_a_sub_path_links_below_it(site: Site) -> None:
    site.config["site_url"] = "https://example.github.io/status/"
    site.write_config()
    built = site.build(strict=True)
    ev = events(built, "nb/maintenance.ics")["2026-11-28-database-upgrade@example.github.io/status"]
    assert str(ev["url"]) == "https://example.github.io/status/nb/incidents/2026-11-28-database-upgrade/"
    assert str(calendar(built)["url"]) == "https://example.github.io/status/maintenance.ics"


def test_calendar_is_byte_identical_for_the_same_build_time_and_changes_only_its_stamps_once_the_window_is_told(site: Site) -> None:
    first = {p: (site.build(strict=True) / p).read_bytes() for p in ("maintenance.ics", "nb/maintenance.ics")}
    again = {p: (site.build(strict=True) / p).read_bytes() for p in first}
    later = {p: (site.build(strict=True, epoch=EXAMPLE_NOW + 30 * 86400) / p).read_bytes() for p in first}
    later_again = {p: (site.build(strict=True, epoch=EXAMPLE_NOW + 31 * 86400) / p).read_bytes() for p in first}
    for p, data in first.items():
        assert again[p] == data
        # Once the window has opened and closed, the automatic updates are in the event; after
        # that a later build changes nothing but when the calendar was made (its DTSTAMPs).
        assert later[p] != data
        old, new = later[p].split(b"\r\n"), later_again[p].split(b"\r\n")
        changed = {(a, b) for a, b in zip(old, new, strict=True) if a != b}
        assert changed == {(b"DTSTAMP:20261221T210000Z", b"DTSTAMP:20261222T210000Z")}
    descriptions = [str(e["description"]) for e in Calendar.from_ical(later["maintenance.ics"]).walk("VEVENT")]
    assert any("The scheduled maintenance has been completed." in d for d in descriptions)


def test_a_new_update_keeps_the_uid_and_bumps_sequence_and_last_modified(site: Site) -> None:
    before = events(site.build(strict=True))["2026-11-28-database-upgrade@status.example.com"]
    site.add("2026-11-28-database-upgrade.md", UPCOMING + """
## Update · 2026-11-21 09:00

The window is unchanged.

::: nb
Vinduet er uendret.
:::
""")
    after = events(site.build(strict=True))["2026-11-28-database-upgrade@status.example.com"]
    assert after.decoded("sequence") == before.decoded("sequence") + 1
    assert after.decoded("last-modified") == oslo("2026-11-21 09:00")
    assert after.decoded("dtstart") == before.decoded("dtstart")
    assert str(after["description"]).index("The window is unchanged.") < str(after["description"]).index("We will upgrade")


def test_site_without_maintenance_has_an_empty_valid_calendar(make_site: Callable[..., Site]) -> None:
    built = make_site().build(strict=True)
    cal = calendar(built)
    assert list(cal.walk("VEVENT")) == []
    assert str(cal["prodid"]).startswith("-//mkdocs-status//")


def test_control_characters_in_an_incident_file_never_break_the_calendar(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.add("2026-11-28-ctl.md", '---\ntype: maintenance\ntitle: "Bad \\x01 title \\x0b"\n'
                                  'scheduled_for: "2026-11-28 22:00"\nscheduled_until: "2026-11-28 23:00"\n---\n\n'
                                  "## Scheduled · 2026-11-19 12:00\n\nText with \x0c form feed and \x1b escape.\n")
    built = site.build(strict=False)
    ev = next(iter(events(built).values()))
    assert str(ev["summary"]) == "Bad  title"
    assert "form feed and escape." in str(ev["description"])
    raw = (built / "maintenance.ics").read_bytes()
    assert not any(b < 0x20 and b not in (0x0D, 0x0A) for b in raw)
