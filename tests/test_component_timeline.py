"""Component status over an incident, automatic maintenance phases and the impact window.

Pure tests on incidents parsed from small files with the real parser (attribute blocks
included); instants are written with explicit offsets so the expected values are
read straight off the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mkdocs_status import timeline
from mkdocs_status.model import Component, Incident, Language, Settings, SourceMap, StatusSite
from mkdocs_status.parse.incident import ParseSettings, parse_incident

OSLO = ZoneInfo("Europe/Oslo")
PARSE = ParseSettings(languages=("en", "nb"), required_languages=(), timezone=OSLO,
                      components=("voice", "messaging", "reporting"))
SETTINGS = Settings(
    site_name="Test", site_url="https://status.example.com/",
    languages=(Language("en", "en", "", "English"), Language("nb", "nb", "nb/", "norsk bokmål")),
    required_languages=(), timezone=OSLO, display_timezones=(OSLO,),
    components=tuple(Component(c, {"en": c.title()}, {}, n) for n, c in enumerate(("voice", "messaging", "reporting"))),
    groups=(),
)


def parse(text: str, stem: str = "x") -> tuple[Incident | None, list]:
    return parse_incident(f"incidents/{stem}.md", stem, text, PARSE)


def incident(text: str, stem: str = "x") -> Incident:
    found, diagnostics = parse(text, stem)
    assert found is not None, [d.format() for d in diagnostics]
    return found


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def stretches(i: Incident, cid: str) -> list[tuple[str, str | None, str]]:
    """(start, end, status) of each segment, in UTC ISO form."""
    def iso(t: dt.datetime | None) -> str | None:
        return None if t is None else t.astimezone(dt.timezone.utc).strftime("%H:%M")
    return [(iso(s.start), iso(s.end), s.status) for s in timeline.incident_segments(i).get(cid, [])]


HEAD = "---\ntitle: T\nimpact: major\ncomponents: [voice]\n---\n\n"


def test_resolving_returns_every_component_to_operational():
    i = incident(HEAD + "## Investigating · 2026-11-20 10:00 +00:00 {messaging=major_outage}\n\nA.\n\n"
                 "## Resolved · 2026-11-20 11:00 +00:00\n\nB.\n")
    assert stretches(i, "voice") == [("10:00", "11:00", "partial_outage")]  # major impact -> partial outage
    assert stretches(i, "messaging") == [("10:00", "11:00", "major_outage")]


def test_a_resolving_update_that_keeps_a_component_down_is_warned_at_its_line():
    text = HEAD + "## Investigating · 2026-11-20 10:00 +00:00\n\nA.\n\n## Resolved · 2026-11-20 11:00 +00:00 {voice=degraded_performance}\n\nB.\n"
    i, diagnostics = parse(text)
    assert i is not None
    assert stretches(i, "voice") == [("10:00", "11:00", "partial_outage"), ("11:00", None, "degraded_performance")]
    warnings = [d for d in diagnostics if d.level == "warning"]
    assert [(d.line, "voice=degraded_performance" in d.message) for d in warnings] == [(11, True)]


def test_a_reopened_incident_brings_back_the_statuses_held_before_its_resolution():
    i = incident(HEAD + "## Investigating · 2026-11-20 10:00 +00:00 {voice=major_outage}\n\nA.\n\n"
                 "## Resolved · 2026-11-20 11:00 +00:00\n\nB.\n\n## Identified · 2026-11-20 12:00 +00:00\n\nC.\n\n"
                 "## Resolved · 2026-11-20 12:30 +00:00\n\nD.\n")
    assert stretches(i, "voice") == [("10:00", "11:00", "major_outage"), ("12:00", "12:30", "major_outage")]


def test_a_component_keeps_its_status_until_a_later_update_changes_it():
    i = incident(HEAD + "## Investigating · 2026-11-20 10:00 +00:00\n\nA.\n\n"
                 "## Update · 2026-11-20 10:20 +00:00 {voice=major_outage}\n\nB.\n\n"
                 "## Monitoring · 2026-11-20 10:50 +00:00\n\nC.\n\n"
                 "## Update · 2026-11-20 11:05 +00:00 {voice=operational}\n\nD.\n\n"
                 "## Resolved · 2026-11-20 11:30 +00:00\n\nE.\n")
    assert stretches(i, "voice") == [("10:00", "10:20", "partial_outage"), ("10:20", "11:05", "major_outage")]
    changes = timeline.component_changes(i)
    assert [[(c.component, c.old, c.new) for c in u] for u in changes] == [
        [("voice", "operational", "partial_outage")],
        [("voice", "partial_outage", "major_outage")],
        [],
        [("voice", "major_outage", "operational")],
        [],  # already operational: the resolution changes nothing
    ]


def test_an_update_naming_a_component_without_changing_it_is_listed_unchanged():
    i = incident(HEAD + "## Investigating · 2026-11-20 10:00 +00:00\n\nA.\n\n"
                 "## Update · 2026-11-20 10:20 +00:00 {voice=partial_outage}\n\nB.\n")
    assert [(c.component, c.old, c.new) for c in timeline.component_changes(i)[1]] == [("voice", "partial_outage", "partial_outage")]


def test_started_at_gives_the_front_matter_status_from_the_real_start():
    i = incident("---\ntitle: T\nimpact: critical\ncomponents: [voice]\nstarted_at: 2026-11-20 09:20 +00:00\n---\n\n"
                 "## Investigating · 2026-11-20 10:00 +00:00 {messaging=partial_outage}\n\nA.\n\n"
                 "## Resolved · 2026-11-20 11:00 +00:00\n\nB.\n")
    assert stretches(i, "voice") == [("09:20", "11:00", "major_outage")]
    assert stretches(i, "messaging") == [("10:00", "11:00", "partial_outage")]


def test_ended_at_ends_the_impact_and_later_statuses_before_the_resolution_are_warned():
    text = ("---\ntitle: T\nimpact: critical\ncomponents: [voice]\nended_at: 2026-11-20 10:30 +00:00\n---\n\n"
            "## Investigating · 2026-11-20 10:00 +00:00\n\nA.\n\n"
            "## Monitoring · 2026-11-20 10:45 +00:00 {voice=degraded_performance}\n\nB.\n\n"
            "## Resolved · 2026-11-21 08:00 +00:00\n\nC.\n")
    i, diagnostics = parse(text)
    assert i is not None
    assert stretches(i, "voice") == [("10:00", "10:30", "major_outage")]
    assert [(d.level, d.line) for d in diagnostics] == [("warning", 12)]
    assert "after ended_at" in diagnostics[0].message


# -- the impact window (13.5) -----------------------------------------------------------------


def test_started_at_after_the_resolution_is_an_error_at_its_line():
    i, diagnostics = parse("---\ntitle: T\nimpact: major\ncomponents: [voice]\nstarted_at: 2026-11-21 09:00 +00:00\n---\n\n"
                           "## Investigating · 2026-11-20 10:00 +00:00\n\nA.\n\n## Resolved · 2026-11-20 11:00 +00:00\n\nB.\n")
    assert i is None
    assert [(d.level, d.line) for d in diagnostics] == [("error", 5)]
    assert "after the incident was resolved" in diagnostics[0].message


def test_ended_at_before_the_first_update_without_started_at_is_an_error_so_ended_never_precedes_started():
    i, diagnostics = parse("---\ntitle: T\nimpact: major\ncomponents: [voice]\nended_at: 2026-11-20 09:00 +00:00\n---\n\n"
                           "## Investigating · 2026-11-20 10:00 +00:00\n\nA.\n\n## Resolved · 2026-11-20 11:00 +00:00\n\nB.\n")
    assert i is None
    assert [(d.level, d.line) for d in diagnostics] == [("error", 5)]
    assert "set started_at" in diagnostics[0].hint


def test_a_critical_incident_whose_window_leaves_no_downtime_is_warned():
    i, diagnostics = parse("---\ntitle: T\nimpact: critical\ncomponents: [voice]\n---\n\n"
                           "## Resolved · 2026-11-20 11:00 +00:00\n\nIt was down overnight.\n")
    assert i is not None
    assert [(d.level, d.line) for d in diagnostics] == [("warning", 3)]
    assert "no downtime" in diagnostics[0].message and "started_at" in diagnostics[0].hint
    fixed, diagnostics = parse("---\ntitle: T\nimpact: critical\ncomponents: [voice]\nstarted_at: 2026-11-20 02:00 +00:00\n---\n\n"
                               "## Resolved · 2026-11-20 11:00 +00:00\n\nIt was down overnight.\n")
    assert fixed is not None and diagnostics == []


def line_of(text: str, key: str) -> int:
    """The 1-based line of a front matter key, found by reading the text (not through the parser)."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(key + ":"))


