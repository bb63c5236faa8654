"""``mkdocs-status update``, ``resolve`` and ``postmortem``: one more update in an incident file.

The file is found by id (or a unique start of it, or its path), read again
under a lock just before writing (an editor may have been open meanwhile), and
the update inserted where the file's order wants it, changing no other byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..authoring import (
    AuthoringError,
    Layout,
    find_incident,
    insert_update,
    normalize_status,
    postmortem_texts,
    render_update,
    scan,
    stamp,
    status_label,
    update_components,
)
from ..diagnostics import ERROR
from ..model import MAINTENANCE, RESOLVED_STATUSES
from ..parse.attributes import fresh_id, render_block
from ..siteconfig import Site, build_now, load_site_config
from .author import collect_texts, command_parser, component_option, report, text_options
from .terminal import EXIT_OK, EXIT_PROBLEMS, PROG, CliError, locked, read_text, say, time_option, write_atomic


def _locate(site: Site, query: str) -> Path:
    candidate = Path(query)
    if query.endswith(".md") and candidate.is_file():
        return candidate
    files = site.incident_files()
    try:
        return files[find_incident(query, files)]
    except AuthoringError as exc:
        raise CliError(exc.message, exc.hint) from None


def _layout(site: Site, path: Path) -> tuple[str, Layout]:
    """The file's current text and what the authoring commands need of it; refuses a file a new update would vanish in."""
    text = read_text(path, site)
    layout = scan(text, site.settings)
    if layout.unclosed_fence is not None:
        raise CliError(f"{site.show(path)}:{layout.unclosed_fence}: a code fence opened here is never closed, "
                       "so a new update would be read as code; nothing was written", "close the fence first")
    return text, layout


def _check_postmortem(site: Site, path: Path, layout: Layout) -> None:
    if layout.kind == MAINTENANCE:
        raise CliError(f"{path.stem} is a maintenance; postmortems are for incidents")
    if any(h.status == "postmortem" for h in layout.headings):
        line = next(h.line for h in layout.headings if h.status == "postmortem")
        raise CliError(f"{site.show(path)}:{line} already has a postmortem", "edit it there")
    if layout.latest_status not in RESOLVED_STATUSES:
        raise CliError(f"{path.stem} is not resolved (its latest update is '{layout.latest_status or 'unknown'}')",
                       f"resolve it first: {PROG} resolve {path.stem} -m \"…\"")


def _stamp(args: argparse.Namespace, layout: Layout, now: dt.datetime) -> dt.datetime:
    """When the new update is posted: --at, else now; always after the file's latest update's second."""
    at = (time_option(getattr(args, "at", None), "--at", layout.timezone) or now).astimezone(layout.timezone)
    latest = layout.latest
    if latest is not None and latest.at is not None:
        if at.replace(microsecond=0) == latest.at.replace(microsecond=0) or (at < latest.at and at > latest.at - dt.timedelta(seconds=1)):
            at = latest.at + dt.timedelta(seconds=1)  # same second as the last update: keep the order unambiguous
        elif at < latest.at and not getattr(args, "at", None):
            say(f"{PROG}: warning: the file's latest update ({stamp(latest.at)}) is later than now ({stamp(at)}); check the clock")
    return at


def _write(args: argparse.Namespace, site: Site, path: Path, status: str, texts: dict[str, str], components: Any,
           *, postmortem: bool) -> tuple[dt.datetime, int]:
    """Insert the update into the file as it is now, stamped now (the moment the text is saved): build time and the update's line."""
    with locked(path.parent):
        # The file as it is now (the editor may have been open for a while, and another update written meanwhile).
        text, layout = _layout(site, path)
        if postmortem:
            _check_postmortem(site, path, layout)
        now = build_now()
        at = _stamp(args, layout, now)
        block = render_block(fresh_id(f"{path.stem} {stamp(at)} {status}", [h.short_id for h in layout.headings if h.short_id]),
                             components)
        update_text = render_update(status, at, texts, layout.lang, site.settings.language_codes, separator=layout.separator, block=block)
        new_text, line = insert_update(text, update_text, layout)
        write_atomic(path, new_text)
    return now, line


