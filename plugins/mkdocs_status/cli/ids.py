"""``mkdocs-status ids``: write each update's current id into its heading, so that no published id changes later."""

from __future__ import annotations

import argparse
from typing import Any

from ..authoring import with_ids
from ..diagnostics import ERROR
from ..parse.incident import ParseSettings, parse_incident
from ..siteconfig import load_site_config
from .author import command_parser
from .terminal import EXIT_OK, EXIT_PROBLEMS, PROG, locked, read_text, say, write_atomic


def cmd_ids(args: argparse.Namespace) -> int:
    """Write ``{#<current id>}`` into every update heading without one, so that no published id changes later."""
    site = load_site_config(args.config_file)
    settings = ParseSettings.from_settings(site.settings)
    missing = failed = 0
    for _iid, path in sorted(site.incident_files().items()):
        with locked(path.parent):
            text = read_text(path, site)
            incident, diags = parse_incident(site.show(path), path.stem, text, settings)
            if incident is None:
                failed += 1
                for d in diags:
                    if d.level == ERROR:
                        say(d.format())
                say(f"{PROG}: {site.show(path)} has errors; no ids written to it")
                continue
            keys = {u.line: u.key for u in incident.updates if u.short_id is None}
            missing += len(keys)
            if args.check:
                for line, key in sorted(keys.items()):
                    print(f"{site.show(path)}:{line}: update has no id of its own; '{PROG} ids' writes {{#{key}}}")
            elif keys:
                write_atomic(path, with_ids(text, keys))
                print(f"{site.show(path)}: {len(keys)} id{'s' if len(keys) != 1 else ''} written")
    return EXIT_PROBLEMS if failed or (args.check and missing) else EXIT_OK


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``ids`` to the commands."""
    p = command_parser(subparsers, "ids",
                       "Write each update's current id ({#…}) into every update heading that has none, so that correcting "
                       "its time later changes no anchor, feed entry or notification.",
                       f"  {PROG} ids            # write them\n  {PROG} ids --check    # list headings without an id; exit 1 if any\n",
                       common)
    p.add_argument("--check", action="store_true", help="write nothing; list the headings without an id and exit 1 if there are any")
    p.set_defaults(func=cmd_ids)
