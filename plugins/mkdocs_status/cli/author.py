"""What the writing commands (new, maintenance, update, resolve, postmortem) share.

The texts and titles of an update, from the options, $EDITOR or questions on a
terminal; the options that give them; and the report of a file just written,
parsed again as the build will read it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..authoring import AuthoringError, editor_template, language_code, read_editor_text
from ..diagnostics import Diagnostic
from ..parse.incident import ParseSettings, check_against_now, parse_incident
from ..siteconfig import Site
from .terminal import CliError, ask, ask_lines, edit, interactive, require, say


def collect_texts(args: argparse.Namespace, site: Site, own_lang: str, headline: str,
                  default: Callable[[], dict[str, str]] | None = None) -> dict[str, str]:
    """The update's text per language: -m and --lang; else $EDITOR; else asked; else the default."""
    texts = _option_texts(args, site, own_lang)
    if own_lang not in texts:
        if os.environ.get("VISUAL") or os.environ.get("EDITOR"):
            return _editor_texts(site, own_lang, headline, texts)
        own = _own_text(own_lang, default)
        if own is None:
            assert default is not None
            return {**default(), **texts}
        if own:
            texts[own_lang] = own
        elif not texts:
            raise CliError("the text is empty; nothing was written")
    if interactive():
        for lang in site.settings.required_languages:
            if lang not in texts:
                text = ask_lines(f"Text in {lang} (end with an empty line; just Enter to skip):")
                if text.strip():
                    texts[lang] = text
    return texts


def _own_text(own_lang: str, default: Callable[[], dict[str, str]] | None) -> str | None:
    """The text in the file's language asked on a terminal ("" if none was given); None for the default text."""
    if not interactive():
        if default is not None:
            return None
        raise CliError("missing the update's text", "give it with -m \"…\" (or -m - to read it from stdin), or set EDITOR to write it there")
    text = ask_lines(f"Text in {own_lang} (end with an empty line{'; just Enter for the standard text' if default else ''}):")
    if text.strip():
        return text
    return None if default is not None else ""


def _option_texts(args: argparse.Namespace, site: Site, own_lang: str) -> dict[str, str]:
    """The texts -m and --lang give."""
    texts: dict[str, str] = {}
    message = getattr(args, "message", None)
    if message is not None:
        texts[own_lang] = sys.stdin.read() if message == "-" else message
    for raw, text in getattr(args, "lang", None) or []:
        code = language_code(raw, site.settings)
        if code == own_lang:
            raise CliError(f"--lang {raw} is the file's own language", "give that text with -m")
        texts[code] = text
    return texts


def _editor_texts(site: Site, own_lang: str, headline: str, prefill: dict[str, str]) -> dict[str, str]:
    """The update's text per language, as written in $EDITOR (prefilled with what the options gave)."""
    written, kept_in = edit(editor_template(own_lang, site.settings.language_codes, headline, prefill))
    try:
        texts = read_editor_text(written, own_lang, site.settings)
    except AuthoringError as exc:
        raise CliError(f"in the editor text: {exc.message}", f"{exc.hint}; your text is kept in {kept_in}") from None
    os.unlink(kept_in)
    if not texts:
        raise CliError("the text is empty; nothing was written")
    return texts


def titles(args: argparse.Namespace, site: Site, own_lang: str) -> dict[str, str]:
    """The title per language: the argument and --title; the required languages asked for on a terminal."""
    found: dict[str, str] = {}
    title = require(args.title, "the title", f"Title ({own_lang}): ")
    found[own_lang] = " ".join(title.split())
    for raw, text in args.titles or []:
        code = language_code(raw, site.settings)
        if code == own_lang:
            raise CliError(f"--title {raw} repeats the title's own language", "the first argument is already the title in that language")
        found[code] = " ".join(text.split())
    if interactive():
        for lang in site.settings.required_languages:
            if lang not in found:
                answer = ask(f"Title in {lang} (Enter to skip): ").strip()
                if answer:
                    found[lang] = answer
    return found


def own_lang(args: argparse.Namespace, site: Site) -> str:
    """The language the new file is written in: --file-lang, else the site's first."""
    return language_code(args.file_lang, site.settings) if args.file_lang else site.settings.default_language


def report(site: Site, path: Path, now: dt.datetime) -> tuple[list[Diagnostic], Any]:
    """Parse the written file again and print what is wrong with it."""
    text = path.read_bytes().decode("utf-8")
    incident, diags = parse_incident(site.show(path), path.stem, text, ParseSettings.from_settings(site.settings))
    if incident is not None:
        diags = diags + check_against_now(incident, now)
    for d in sorted(diags, key=lambda d: (d.line, d.level)):
        say(d.format())
    return diags, incident


# -- the options they share --------------------------------------------------------------


def command_parser(subparsers: Any, name: str, help_text: str, example: str, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """A subcommand whose help is its description and ends with an example."""
    return subparsers.add_parser(name, help=help_text, description=help_text, epilog="example:\n" + example,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])


def text_options(parser: argparse.ArgumentParser) -> None:
    """-m and --lang: the update's text."""
    parser.add_argument("-m", "--message", metavar="TEXT",
                        help="the update's text in the file's language ('-' reads it from stdin); without it $EDITOR opens")
    parser.add_argument("--lang", nargs=2, action="append", metavar=("LANG", "TEXT"),
                        help="the text in another configured language (repeatable); --lang-nb TEXT also works")


def component_option(parser: argparse.ArgumentParser) -> None:
    """--component ID=STATUS of update and resolve."""
    parser.add_argument("--component", action="append", metavar="ID=STATUS",
                        help="a component's status from this update on (operational, under_maintenance, degraded_performance, "
                             "partial_outage, major_outage); repeatable; a group id means all its components")


def title_options(parser: argparse.ArgumentParser) -> None:
    """The title argument, --title and --file-lang of new and maintenance."""
    parser.add_argument("title", nargs="?", help="the title in the file's language (plain text)")
    parser.add_argument("--title", dest="titles", nargs=2, action="append", metavar=("LANG", "TEXT"),
                        help="the title in another language (repeatable); --title-nb TEXT also works")
    parser.add_argument("--file-lang", metavar="LANG", help="the language the file is written in (default: the site's first)")
