"""What the CLI writes into incident files, in each of the 13 shipped languages.

The status words of update headings, the postmortem skeleton and the maintenance
announcement come from one place (the parser's status words; the gettext
catalogs): a file the CLI writes in any language builds with ``--strict`` and
reads back with the statuses it was written with, and English and Norwegian
files say exactly what they said before the words moved into the catalogs.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config

from cli_run import run_cli
from conftest import BASE_CONFIG
from mkdocs_status import authoring
from mkdocs_status.l10n.languages import make_languages
from mkdocs_status.model import INCIDENT_STATUSES, MAINTENANCE_STATUSES, Settings
from mkdocs_status.parse.incident import SEPARATORS, ParseSettings, parse_incident
from mkdocs_status.siteconfig import load_site_config

LANGUAGES = ["en", "nb", "nn", "sv", "da", "fi", "de", "fr", "it", "es", "pt_BR", "nl", "pl"]
UTC = dt.timezone.utc
OSLO = ZoneInfo("Europe/Oslo")

# What the CLI wrote before (git history: authoring.LABELS, postmortem.POSTMORTEM_SECTIONS and
# POSTMORTEM_PLACEHOLDERS, cli.MAINTENANCE_TEXT), copied here as the oracle.
OLD_LABELS = {
    "investigating": "Investigating", "identified": "Identified", "update": "Update", "monitoring": "Monitoring",
    "resolved": "Resolved", "postmortem": "Postmortem", "scheduled": "Scheduled", "in_progress": "In progress",
    "verifying": "Verifying", "completed": "Completed",
}
OLD_SECTIONS = {
    "en": ("Summary", "Root cause", "Corrective actions"),
    "nb": ("Sammendrag", "Rotårsak", "Korrigerende tiltak"),
    "nn": ("Samandrag", "Rotårsak", "Korrigerande tiltak"),
    "sv": ("Sammanfattning", "Grundorsak", "Korrigerande åtgärder"),
    "da": ("Resumé", "Grundårsag", "Korrigerende handlinger"),
    "de": ("Zusammenfassung", "Ursache", "Korrekturmaßnahmen"),
    "fr": ("Résumé", "Cause première", "Actions correctives"),
    "es": ("Resumen", "Causa raíz", "Acciones correctivas"),
    "pt_BR": ("Resumo", "Causa raiz", "Ações corretivas"),
    "nl": ("Samenvatting", "Oorzaak", "Corrigerende maatregelen"),
    "fi": ("Yhteenveto", "Juurisyy", "Korjaavat toimenpiteet"),
}
OLD_PLACEHOLDERS = {
    "en": ("What happened, when, for how long, and who was affected.",
           "Why it happened, and why it was not caught or fixed sooner.",
           "What we change so that it does not happen again"),
    "nb": ("Hva som skjedde, når, hvor lenge, og hvem som ble berørt.",
           "Hvorfor det skjedde, og hvorfor det ikke ble oppdaget eller rettet tidligere.",
           "Hva vi endrer for at det ikke skal skje igjen"),
}
OLD_MAINTENANCE = {
    "en": "We will carry out planned maintenance from {start} to {end} ({zone}).",
    "nb": "Vi gjennomfører planlagt vedlikehold fra {start} til {end} ({zone}).",
}


def old_skeleton(lang: str) -> str:
    """The postmortem skeleton as the CLI wrote it before, for ``en`` and ``nb``."""
    (s1, s2, s3), (p1, p2, p3) = OLD_SECTIONS[lang], OLD_PLACEHOLDERS[lang]
    return f"### {s1}\n\n{p1}\n\n### {s2}\n\n{p2}\n\n### {s3}\n\n- [ ] {p3}"


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation, as the language's .po file says (read with babel, not through the package's gettext)."""
    path = Path(__file__).resolve().parent.parent / "plugins" / "mkdocs_status" / "l10n" / "locale" / lang / "LC_MESSAGES" / "mkdocs_status.po"
    with path.open("rb") as fp:
        return {m.id: m.string for m in read_po(fp) if m.id}


