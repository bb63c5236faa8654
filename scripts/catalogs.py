#!/usr/bin/env python3
"""Keep the interface translations (gettext catalogs) in step with the sources.

    python3 scripts/catalogs.py extract        # sources -> l10n/locale/mkdocs_status.pot
    python3 scripts/catalogs.py update         # .pot -> every <lang>/LC_MESSAGES/mkdocs_status.po
    python3 scripts/catalogs.py compile        # every .po -> .mo
    python3 scripts/catalogs.py check          # exit 1 and list the problems, if any
    python3 scripts/catalogs.py init <lang>    # start a catalog for a new language (babel code: sv, pt_BR)

Every output is deterministic: re-running a command on unchanged inputs leaves
the files byte for byte as they were, so ``git diff`` stays clean.

``update`` keeps existing translations, adds new messages untranslated (never
guessed from similar ones: no fuzzy matching) and drops messages the sources
no longer use (it lists them, with their old translation, on stderr).
``compile`` leaves out fuzzy entries. ``check`` reports: a .pot that differs
from a fresh extraction; a .po that lacks a message of the .pot, has one the
.pot does not, has an untranslated, fuzzy or obsolete entry, or a translation
whose %(name)s placeholders differ from the English; a .mo missing or out of
date with its .po.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "mkdocs_status"
LOCALE_DIR = ROOT / "plugins" / "mkdocs_status" / "l10n" / "locale"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
MAPPING = ROOT / "babel.cfg"
KEYWORDS = ["N_", "gettext", "ngettext:1,2"]

PROJECT = "mkdocs-status"
# Fixed header values: dates that changed on every run would make every run a diff.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
POT_HEADER = (
    "# Interface text of mkdocs-status: the template, not a translation.\n"
    "# Written by `python3 scripts/catalogs.py extract`; do not edit.\n"
    "# Distributed under the same license as mkdocs-status.\n"
    "#"
)
PO_HEADER = (
    "# {name} translation of the mkdocs-status interface.\n"
    "# Merge new messages with `python3 scripts/catalogs.py update`;\n"
    '# see the README, "Translating the interface".\n'
    "# Distributed under the same license as mkdocs-status.\n"
    "#"
)
TEAM = "mkdocs-status translators"

PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%%")
WIDTH = 76


# -- reading and writing -----------------------------------------------------------


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def languages() -> list[str]:
    """Every language with a .po file, sorted."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def load(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=DOMAIN)
    if not catalog.project and catalog.version:  # babel reads "Project-Id-Version: X" as version X
        catalog.project, catalog.version = catalog.version, ""
    return catalog


def render_po(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=WIDTH, no_location=True, sort_output=True, include_lineno=False)
    # The babel version is not a property of the catalog; leave it out so that
    # another babel does not make a diff.
    data = re.sub(rb'"Generated-By: [^"\n]*\\n"\n', b"", buf.getvalue())
    # No version: the catalog follows the sources, not a release.
    return re.sub(rb'"Project-Id-Version: ([^"\n]*?) +\\n"', rb'"Project-Id-Version: \1\\n"', data)


class _MoSource:
    """A catalog's messages for write_mo, with the header cleaned as in the .po."""

    def __init__(self, catalog: Catalog) -> None:
        self.charset = catalog.charset
        self.messages = list(catalog)
        header = self.messages[0]
        assert header.id == ""
        lines = [line for line in header.string.split("\n") if not line.startswith("Generated-By:")]
        lines = [re.sub(r"^(Project-Id-Version:.*?) +$", r"\1", line) for line in lines]
        header.string = "\n".join(lines)

    def __iter__(self):  # noqa: ANN204
        return iter(self.messages)


def render_mo(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, _MoSource(catalog), use_fuzzy=False)  # type: ignore[arg-type]
    return buf.getvalue()


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


# -- extract -------------------------------------------------------------------------


