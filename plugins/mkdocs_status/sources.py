"""Finding incident files on disk and reading them into the model."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import NamedTuple

from .diagnostics import WARNING, Diagnostic
from .drafts import draft_notes, split_drafts
from .model import Incident, Settings, StatusSite
from .parse.incident import ParseSettings, SourceFile, parse_incident, parse_site_incidents
from .timeline import with_automatic_updates

# Names that look meant as incident files but are not read as one (incidents/README.md, top).
NEAR_MISS_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd")
SYMLINK_HINT = ("symbolic links are not followed (a link could publish a file from outside the site's folder); "
                "move or copy the file into the incidents folder")


class Found(NamedTuple):
    """The incident files below a folder, and the files that look meant as one but are not read."""

    paths: list[Path]
    skipped: list[tuple[Path, str, str]]  # (path, message, hint)

    def warnings(self, base: Path) -> list[Diagnostic]:
        """One warning per skipped file, named as messages name files."""
        return [Diagnostic(display_path(path, base), 0, WARNING, message, hint) for path, message, hint in self.skipped]


def _not_an_incident(name: str) -> bool:
    """README.md, ``_…`` and hidden files: not incidents, and never worth a word."""
    return name.startswith(("_", ".")) or name.strip().lower() in ("readme.md", "readme.markdown")


def _near_miss(name: str) -> tuple[str, str] | None:
    """(message, hint) for a name that looks like an incident file's but is not read as one."""
    stripped = name.strip()
    if stripped != name and stripped.endswith(".md"):
        return "file name ends in a space, so it is not read", f"rename it to '{stripped}'"
    lower = stripped.lower()
    if lower.endswith(".md") and not stripped.endswith(".md"):
        return f"file name ends in '{stripped[-3:]}', not '.md', so it is not read", f"rename it to '{stripped[:-3]}.md'"
    for suffix in NEAR_MISS_SUFFIXES:
        if lower.endswith(suffix):
            return f"'{suffix}' files are not read; incident files end in '.md'", f"rename it to '{stripped[:-len(suffix)]}.md'"
    return None


