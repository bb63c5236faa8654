"""``mkdocs-status new`` and ``maintenance``: a new incident file with its first update."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..authoring import NewFile, maintenance_texts, normalize_status, parse_components, render_file, slugify, stamp, status_label, unique_id
from ..diagnostics import ERROR, did_you_mean
from ..model import IMPACTS, INCIDENT, MAINTENANCE
from ..parse.attributes import fresh_id, render_block
from ..siteconfig import Site, build_now, load_site_config
from .author import collect_texts, command_parser, own_lang, report, text_options, title_options, titles
from .terminal import EXIT_OK, EXIT_PROBLEMS, PROG, CliError, ask, interactive, require, say, time_option, write_atomic


def _create(site: Site, new: NewFile, day: dt.date, now: dt.datetime) -> int:
    ids = site.incident_files()
    iid = unique_id(day, slugify(new.titles[new.own_lang]), set(ids))
    path = site.new_file_folder(day.year) / f"{iid}.md"
    taken: list[str] = []
    for status, at, _texts in [(new.status, new.at, new.texts), *new.extra_updates]:
        taken.append(fresh_id(f"{iid} {stamp(at)} {status}", taken))
    text = render_file(replace(new, blocks=[render_block(short_id) for short_id in taken]), site.settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the folder {site.show(path.parent)}: {exc.strerror}") from None
    try:
        write_atomic(path, text, create=True)
    except FileExistsError:
        raise CliError(f"{site.show(path)} already exists", "try again; another file with that id appeared meanwhile") from None
    diags, incident = report(site, path, now)
    print(site.show(path))
    print(site.url(iid))
    say(f"next: git add {shlex.quote(site.show(path))} && git commit -m {shlex.quote(status_label(new.status) + ': ' + new.titles[new.own_lang])} && git push")
    return EXIT_PROBLEMS if any(d.level == ERROR for d in diags) else EXIT_OK


def _components(args: argparse.Namespace, site: Site, prompt: str, kind: str) -> Any:
    """The --component values, asked for on a terminal when none are given."""
    component_args = list(args.component or [])
    if not component_args and interactive():
        answer = ask(prompt.format(ids=", ".join(site.settings.component_ids()))).strip()
        component_args = [answer] if answer else []
    return parse_components(component_args, site.settings, kind=kind)


def cmd_new(args: argparse.Namespace) -> int:
    """Start a new incident: a file with its first update, stamped now."""
    site = load_site_config(args.config_file)
    now = build_now()
    own = own_lang(args, site)
    names = titles(args, site, own)
    impact = require(args.impact, "--impact", f"Impact ({', '.join(IMPACTS)}): ").lower()
    if impact not in IMPACTS:
        raise CliError(f"unknown impact '{impact}'{did_you_mean(impact, IMPACTS)}", "use one of: " + ", ".join(IMPACTS))
    components = _components(args, site, "Affected components, comma-separated ({ids}; Enter for none): ", INCIDENT)
    status = normalize_status(args.status, INCIDENT, allowed=("investigating", "identified", "monitoring", "resolved"))
    at = time_option(args.at, "--at", site.settings.timezone) or now
    at = at.astimezone(site.settings.timezone)
    started = time_option(args.started_at, "--started-at", site.settings.timezone)
    texts = collect_texts(args, site, own, f"{status_label(status)}: {names[own]}")
    new = NewFile(titles=names, own_lang=own, kind=INCIDENT, impact=impact, components=components, status=status, at=at,
                  texts=texts, started_at=args.started_at.strip() if started and args.started_at else None)
    return _create(site, new, at.astimezone(site.settings.timezone).date(), now)


def _maintenance_default(site: Site, own: str, start: dt.datetime, end: dt.datetime) -> Callable[[], dict[str, str]]:
    def make() -> dict[str, str]:
        return maintenance_texts((own, *site.settings.language_codes), start, end, site.settings.timezone)

    return make


def cmd_maintenance(args: argparse.Namespace) -> int:
    """Schedule a maintenance: a file with its window and a 'Scheduled' update."""
    site = load_site_config(args.config_file)
    now = build_now()
    own = own_lang(args, site)
    names = titles(args, site, own)
    tz = site.settings.timezone
    start_text = require(args.start, "--from", "Window starts (YYYY-MM-DD HH:MM): ")
    end_text = require(args.end, "--until", "Window ends (YYYY-MM-DD HH:MM): ")
    start = time_option(start_text, "--from", tz)
    end = time_option(end_text, "--until", tz)
    assert start is not None and end is not None
    if end <= start:
        raise CliError(f"--until {end_text} is not after --from {start_text}", "check the window")
    if end < now:
        say(f"{PROG}: warning: the window ended before now; the maintenance will show as completed")
    components = _components(args, site, "Components under maintenance, comma-separated ({ids}): ", MAINTENANCE)
    at = (time_option(args.at, "--at", tz) or now).astimezone(tz)
    texts = collect_texts(args, site, own, f"Scheduled maintenance: {names[own]}", default=_maintenance_default(site, own, start, end))
    new = NewFile(titles=names, own_lang=own, kind=MAINTENANCE, impact=None, components=components, status="scheduled", at=at,
                  texts=texts, scheduled_for=" ".join(start_text.split()), scheduled_until=" ".join(end_text.split()))
    return _create(site, new, start.astimezone(tz).date(), now)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``new`` to the commands."""
    p = command_parser(subparsers, "new", "Start a new incident: a file with its first update, stamped now.",
                       f'  {PROG} new "Incoming calls delayed" --title-nb "Innkommende samtaler forsinkes" \\\n'
                       f'      --impact major --component voice=partial_outage --component interact \\\n'
                       f'      --status investigating -m "Some calls take long to connect. We are investigating." \\\n'
                       f'      --lang nb "Noen samtaler bruker lang tid på å koble til. Vi undersøker saken."\n', common)
    title_options(p)
    p.add_argument("--impact", help="none, minor, major or critical")
    p.add_argument("--component", action="append", metavar="ID[=STATUS]",
                   help="an affected component id, optionally with its status (degraded_performance, partial_outage, major_outage); "
                        "repeatable, or comma-separated; a group id means all its components")
    p.add_argument("--status", default="investigating", help="investigating (default), identified, monitoring or resolved")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now: 'YYYY-MM-DD HH:MM[:SS] [zone]'")
    p.add_argument("--started-at", metavar="TIME", help="when the impact began, if before the first update")
    text_options(p)
    p.set_defaults(func=cmd_new)


def register_maintenance(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``maintenance`` to the commands."""
    p = command_parser(subparsers, "maintenance", "Schedule a maintenance: a file with its window and a 'Scheduled' update.",
                       f'  {PROG} maintenance "Reporting database upgrade" --title-nb "Oppgradering av rapportdatabasen" \\\n'
                       f'      --from "2026-11-26 22:00" --until "2026-11-27 01:00" --component reporting\n', common)
    title_options(p)
    p.add_argument("--from", dest="start", metavar="TIME", help="when the window opens: 'YYYY-MM-DD HH:MM [zone]' (site time zone by default)")
    p.add_argument("--until", dest="end", metavar="TIME", help="when the window closes")
    p.add_argument("--component", action="append", metavar="ID", help="a component under maintenance (repeatable, or comma-separated)")
    p.add_argument("--at", metavar="TIME", help="when it was announced, if not now")
    text_options(p)
    p.set_defaults(func=cmd_maintenance)