def extract_catalog() -> Catalog:
    """A fresh template from the sources, with a fixed header."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{DOMAIN}.pot"
        args = ["pybabel", "--quiet", "extract", "-F", str(MAPPING), "--no-location", "--sort-output", "-o", str(out)]
        for keyword in KEYWORDS:
            args += ["-k", keyword]
        args.append(".")
        cwd = os.getcwd()
        try:
            os.chdir(ROOT)  # babel.cfg patterns are relative to the repository root
            status = CommandLineInterface().run(args)
        finally:
            os.chdir(cwd)
        if status:
            raise SystemExit(f"pybabel extract failed ({status})")
        extracted = load(out)
    template = Catalog(
        domain=DOMAIN,
        header_comment=POT_HEADER,
        project=PROJECT,
        version="",
        msgid_bugs_address="",
        creation_date=FIXED_DATE,
        revision_date=None,
        last_translator=None,
        language_team=None,
        charset="utf-8",
        fuzzy=False,
    )
    template.version = ""  # the constructor turns "" into a placeholder
    template.msgid_bugs_address = ""
    for message in extracted:
        if message.id:
            template.add(
                message.id,
                string=message.string,
                auto_comments=message.auto_comments,
                user_comments=message.user_comments,
                flags=message.flags,
                context=message.context,
            )
    return template


def render_pot(template: Catalog) -> bytes:
    return render_po(template)


def cmd_extract(_args: argparse.Namespace) -> int:
    template = extract_catalog()
    changed = write_if_changed(POT, render_pot(template))
    print(f"{_rel(POT)}: {len(template)} messages{'' if changed else ' (unchanged)'}")
    return 0


# -- init / update --------------------------------------------------------------------


def _set_header(catalog: Catalog, lang: str) -> None:
    locale = Locale.parse(lang)
    catalog.header_comment = PO_HEADER.format(name=locale.get_display_name("en"))
    catalog.project = PROJECT
    catalog.version = ""
    catalog.msgid_bugs_address = ""
    catalog.language_team = TEAM
    catalog.last_translator = TEAM
    catalog.revision_date = FIXED_DATE
    catalog.creation_date = FIXED_DATE
    catalog.fuzzy = False
    # Plural-Forms follow the CLDR of the babel in use, never what an older .po said:
    # forgetting what the file declared makes babel derive them from the locale.
    catalog._num_plurals = None  # noqa: SLF001 - babel has no public setter
    catalog._plural_expr = None  # noqa: SLF001


def merged(lang: str, template: Catalog) -> tuple[Catalog, list[tuple[str, str]]]:
    """The language's catalog merged with the template, and the messages dropped."""
    template = copy.deepcopy(template)  # Catalog.update adopts the template's Message objects
    path = po_path(lang)
    if path.exists():
        catalog = load(path, lang)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    dropped = []
    for _key, message in sorted(catalog.obsolete.items(), key=lambda kv: str(kv[0])):
        dropped.append((str(message.id), str(message.string)))
    catalog.obsolete.clear()
    _set_header(catalog, lang)
    return catalog, dropped


def _template() -> Catalog:
    if not POT.exists():
        raise SystemExit(f"{_rel(POT)} is missing: run `python3 scripts/catalogs.py extract` first")
    return load(POT)