def skeleton_from_catalog(lang: str) -> str:
    """The postmortem skeleton built from the catalog's words, in the layout ``old_skeleton`` shows."""
    words = [catalog(lang)[s] for s in (*OLD_SECTIONS["en"], *OLD_PLACEHOLDERS["en"])]
    return f"### {words[0]}\n\n{words[3]}\n\n### {words[1]}\n\n{words[4]}\n\n### {words[2]}\n\n- [ ] {words[5]}"


def epoch(text: str) -> str:
    """``2026-11-21 20:04:09`` (UTC) -> SOURCE_DATE_EPOCH."""
    return str(int(dt.datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()))


# -- the words en and nb had stay as they were ------------------------------------------------------------


def test_english_and_norwegian_postmortem_skeletons_are_unchanged() -> None:
    assert authoring.postmortem_texts(["en", "nb"]) == {"en": old_skeleton("en"), "nb": old_skeleton("nb")}


@pytest.mark.parametrize("lang", sorted(OLD_SECTIONS))
def test_postmortem_section_headings_are_those_written_before(lang: str) -> None:
    headings = re.findall(r"^### (.+)$", authoring.postmortem_texts([lang])[lang], flags=re.M)
    assert tuple(headings) == OLD_SECTIONS[lang]


@pytest.mark.parametrize(("until", "end"), [("2026-11-26 23:30", "23:30"), ("2026-11-27 01:00", "2026-11-27 01:00")])
def test_english_and_norwegian_maintenance_announcements_are_unchanged(until: str, end: str) -> None:
    start, stop = (dt.datetime.fromisoformat(t).replace(tzinfo=OSLO) for t in ("2026-11-26 22:00", until))
    expected = {lang: text.format(start="2026-11-26 22:00", end=end, zone="Europe/Oslo") for lang, text in OLD_MAINTENANCE.items()}
    assert authoring.maintenance_texts(["en", "nb"], start.astimezone(UTC), stop.astimezone(UTC), OSLO) == expected


def test_a_maintenance_announcement_is_written_only_in_languages_that_have_words_for_it() -> None:
    start = dt.datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    texts = authoring.maintenance_texts(["ja", "de", "ja", "ko", "nb"], start, start + dt.timedelta(hours=1), OSLO)
    assert list(texts) == ["ja", "de", "nb"]  # the file's own language always; no English passed off as Korean
    assert texts["ja"] == OLD_MAINTENANCE["en"].format(start="2026-11-26 22:00", end="23:00", zone="Europe/Oslo")
    assert texts["de"] == catalog("de")[OLD_MAINTENANCE["en"].replace("{", "%(").replace("}", ")s")] % {
        "start": "2026-11-26 22:00", "end": "23:00", "zone": "Europe/Oslo"}


def test_heading_status_words_are_unchanged() -> None:
    assert {status: authoring.status_label(status) for status in OLD_LABELS} == OLD_LABELS


# -- every language: written words read back -------------------------------------------------------------------


@cache
def one_language_site(lang: str) -> Settings:
    """The settings of a site in one language (what the parser and ``authoring.scan`` take)."""
    return Settings(site_name="Status", site_url=None, languages=make_languages([lang]), required_languages=(lang,), timezone=OSLO,
                    display_timezones=(OSLO,), components=(), groups=())


@settings(max_examples=150, deadline=None)
@given(lang=st.sampled_from(LANGUAGES), kind=st.sampled_from(["incident", "maintenance"]), data=st.data(),
       separator=st.sampled_from(["", *SEPARATORS]), minutes=st.integers(1, 60 * 24 * 400))
def test_a_heading_the_cli_writes_in_any_language_reads_back_with_its_status(lang, kind, data, separator, minutes) -> None:
    statuses = INCIDENT_STATUSES if kind == "incident" else MAINTENANCE_STATUSES
    status = data.draw(st.sampled_from(statuses[1:]))
    first_at = dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=minutes)
    updates = [(statuses[0], first_at), (status, first_at + dt.timedelta(hours=1))]
    header = "---\n" + ("type: maintenance\nscheduled_for: 2026-01-01 00:00\nscheduled_until: 2027-12-31 00:00\n"
                        if kind == "maintenance" else "impact: minor\n") + "title: T\n---\n"
    text = header + "".join("\n" + authoring.render_update(s, at.astimezone(OSLO), {lang: "Text."}, lang, [lang],
                                                           separator=separator) for s, at in updates)
    incident, diags = parse_incident("x.md", "x", text, ParseSettings.from_settings(one_language_site(lang)))
    assert incident is not None, [d.format() for d in diags]
    assert [(u.status, u.at) for u in incident.updates] == updates
    assert [h.status for h in authoring.scan(text, one_language_site(lang)).headings] == [statuses[0], status]