def test_a_window_warning_names_the_front_matter_line_of_started_at_wherever_it_is_written():
    text = ("---\ntitle: T\nimpact: critical\n# the outage began when the resolution was posted\n"
            "components:\n  - voice\nstarted_at: 2026-11-20 11:00 +00:00\n---\n\n"
            "## Resolved · 2026-11-20 11:00 +00:00\n\nIt was down for no time at all.\n")
    i, diagnostics = parse(text)
    assert i is not None
    assert [(d.file, d.line, d.level) for d in diagnostics] == [("incidents/x.md", line_of(text, "started_at"), "warning")]
    assert line_of(text, "started_at") == 7


def test_an_automatic_update_names_the_line_of_the_window_edge_it_comes_from_even_after_the_model_is_rebuilt():
    text = MAINTENANCE.replace("scheduled_until:", "# until\n\nscheduled_until:")
    m = incident(text)
    assert m.lines.line("scheduled_until") == line_of(text, "scheduled_until") == 8
    later = timeline.with_automatic_updates(site_of(m), at("2026-11-30 08:00+01:00")).incidents[0]
    assert [(u.key, u.line) for u in later.updates if u.automatic] == [
        ("auto-in-progress", line_of(text, "scheduled_for")), ("auto-completed", line_of(text, "scheduled_until"))]
    assert later.lines == m.lines  # the map travels with every rebuilt copy of the incident
    assert dataclasses.replace(m, lines=SourceMap()) == m  # and is never part of what the incident says


