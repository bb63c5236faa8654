"""Date-time syntax shared by update headings, front matter and the CLI.

``YYYY-MM-DD HH:MM[:SS]`` (``T`` may replace the space), then optionally a
zone: ``Z``, ``UTC``, ``GMT``, an offset (``+01:00``, ``+0100``, ``+01``) or an
IANA key as tzdata spells it. Without a zone the given default zone applies,
DST-correctly: a local time in a spring-forward gap is an error, one that
occurs twice takes its first occurrence with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..diagnostics import HintedError

DATE_TIME = re.compile(
    r"(?P<date>\d{1,4}-\d{1,2}-\d{1,2})(?:T|\s+)(?P<time>\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d+)?)"
)
_STRICT_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_STRICT_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?")
_OFFSET = re.compile(r"([+-])(\d{2})(?::?(\d{2}))?")
SYNTAX = "write it as YYYY-MM-DD HH:MM, optionally with a zone such as +01:00, UTC or Europe/Oslo"
# The years an instant may have. Far enough from datetime's limits (years 1 and 9999) that
# converting to any zone and adding any window the site computes (90-day bars, feeds, the
# seven-day staleness warning) never overflows; no status page predates 1970.
MIN_YEAR, MAX_YEAR = 1970, 9000

# Common abbreviations people type, with what to write instead.
ABBREVIATIONS = {
    "CET": "+01:00 or Europe/Oslo",
    "CEST": "+02:00 or Europe/Oslo",
    "EET": "+02:00 or Europe/Helsinki",
    "EEST": "+03:00 or Europe/Helsinki",
    "WET": "+00:00 or Europe/Lisbon",
    "WEST": "+01:00 or Europe/Lisbon",
    "BST": "+01:00 or Europe/London",
    "IST": "+05:30 or Asia/Kolkata",
    "PT": "America/Los_Angeles",
    "PST": "-08:00 or America/Los_Angeles",
    "PDT": "-07:00 or America/Los_Angeles",
    "MT": "America/Denver",
    "MST": "-07:00 or America/Denver",
    "MDT": "-06:00 or America/Denver",
    "CT": "America/Chicago",
    "CST": "-06:00 or America/Chicago",
    "CDT": "-05:00 or America/Chicago",
    "ET": "America/New_York",
    "EST": "-05:00 or America/New_York",
    "EDT": "-04:00 or America/New_York",
    "JST": "+09:00 or Asia/Tokyo",
    "KST": "+09:00 or Asia/Seoul",
    "AEST": "+10:00 or Australia/Sydney",
    "AEDT": "+11:00 or Australia/Sydney",
    "BRT": "-03:00 or America/Sao_Paulo",
    "MSK": "+03:00 or Europe/Moscow",
    "HKT": "+08:00 or Asia/Hong_Kong",
    "HST": "-10:00 or Pacific/Honolulu",
    "MET": "+01:00 or Europe/Paris",
    "SGT": "+08:00 or Asia/Singapore",
    "NZST": "+12:00 or Pacific/Auckland",
    "NZDT": "+13:00 or Pacific/Auckland",
}


class DateError(HintedError, ValueError):
    """A date, time or zone that cannot be used; ``hint`` says what to write."""

    def __init__(self, message: str, hint: str = SYNTAX) -> None:
        super().__init__(message, hint)


class ParsedTime(NamedTuple):
    at: dt.datetime  # aware
    ambiguous: bool = False  # a local time that occurs twice; the first was taken
    zone_given: bool = True


# Keys of the machine's zone folder that are no IANA zone, or mean different things on
# different machines: the build would then depend on where it runs.
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules", "leapseconds", "leap-seconds.list"})


def _usable(key: str) -> bool:
    return key not in NOT_ZONES and not key.startswith(("posix/", "right/"))


@lru_cache(maxsize=1)
def zone_keys() -> frozenset[str]:
    """The IANA keys a site may use: tzdata's, less ``NOT_ZONES`` and the ``posix/`` and ``right/`` trees."""
    return frozenset(k for k in available_timezones() if _usable(k))


@lru_cache(maxsize=1)
def _packaged_keys() -> frozenset[str]:
    """The keys the tzdata package lists in its one ``zones`` file, where ``available_timezones()`` starts
    (usable ones only): a subset of ``zone_keys()`` read without walking the machine's zone folders."""
    try:
        with resources.files("tzdata").joinpath("zones").open("r", encoding="utf-8") as f:
            return frozenset(k for k in (line.strip() for line in f) if k and _usable(k))
    except (ImportError, OSError):  # pragma: no cover - tzdata is a dependency
        return frozenset()


def is_zone_key(key: str) -> bool:
    """``key in zone_keys()``, answered for the keys tzdata lists without listing the machine's zones."""
    return key in _packaged_keys() or key in zone_keys()


@lru_cache(maxsize=1)
def _zones_by_lower() -> dict[str, str]:
    return {z.lower(): z for z in zone_keys()}


