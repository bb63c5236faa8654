"""The ``mkdocs-status`` command line: write, check and import incident files.

Every subcommand reads the site's ``mkdocs.yml`` (``-f``/``--config-file``, as
in MkDocs), sets ``func`` with ``set_defaults`` and returns an exit code:
0 done, 1 problems found in the incident files, 2 unusable input (a bad
``mkdocs.yml``, an unknown id, a missing value). Text is produced by the pure
:mod:`mkdocs_status.authoring` and :mod:`mkdocs_status.importer`; this module
only parses arguments, reads and writes files, asks, and reports.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from .authoring import (
    AuthoringError,
    Layout,
    NewFile,
    editor_template,
    find_incident,
    insert_update,
    language_code,
    normalize_status,
    parse_components,
    postmortem_texts,
    read_editor_text,
    render_file,
    render_update,
    scan,
    slugify,
    stamp,
    status_label,
    unique_id,
    update_components,
    with_ids,
)
from .checks import site_problems
from .diagnostics import ERROR, WARNING, Diagnostic, did_you_mean
from .drafts import INFO, draft_notes, split_drafts
from .model import IMPACTS, INCIDENT, MAINTENANCE, RESOLVED_STATUSES
from .parse.attributes import fresh_id, render_block
from .parse.dates import DateError, parse_datetime
from .parse.incident import ParseSettings, SourceFile, check_against_now, duplicate_id, parse_incident, parse_site_incidents
from .siteconfig import Site, SiteConfigError, build_now, load_site_config
from .sources import discover, find, read_sources, skip_reason

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
PROG = "mkdocs-status"
MAINTENANCE_TEXT = {
    "en": "We will carry out planned maintenance from {start} to {end} ({zone}).",
    "nb": "Vi gjennomfører planlagt vedlikehold fra {start} til {end} ({zone}).",
}


class CliError(Exception):
    """Unusable input: printed as ``mkdocs-status: error: message; hint``, exit code 2."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


# -- talking to the author ------------------------------------------------------------


def interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def say(text: str = "") -> None:
    print(text, file=sys.stderr)


def ask(prompt: str) -> str:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise CliError("no answer (end of input)")
    return line.rstrip("\n")


def ask_lines(prompt: str) -> str:
    say(prompt)
    lines: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line or not line.rstrip("\n"):
            break
        lines.append(line.rstrip("\n"))
    return "\n".join(lines)


def require(value: str | None, option: str, prompt: str) -> str:
    """A required value: the option's, else asked for on a terminal, else exit 2."""
    if value is not None and value.strip():
        return value.strip()
    if interactive():
        answer = ask(prompt).strip()
        if answer:
            return answer
    raise CliError(f"missing {option}", f"give it on the command line, e.g. {option} …")


def edit(template: str, suffix: str = ".md") -> tuple[str, str]:
    """Open $VISUAL/$EDITOR on a template: the edited text, and the file it is in (the caller removes it once used)."""
    variable = "VISUAL" if os.environ.get("VISUAL") else "EDITOR"
    editor = os.environ.get(variable) or ""
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise CliError(f"cannot read the editor command in ${variable} ({editor!r}): {str(exc).lower()}",
                       f"fix the quoting in {variable}, or give the text with -m") from None
    if not command:
        raise CliError(f"${variable} holds no command", f"set {variable} to an editor command, or give the text with -m")
    handle, name = tempfile.mkstemp(prefix="mkdocs-status-", suffix=suffix)
    with os.fdopen(handle, "w", encoding="utf-8") as fh:
        fh.write(template)
    try:
        result = subprocess.run([*command, name], check=False)
    except OSError as exc:
        raise CliError(f"cannot start the editor '{editor}': {exc.strerror}", "set EDITOR to an editor command, or give the text with -m") from None
    if result.returncode != 0:
        raise CliError(f"the editor exited with code {result.returncode}; nothing was written", f"your text is kept in {name}")
    return Path(name).read_text(encoding="utf-8"), name