# -- every language: the CLI's files build, strictly -------------------------------------------------------------


def _write_site(root: Path, languages: list[str]) -> Path:
    config = copy.deepcopy(BASE_CONFIG)
    options = next(p["status"] for p in config["plugins"] if isinstance(p, dict) and "status" in p)
    options.update(languages=languages, components=[{"id": "interact", "name": "Interact"}, {"id": "voice", "name": "Voice"}])
    (root / "docs").mkdir(parents=True)
    (root / "incidents").mkdir()
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _cli(config: Path, at: str, *args: str) -> str:
    """``mkdocs-status ARGS`` in-process in the site's folder at the UTC time ``at``: its stdout (it must exit 0)."""
    result = run_cli(config.parent, *args, env={"SOURCE_DATE_EPOCH": epoch(at)})
    assert result.returncode == 0, result.stderr
    return result.stdout


def _fill_postmortem(text: str) -> str:
    """The file with every sentence of its postmortem update replaced, as an author would."""
    out, inside = [], False
    for line in text.split("\n"):
        if line.startswith("## "):
            inside = line.startswith("## Postmortem")
        elif inside and line.strip() and not line.startswith(("###", ":::")):
            line = "- [x] A disk filled up; we alert on it now." if line.startswith("- [ ]") else "A disk filled up."
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_cli_writes_files_in_every_language_that_build_strictly(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = "nb" if lang == "en" else "en"
    config = _write_site(tmp_path / "site-src", [lang, other])
    texts = ["--lang", other, f"Text in {other}."]
    first = _cli(config, "2026-11-21 20:00:00", "new", f"Queue login fails {lang}", "--title", other, "Queue",
                 "--impact", "minor", "--component", "interact", "-m", f"Text in {lang}.", *texts).splitlines()[0]
    iid = Path(first).stem
    _cli(config, "2026-11-21 20:30:00", "update", iid, "--status", "monitoring", "-m", "Fixed?", *texts)
    _cli(config, "2026-11-21 21:00:00", "resolve", iid, "-m", "Fixed.", *texts)
    _cli(config, "2026-11-23 09:00:00", "postmortem", iid)
    window = _cli(config, "2026-11-21 20:00:00", "maintenance", f"Upgrade {lang}", "--title", other, "Upgrade",
                  "--from", "2026-11-24 22:00", "--until", "2026-11-25 01:00", "--component", "voice").splitlines()[0]
    mid = Path(window).stem
    _cli(config, "2026-11-24 21:00:00", "update", mid, "--status", "in progress", "-m", "Started.", *texts)
    _cli(config, "2026-11-25 00:00:00", "resolve", mid, "-m", "Done.", *texts)

    site = load_site_config(config)
    incident_file, maintenance_file = (config.parent / "incidents" / f"{name}.md" for name in (iid, mid))
    written = _updates(incident_file, site)
    assert [u.status for u in written] == ["investigating", "monitoring", "resolved", "postmortem"]
    assert {code for code, text in written[-1].texts.items() if authoring.unfilled_postmortem(text)} == {lang, other}
    scheduled = _updates(maintenance_file, site)
    assert [u.status for u in scheduled] == ["scheduled", "in_progress", "completed"]
    for code in (lang, other):  # each language in its own words, from its catalog
        assert written[-1].texts[code] == skeleton_from_catalog(code)
        announcement = catalog(code)[OLD_MAINTENANCE["en"].replace("{", "%(").replace("}", ")s")]
        assert scheduled[0].texts[code] == announcement % {"start": "2026-11-24 22:00", "end": "2026-11-25 01:00", "zone": "Europe/Oslo"}
        assert (written[-1].texts[code] == old_skeleton("en")) == (code == "en")
    if lang in OLD_PLACEHOLDERS:
        assert old_skeleton(lang) in incident_file.read_text(encoding="utf-8")

    later = {"SOURCE_DATE_EPOCH": epoch("2026-11-26 10:00:00")}
    check = run_cli(config.parent, "check", "--strict", env=later)
    assert check.returncode == 1  # the unfilled skeleton is not ready to publish
    assert check.stdout.splitlines() == [
        f"incidents/{iid}.md:32: warning: the postmortem still holds the skeleton's placeholder text ({lang}, {other}); "
        "replace every placeholder sentence with what happened; until then notify does not send it"]
    incident_file.write_text(_fill_postmortem(incident_file.read_text(encoding="utf-8")), encoding="utf-8")
    assert not any(authoring.unfilled_postmortem(text) for text in _updates(incident_file, site)[-1].texts.values())
    assert run_cli(config.parent, "check", "--strict", env=later).returncode == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", later["SOURCE_DATE_EPOCH"])
    build(load_config(str(config), strict=True))
    api = json.loads((config.parent / "site" / "api" / "v2" / "incidents.json").read_text(encoding="utf-8"))
    shown = next(i for i in api["incidents"] if i["name"] == f"Queue login fails {lang}")
    assert sorted(u["status"] for u in shown["incident_updates"]) == sorted(["investigating", "monitoring", "resolved", "postmortem"])


def _parsed(path: Path, site):
    """The incident a file holds, read by the parser (it must have no errors)."""
    incident, diags = parse_incident(str(path), path.stem, path.read_text(encoding="utf-8"), ParseSettings.from_settings(site.settings))
    assert incident is not None, [d.format() for d in diags]
    return incident


def _updates(path: Path, site):
    return _parsed(path, site).updates


# -- every language: the site init writes ------------------------------------------------------------------------

OLD_WELCOME = {
    "en": ("Planned maintenance of the status page", "We are setting up this status page. This is an example of planned maintenance: "
           "edit or delete this file (see incidents/README.md)."),
    "nb": ("Planlagt vedlikehold av statussiden", "Vi setter opp denne statussiden. Dette er et eksempel på planlagt vedlikehold: "
           "rediger eller slett denne filen (se incidents/README.md)."),
}
OLD_ABOUT = {
    "en": ("About this page", "This status page is built from plain text files kept in git: every update our team posts is "
           "published here, in the feeds and in the JSON API within minutes. Subscribe with the Atom or RSS feeds, add planned "
           "maintenance to your calendar with the iCal feed, or poll `/api/v2/summary.json` (the format of Atlassian Statuspage)."),
    "nb": ("Om denne siden", "Denne statussiden bygges fra tekstfiler i git: hver oppdatering teamet vårt skriver, publiseres her, "
           "i feedene og i JSON-API-et i løpet av minutter. Abonner med Atom- eller RSS-feedene, legg planlagt vedlikehold i "
           "kalenderen med iCal-feeden, eller les `/api/v2/summary.json` (formatet til Atlassian Statuspage)."),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_init_writes_a_site_in_every_language_that_builds_strictly(lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = "nb" if lang == "en" else "en"
    root = tmp_path / "new-site"
    now = {"SOURCE_DATE_EPOCH": epoch("2026-11-21 21:00:00")}
    done = run_cli(tmp_path, "init", "new-site", "--languages", f"{lang},{other}", "--timezone", "Europe/Oslo", env=now)
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", now["SOURCE_DATE_EPOCH"])
    site = load_site_config(root / "mkdocs.yml")
    assert site.settings.required_languages == (lang, other)  # both have text
    (first,) = (root / "incidents").glob("2*.md")
    incident = _parsed(first, site)
    maintenance = incident.updates
    assert [u.status for u in maintenance] == ["scheduled"]
    for code in (lang, other):
        assert (incident.titles[code], maintenance[0].texts[code]) == tuple(catalog(code)[text] for text in OLD_WELCOME["en"])
    about = (root / "docs" / "about.md").read_text(encoding="utf-8")
    assert about.startswith(f"# {catalog(lang)[OLD_ABOUT['en'][0]]}\n\n{catalog(lang)[OLD_ABOUT['en'][1]]}")
    if lang in OLD_WELCOME:  # the words en and nb had stay as they were
        assert (incident.titles[lang], maintenance[0].texts[lang]) == OLD_WELCOME[lang] and about.startswith(f"# {OLD_ABOUT[lang][0]}\n\n{OLD_ABOUT[lang][1]}")
    build(load_config(str(root / "mkdocs.yml"), strict=True))
