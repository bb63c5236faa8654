"""Unit tests of timeline.py: status over time, maintenance phases, day bars and uptime.

Incidents are parsed from small texts with the real parser, so the tests read
like the files support engineers write.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mkdocs_status import timeline
from mkdocs_status.model import Component, Group, Incident, Language, Settings, StatusSite
from mkdocs_status.parse.incident import ParseSettings, parse_incident

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.timezone.utc
PARSE = ParseSettings(
    languages=("en",),
    required_languages=(),
    timezone=OSLO,
    components=("voice", "messaging", "reporting", "login"),
    groups={"engage": ("voice", "messaging")},
)
SETTINGS = Settings(
    site_name="Test",
    site_url="https://status.example.com/",
    languages=(Language("en", "en", "", "English"),),
    required_languages=(),
    timezone=OSLO,
    display_timezones=(OSLO,),
    components=(
        Component("voice", {"en": "Voice"}, {}, 1, group="engage"),
        Component("messaging", {"en": "Messaging"}, {}, 2, group="engage"),
        Component("reporting", {"en": "Reporting"}, {}, 3),
        Component("login", {"en": "Login"}, {}, 4),
    ),
    groups=(Group("engage", {"en": "Engage"}, {}, 0, ("voice", "messaging")),),
)


def incident(stem: str, text: str) -> Incident:
    parsed, diagnostics = parse_incident(f"incidents/{stem}.md", stem, text, PARSE)
    errors = [d for d in diagnostics if d.level == "error"]
    assert parsed is not None and not errors, errors
    return parsed


def site(*incidents: Incident) -> StatusSite:
    return StatusSite(SETTINGS, tuple(sorted(incidents, key=lambda i: (i.start, i.id), reverse=True)))


def at(text: str) -> dt.datetime:
    """An instant written like a heading with an explicit zone: '2026-03-29 01:30 +01:00'."""
    return dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace(" ", ""))


VOICE_OUTAGE = incident("voice-outage", """---
title: Calls dropped
impact: critical
components: [voice]
---

## Investigating · 2026-11-10 10:00 +01:00

Calls are dropped.

## Resolved · 2026-11-10 14:00 +01:00

Fixed.
""")

VOICE_SLOW = incident("voice-slow", """---
title: Calls slow to connect
impact: minor
components: [voice, messaging]
---

## Investigating · 2026-11-10 08:00 +01:00

Calls are slow.

## Update · 2026-11-10 09:00 +01:00

Still slow.

## Resolved · 2026-11-10 12:00 +01:00

Fixed.
""")

REPORTING_MAINTENANCE = incident("reporting-upgrade", """---
type: maintenance
title: Reporting database upgrade
components: [reporting]
scheduled_for: "2026-11-21 21:30"
scheduled_until: "2026-11-21 23:30"
---

## Scheduled · 2026-11-16 11:00

We will upgrade the reporting database.
""")


# -- status over time -------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-11-10 07:59 +01:00", "operational"),
        ("2026-11-10 08:00 +01:00", "degraded_performance"),  # only the slow incident
        ("2026-11-10 10:00 +01:00", "major_outage"),  # both: the worst wins
        ("2026-11-10 12:30 +01:00", "major_outage"),  # the slow one resolved, the outage goes on
        ("2026-11-10 14:00 +01:00", "operational"),  # both resolved
    ],
)
def test_overlapping_incidents_give_a_component_the_worst_status_of_those_active(when: str, expected: str) -> None:
    segs = timeline.segments(site(VOICE_OUTAGE, VOICE_SLOW))
    assert timeline.status_at(segs["voice"], at(when)) == expected


def test_each_component_has_its_own_status_and_a_group_takes_its_worst_member() -> None:
    now = at("2026-11-10 11:00 +01:00")
    view = timeline.overview(site(VOICE_OUTAGE, VOICE_SLOW), now)
    assert view.component_status == {
        "voice": "major_outage",
        "messaging": "degraded_performance",
        "reporting": "operational",
        "login": "operational",
    }
    assert view.group_status == {"engage": "major_outage"}
    assert view.indicator == "critical"
    assert {i.id for i in view.active_incidents} == set()  # both resolved by the files' last update


def test_an_unresolved_incident_is_active_and_sets_the_indicator_from_its_impact() -> None:
    ongoing = incident("login-slow", """---