def collect_texts(args: argparse.Namespace, site: Site, own_lang: str, headline: str,
                  default: Callable[[], dict[str, str]] | None = None) -> dict[str, str]:
    """The update's text per language: -m and --lang; else $EDITOR; else asked; else the default."""
    texts = _option_texts(args, site, own_lang)
    if own_lang not in texts:
        if os.environ.get("VISUAL") or os.environ.get("EDITOR"):
            return _editor_texts(site, own_lang, headline, texts)
        if interactive():
            text = ask_lines(f"Text in {own_lang} (end with an empty line{'; just Enter for the standard text' if default else ''}):")
            if text.strip():
                texts[own_lang] = text
            elif default is not None:
                return {**default(), **texts}
        elif default is not None:
            return {**default(), **texts}
        else:
            raise CliError("missing the update's text", "give it with -m \"…\" (or -m - to read it from stdin), or set EDITOR to write it there")
        if not texts:
            raise CliError("the text is empty; nothing was written")
    if interactive():
        for lang in site.settings.required_languages:
            if lang not in texts:
                text = ask_lines(f"Text in {lang} (end with an empty line; just Enter to skip):")
                if text.strip():
                    texts[lang] = text
    return texts


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


def report(site: Site, path: Path, now: dt.datetime) -> tuple[list[Diagnostic], Any]:
    """Parse the written file again and print what is wrong with it."""
    text = path.read_bytes().decode("utf-8")
    incident, diags = parse_incident(site.show(path), path.stem, text, ParseSettings.from_settings(site.settings))
    if incident is not None:
        diags = diags + check_against_now(incident, now)
    for d in sorted(diags, key=lambda d: (d.line, d.level)):
        say(d.format())
    return diags, incident


def write_atomic(path: Path, text: str, *, create: bool = False) -> None:
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if create:
        with path.open("xb") as fh:
            fh.write(data)
        return
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_text(path: Path, site: Site) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{site.show(path)} is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8") from None
    except OSError as exc:
        raise CliError(f"cannot read {site.show(path)}: {exc.strerror}") from None


def _time_option(value: str | None, option: str, tz: dt.tzinfo) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = parse_datetime(value, tz)
    except DateError as exc:
        raise CliError(f"{option} {value!r}: {exc.message}", exc.hint) from None
    if parsed.ambiguous:
        say(f"{PROG}: warning: {option} {value} occurs twice (the clocks go back); the first was used; write an offset to choose")
    return parsed.at


# -- new and maintenance ---------------------------------------------------------------


def _titles(args: argparse.Namespace, site: Site, own_lang: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    title = require(args.title, "the title", f"Title ({own_lang}): ")
    titles[own_lang] = " ".join(title.split())
    for raw, text in args.titles or []:
        code = language_code(raw, site.settings)
        if code == own_lang:
            raise CliError(f"--title {raw} repeats the title's own language", "the first argument is already the title in that language")
        titles[code] = " ".join(text.split())
    if interactive():
        for lang in site.settings.required_languages:
            if lang not in titles:
                answer = ask(f"Title in {lang} (Enter to skip): ").strip()
                if answer:
                    titles[lang] = answer
    return titles


def _own_lang(args: argparse.Namespace, site: Site) -> str:
    return language_code(args.file_lang, site.settings) if args.file_lang else site.settings.default_language


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


def cmd_new(args: argparse.Namespace) -> int:
    site = load_site_config(args.config_file)
    now = build_now()
    own = _own_lang(args, site)
    titles = _titles(args, site, own)
    impact = require(args.impact, "--impact", f"Impact ({', '.join(IMPACTS)}): ").lower()
    if impact not in IMPACTS:
        raise CliError(f"unknown impact '{impact}'{did_you_mean(impact, IMPACTS)}", "use one of: " + ", ".join(IMPACTS))
    component_args = list(args.component or [])
    if not component_args and interactive():
        answer = ask(f"Affected components, comma-separated ({', '.join(site.settings.component_ids())}; Enter for none): ").strip()
        component_args = [answer] if answer else []
    components = parse_components(component_args, site.settings, kind=INCIDENT)
    status = normalize_status(args.status, INCIDENT, allowed=("investigating", "identified", "monitoring", "resolved"))
    at = _time_option(args.at, "--at", site.settings.timezone) or now
    at = at.astimezone(site.settings.timezone)
    started = _time_option(args.started_at, "--started-at", site.settings.timezone)
    texts = collect_texts(args, site, own, f"{status_label(status)}: {titles[own]}")
    new = NewFile(titles=titles, own_lang=own, kind=INCIDENT, impact=impact, components=components, status=status, at=at,
                  texts=texts, started_at=args.started_at.strip() if started and args.started_at else None)
    return _create(site, new, at.astimezone(site.settings.timezone).date(), now)


def _maintenance_default(site: Site, own: str, start: dt.datetime, end: dt.datetime) -> Callable[[], dict[str, str]]:
    def make() -> dict[str, str]:
        tz = site.settings.timezone
        s, e = start.astimezone(tz), end.astimezone(tz)
        end_text = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%Y-%m-%d %H:%M}"
        out: dict[str, str] = {}
        for lang in (own, *site.settings.language_codes):
            template = MAINTENANCE_TEXT.get(lang) or MAINTENANCE_TEXT.get(lang.split("_")[0])
            if lang == own and template is None:
                template = MAINTENANCE_TEXT["en"]
            if template and lang not in out:
                out[lang] = template.format(start=f"{s:%Y-%m-%d %H:%M}", end=end_text, zone=getattr(tz, "key", str(tz)))
        return out

    return make