def cmd_update(args: argparse.Namespace) -> int:
    template = _template()
    langs = args.languages or languages()
    for lang in langs:
        if not po_path(lang).exists():
            print(f"{lang}: no catalog; start one with `python3 scripts/catalogs.py init {lang}`", file=sys.stderr)
            return 2
    for lang in langs:
        catalog, dropped = merged(lang, template)
        changed = write_if_changed(po_path(lang), render_po(catalog))
        todo = sum(1 for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy))
        print(f"{_rel(po_path(lang))}: {len(catalog)} messages, {todo} to translate{'' if changed else ' (unchanged)'}")
        for msgid, msgstr in dropped:
            print(f"  dropped (no longer in the sources): {msgid!r} -> {msgstr!r}", file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    template = _template()
    for lang in args.languages:
        try:
            code = str(Locale.parse(lang.replace("-", "_")))
        except Exception:  # noqa: BLE001 - any parse failure means "not a language babel knows"
            print(f"{lang}: not a language code babel knows", file=sys.stderr)
            return 2
        if po_path(code).exists():
            print(f"{_rel(po_path(code))} exists already; use `update`", file=sys.stderr)
            return 2
        catalog, _ = merged(code, template)
        if code == "en":  # the English text is the message id
            for message in catalog:
                if message.id:
                    message.string = message.id
        write_if_changed(po_path(code), render_po(catalog))
        print(f"{_rel(po_path(code))}: {len(catalog)} messages to translate (Plural-Forms: {catalog.plural_forms})")
    return 0


# -- compile -------------------------------------------------------------------------


def cmd_compile(args: argparse.Namespace) -> int:
    for lang in args.languages or languages():
        catalog = load(po_path(lang), lang)
        changed = write_if_changed(mo_path(lang), render_mo(catalog))
        print(f"{_rel(mo_path(lang))}{'' if changed else ' (unchanged)'}")
    return 0


# -- check ---------------------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0) != "%%")


def message_problems(message) -> list[str]:  # noqa: ANN001 - babel Message
    """Untranslated, fuzzy or placeholder problems of one message."""
    out = []
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy:
        out.append("fuzzy")
    if not all(strings):
        out.append("untranslated")
        return out
    singular = placeholders(ids[0])
    names = {p for i in ids for p in placeholders(i)}
    for i, text in enumerate(strings):
        found = placeholders(text)
        if len(ids) == 1 and found != singular:
            out.append(f"placeholders {found} differ from the English {singular}")
        elif len(ids) > 1 and not set(found) <= names:
            out.append(f"placeholders {found} (form {i}) are not among the English {sorted(names)}")
    return out


def check() -> list[str]:
    problems: list[str] = []
    fresh = render_pot(extract_catalog())
    if not POT.exists():
        problems.append(f"{_rel(POT)}: missing (run extract)")
        template = read_po(io.BytesIO(fresh))
    else:
        if POT.read_bytes() != fresh:
            problems.append(f"{_rel(POT)}: out of date with the sources (run extract, then update)")
        template = read_po(io.BytesIO(fresh))
    wanted = {m.id for m in template if m.id}
    langs = languages()
    if not langs:
        problems.append(f"{_rel(LOCALE_DIR)}: no catalogs")
    for lang in langs:
        path = po_path(lang)
        catalog = load(path, lang)
        where = _rel(path)
        have = {m.id for m in catalog if m.id}
        for msgid in sorted(wanted - have, key=str):
            problems.append(f"{where}: lacks {msgid!r} (run update)")
        for msgid in sorted(have - wanted, key=str):
            problems.append(f"{where}: has {msgid!r}, which the sources no longer use (run update)")
        for message in catalog.obsolete.values():
            problems.append(f"{where}: obsolete entry {message.id!r} (run update)")
        if catalog.fuzzy:
            problems.append(f"{where}: the header is marked fuzzy")
        cldr = get_plural(Locale.parse(lang))
        if (catalog.num_plurals, catalog.plural_expr) != (cldr.num_plurals, cldr.plural_expr):
            problems.append(
                f"{where}: Plural-Forms say nplurals={catalog.num_plurals}; plural={catalog.plural_expr}, "
                f"CLDR says nplurals={cldr.num_plurals}; plural={cldr.plural_expr} (run update, then translate the new forms)"
            )
        for message in catalog:
            if not message.id:
                continue
            for problem in message_problems(message):
                problems.append(f"{where}: {problem}: {message.id!r}")
        for message, errors in catalog.check():
            for error in errors:
                problems.append(f"{where}: {error}: {message.id!r}")
        mo = mo_path(lang)
        if not mo.exists():
            problems.append(f"{_rel(mo)}: missing (run compile)")
        elif mo.read_bytes() != render_mo(catalog):
            problems.append(f"{_rel(mo)}: out of date with its .po (run compile)")
    return problems


def cmd_check(_args: argparse.Namespace) -> int:
    problems = check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    template = load(POT)
    sizes = ", ".join(f"{lang} {sum(1 for m in load(po_path(lang), lang) if m.id)}" for lang in languages())
    print(f"OK: {len([m for m in template if m.id])} messages; {sizes}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write the .pot from the sources").set_defaults(func=cmd_extract)
    p = sub.add_parser("update", help="merge the .pot into every (or the given) language's .po")
    p.add_argument("languages", nargs="*")
    p.set_defaults(func=cmd_update)
    p = sub.add_parser("compile", help="write the .mo of every (or the given) language")
    p.add_argument("languages", nargs="*")
    p.set_defaults(func=cmd_compile)
    sub.add_parser("check", help="exit 1 listing every problem").set_defaults(func=cmd_check)
    p = sub.add_parser("init", help="start the catalog of a new language")
    p.add_argument("languages", nargs="+")
    p.set_defaults(func=cmd_init)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
