"""``mkdocs-status import statuspage``: a Statuspage API v2 export as incident files.

:mod:`mkdocs_status.importer` reads the export and plans the files; this
module writes them (new ones always, changed ones with --overwrite), prints
the components snippet for mkdocs.yml, and checks what it wrote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..authoring import language_code
from ..diagnostics import ERROR, WARNING, Diagnostic
from ..parse.incident import ParseSettings, parse_site_incidents
from ..siteconfig import Site, build_now, load_site_config
from ..sources import discover, read_sources
from .author import command_parser
from .terminal import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PROG, CliError, Progress, say, write_atomic


def _collected(locations: list[str]) -> Any:
    """What the export's files (or URLs) hold, read together."""
    from .. import importer

    documents: list[tuple[str, Any]] = []
    try:
        for location in locations:
            documents += importer.read_source(location)
        return importer.collect(documents)
    except importer.SourceError as exc:
        raise CliError(str(exc)) from None


def _imported_before(files: list[Path]) -> dict[str, Path]:
    """The files an earlier import wrote, by their Statuspage incident id (the marker near their top)."""
    from .. import importer

    existing: dict[str, Path] = {}
    for path in files:
        try:
            head = path.read_bytes()[:4096].decode("utf-8", "replace")
        except OSError:
            continue
        marker = importer.find_marker(head)
        if marker:
            existing.setdefault(marker, path)
    return existing


def _write_files(args: argparse.Namespace, site: Site, the_plan: Any) -> tuple[Counter[str], list[Path]]:
    """Write the planned files (or say what would be written): how many of each kind, and the files written."""
    counts: Counter[str] = Counter(new=0, updated=0, unchanged=0, skipped=0)
    progress = Progress(len(the_plan.files), "importing")
    written: list[Path] = []
    for done, planned in enumerate(the_plan.files, start=1):
        path = planned.path if planned.path.is_absolute() else site.base / planned.path
        old = path.read_bytes() if path.exists() else None
        if old == planned.text.encode("utf-8"):
            counts["unchanged"] += 1
        elif old is not None and not args.overwrite:
            counts["skipped"] += 1
            say(f"{PROG}: kept {site.show(path)}: it differs from Statuspage incident {planned.statuspage_id} "
                "(edited here, or changed there); --overwrite replaces it")
        else:
            counts["new" if old is None else "updated"] += 1
            if not args.dry_run:
                write_atomic(path, planned.text, create=old is None)
            written.append(path)
        if args.dry_run and old != planned.text.encode("utf-8"):
            print(f"would write {site.show(path)}")
        progress.step(done)
    return counts, written


def _say_warnings(warnings: list[Diagnostic]) -> None:
    """The warnings of the imported files by kind (their words without the quoted and numeric parts), the commonest first."""
    if not warnings:
        return
    kinds: dict[str, int] = {}
    for d in warnings:
        key = re.sub(r"'[^']*'|\d[\d:\- +]*", "…", d.message)
        kinds[key] = kinds.get(key, 0) + 1
    say(f"{len(warnings)} warnings in the imported files ({PROG} check lists them):")
    for key, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
        say(f"  {n} × {key}")


def _check_written(site: Site, the_plan: Any, written: list[Path], now: dt.datetime) -> int:
    """Check what was written, as if the snippet were already in mkdocs.yml: errors listed, warnings counted by kind."""
    ps = ParseSettings.from_settings(site.settings)
    ps = replace(ps, components=ps.components + tuple(c.id for c in the_plan.new_components))
    sources, unreadable = read_sources(written, site.base)
    _incidents, diags = parse_site_incidents(sources, ps, now)
    diags = unreadable + diags
    errors = [d for d in diags if d.level == ERROR]
    for d in errors:
        say(d.format())
    _say_warnings([d for d in diags if d.level == WARNING])
    return EXIT_PROBLEMS if errors else EXIT_OK


def cmd_import_statuspage(args: argparse.Namespace) -> int:
    """Convert a Statuspage export into incident files; re-importing the same export changes nothing."""
    from .. import importer

    site = load_site_config(args.config_file)
    now = build_now()
    lang = language_code(args.text_lang, site.settings) if args.text_lang else site.settings.default_language
    collected = _collected(args.files)
    files = discover(site.incidents_dir)
    target = (site.base / args.dir).resolve() if args.dir else site.incidents_dir
    year_folders = site.year_folders if not args.dir else False
    the_plan = importer.plan(collected, site.settings, existing=_imported_before(files), taken={p.stem for p in files},
                             target_dir=target, year_folders=year_folders, lang=lang)
    for note in the_plan.notes:
        say(f"{PROG}: note: {note}")
    counts, written = _write_files(args, site, the_plan)
    snippet = importer.components_snippet(the_plan.new_components)
    if snippet:
        print(snippet, end="")
    verb = "would import" if args.dry_run else "imported"
    say(f"{PROG} import: {verb} {len(the_plan.files)} incidents: {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['skipped']} kept")
    if args.dry_run or not written:
        return EXIT_OK
    code = _check_written(site, the_plan, written, now)
    if snippet:
        say(f"{len(the_plan.new_components)} components are not in mkdocs.yml yet: paste the snippet printed above, then run {PROG} check")
    return code


def _missing_source(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``import`` (and its one source, ``statuspage``) to the commands."""
    p = subparsers.add_parser("import", help="Import incidents from another status page.", description="Import incidents from another status page.",
                              epilog=f"example:\n  {PROG} import statuspage https://status.example.com/api/v2/incidents.json\n",
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    sources = p.add_subparsers(title="sources", metavar="SOURCE")
    sp = command_parser(sources, "statuspage",
                        "Convert a Statuspage API v2 JSON export (incidents.json, incidents/<code>.json, scheduled-maintenances.json, "
                        "summary.json, components.json) into incident files. Re-importing the same export changes nothing.",
                        f"  curl -o incidents.json https://status.example.com/api/v2/incidents.json\n"
                        f"  {PROG} import statuspage incidents.json scheduled-maintenances.json components.json\n"
                        f"  {PROG} import statuspage https://status.example.com     # fetches its api/v2 files\n", common)
    sp.add_argument("files", nargs="+", metavar="FILE", help="a JSON file, its URL, or a Statuspage page URL")
    sp.add_argument("--lang", dest="text_lang", metavar="LANG", help="the language of the Statuspage text (default: the site's first)")
    sp.add_argument("--dir", metavar="FOLDER", help="write new files here (default: incidents_dir, in year folders if the site uses them)")
    sp.add_argument("--overwrite", action="store_true", help="replace files that differ from the export (edited here or changed there)")
    sp.add_argument("--dry-run", action="store_true", help="say what would be written; write nothing")
    sp.set_defaults(func=cmd_import_statuspage)
    p.set_defaults(func=lambda args: _missing_source(p))