def cmd_maintenance(args: argparse.Namespace) -> int:
    site = load_site_config(args.config_file)
    now = build_now()
    own = _own_lang(args, site)
    titles = _titles(args, site, own)
    tz = site.settings.timezone
    start_text = require(args.start, "--from", "Window starts (YYYY-MM-DD HH:MM): ")
    end_text = require(args.end, "--until", "Window ends (YYYY-MM-DD HH:MM): ")
    start = _time_option(start_text, "--from", tz)
    end = _time_option(end_text, "--until", tz)
    assert start is not None and end is not None
    if end <= start:
        raise CliError(f"--until {end_text} is not after --from {start_text}", "check the window")
    if end < now:
        say(f"{PROG}: warning: the window ended before now; the maintenance will show as completed")
    component_args = list(args.component or [])
    if not component_args and interactive():
        answer = ask(f"Components under maintenance, comma-separated ({', '.join(site.settings.component_ids())}): ").strip()
        component_args = [answer] if answer else []
    components = parse_components(component_args, site.settings, kind=MAINTENANCE)
    at = (_time_option(args.at, "--at", tz) or now).astimezone(tz)
    texts = collect_texts(args, site, own, f"Scheduled maintenance: {titles[own]}", default=_maintenance_default(site, own, start, end))
    new = NewFile(titles=titles, own_lang=own, kind=MAINTENANCE, impact=None, components=components, status="scheduled", at=at,
                  texts=texts, scheduled_for=" ".join(start_text.split()), scheduled_until=" ".join(end_text.split()))
    return _create(site, new, start.astimezone(tz).date(), now)


# -- update, resolve, postmortem --------------------------------------------------------


def _locate(site: Site, query: str) -> Path:
    candidate = Path(query)
    if query.endswith(".md") and candidate.is_file():
        return candidate
    files = site.incident_files()
    try:
        return files[find_incident(query, files)]
    except AuthoringError as exc:
        raise CliError(exc.message, exc.hint) from None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Holds an exclusive lock on ``folder`` (where the OS has flock): one CLI write into an incident folder at a time."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: re-reading just before writing is all there is
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


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
    at = (_time_option(getattr(args, "at", None), "--at", layout.timezone) or now).astimezone(layout.timezone)
    latest = layout.latest
    if latest is not None and latest.at is not None:
        if at.replace(microsecond=0) == latest.at.replace(microsecond=0) or (at < latest.at and at > latest.at - dt.timedelta(seconds=1)):
            at = latest.at + dt.timedelta(seconds=1)  # same second as the last update: keep the order unambiguous
        elif at < latest.at and not getattr(args, "at", None):
            say(f"{PROG}: warning: the file's latest update ({stamp(latest.at)}) is later than now ({stamp(at)}); check the clock")
    return at