title: Slow sign-in
impact: major
components:
  login: degraded_performance
---

## Investigating · 2026-11-20 10:00 +01:00

Sign-in is slow.

## Update · 2026-11-20 10:30 +01:00

Still looking.
""")
    assert ongoing.status == "investigating"  # "update" keeps the status it had
    view = timeline.overview(site(ongoing, VOICE_OUTAGE), at("2026-11-20 11:00 +01:00"))
    assert [i.id for i in view.active_incidents] == ["login-slow"]
    assert view.component_status["login"] == "degraded_performance"
    assert view.indicator == "major"  # impact beats the component's milder status


def test_an_explicit_component_status_overrides_the_one_the_impact_implies() -> None:
    mixed = incident("mixed", """---
title: Mixed
impact: critical
components:
  voice: partial_outage
  messaging: degraded_performance
---

## Investigating · 2026-11-20 10:00 +01:00

Text.
""")
    view = timeline.overview(site(mixed), at("2026-11-20 11:00 +01:00"))
    assert view.component_status["voice"] == "partial_outage"
    assert view.component_status["messaging"] == "degraded_performance"
    assert view.indicator == "critical"


def test_a_reopened_incident_is_active_again() -> None:
    reopened = incident("reopened", """---
title: Flapping
impact: minor
components: [voice]
---

## Investigating · 2026-11-20 10:00 +01:00

A.

## Resolved · 2026-11-20 11:00 +01:00

B.

## Identified · 2026-11-20 12:00 +01:00

C.
""")
    assert not reopened.resolved and reopened.end is None
    view = timeline.overview(site(reopened), at("2026-11-20 13:00 +01:00"))
    assert view.component_status["voice"] == "degraded_performance"
    assert [i.id for i in view.active_incidents] == ["reopened"]


def test_started_at_before_the_first_post_counts_from_when_the_impact_began() -> None:
    early = incident("early", """---
title: Early
impact: critical
components: [voice]
started_at: "2026-11-20 09:00"
ended_at: "2026-11-20 09:30"
---

## Investigating · 2026-11-20 09:20

A.

## Resolved · 2026-11-20 12:00

B.
""")
    segs = timeline.segments(site(early))["voice"]
    assert timeline.status_at(segs, at("2026-11-20 09:05 +01:00")) == "major_outage"
    assert timeline.status_at(segs, at("2026-11-20 09:30 +01:00")) == "operational"


# -- maintenance --------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "phase", "component"),
    [
        ("2026-11-21 21:29 +01:00", "scheduled", "operational"),
        ("2026-11-21 21:30 +01:00", "in_progress", "under_maintenance"),
        ("2026-11-21 23:29 +01:00", "in_progress", "under_maintenance"),
        ("2026-11-21 23:30 +01:00", "completed", "operational"),
    ],
)
def test_a_maintenance_window_opens_and_closes_by_itself(when: str, phase: str, component: str) -> None:
    now = at(when)
    assert timeline.maintenance_phase(REPORTING_MAINTENANCE, now) == phase
    assert timeline.status_of(REPORTING_MAINTENANCE, now) == phase
    view = timeline.overview(site(REPORTING_MAINTENANCE), now)
    assert view.component_status["reporting"] == component
    assert view.indicator == ("maintenance" if phase == "in_progress" else "none")
    assert [m.id for m in view.upcoming_maintenance] == (["reporting-upgrade"] if phase == "scheduled" else [])
    assert [m.id for m in view.active_maintenance] == (["reporting-upgrade"] if phase == "in_progress" else [])


def test_a_maintenance_started_early_and_completed_early_follows_its_posts() -> None:
    m = incident("early-maintenance", """---
type: maintenance
title: Early
components: [reporting]
scheduled_for: "2026-11-21 21:30"
scheduled_until: "2026-11-21 23:30"
---

## Scheduled · 2026-11-16 11:00

Planned.

## In progress · 2026-11-21 21:00

Started early.

## Completed · 2026-11-21 22:00

