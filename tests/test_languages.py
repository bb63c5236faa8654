"""Every page in every configured language, with fallback and machine-translation notices."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

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
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))


def test_every_incident_page_exists_in_every_language(four_languages: Path):
    for prefix in ("", "nb/", "de/", "pt-br/"):
        for iid in ("2026-11-20-queue", "2026-11-19-calls", "2026-11-18-messaging"):
            assert (four_languages / prefix / "incidents" / iid / "index.html").exists(), (prefix, iid)
        for page in ("index.html", "history/index.html", "components/voice/index.html"):
            assert (four_languages / prefix / page).exists()


def test_html_lang_is_the_pages_bcp47_tag(four_languages: Path):
    for prefix, tag in (("", "en"), ("nb/", "nb"), ("de/", "de"), ("pt-br/", "pt-BR")):
        assert f'<html lang="{tag}"' in (four_languages / prefix / "index.html").read_text(encoding="utf-8")


def test_incident_written_only_in_german_reads_correctly_with_a_notice(four_languages: Path):
    en = visible(four_languages / "incidents" / "2026-11-19-calls" / "index.html")
    assert "Störung bei eingehenden Anrufen" in en
    assert "Die Störung ist behoben." in en
    assert "shown in German" in en
    de = visible(four_languages / "de" / "incidents" / "2026-11-19-calls" / "index.html")
    assert "Die Störung ist behoben." in de
    assert "shown in" not in de and "machine translated" not in de
    page = (four_languages / "incidents" / "2026-11-19-calls" / "index.html").read_text(encoding="utf-8")
    assert 'lang="de"' in page  # the German text is marked as German on the English page


def test_machine_translation_notice_appears_only_where_machine_text_is_shown(four_languages: Path):
    nb = visible(four_languages / "nb" / "incidents" / "2026-11-18-messaging" / "index.html")
    en = visible(four_languages / "incidents" / "2026-11-18-messaging" / "index.html")
    assert "Meldinger er forsinket." in nb
    assert nb.count("maskinoversatt") + nb.count("machine translated") >= 1
    assert "machine translated" not in en


def test_fallback_notice_names_the_language_shown_in_the_pages_language(four_languages: Path):
    # The queue incident has en and nb text only; the German page shows English with a German notice.
    de = (four_languages / "de" / "incidents" / "2026-11-20-queue" / "index.html").read_text(encoding="utf-8")
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
    page = (four_languages / "index.html").read_text(encoding="utf-8")
    assert "norsk bokmål" in page and "Deutsch" in page and "português (Brasil)" in page


OSLO_UTC = (ZoneInfo("Europe/Oslo"), ZoneInfo("UTC"))
LA = (ZoneInfo("UTC"), ZoneInfo("America/Los_Angeles"))


def test_times_are_localized_for_each_language_and_zone():
    at = dt.datetime(2025, 11, 12, 21, 24, tzinfo=dt.timezone.utc)
    assert instant_text(at, "en", OSLO_UTC) == "Nov 12, 2025, 10:24\u202fPM CET · 9:24\u202fPM UTC"
    assert instant_text(at, "nb", OSLO_UTC) == "12. nov. 2025, 22:24 CET · 21:24 UTC"
    assert instant_text(at, "de", OSLO_UTC) == "12.11.2025, 22:24 CET · 21:24 UTC"


def test_date_is_repeated_only_where_the_other_zone_is_on_another_day():
    at = dt.datetime(2025, 11, 12, 23, 30, tzinfo=dt.timezone.utc)
    text = instant_text(at, "nb", OSLO_UTC)
    assert text == "13. nov. 2025, 00:30 CET · 12. nov. 2025, 23:30 UTC"


def test_two_display_zones_across_a_dst_change():
    before = dt.datetime(2026, 3, 8, 9, 30, tzinfo=dt.timezone.utc)  # US switches on 8 March, Europe on 29 March
    after = dt.datetime(2026, 3, 8, 10, 30, tzinfo=dt.timezone.utc)
    assert instant_text(before, "en", LA).endswith("PST")
    assert instant_text(after, "en", LA).endswith("PDT")
    assert "1:30" in instant_text(before, "en", LA) and "3:30" in instant_text(after, "en", LA)
    spring = dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.timezone.utc)
    assert instant_text(spring, "nb", OSLO_UTC).startswith("29. mars 2026, 01:59 CET")
    assert instant_text(spring + dt.timedelta(minutes=2), "nb", OSLO_UTC).startswith("29. mars 2026, 03:01 CEST")


def test_durations_and_months_are_localized():
    delta = dt.timedelta(hours=2, minutes=10)
    assert duration_text(delta, "en") == "2 hr 10 min"
    assert duration_text(delta, "nb") == "2 t 10 min"
    assert duration_text(delta, "de") == "2 Std. 10 Min."
    assert duration_text(dt.timedelta(days=1, minutes=5), "nb") == "1 døgn 5 min"
    assert month_text(dt.date(2025, 11, 1), "nb") == "November 2025"
    assert month_text(dt.date(2025, 11, 1), "de") == "November 2025"
    assert month_text(dt.date(2025, 3, 1), "fr") == "Mars 2025"


def test_a_site_in_one_language_has_no_language_switch(make_site):
    site = make_site(languages=["de"], components=[{"id": "voice", "name": "Telefonie"}])
    site.add("2026-11-19-calls.md", GERMAN_ONLY)
    site.build(strict=True)
    page = site.read("incidents/2026-11-19-calls/index.html")
    assert '<html lang="de"' in page
    assert "hreflang" not in page
    assert "md-select" not in page  # mkdocs-material's language selector
    assert "Behoben" in page or "Gelöst" in page  # the German interface