def _append(args: argparse.Namespace, kind_status: Callable[[str], str], *, postmortem: bool = False) -> int:
    site = load_site_config(args.config_file)
    path = _locate(site, args.id)
    _text, layout = _layout(site, path)
    status = kind_status(layout.kind)
    _time_option(getattr(args, "at", None), "--at", layout.timezone)  # a bad --at is said before the editor opens
    components = update_components(getattr(args, "component", None) or [], site.settings)
    if postmortem:
        _check_postmortem(site, path, layout)
        texts = postmortem_texts([layout.lang, *[lang for lang in site.settings.language_codes if lang != layout.lang]])
    else:
        texts = collect_texts(args, site, layout.lang, f"{status_label(status)}: {layout.title or path.stem}")
    with _locked(path.parent):
        # The file as it is now (the editor may have been open for a while, and another update written meanwhile),
        # stamped now: the moment the text is saved.
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
    def status(kind: str) -> str:
        try:
            return normalize_status(args.status or "update", kind)
        except AuthoringError as exc:
            raise CliError(exc.message, exc.hint) from None

    return _append(args, status)


def cmd_resolve(args: argparse.Namespace) -> int:
    return _append(args, lambda kind: "completed" if kind == MAINTENANCE else "resolved")


def cmd_postmortem(args: argparse.Namespace) -> int:
    return _append(args, lambda kind: "postmortem", postmortem=True)


def cmd_ids(args: argparse.Namespace) -> int:
    """Write ``{#<current id>}`` into every update heading without one, so that no published id changes later."""
    site = load_site_config(args.config_file)
    settings = ParseSettings.from_settings(site.settings)
    missing = failed = 0
    for _iid, path in sorted(site.incident_files().items()):
        with _locked(path.parent):
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


# -- check ---------------------------------------------------------------------------------


PARALLEL_FROM = 300  # files; below this, starting workers costs more than it saves


def _check_chunk(job: tuple[list[SourceFile], ParseSettings, dt.datetime]) -> list[Diagnostic]:
    return parse_site_incidents(*job)[1]


