"""``mkdocs-status check``: every error and warning of the incident files, without building.

The files are parsed in one loop in this process. The process pool over the
CPUs this command had until issue 16 saved at most 4 % of the wall time on the
2-core machine (at 1,000 files), lost up to 5× at 100 and 24 % at 10,000 under
load, and spends 13 % more CPU; ``benchmarks/check.py --pool-sizes
100,1000,10000`` prints both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path
from typing import Any

from ..checks import site_problems
from ..diagnostics import ERROR, WARNING, Diagnostic
from ..drafts import INFO, draft_notes, split_drafts
from ..parse.incident import ParseSettings, SourceFile, duplicate_id, parse_site_incidents
from ..siteconfig import Site, build_now, load_site_config
from ..sources import find, read_sources, skip_reason
from .author import command_parser
from .terminal import EXIT_OK, EXIT_PROBLEMS, PROG, CliError, say


def media_problems(site: Site, sources: list[SourceFile]) -> list[Diagnostic]:
    """The build's warnings for media from another host, for the few files whose text may hold any."""
    from ..markdown import Renderer, may_hold_remote_media, remote_media_warnings, site_extensions

    candidates = [s for s in sources if may_hold_remote_media(s.text)]
    if site.allow_remote_media or not candidates:
        return []
    try:
        renderer = Renderer(*site_extensions(site.markdown_extensions))
    except Exception:  # noqa: BLE001 - an extension that does not load: the build reports it
        return []
    incidents, _ = parse_site_incidents(candidates, ParseSettings.from_settings(site.settings))
    return remote_media_warnings(incidents, renderer)


def draft_problems(drafts: list[tuple[SourceFile, int]], settings: ParseSettings, now: dt.datetime) -> list[Diagnostic]:
    """Each draft as a line of information, and its own problems as information too (a draft never fails a build)."""
    found = parse_site_incidents([f for f, _ in drafts], settings, now)[1] if drafts else []
    return draft_notes(drafts) + [d._replace(level=INFO) for d in found]


def chosen_files(site: Site, raw_paths: list[str], all_files: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The incident files among the paths given, and the problems of the choice (skipped files, ids taken elsewhere)."""
    problems: list[Diagnostic] = []
    paths: list[Path] = []
    for raw in raw_paths:
        path = Path(raw)
        if path.is_dir():
            inside = find(path)
            paths += inside.paths
            problems += inside.warnings(site.base)
            continue
        if not path.is_file():
            raise CliError(f"no file {raw}")
        reason = skip_reason(path)
        if reason is not None:
            problems.append(Diagnostic(site.show(path), 0, WARNING, *reason))
        elif not (path.name == "README.md" or path.name.startswith(("_", ".")) or path.suffix != ".md"):
            paths.append(path)  # else not an incident file (PRODUCT.md §2)
    chosen = {p.resolve() for p in paths}
    others = {p.stem: p for p in all_files if p.resolve() not in chosen}
    for path in paths:
        if path.stem in others:
            problems.append(duplicate_id(site.show(path), path.stem, site.show(others[path.stem])))
    return paths, problems


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def cmd_check(args: argparse.Namespace) -> int:
    """Print every problem of the incident files as ``file:line: level: message``; exit 1 on errors (or warnings with --strict)."""
    started = time.perf_counter()
    site = load_site_config(args.config_file)
    now = site.settings.clock or build_now()  # the site as the build sees it: `now:` pins it
    found = find(site.incidents_dir)
    if args.paths:
        paths, problems = chosen_files(site, args.paths, found.paths)
    else:
        paths, problems = found.paths, found.warnings(site.base)
    settings = ParseSettings.from_settings(site.settings)
    sources, unreadable = read_sources(paths, site.base)
    sources, drafts = split_drafts(sources)
    diagnostics = parse_site_incidents(sources, settings, now)[1]
    diagnostics += media_problems(site, sources) if not any(d.level == ERROR for d in diagnostics) else []
    problems = site_problems(site, sorted({s.stem for s in sources})) + unreadable + problems + diagnostics
    problems += draft_problems(drafts, settings, now)
    errors = sum(1 for d in problems if d.level == ERROR)
    warnings = sum(1 for d in problems if d.level == WARNING)
    for d in sorted(problems, key=lambda d: (d.file, d.line, d.level, d.message)):
        print(d.format())
    elapsed = time.perf_counter() - started
    say(f"{PROG} check: {_plural(len(paths), 'file')}, {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        + (f", {_plural(len(drafts), 'draft')}" if drafts else "") + f" ({elapsed:.2f} s)"
        + (" — warnings fail because of --strict" if args.strict and warnings and not errors else ""))
    return EXIT_PROBLEMS if errors or (args.strict and warnings) else EXIT_OK


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add ``check`` to the commands."""
    p = command_parser(subparsers, "check", "Check incident files without building: every error and warning, as file:line: level: message.",
                       f"  {PROG} check                          # every incident file\n"
                       f"  {PROG} check --strict incidents/2026/2026-11-21-incoming-calls.md\n\n"
                       "exit codes: 0 fine, 1 errors (or warnings with --strict), 2 unusable mkdocs.yml or arguments\n", common)
    p.add_argument("paths", nargs="*", help="files or folders to check (default: all under incidents_dir)")
    p.add_argument("--strict", action="store_true", help="warnings fail too, as in 'mkdocs build --strict'")
    p.set_defaults(func=cmd_check)
