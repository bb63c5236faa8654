"""Every page in every configured language, with fallback and machine-translation notices."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time, get_datetime_format, get_month_names
from babel.units import format_unit

import dom
from conftest import SIMPLE_INCIDENT
from mkdocs_status.l10n.dates import duration_text, instant_text, month_text

GERMAN_ONLY = """
---
title: Störung bei eingehenden Anrufen
lang: de
impact: minor
components: [voice]
---

## Investigating · 2026-11-19 09:00

Eingehende Anrufe werden verzögert zugestellt.

## Resolved · 2026-11-19 10:15

Die Störung ist behoben.
"""

MACHINE = """
---
title: Messaging delays
title_nb: Forsinkelser i meldinger
impact: minor
components: [messaging]
machine_translated: [nb]
---

## Investigating · 2026-11-18 09:00

Messages are delayed.

::: nb
Meldinger er forsinket.
:::
"""


@pytest.fixture(scope="module")
def four_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import copy

    from conftest import BASE_CONFIG, Site

    config = copy.deepcopy(BASE_CONFIG)
    site = Site(tmp_path_factory.mktemp("four") / "src", config)
    site.plugin.update(languages=["en", "nb", "de", "pt-BR"], required_languages=["en"])
    site.write_config()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.add("2026-11-19-calls.md", GERMAN_ONLY)
    site.add("2026-11-18-messaging.md", MACHINE + "\n## Resolved · 2026-11-18 10:00\n\nDone.\n\n::: nb\nFerdig.\n:::\n")
    return site.build()


def visible(page: Path) -> str:
    """The text a reader of ``page`` reads."""
    return dom.visible_text(dom.page(page))


def test_every_incident_page_exists_in_every_language(four_languages: Path):
    for prefix in ("", "nb/", "de/", "pt-br/"):
        for iid in ("2026-11-20-queue", "2026-11-19-calls", "2026-11-18-messaging"):
            assert (four_languages / prefix / "incidents" / iid / "index.html").exists(), (prefix, iid)
        for page in ("index.html", "history/index.html", "components/voice/index.html"):
            assert (four_languages / prefix / page).exists()


def test_html_lang_is_the_pages_bcp47_tag(four_languages: Path):
    for prefix, tag in (("", "en"), ("nb/", "nb"), ("de/", "de"), ("pt-br/", "pt-BR")):
        assert dom.lang(dom.page(four_languages / prefix)) == tag


def test_incident_written_only_in_german_reads_correctly_with_a_notice(four_languages: Path):
    en = visible(four_languages / "incidents" / "2026-11-19-calls" / "index.html")
    assert "Störung bei eingehenden Anrufen" in en
    assert "Die Störung ist behoben." in en
    assert "shown in German" in en
    de = visible(four_languages / "de" / "incidents" / "2026-11-19-calls" / "index.html")
    assert "Die Störung ist behoben." in de
    assert "shown in" not in de and "machine translated" not in de
    page = dom.page(four_languages / "incidents" / "2026-11-19-calls")
    # The German text is marked as German on the English page.
    assert dom.attrs(page, "li.status-update .status-update__body", "lang") == ["de", "de"]


def test_machine_translation_notice_appears_only_where_machine_text_is_shown(four_languages: Path):
    nb = visible(four_languages / "nb" / "incidents" / "2026-11-18-messaging" / "index.html")
    en = visible(four_languages / "incidents" / "2026-11-18-messaging" / "index.html")
    assert "Meldinger er forsinket." in nb
    assert nb.count("maskinoversatt") + nb.count("machine translated") >= 1
    assert "machine translated" not in en


def test_fallback_notice_names_the_language_shown_in_the_pages_language(four_languages: Path):
    # The queue incident has en and nb text only; the German page shows English with a German notice.
    de = visible(four_languages / "de" / "incidents" / "2026-11-20-queue" / "index.html")
    assert "We are looking into it." in de
    assert "Englisch" in de  # the language shown, named in German
    nb = visible(four_languages / "nb" / "incidents" / "2026-11-20-queue" / "index.html")
    assert "Vi undersøker saken." in nb
    assert "Englisch" not in nb and "English" not in nb.split("Made with")[0].split("Pålogging til kø feiler")[-1]


class _Alternates(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("hreflang") and a.get("href"):
            self.links.append((a["hreflang"] or "", a["href"] or ""))


def test_switcher_and_hreflang_links_point_at_existing_twin_pages(four_languages: Path):
    checked = 0
    for page in four_languages.rglob("index.html"):
        rel = page.relative_to(four_languages).as_posix()
        if rel.startswith(("search", "assets")) or "incidents/" not in rel and "components/" not in rel and "history" not in rel and rel.count("/") > 1:
            continue
        parser = _Alternates()
        parser.feed(page.read_text(encoding="utf-8"))
        if not parser.links:
            continue
        langs = {lang for lang, _ in parser.links}
        assert {"en", "nb", "de", "pt-BR", "x-default"} <= langs, rel
        for _, href in parser.links:
            target = (page.parent / href).resolve()
            target = target / "index.html" if href.endswith("/") or target.is_dir() else target
            assert target.exists(), (rel, href)
            # A twin: the same page in another language, not the home page.
            suffix = rel.split("/", 1)[1] if rel.split("/")[0] in ("nb", "de", "pt-br") else rel
            assert target.as_posix().endswith(suffix), (rel, href)
            checked += 1
    assert checked > 50


def test_language_names_come_from_cldr_in_their_own_language(four_languages: Path):
    names = dom.texts(dom.page(four_languages), "a.md-select__link")
    assert {"norsk bokmål", "Deutsch", "português (Brasil)"} <= set(names), names


OSLO_UTC = (ZoneInfo("Europe/Oslo"), ZoneInfo("UTC"))
LA = (ZoneInfo("UTC"), ZoneInfo("America/Los_Angeles"))


def _babel_instant(at: dt.datetime, lang: str, tz: ZoneInfo, *, with_date: bool = True) -> str:
    """What babel itself writes for a local date (medium) and time (short) in a language.

    The oracle for the tests below: CLDR's own pattern filled in by babel, so the
    tests hold for every CLDR release instead of pinning one release's spelling.
    """
    local = at.astimezone(tz)
    clock = format_time(local.time(), "short", locale=lang)
    if not with_date:
        return f"{clock} {local.tzname()}"
    pattern = str(get_datetime_format("medium", locale=lang))
    return pattern.replace("{1}", format_date(local.date(), "medium", locale=lang)).replace("{0}", clock) + f" {local.tzname()}"


@pytest.mark.parametrize("lang", ["en", "nb", "de", "fr", "pt_BR", "pl"])
def test_times_are_localized_for_each_language_and_zone(lang):
    at = dt.datetime(2025, 11, 12, 21, 24, tzinfo=dt.timezone.utc)  # 22:24 in Oslo (CET)
    expected = f"{_babel_instant(at, lang, OSLO_UTC[0])} · {_babel_instant(at, lang, OSLO_UTC[1], with_date=False)}"
    text = instant_text(at, lang, OSLO_UTC)
    assert text == expected
    assert text.count("CET") == 1 and text.endswith(" UTC")
    assert "2025" in text and text.count("2025") == 1, "the date is written once when both zones share the day"
    assert format_date(dt.date(2025, 11, 12), "medium", locale=lang) in text, "the date as babel writes it for the language"


def test_date_is_repeated_only_where_the_other_zone_is_on_another_day():
    at = dt.datetime(2025, 11, 12, 23, 30, tzinfo=dt.timezone.utc)  # 00:30 on the 13th in Oslo
    text = instant_text(at, "nb", OSLO_UTC)
    assert text == f"{_babel_instant(at, 'nb', OSLO_UTC[0])} · {_babel_instant(at, 'nb', OSLO_UTC[1])}"
    assert format_date(dt.date(2025, 11, 13), "medium", locale="nb") in text.split(" · ")[0]
    assert format_date(dt.date(2025, 11, 12), "medium", locale="nb") in text.split(" · ")[1]


def test_two_display_zones_across_a_dst_change():
    before = dt.datetime(2026, 3, 8, 9, 30, tzinfo=dt.timezone.utc)  # US switches on 8 March, Europe on 29 March
    after = dt.datetime(2026, 3, 8, 10, 30, tzinfo=dt.timezone.utc)
    assert instant_text(before, "en", LA).endswith("PST")
    assert instant_text(after, "en", LA).endswith("PDT")
    # 09:30 UTC is 01:30 PST; 10:30 UTC is 03:30 PDT (the clock skips 02:00-03:00).
    assert format_time(dt.time(1, 30), "short", locale="en") in instant_text(before, "en", LA)
    assert format_time(dt.time(3, 30), "short", locale="en") in instant_text(after, "en", LA)
    spring = dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.timezone.utc)  # 01:59 CET, then 03:01 CEST
    day = format_date(dt.date(2026, 3, 29), "medium", locale="nb")
    assert instant_text(spring, "nb", OSLO_UTC).startswith(f"{day}, {format_time(dt.time(1, 59), 'short', locale='nb')} CET")
    later = instant_text(spring + dt.timedelta(minutes=2), "nb", OSLO_UTC)
    assert later.startswith(f"{day}, {format_time(dt.time(3, 1), 'short', locale='nb')} CEST")


def _babel_units(lang: str, *pairs: tuple[int, str]) -> str:
    return " ".join(format_unit(value, f"duration-{unit}", length="short", locale=lang) for value, unit in pairs)


@pytest.mark.parametrize("lang", ["en", "nb", "de", "fr", "fi", "pl"])
def test_durations_are_babels_short_units_side_by_side(lang):
    assert duration_text(dt.timedelta(hours=2, minutes=10), lang) == _babel_units(lang, (2, "hour"), (10, "minute"))
    assert duration_text(dt.timedelta(days=1, minutes=5), lang) == _babel_units(lang, (1, "day"), (5, "minute"))
    assert duration_text(dt.timedelta(seconds=20), lang) == _babel_units(lang, (1, "minute")), "at least one minute"
    assert duration_text(dt.timedelta(hours=3), lang) == _babel_units(lang, (3, "hour")), "no zero minutes"


def test_durations_are_not_left_in_english():
    delta = dt.timedelta(hours=2, minutes=10)
    english = duration_text(delta, "en")
    for lang in ("de", "fi", "pl"):  # languages whose CLDR hour unit is not the English one
        assert duration_text(delta, lang) != english


@pytest.mark.parametrize("lang", ["en", "nb", "de", "fr"])
def test_months_are_capitalised_stand_alone_month_names(lang):
    text = month_text(dt.date(2025, 3, 1), lang)
    name = get_month_names("wide", context="stand-alone", locale=lang)[3]
    assert text.lower() == f"{name} 2025".lower() or (name.lower() in text.lower() and "2025" in text)
    assert text[0].isupper(), "a month heading starts with a capital"


def test_a_site_in_one_language_has_no_language_switch(make_site):
    site = make_site(languages=["de"], components=[{"id": "voice", "name": "Telefonie"}])
    site.add("2026-11-19-calls.md", GERMAN_ONLY)
    site.build(strict=True)
    page = dom.page(site.root / "site" / "incidents" / "2026-11-19-calls")
    assert dom.lang(page) == "de"
    assert not dom.select(page, "[hreflang]", templates=True)
    assert not dom.select(page, ".md-select")  # mkdocs-material's language selector
    assert set(dom.texts(page, "a.status-update__link")) & {"Behoben", "Gelöst"}  # the German interface