def check_sources(sources: list[SourceFile], settings: ParseSettings, now: dt.datetime) -> list[Diagnostic]:
    """Every diagnostic of the files, parsed on all CPUs when there are many (forked workers, where the OS has fork)."""
    workers = min(os.cpu_count() or 1, 8, len(sources) // (PARALLEL_FROM // 2) or 1)
    if len(sources) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return parse_site_incidents(sources, settings, now)[1]
    # Duplicate ids are found across all files first; each worker then parses files with distinct ids.
    first: dict[str, SourceFile] = {}
    duplicates: list[Diagnostic] = []
    for f in sources:
        if f.stem in first:
            duplicates.append(duplicate_id(f.source, f.stem, first[f.stem].source))
        else:
            first[f.stem] = f
    unique = list(first.values())
    chunks = [unique[i::workers] for i in range(workers)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_check_chunk, [(chunk, settings, now) for chunk in chunks])
    except OSError:  # no processes to be had: do it here
        results = [parse_site_incidents(unique, settings, now)[1]]
    return duplicates + [d for result in results for d in result]


def media_problems(site: Site, sources: list[SourceFile]) -> list[Diagnostic]:
    """The build's warnings for media from another host, for the few files whose text may hold any."""
    from .markdown import Renderer, may_hold_remote_media, remote_media_warnings, site_extensions

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
    return draft_notes(drafts) + [replace(d, level=INFO) for d in found]


def cmd_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site = load_site_config(args.config_file)
    now = site.settings.clock or build_now()  # the site as the build sees it: `now:` pins it
    found = find(site.incidents_dir)
    all_files = found.paths
    problems: list[Diagnostic] = []
    if args.paths:
        paths: list[Path] = []
        for raw in args.paths:
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
    else:
        paths = all_files
        problems += found.warnings(site.base)
    sources, unreadable = read_sources(paths, site.base)
    sources, drafts = split_drafts(sources)
    diagnostics = check_sources(sources, ParseSettings.from_settings(site.settings), now)
    diagnostics += media_problems(site, sources) if not any(d.level == ERROR for d in diagnostics) else []
    problems = site_problems(site, sorted({s.stem for s in sources})) + unreadable + problems + diagnostics
    problems += draft_problems(drafts, ParseSettings.from_settings(site.settings), now)
    errors = sum(1 for d in problems if d.level == ERROR)
    warnings = sum(1 for d in problems if d.level == WARNING)
    for d in sorted(problems, key=lambda d: (d.file, d.line, d.level, d.message)):
        print(d.format())
    elapsed = time.perf_counter() - started
    say(f"{PROG} check: {len(paths)} file{'s' if len(paths) != 1 else ''}, {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}" + (f", {len(drafts)} draft{'s' if len(drafts) != 1 else ''}" if drafts else "")
        + f" ({elapsed:.2f} s)"
        + (" — warnings fail because of --strict" if args.strict and warnings and not errors else ""))
    if errors or (args.strict and warnings):
        return EXIT_PROBLEMS
    return EXIT_OK


# -- import ------------------------------------------------------------------------------------


class Progress:
    """A counter on a terminal, a line every ``every`` items otherwise; silent for small jobs."""

    def __init__(self, total: int, what: str, every: int = 100) -> None:
        self.total, self.what, self.every = total, what, every
        self.tty = sys.stderr.isatty()
        self.active = total >= every

    def step(self, done: int) -> None:
        if not self.active:
            return
        if self.tty:
            sys.stderr.write(f"\r{self.what} {done}/{self.total}")
            if done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif done % self.every == 0 or done == self.total:
            say(f"{self.what} {done}/{self.total}")


def cmd_import_statuspage(args: argparse.Namespace) -> int:
    from . import importer

    site = load_site_config(args.config_file)
    now = build_now()
    lang = language_code(args.text_lang, site.settings) if args.text_lang else site.settings.default_language
    documents: list[tuple[str, Any]] = []
    try:
        for location in args.files:
            documents += importer.read_source(location)
        collected = importer.collect(documents)
    except importer.SourceError as exc:
        raise CliError(str(exc)) from None
    files = discover(site.incidents_dir)
    existing: dict[str, Path] = {}
    for path in files:
        try:
            head = path.read_bytes()[:4096].decode("utf-8", "replace")
        except OSError:
            continue
        marker = importer.find_marker(head)
        if marker:
            existing.setdefault(marker, path)
    target = (site.base / args.dir).resolve() if args.dir else site.incidents_dir
    year_folders = site.year_folders if not args.dir else False
    the_plan = importer.plan(collected, site.settings, existing=existing, taken={p.stem for p in files},
                             target_dir=target, year_folders=year_folders, lang=lang)
    for note in the_plan.notes:
        say(f"{PROG}: note: {note}")
    counts = {"new": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    progress = Progress(len(the_plan.files), "importing")
    written: list[Path] = []
    for done, planned in enumerate(the_plan.files, start=1):
        path = planned.path if planned.path.is_absolute() else site.base / planned.path
        old = path.read_bytes() if path.exists() else None
        data = planned.text.encode("utf-8")
        if old is None:
            counts["new"] += 1
            if not args.dry_run:
                write_atomic(path, planned.text, create=True)
            written.append(path)
        elif old == data:
            counts["unchanged"] += 1
        elif args.overwrite:
            counts["updated"] += 1
            if not args.dry_run:
                write_atomic(path, planned.text)
            written.append(path)
        else:
            counts["skipped"] += 1
            say(f"{PROG}: kept {site.show(path)}: it differs from Statuspage incident {planned.statuspage_id} "
                "(edited here, or changed there); --overwrite replaces it")
        if args.dry_run and old != data:
            print(f"would write {site.show(path)}")
        progress.step(done)
    snippet = importer.components_snippet(the_plan.new_components)
    if snippet:
        print(snippet, end="")
    verb = "would import" if args.dry_run else "imported"
    say(f"{PROG} import: {verb} {len(the_plan.files)} incidents: {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['skipped']} kept")
    if args.dry_run or not written:
        return EXIT_OK
    # Check what was written, as if the snippet were already in mkdocs.yml.
    ps = ParseSettings.from_settings(site.settings)
    ps = replace(ps, components=ps.components + tuple(c.id for c in the_plan.new_components))
    sources, unreadable = read_sources(written, site.base)
    _incidents, diags = parse_site_incidents(sources, ps, now)
    diags = unreadable + diags
    errors = [d for d in diags if d.level == ERROR]
    warnings = [d for d in diags if d.level == WARNING]
    for d in errors:
        say(d.format())
    if warnings:
        kinds: dict[str, int] = {}
        for d in warnings:
            key = re.sub(r"'[^']*'|\d[\d:\- +]*", "…", d.message)
            kinds[key] = kinds.get(key, 0) + 1
        say(f"{len(warnings)} warnings in the imported files ({PROG} check lists them):")
        for key, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
            say(f"  {n} × {key}")
    if snippet:
        say(f"{len(the_plan.new_components)} components are not in mkdocs.yml yet: paste the snippet printed above, then run {PROG} check")
    return EXIT_PROBLEMS if errors else EXIT_OK


# -- the parser ------------------------------------------------------------------------------------


def _parser_with(subparsers: Any, name: str, help_text: str, example: str, common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    return subparsers.add_parser(name, help=help_text, description=help_text, epilog="example:\n" + example,
                                 formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])


def _text_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-m", "--message", metavar="TEXT",
                        help="the update's text in the file's language ('-' reads it from stdin); without it $EDITOR opens")
    parser.add_argument("--lang", nargs=2, action="append", metavar=("LANG", "TEXT"),
                        help="the text in another configured language (repeatable); --lang-nb TEXT also works")


def _component_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--component", action="append", metavar="ID=STATUS",
                        help="a component's status from this update on (operational, under_maintenance, degraded_performance, "
                             "partial_outage, major_outage); repeatable; a group id means all its components")