def _append(args: argparse.Namespace, kind_status: Callable[[str], str], *, postmortem: bool = False) -> int:
    site = load_site_config(args.config_file)
    path = _locate(site, args.id)
    _text, layout = _layout(site, path)
    status = kind_status(layout.kind)
    time_option(getattr(args, "at", None), "--at", layout.timezone)  # a bad --at is said before the editor opens
    components = update_components(getattr(args, "component", None) or [], site.settings)
    if postmortem:
        _check_postmortem(site, path, layout)
        texts = postmortem_texts([layout.lang, *[lang for lang in site.settings.language_codes if lang != layout.lang]])
    else:
        texts = collect_texts(args, site, layout.lang, f"{status_label(status)}: {layout.title or path.stem}")
    now, line = _write(args, site, path, status, texts, components, postmortem=postmortem)
    diags, incident = report(site, path, now)
    update = next((u for u in incident.updates if u.line == line), None) if incident is not None else None
    print(f"{site.show(path)}:{line}")
    print(site.url(path.stem, update))
    if update is None or update.status != status:
        say(f"{PROG}: error: {site.show(path)}:{line}: the new update is written but not read as a '{status_label(status)}' update; "
            "fix the problems above")
        return EXIT_PROBLEMS
    if postmortem:
        say(f"wrote a postmortem skeleton at {site.show(path)}:{line}; replace the placeholder text in every language before you push")
    return EXIT_PROBLEMS if any(d.level == ERROR for d in diags) else EXIT_OK


def cmd_update(args: argparse.Namespace) -> int:
    """Add an update to an incident or maintenance, stamped now."""
    def status(kind: str) -> str:
        try:
            return normalize_status(args.status or "update", kind)
        except AuthoringError as exc:
            raise CliError(exc.message, exc.hint) from None

    return _append(args, status)


def cmd_resolve(args: argparse.Namespace) -> int:
    """Resolve an incident (or complete a maintenance), stamped now."""
    return _append(args, lambda kind: "completed" if kind == MAINTENANCE else "resolved")


def cmd_postmortem(args: argparse.Namespace) -> int:
    """Add a postmortem skeleton in every language to a resolved incident."""
    return _append(args, lambda kind: "postmortem", postmortem=True)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``update`` and ``resolve`` to the commands."""
    p = command_parser(subparsers, "update", "Add an update to an incident or maintenance, stamped now.",
                       f'  {PROG} update 2026-11-21-incoming-calls --status monitoring \\\n'
                       f'      -m "Calls connect normally again; we are monitoring." --lang nb "Samtaler kobles opp som normalt; vi følger med."\n'
                       f'  {PROG} update incoming-calls -m "Still working on it."     # --status update keeps the status\n', common)
    p.add_argument("id", help="the incident id (file name without .md), a unique start of it, or the file's path")
    p.add_argument("--status", help="the new status (default 'update': keeps the current one)")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now")
    component_option(p)
    text_options(p)
    p.set_defaults(func=cmd_update)

    p = command_parser(subparsers, "resolve", "Resolve an incident (or complete a maintenance), stamped now.",
                       f'  {PROG} resolve 2026-11-21-incoming-calls -m "All calls connect normally." --lang nb "Alle samtaler kobles opp som normalt."\n',
                       common)
    p.add_argument("id", help="the incident id, a unique start of it, or the file's path")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now")
    component_option(p)
    text_options(p)
    p.set_defaults(func=cmd_resolve)


def register_postmortem(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``postmortem`` to the commands."""
    p = command_parser(subparsers, "postmortem",
                       "Add a postmortem skeleton (Summary, Root cause, Corrective actions) in every language to a resolved incident.",
                       f"  {PROG} postmortem 2026-11-21-incoming-calls\n  $EDITOR incidents/2026-11-21-incoming-calls.md   # fill it in\n",
                       common)
    p.add_argument("id", help="the incident id, a unique start of it, or the file's path")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now")
    p.set_defaults(func=cmd_postmortem)