@cache
def zone(name: str) -> ZoneInfo:
    """An IANA zone by its exact tzdata key; DateError with a suggestion otherwise.

    One rule for headings, front matter, the CLI and mkdocs.yml: a key of ``zone_keys()``.
    Abbreviations are refused even where tzdata lists them as keys (``CET``, ``EST``): they
    do not say which zone a reader means.
    """
    key = name.strip()
    upper = key.upper()
    if upper in ABBREVIATIONS:
        raise DateError(
            f"time zone abbreviation '{key}' is ambiguous",
            f"write an offset or zone instead: {ABBREVIATIONS[upper]}",
        )
    if is_zone_key(key):
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # pragma: no cover - listed but unreadable
            pass
    if not _usable(key):
        raise DateError(f"time zone '{key}' depends on the machine that builds the site",
                        "use an IANA zone such as Europe/Oslo, or UTC")
    spelled = _zones_by_lower().get(key.lower())
    if spelled:
        raise DateError(f"unknown time zone '{key}' (did you mean '{spelled}'?)", "zone names are case-sensitive")
    import difflib

    close = difflib.get_close_matches(key, sorted(zone_keys()), n=1, cutoff=0.75)
    suffix = f" (did you mean '{close[0]}'?)" if close else ""
    raise DateError(
        f"unknown time zone '{key}'{suffix}",
        "use an offset such as +01:00, UTC, or an IANA zone such as Europe/Oslo",
    )


def parse_zone(text: str) -> dt.tzinfo:
    """``Z``/``UTC``/``GMT``, an offset, or an IANA key."""
    word = text.strip()
    if word.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    m = _OFFSET.fullmatch(word)
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours > 23 or minutes > 59:
            raise DateError(f"offset '{word}' is out of range", "offsets run from -23:59 to +23:59")
        delta = dt.timedelta(hours=hours, minutes=minutes)
        return dt.timezone(-delta if sign == "-" else delta)
    if re.fullmatch(r"(UTC|GMT)[+-].*", word, flags=re.IGNORECASE):
        raise DateError(f"unknown time zone '{word}'", f"write the offset alone, such as {word[3:]}")
    return zone(word)


def parse_local(date_text: str, time_text: str) -> dt.datetime:
    """Naive datetime from strict, zero-padded fields."""
    dm = _STRICT_DATE.fullmatch(date_text)
    tm = _STRICT_TIME.fullmatch(time_text)
    if not dm or not tm:
        if re.search(r"[.,]\d+$", time_text):
            raise DateError(f"'{date_text} {time_text}' has fractions of a second", "write whole seconds: HH:MM:SS")
        raise DateError(f"'{date_text} {time_text}' is not a date and time I can read")
    try:
        naive = dt.datetime(
            int(dm.group(1)), int(dm.group(2)), int(dm.group(3)),
            int(tm.group(1)), int(tm.group(2)), int(tm.group(3) or 0),
        )  # fmt: skip
    except ValueError as exc:
        raise DateError(f"'{date_text} {time_text}' does not exist ({exc})", "check the day and time") from None
    return naive


def check_year(naive: dt.datetime, shown: str) -> None:
    """DateError for a year outside MIN_YEAR..MAX_YEAR (such instants overflow in zone conversions)."""
    if not MIN_YEAR <= naive.year <= MAX_YEAR:
        raise DateError(f"'{shown}' is outside the years {MIN_YEAR} to {MAX_YEAR} a status page can show",
                        "check the year")


def localize(naive: dt.datetime, tz: dt.tzinfo) -> ParsedTime:
    """Attach a zone to a wall-clock time, checking DST gaps and folds."""
    if not isinstance(tz, ZoneInfo):
        return ParsedTime(naive.replace(tzinfo=tz))
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    roundtrip = first.astimezone(dt.timezone.utc).astimezone(tz).replace(tzinfo=None)
    if roundtrip != naive:
        raise DateError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks skip it when summer time begins)",
            "write the time with an explicit offset, or the time the clocks showed",
        )
    return ParsedTime(first, ambiguous=first.utcoffset() != second.utcoffset(), zone_given=False)


def parse_datetime(text: str, default_zone: dt.tzinfo) -> ParsedTime:
    """A whole date-time string as front matter and the CLI write it."""
    raw = str(text).strip()
    m = DATE_TIME.match(raw)
    if not m:
        raise DateError(f"'{raw}' is not a date and time I can read")
    return finish(m.group("date"), m.group("time"), raw[m.end() :].strip(), default_zone)


def finish(date_text: str, time_text: str, zone_text: str, default_zone: dt.tzinfo) -> ParsedTime:
    """A date, time and optional zone as written, made an aware instant; DateError otherwise."""
    naive = parse_local(date_text, time_text)
    check_year(naive, f"{date_text} {time_text}")
    if zone_text:
        tz = parse_zone(zone_text)
        if isinstance(tz, ZoneInfo):
            # An explicit IANA zone still has gaps and folds; the fold is not ambiguous
            # in spirit, but we keep the first occurrence and say so.
            return localize(naive, tz)
        return ParsedTime(naive.replace(tzinfo=tz))
    return localize(naive, default_zone)