def _title_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", nargs="?", help="the title in the file's language (plain text)")
    parser.add_argument("--title", dest="titles", nargs=2, action="append", metavar=("LANG", "TEXT"),
                        help="the title in another language (repeatable); --title-nb TEXT also works")
    parser.add_argument("--file-lang", metavar="LANG", help="the language the file is written in (default: the site's first)")


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    """The parser and its subparsers (``notify`` registers itself there)."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Write, check and import the incident files of a mkdocs-status site.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=("examples:\n"
                f'  {PROG} new "Calls are not connecting" --impact major --component voice -m "We are investigating."\n'
                f'  {PROG} update 2026-11-21-calls --status monitoring -m "A fix is in place."\n'
                f"  {PROG} check --strict\n\n"
                f"Run '{PROG} COMMAND --help' for a command's options and an example."))
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-f", "--config-file", metavar="FILE", help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = _parser_with(subparsers, "new", "Start a new incident: a file with its first update, stamped now.",
                     f'  {PROG} new "Incoming calls delayed" --title-nb "Innkommende samtaler forsinkes" \\\n'
                     f'      --impact major --component voice=partial_outage --component interact \\\n'
                     f'      --status investigating -m "Some calls take long to connect. We are investigating." \\\n'
                     f'      --lang nb "Noen samtaler bruker lang tid på å koble til. Vi undersøker saken."\n', common)
    _title_options(p)
    p.add_argument("--impact", help="none, minor, major or critical")
    p.add_argument("--component", action="append", metavar="ID[=STATUS]",
                   help="an affected component id, optionally with its status (degraded_performance, partial_outage, major_outage); "
                        "repeatable, or comma-separated; a group id means all its components")
    p.add_argument("--status", default="investigating", help="investigating (default), identified, monitoring or resolved")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now: 'YYYY-MM-DD HH:MM[:SS] [zone]'")
    p.add_argument("--started-at", metavar="TIME", help="when the impact began, if before the first update")
    _text_options(p)
    p.set_defaults(func=cmd_new)

    p = _parser_with(subparsers, "update", "Add an update to an incident or maintenance, stamped now.",
                     f'  {PROG} update 2026-11-21-incoming-calls --status monitoring \\\n'
                     f'      -m "Calls connect normally again; we are monitoring." --lang nb "Samtaler kobles opp som normalt; vi følger med."\n'
                     f'  {PROG} update incoming-calls -m "Still working on it."     # --status update keeps the status\n', common)
    p.add_argument("id", help="the incident id (file name without .md), a unique start of it, or the file's path")
    p.add_argument("--status", help="the new status (default 'update': keeps the current one)")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now")
    _component_option(p)
    _text_options(p)
    p.set_defaults(func=cmd_update)

    p = _parser_with(subparsers, "resolve", "Resolve an incident (or complete a maintenance), stamped now.",
                     f'  {PROG} resolve 2026-11-21-incoming-calls -m "All calls connect normally." --lang nb "Alle samtaler kobles opp som normalt."\n',
                     common)
    p.add_argument("id", help="the incident id, a unique start of it, or the file's path")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now")
    _component_option(p)
    _text_options(p)
    p.set_defaults(func=cmd_resolve)

    p = _parser_with(subparsers, "ids",
                     "Write each update's current id ({#…}) into every update heading that has none, so that correcting "
                     "its time later changes no anchor, feed entry or notification.",
                     f"  {PROG} ids            # write them\n  {PROG} ids --check    # list headings without an id; exit 1 if any\n",
                     common)
    p.add_argument("--check", action="store_true", help="write nothing; list the headings without an id and exit 1 if there are any")
    p.set_defaults(func=cmd_ids)

    p = _parser_with(subparsers, "postmortem",
                     "Add a postmortem skeleton (Summary, Root cause, Corrective actions) in every language to a resolved incident.",
                     f"  {PROG} postmortem 2026-11-21-incoming-calls\n  $EDITOR incidents/2026-11-21-incoming-calls.md   # fill it in\n",
                     common)
    p.add_argument("id", help="the incident id, a unique start of it, or the file's path")
    p.add_argument("--at", metavar="TIME", help="when it was posted, if not now")
    p.set_defaults(func=cmd_postmortem)

    p = _parser_with(subparsers, "maintenance", "Schedule a maintenance: a file with its window and a 'Scheduled' update.",
                     f'  {PROG} maintenance "Reporting database upgrade" --title-nb "Oppgradering av rapportdatabasen" \\\n'
                     f'      --from "2026-11-26 22:00" --until "2026-11-27 01:00" --component reporting\n', common)
    _title_options(p)
    p.add_argument("--from", dest="start", metavar="TIME", help="when the window opens: 'YYYY-MM-DD HH:MM [zone]' (site time zone by default)")
    p.add_argument("--until", dest="end", metavar="TIME", help="when the window closes")
    p.add_argument("--component", action="append", metavar="ID", help="a component under maintenance (repeatable, or comma-separated)")
    p.add_argument("--at", metavar="TIME", help="when it was announced, if not now")
    _text_options(p)
    p.set_defaults(func=cmd_maintenance)

    p = _parser_with(subparsers, "check", "Check incident files without building: every error and warning, as file:line: level: message.",
                     f"  {PROG} check                          # every incident file\n"
                     f"  {PROG} check --strict incidents/2026/2026-11-21-incoming-calls.md\n\n"
                     "exit codes: 0 fine, 1 errors (or warnings with --strict), 2 unusable mkdocs.yml or arguments\n", common)
    p.add_argument("paths", nargs="*", help="files or folders to check (default: all under incidents_dir)")
    p.add_argument("--strict", action="store_true", help="warnings fail too, as in 'mkdocs build --strict'")
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser("import", help="Import incidents from another status page.", description="Import incidents from another status page.",
                              epilog=f"example:\n  {PROG} import statuspage https://status.example.com/api/v2/incidents.json\n",
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    sources = p.add_subparsers(title="sources", metavar="SOURCE")
    sp = _parser_with(sources, "statuspage",
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

    from . import init, notify  # here, inside main's error handling, so even a broken install prints no traceback

    init.register(subparsers)
    notify.register(subparsers)
    return parser, subparsers


def _missing_source(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


_SHORTHAND = re.compile(r"--(title|lang)-([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*)(?:=(.*))?$", re.DOTALL)


def expand_shorthands(argv: Sequence[str]) -> list[str]:
    """``--title-nb TEXT`` -> ``--title nb TEXT``; ``--lang-pt-BR=TEXT`` -> ``--lang pt-BR TEXT``."""
    out: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--":
            return out + list(argv[index:])
        m = _SHORTHAND.fullmatch(arg)
        after_value_option = index > 0 and argv[index - 1] in ("-m", "--message")
        if m and not after_value_option:
            out += [f"--{m.group(1)}", m.group(2)] + ([m.group(3)] if m.group(3) is not None else [])
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mkdocs-status`` console script."""
    args_in = expand_shorthands(sys.argv[1:] if argv is None else argv)
    try:
        parser, _subparsers = build_parser()
        args = parser.parse_args(args_in)
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return EXIT_OK
        return int(func(args))
    except (CliError, SiteConfigError) as exc:
        print(f"{PROG}: error: {exc.message}" + (f"; {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return EXIT_USAGE
    except AuthoringError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"{PROG}: error: cannot access{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches the user
        if os.environ.get("MKDOCS_STATUS_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc} "
              "(please report it; set MKDOCS_STATUS_DEBUG=1 to see the traceback)", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
