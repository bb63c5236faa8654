"""The interface catalogs: complete, in step with the sources, compiled, loadable."""

from __future__ import annotations

import gettext
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from mkdocs_status.l10n.catalogs import DOMAIN, LOCALE_DIR, shipped_languages, translations

ROOT = Path(__file__).resolve().parent.parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ["en", "nb", "nn", "sv", "da", "fi", "de", "fr", "it", "es", "pt_BR", "nl", "pl"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _script():
    spec = importlib.util.spec_from_file_location("catalogs_script", ROOT / "scripts" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _po(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def _messages(catalog):
    return [m for m in catalog if m.id]


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _msgids(path: Path) -> set:
    with path.open("rb") as fp:
        return {m.id for m in read_po(fp) if m.id}


def test_every_language_is_shipped():
    assert set(LANGUAGES) <= set(shipped_languages())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete(lang):
    catalog = _po(lang)
    assert not catalog.fuzzy, "header marked fuzzy"
    problems = []
    for message in _messages(catalog):
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(_forms(message.string)):
            problems.append(f"untranslated: {message.id!r}")
    problems += [f"obsolete: {m.id!r}" for m in catalog.obsolete.values()]
    assert not problems, f"{lang}: " + "; ".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_message_of_the_template(lang):
    wanted = _msgids(POT)
    have = {m.id for m in _messages(_po(lang))}
    assert wanted - have == set(), f"{lang} lacks messages: run `python3 scripts/catalogs.py update`"
    assert have - wanted == set(), f"{lang} has messages the sources no longer use"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang):
    problems = []
    for message in _messages(_po(lang)):
        ids = _forms(message.id)
        strings = _forms(message.string)
        if len(ids) == 1:
            expected = sorted(PLACEHOLDER.findall(ids[0]))
            for text in strings:
                if sorted(PLACEHOLDER.findall(text)) != expected:
                    problems.append(f"{message.id!r} -> {text!r}")
        else:  # plural: a form may leave the number out ("one hour"), never add a name
            allowed = {name for i in ids for name in PLACEHOLDER.findall(i)}
            for text in strings:
                if not set(PLACEHOLDER.findall(text)) <= allowed:
                    problems.append(f"{message.id!r} -> {text!r}")
            if not set(PLACEHOLDER.findall(strings[-1])) == allowed:
                problems.append(f"{message.id!r}: the last plural form must keep every placeholder")
    assert not problems, f"{lang}: " + "; ".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_match_the_language(lang):
    catalog = _po(lang)
    from babel import Locale
    from babel.messages.plurals import get_plural

    assert catalog.num_plurals == get_plural(Locale.parse(lang)).num_plurals
    for message in _messages(catalog):
        if isinstance(message.id, tuple):
            assert len(message.string) == catalog.num_plurals, message.id


def test_template_is_up_to_date(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from babel.messages.frontend import main; sys.exit(main())",
            "--quiet",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    missing = _msgids(fresh) - _msgids(POT)
    stale = _msgids(POT) - _msgids(fresh)
    assert not missing and not stale, (
        f"the .pot is out of date (new: {sorted(map(str, missing))}, gone: {sorted(map(str, stale))}): "
        "run `python3 scripts/catalogs.py extract && python3 scripts/catalogs.py update`"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_its_po(lang):
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    assert mo.exists(), f"{mo} is missing: run `python3 scripts/catalogs.py compile`"
    with mo.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog  # type: ignore[attr-defined]
    expected = {}
    for message in _messages(_po(lang)):
        if message.fuzzy or not all(_forms(message.string)):
            continue
        if isinstance(message.id, tuple):
            for i, text in enumerate(message.string):
                expected[(message.id[0], i)] = text
        else:
            expected[message.id] = message.string
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected, f"{mo} is out of date: run `python3 scripts/catalogs.py compile`"


def test_script_check_passes():
    """The byte-level checks of scripts/catalogs.py (fresh .pot text, .mo bytes)."""
    assert _script().check() == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_loads_and_translates(lang):
    tr = translations(lang)
    resolved = tr.gettext("Resolved")
    assert resolved.strip()
    if lang in ("nb", "de", "fr"):
        assert resolved != "Resolved"
        assert tr.gettext("All systems operational") != "All systems operational"
