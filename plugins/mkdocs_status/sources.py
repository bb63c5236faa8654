"""Finding incident files on disk and reading them into the model."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Settings, StatusSite
from .parse.incident import ParseSettings, SourceFile, parse_site_incidents


def discover(incidents_dir: Path) -> list[Path]:
    """Every incident file below the folder, in a stable order.

    ``README.md``, files whose name starts with ``_`` and hidden files and
    folders are not incidents.
    """
    found: list[Path] = []
    if not incidents_dir.is_dir():
        return found
    for root, dirs, files in os.walk(incidents_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md") and name != "README.md" and not name.startswith(("_", ".")):
                found.append(Path(root) / name)
    return found


def display_path(path: Path, base: Path) -> str:
    """The path as messages show it: relative to the folder of mkdocs.yml where it lies below it."""
    try:
        return path.relative_to(base).as_posix()  # found below a resolved incidents_dir: no disk access
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_sources(paths: list[Path], base: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    out: list[SourceFile] = []
    problems: list[Diagnostic] = []
    for path in paths:
        shown = display_path(path, base)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Diagnostic(shown, 1, "error", f"file is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8"))
            continue
        except OSError as exc:
            problems.append(Diagnostic(shown, 0, "error", f"cannot read the file: {exc.strerror}"))
            continue
        out.append(SourceFile(shown, path.stem, text))
    return out, problems


def load_site(settings: Settings, incidents_dir: Path, base: Path, now: dt.datetime | None, paths: list[Path] | None = None) -> tuple[StatusSite, list[Diagnostic]]:
    """Parse every incident file: the site model plus all diagnostics."""
    files, problems = read_sources(paths if paths is not None else discover(incidents_dir), base)
    incidents, diagnostics = parse_site_incidents(files, ParseSettings.from_settings(settings), now)
    return StatusSite(settings, tuple(incidents)), problems + diagnostics