Done early.
""")
    assert timeline.maintenance_phase(m, at("2026-11-21 21:10 +01:00"), all_updates=False) == "in_progress"
    assert timeline.maintenance_phase(m, at("2026-11-21 22:10 +01:00")) == "completed"
    assert timeline.maintenance_in_progress(m) == [(at("2026-11-21 21:00 +01:00"), at("2026-11-21 22:00 +01:00"))]


def test_a_maintenance_completed_late_stays_verifying_after_its_window() -> None:
    m = incident("late", """---
type: maintenance
title: Late
components: [reporting]
scheduled_for: "2026-11-21 21:30"
scheduled_until: "2026-11-21 23:30"
---

## Scheduled · 2026-11-16 11:00

Planned.

## Verifying · 2026-11-21 23:00

Checking.
""")
    # The window says completed after 23:30, which is later in the lifecycle than verifying.
    assert timeline.maintenance_phase(m, at("2026-11-21 23:10 +01:00")) == "verifying"
    assert timeline.maintenance_phase(m, at("2026-11-21 23:40 +01:00")) == "completed"


def test_maintenance_never_counts_against_uptime() -> None:
    segs = timeline.segments(site(REPORTING_MAINTENANCE))["reporting"]
    now = at("2026-11-22 12:00 +01:00")
    assert timeline.uptime(segs, now, OSLO, 30) == 100.0
    bars = timeline.day_bars(segs, now, OSLO, days=2)
    assert [b.status for b in bars] == ["under_maintenance", "operational"]


# -- day bars and uptime --------------------------------------------------------


def test_uptime_weights_major_outage_fully_and_partial_outage_at_30_percent() -> None:
    major = incident("major", """---
title: Down
impact: critical
components: [voice]
---

## Investigating · 2026-11-20 00:00

A.

## Resolved · 2026-11-20 02:24

B.
""")
    partial = incident("partial", """---
title: Partly down
impact: major
components: [messaging]
---

## Investigating · 2026-11-20 00:00

A.

## Resolved · 2026-11-20 02:24

B.
""")
    degraded = incident("degraded", """---
title: Slow
impact: minor
components: [reporting]
---

## Investigating · 2026-11-20 00:00

A.

## Resolved · 2026-11-20 12:00

B.
""")
    segs = timeline.segments(site(major, partial, degraded))
    now = at("2026-11-21 00:00 +01:00")  # the last two local days: 20 November and the first instant of the 21st
    # 2 h 24 min of a 24 h day is 10 %.
    assert timeline.uptime(segs["voice"], now, OSLO, 2) == pytest.approx(90.0)
    assert timeline.uptime(segs["messaging"], now, OSLO, 2) == pytest.approx(97.0)
    assert timeline.uptime(segs["reporting"], now, OSLO, 2) == 100.0


def test_an_outage_over_midnight_is_split_between_the_two_local_days() -> None:
    night = incident("night", """---
title: Night outage
impact: critical
components: [voice]
---

## Investigating · 2026-11-19 23:00

A.

## Resolved · 2026-11-20 01:00

B.
""")
    segs = timeline.segments(site(night))["voice"]
    now = at("2026-11-20 12:00 +01:00")
    bars = timeline.day_bars(segs, now, OSLO, days=3)
    assert [b.day for b in bars] == [dt.date(2026, 11, 18), dt.date(2026, 11, 19), dt.date(2026, 11, 20)]
    assert [b.status for b in bars] == ["operational", "major_outage", "major_outage"]
    assert bars[1].seconds == {"major_outage": 3600.0}
    assert bars[2].seconds == {"major_outage": 3600.0}
    assert bars[1].incidents == bars[2].incidents == [night]
    # Two local days so far: 24 h + 12 h, of which 2 h down.
    assert timeline.uptime(segs, now, OSLO, 2) == pytest.approx(100 * (1 - 2 / 36))


def test_days_are_counted_in_the_site_time_zone_not_utc() -> None:
    late = incident("late-evening", """---
title: Late evening
impact: critical
components: [voice]
---

## Investigating · 2026-11-19 23:30 UTC

A.

## Resolved · 2026-11-19 23:45 UTC

B.
""")
    segs = timeline.segments(site(late))["voice"]
    bars = timeline.day_bars(segs, at("2026-11-20 12:00 +01:00"), OSLO, days=2)
    # 23:30 UTC is 00:30 in Oslo: the outage belongs to 20 November there.
    assert [(b.day, b.status) for b in bars] == [(dt.date(2026, 11, 19), "operational"), (dt.date(2026, 11, 20), "major_outage")]


def test_a_day_bar_of_the_autumn_dst_change_lasts_25_hours() -> None:
    all_day = incident("all-day", """---