def test_an_update_may_not_take_the_id_of_an_automatic_one():
    i, diagnostics = parse(HEAD + "## Investigating · 2026-11-20 10:00 +00:00 {#auto-completed}\n\nA.\n")
    assert i is None and [(d.level, d.line) for d in diagnostics] == [("error", 7)]


# -- maintenance that moves by itself (13.4) ----------------------------------------------------

MAINTENANCE = """---
type: maintenance
title: Upgrade
components: [reporting]
scheduled_for: 2026-11-25 22:00 +01:00
scheduled_until: 2026-11-25 23:00 +01:00
---

## Scheduled · 2026-11-21 12:00 +01:00

We will upgrade.
"""


def site_of(*incidents: Incident) -> StatusSite:
    return StatusSite(SETTINGS, incidents)


def automatic(site: StatusSite) -> list[tuple[str, str, str]]:
    return [(u.key, u.status, u.at.isoformat()) for i in site.incidents for u in i.updates if u.automatic]


@pytest.mark.parametrize(("now", "expected"), [
    ("2026-11-25 21:59:59+01:00", []),
    ("2026-11-25 22:00+01:00", [("auto-in-progress", "in_progress", "2026-11-25T22:00:00+01:00")]),
    ("2026-11-26 08:00+01:00", [("auto-in-progress", "in_progress", "2026-11-25T22:00:00+01:00"),
                                ("auto-completed", "completed", "2026-11-25T23:00:00+01:00")]),
])
def test_a_window_reached_without_a_post_gets_an_automatic_update_at_its_instant(now: str, expected: list) -> None:
    assert automatic(timeline.with_automatic_updates(site_of(incident(MAINTENANCE)), at(now))) == expected


