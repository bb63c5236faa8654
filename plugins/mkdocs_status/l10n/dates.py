"""Dates, times and durations as people read them, via babel (CLDR)."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta, get_datetime_format
from babel.units import format_unit


def zone_label(at: dt.datetime) -> str:
    """tzdata's abbreviation (CET, PST), else the UTC offset (UTC+05:30)."""
    name = at.tzname() or ""
    if name and name[0].isalpha():
        return name
    offset = at.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


@lru_cache(maxsize=1 << 14)
def date_text(day: dt.date, lang: str, fmt: str = "medium") -> str:
    return format_date(day, fmt, locale=lang)


def time_text(at: dt.datetime, lang: str) -> str:
    return _clock(at.hour, at.minute, lang)


@lru_cache(maxsize=1 << 14)
def _clock(hour: int, minute: int, lang: str) -> str:
    return format_time(dt.time(hour, minute), "short", locale=lang)


def datetime_text(at: dt.datetime, lang: str) -> str:
    """Local date and time without zone, in the language's CLDR pattern."""
    pattern = _datetime_pattern(lang)
    return pattern.replace("{1}", date_text(at.date(), lang)).replace("{0}", time_text(at, lang))


@cache
def _datetime_pattern(lang: str) -> str:
    return str(get_datetime_format("medium", locale=lang))


# Recent instants only: the pages ask for an instant's text a few times in a row (incident page,
# search text), and keeping every instant of a large site in every language would be tens of MB.
@lru_cache(maxsize=1 << 12)
def instant_parts(at: dt.datetime, lang: str, zones: tuple[ZoneInfo, ...]) -> tuple[str, ...]:
    """The instant in each display zone: the date in the first (and wherever it differs)."""
    parts = []
    first_day = None
    for i, tz in enumerate(zones):
        local = at.astimezone(tz)
        if i == 0:
            first_day = local.date()
            parts.append(f"{datetime_text(local, lang)} {zone_label(local)}")
        elif local.date() != first_day:
            parts.append(f"{datetime_text(local, lang)} {zone_label(local)}")
        else:
            parts.append(f"{time_text(local, lang)} {zone_label(local)}")
    return tuple(parts)


def instant_text(at: dt.datetime, lang: str, zones: tuple[ZoneInfo, ...]) -> str:
    return " · ".join(instant_parts(at, lang, zones))


def month_text(month: dt.date, lang: str) -> str:
    """``November 2025`` / ``november 2025`` as a heading (CLDR stand-alone month)."""
    text = format_date(month, "LLLL y", locale=lang)
    return text[:1].upper() + text[1:]


def duration_text(delta: dt.timedelta, lang: str) -> str:
    """``2 h 10 min`` / ``2 t 10 min`` / ``2 Std. 10 Min.``; at least one minute."""
    return _duration(max(1, int(round(delta.total_seconds() / 60))), lang)


@lru_cache(maxsize=1 << 14)
def _duration(minutes: int, lang: str) -> str:
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    for value, unit in ((days, "duration-day"), (hours, "duration-hour"), (mins, "duration-minute")):
        if value:
            parts.append(format_unit(value, unit, length="short", locale=lang))
    # Units side by side, as clocks and timetables write them ("2 t 10 min"); CLDR's
    # list patterns would put a comma or "og" between them in some languages.
    return " ".join(parts)


def relative_text(delta: dt.timedelta, lang: str) -> str:
    """``3 hours ago`` / ``om 2 dager``: CLDR relative phrases."""
    return format_timedelta(delta, add_direction=True, threshold=1.5, locale=lang)


def percent_text(value: float, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.00", locale=lang) + "\u00a0%"