title: All day
impact: critical
components: [voice]
---

## Investigating · 2026-10-25 00:00

A.

## Resolved · 2026-10-26 00:00

B.
""")
    segs = timeline.segments(site(all_day))["voice"]
    bars = timeline.day_bars(segs, at("2026-10-26 12:00 +01:00"), OSLO, days=2)
    assert bars[0].day == dt.date(2026, 10, 25)
    assert bars[0].seconds == {"major_outage": 25 * 3600.0}
    assert bars[1].status == "operational"
    assert bars[1].incidents == []  # ended exactly at midnight: nothing on the 26th


def test_uptime_across_the_autumn_dst_change_counts_real_hours() -> None:
    # 01:00 CEST to 04:00 CET is four real hours, though the wall clock moved three.
    outage = incident("dst-outage", """---
title: Across the clock change
impact: critical
components: [voice]
---

## Investigating · 2026-10-25 01:00

A.

## Resolved · 2026-10-25 04:00

B.
""")
    segs = timeline.segments(site(outage))["voice"]
    now = at("2026-10-26 00:00 +01:00")  # the end of the 25-hour day
    assert timeline.uptime(segs, now, OSLO, 2) == pytest.approx(100 * (1 - 4 / 25))
    assert timeline.day_bars(segs, now - dt.timedelta(seconds=1), OSLO, days=1)[0].seconds == {"major_outage": 4 * 3600.0}


def test_uptime_across_the_spring_dst_change_counts_a_23_hour_day() -> None:
    outage = incident("spring-outage", """---
title: Across the spring change
impact: critical
components: [voice]
---

## Investigating · 2026-03-29 01:30

A.

## Resolved · 2026-03-29 03:30

B.
""")
    segs = timeline.segments(site(outage))["voice"]
    now = at("2026-03-30 00:00 +02:00")
    # 01:30 CET to 03:30 CEST is one real hour of a 23-hour day.
    assert timeline.uptime(segs, now, OSLO, 2) == pytest.approx(100 * (1 - 1 / 23))


def test_uptime_starts_at_a_component_start_date_and_is_unknown_before_it() -> None:
    segs = timeline.segments(site(VOICE_OUTAGE))["voice"]
    now = at("2026-11-11 00:00 +01:00")
    # Only 10 November counts: 4 h down of 24.
    assert timeline.uptime(segs, now, OSLO, 90, since=dt.date(2026, 11, 10)) == pytest.approx(100 * (1 - 4 / 24))
    assert timeline.uptime(segs, now, OSLO, 90, since=dt.date(2026, 12, 1)) is None
    bars = timeline.day_bars(segs, now, OSLO, days=3, since=dt.date(2026, 11, 10))
    assert [b.status for b in bars] == ["no_data", "major_outage", "operational"]


def test_an_unresolved_incident_counts_as_down_until_now() -> None:
    ongoing = incident("ongoing", """---
title: Ongoing
impact: critical
components: [voice]
---

## Investigating · 2026-11-20 06:00

A.
""")
    segs = timeline.segments(site(ongoing))["voice"]
    now = at("2026-11-20 12:00 +01:00")
    assert timeline.uptime(segs, now, OSLO, 1) == pytest.approx(50.0)
    assert timeline.day_bars(segs, now, OSLO, days=1)[0].seconds == {"major_outage": 6 * 3600.0}


def test_past_days_list_the_incidents_that_began_on_each_local_day_newest_first() -> None:
    s = site(VOICE_OUTAGE, VOICE_SLOW, REPORTING_MAINTENANCE)
    days = timeline.past_days(s, at("2026-11-11 12:00 +01:00"), days=3)
    assert [d for d, _ in days] == [dt.date(2026, 11, 11), dt.date(2026, 11, 10), dt.date(2026, 11, 9)]
    assert {i.id for i in days[1][1]} == {"voice-outage", "voice-slow"}
    # A maintenance that is still only scheduled is not history yet.
    later = timeline.past_days(s, at("2026-11-21 12:00 +01:00"), days=14)
    assert all(i.id != "reporting-upgrade" for _, incidents in later for i in incidents)