def test_automatic_updates_have_the_standard_text_in_every_language_and_keep_their_ids():
    later = timeline.with_automatic_updates(site_of(incident(MAINTENANCE)), at("2026-11-30 08:00+01:00"))
    m = later.incidents[0]
    update = m.updates[1]
    assert update.texts == {"en": "The scheduled maintenance is now in progress.", "nb": "Det planlagte vedlikeholdet pågår nå."}
    assert update.line == 5  # scheduled_for's line: where a reader of the file looks
    assert [u.key for u in m.updates] == ["20261121T110000Z", "auto-in-progress", "auto-completed"]
    again = timeline.with_automatic_updates(site_of(incident(MAINTENANCE)), at("2026-12-30 08:00+01:00"))
    assert [(u.key, u.at) for u in again.incidents[0].updates] == [(u.key, u.at) for u in m.updates]
    changes = timeline.component_changes(m)
    assert [[(c.component, c.old, c.new) for c in u] for u in changes] == [
        [], [("reporting", "operational", "under_maintenance")], [("reporting", "under_maintenance", "operational")]]


def test_a_phase_posted_by_hand_at_or_before_the_window_gets_no_automatic_update():
    posted = incident(MAINTENANCE + "\n## In progress · 2026-11-25 21:55 +01:00\n\nStarted early.\n")
    assert automatic(timeline.with_automatic_updates(site_of(posted), at("2026-11-25 22:30+01:00"))) == []
    late = incident(MAINTENANCE + "\n## In progress · 2026-11-25 22:10 +01:00\n\nStarted.\n")
    # Posted after the window opened: the post tells the phase; only "completed" is left to the build.
    assert [k for k, _, _ in automatic(timeline.with_automatic_updates(site_of(late), at("2026-11-25 23:30+01:00")))] == ["auto-completed"]
    completed_late = incident(MAINTENANCE + "\n## Verifying · 2026-11-25 22:50 +01:00\n\nChecking.\n"
                                            "\n## Completed · 2026-11-25 23:20 +01:00\n\nDone.\n")
    # "Completed" posted late: the post tells it; "in progress" was never posted: the build tells it.
    assert [k for k, _, _ in automatic(timeline.with_automatic_updates(site_of(completed_late), at("2026-11-26 08:00+01:00")))] == ["auto-in-progress"]


def test_a_cancelled_maintenance_never_flips_and_is_neither_upcoming_nor_active():
    m = incident(MAINTENANCE + "\n## Cancelled · 2026-11-24 09:00 +01:00\n\nNot needed after all.\n")
    assert m.cancelled
    for now in ("2026-11-24 10:00+01:00", "2026-11-25 22:30+01:00", "2026-11-26 08:00+01:00"):
        site = timeline.with_automatic_updates(site_of(m), at(now))
        assert automatic(site) == []
        assert timeline.status_of(m, at(now)) == "cancelled"
        view = timeline.overview(site, at(now))
        assert view.active_maintenance == [] and view.upcoming_maintenance == []
        assert view.component_status["reporting"] == "operational" and view.indicator == "none"


def test_statuses_a_maintenance_update_names_hold_until_it_completes():
    m = incident(MAINTENANCE + "\n## In progress · 2026-11-25 22:00 +01:00 {reporting=under_maintenance}\n\nStarted.\n"
                 "\n## Verifying · 2026-11-25 22:40 +01:00 {reporting=under_maintenance}\n\nChecking.\n"
                 "\n## Completed · 2026-11-25 22:50 +01:00\n\nDone.\n")
    # As Statuspage keeps it (and an import writes it): under maintenance through "verifying".
    assert stretches(m, "reporting") == [("21:00", "21:40", "under_maintenance"), ("21:00", "21:50", "under_maintenance")]
    assert [[(c.old, c.new) for c in u] for u in timeline.component_changes(m)] == [
        [], [("operational", "under_maintenance")], [("under_maintenance", "under_maintenance")],
        [("under_maintenance", "operational")]]
    view = timeline.overview(site_of(m), at("2026-11-25 22:45+01:00"))
    assert view.component_status["reporting"] == "under_maintenance"