def find(incidents_dir: Path) -> Found:
    """Every incident file below the folder, in a stable order, and warnings for files it skips.

    ``README.md``, files whose name starts with ``_`` and hidden files and
    folders are not incidents. Symbolic links (to files or folders) below the
    folder are not followed: each is skipped with a warning.
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str, str]] = []
    if not incidents_dir.is_dir():
        return Found(found, skipped)
    for root, dirs, files in os.walk(incidents_dir):
        for d in sorted(dirs):
            if not d.startswith(".") and os.path.islink(os.path.join(root, d)):
                skipped.append((Path(root) / d, "folder is a symbolic link; its files are not read", SYMLINK_HINT))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(root, d)))
        for name in sorted(files):
            if _not_an_incident(name):
                continue
            path = Path(root) / name
            reason = skip_reason(path)
            if reason is not None:
                skipped.append((path, *reason))
            elif name.endswith(".md"):
                found.append(path)
    return Found(found, skipped)


def skip_reason(path: Path) -> tuple[str, str] | None:
    """(message, hint) when a file that looks meant as an incident is not read: a near-miss name or a symbolic link."""
    if _not_an_incident(path.name):
        return None
    if not path.name.endswith(".md"):
        return _near_miss(path.name)
    if os.path.islink(path):
        return "file is a symbolic link, so it is not read", SYMLINK_HINT
    return None


def discover(incidents_dir: Path) -> list[Path]:
    """Every incident file below the folder, in a stable order (see :func:`find`)."""
    return find(incidents_dir).paths


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


# Caps that keep a build's work bounded (README "Limits"). An incident file is a few KB; a long
# postmortem some tens. Markdown's inline processing is quadratic in the length of one paragraph
# with markup (each emphasis, code span or link copies the rest of the paragraph): a 0.9 MB
# paragraph took 15-50 s. A file or update over its cap is an error and is not parsed.
MAX_FILE_BYTES = 1024 * 1024
MAX_UPDATE_BYTES = 128 * 1024


def _kb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size % (1024 * 1024) == 0 else f"{size / 1024:,.0f} KB"


def size_problems(shown: str, text: str) -> list[Diagnostic]:
    """Errors for an update (or the text before the first) longer than MAX_UPDATE_BYTES."""
    problems: list[Diagnostic] = []
    start, size = 1, 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("## "):
            start, size = number, 0
        size += len(line.encode("utf-8")) + 1
        if size > MAX_UPDATE_BYTES and (not problems or problems[-1].line != start):
            what = "this update" if start > 1 or text.startswith("## ") else "the text before the first update"
            problems.append(Diagnostic(shown, start, "error", f"{what} is longer than {_kb(MAX_UPDATE_BYTES)}",
                                       "split it into several updates, or link to a longer write-up"))
    return problems


def read_sources(paths: list[Path], base: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    out: list[SourceFile] = []
    problems: list[Diagnostic] = []
    for path in paths:
        shown = display_path(path, base)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # never more than the cap in memory
            if len(data) > MAX_FILE_BYTES:
                problems.append(Diagnostic(shown, 1, "error", f"file is larger than {_kb(MAX_FILE_BYTES)}",
                                           "split it into several incidents, or link to a longer write-up"))
                continue
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Diagnostic(shown, 1, "error", f"file is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8"))
            continue
        except OSError as exc:
            problems.append(Diagnostic(shown, 0, "error", f"cannot read the file: {exc.strerror}"))
            continue
        too_long = size_problems(shown, text) if len(data) > MAX_UPDATE_BYTES else []  # most files: a few KB
        if too_long:
            problems.extend(too_long)
            continue
        out.append(SourceFile(shown, path.stem, text))
    return out, problems


def crash_diagnostics(files: list[SourceFile], settings: ParseSettings, now: dt.datetime | None) -> list[Diagnostic]:
    """An error naming each file whose parsing raises: what the site shows for a bug the input reached."""
    out: list[Diagnostic] = []
    for f in files:
        try:
            parse_site_incidents([f], settings, now)
        except Exception as exc:  # noqa: BLE001 - reported, never raised
            out.append(Diagnostic(f.source, 1, "error", f"this file could not be read ({type(exc).__name__}: {exc})",
                                  "please report it with the file; until then, change what the file holds"))
    return out or [Diagnostic("incidents", 0, "error", "the incident files could not be read together", "please report it")]


class ParseCache:
    """What parsing each file gave, kept across the rebuilds of ``mkdocs serve``.

    Parsing one file depends only on its name, its text and the parse settings, so a rebuild
    after one edit parses that one file. Entries of files not read in the last build are
    dropped (a deleted file is not remembered), and a change of settings empties the cache.
    """

    def __init__(self) -> None:
        self._settings: ParseSettings | None = None
        self._entries: dict[tuple[str, str, str], tuple[Incident | None, list[Diagnostic]]] = {}
        self._used: dict[tuple[str, str, str], tuple[Incident | None, list[Diagnostic]]] = {}
        self.parsed = 0  # files parsed (not found in the cache) by the last build

    def begin(self, settings: ParseSettings) -> None:
        """Start a build with these settings."""
        if settings != self._settings:
            self._settings, self._entries = settings, {}
        self._used, self.parsed = {}, 0

    def end(self) -> None:
        """Keep only what the build just read."""
        self._entries, self._used = self._used, {}

    def parse(self, source: str, stem: str, text: str, settings: ParseSettings) -> tuple[Incident | None, list[Diagnostic]]:
        """:func:`parse_incident`, from the cache when the same file was parsed before."""
        key = (source, stem, text)
        found = self._entries.get(key)
        if found is None:
            found = parse_incident(source, stem, text, settings)
            self.parsed += 1
        self._used[key] = found
        return found


def load_site(settings: Settings, incidents_dir: Path, base: Path, now: dt.datetime | None, paths: list[Path] | None = None,
              *, drafts: bool = False, cache: ParseCache | None = None) -> tuple[StatusSite, list[Diagnostic]]:
    """Parse every incident file: the site model plus all diagnostics.

    Drafts are left out (one line of information each), unless ``drafts``: then they are
    parsed too and their ids listed in ``StatusSite.drafts`` (``mkdocs serve``'s preview).
    ``cache``: reuse what the previous build parsed (see :class:`ParseCache`).
    """
    skipped: list[Diagnostic] = []
    if paths is None:
        found = find(incidents_dir)
        paths, skipped = found.paths, found.warnings(base)
    files, problems = read_sources(paths, base)
    published, draft_files = split_drafts(files)
    chosen = published + [f for f, _ in draft_files] if drafts else published
    parse_settings = ParseSettings.from_settings(settings)
    if cache is not None:
        cache.begin(parse_settings)
    try:
        incidents, diagnostics = parse_site_incidents(chosen, parse_settings, now, cache.parse if cache else None)
    except Exception:  # noqa: BLE001 - a bug that input reached: name the file instead of a traceback
        return StatusSite(settings, ()), skipped + problems + crash_diagnostics(chosen, parse_settings, now)
    if cache is not None:
        cache.end()
    notes = [] if drafts else draft_notes(draft_files)
    draft_ids = frozenset(f.stem for f, _ in draft_files) if drafts else frozenset()
    site = StatusSite(settings, tuple(incidents), draft_ids)
    # The maintenance phases the windows reached by now, posted by the build itself (the same
    # for the build and for notify, which reads the model to word its messages).
    return (with_automatic_updates(site, now) if now is not None else site), skipped + problems + notes + diagnostics
