"""``mkdocs-status init``: a new, complete status site in a folder, ready to build and deploy.

The answers (site name, URL, languages, time zone, components) come from flags, from
questions on a terminal, or from the defaults: without a terminal nothing waits for input.
Every file is made from the templates in ``scaffold/`` and written only when none of them
exists yet, so re-running on a site changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import ID
from .l10n.catalogs import N_, has_catalog, translations
from .l10n.languages import material_language, normalize
from .parse.dates import DateError, zone
from .parse.updates import heading_word

SCAFFOLD = Path(__file__).parent / "scaffold"
DEFAULT_COMPONENTS = (("website", "Website"),)

# The first file's text and docs/about.md, translated in the interface catalogs: a language with a
# catalog gets its own words, any other the default language's (and mkdocs.yml then requires only
# the languages that have text).
WELCOME = (N_("Planned maintenance of the status page"),
           N_("We are setting up this status page. This is an example of planned maintenance: "
              "edit or delete this file (see incidents/README.md)."))
ABOUT = (N_("About this page"),
         N_("This status page is built from plain text files kept in git: every update our team posts is "
            "published here, in the feeds and in the JSON API within minutes. Subscribe with the Atom or RSS feeds, add planned "
            "maintenance to your calendar with the iCal feed, or poll `/api/v2/summary.json` (the format of Atlassian Statuspage)."))
FILES = (
    "mkdocs.yml", "README.md", ".gitignore", ".pre-commit-config.yaml", ".gitlab-ci.yml",
    ".github/workflows/status.yml", "incidents/README.md", "theme_overrides/main.html", "docs/about.md",
)  # fmt: skip


class InitError(Exception):
    """An answer init cannot use: the message names it and says what to write instead."""


@dataclass
class Answers:
    """What the new site is: every value validated."""

    site_name: str = "Status"
    site_url: str = "https://status.example.com/"
    languages: list[str] = field(default_factory=lambda: ["en"])
    timezone: str = "UTC"
    components: list[tuple[str, str]] = field(default_factory=lambda: list(DEFAULT_COMPONENTS))


# -- validating answers ---------------------------------------------------------------


def parse_languages(text: str) -> list[str]:
    codes: list[str] = []
    for raw in re.split(r"[,\s]+", text.strip()):
        if not raw:
            continue
        code = normalize(raw)
        if code is None:
            raise InitError(f"unknown language '{raw}'; use codes such as en, nb, de, pt_BR")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise InitError("give at least one language, e.g. --languages en,nb")
    return codes


def parse_url(text: str) -> str:
    url = text.strip()
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        raise InitError(f"site URL '{text}' is not an http(s) URL; write it as https://status.example.com/")
    return url if url.endswith("/") else url + "/"


def parse_timezone(text: str) -> str:
    try:
        return str(zone(text.strip()))
    except DateError as exc:
        raise InitError(f"time zone: {exc.message}; {exc.hint}") from None


def parse_component(text: str) -> tuple[str, str]:
    cid, _, name = text.partition("=")
    cid, name = cid.strip(), name.strip() or cid.strip()
    if not ID.fullmatch(cid):
        raise InitError(f"component id '{cid}' must be lowercase letters, digits and hyphens; write --component id=Name, e.g. api=Public API")
    return cid, name


def parse_components(items: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in items:
        for part in item.split(","):
            if part.strip():
                comp = parse_component(part)
                if comp[0] in {c for c, _ in out}:
                    raise InitError(f"component id '{comp[0]}' is given twice")
                out.append(comp)
    return out


# -- asking -------------------------------------------------------------------------


Ask = Callable[[str], str]


def gather(given: dict[str, object], ask: Ask | None) -> Answers:
    """The answers: each flag given, else asked (with the default shown) when ``ask`` is set, else the default."""
    answers = Answers()

    def value(key: str, prompt: str, default: str) -> str | None:
        if given.get(key) is not None:
            return str(given[key])
        if ask is None:
            return None
        return ask(f"{prompt} [{default}]: ").strip() or default

    name = value("site_name", "Site name", answers.site_name)
    if name is not None:
        answers.site_name = name.strip() or answers.site_name
    url = value("site_url", "Site URL", answers.site_url)
    if url is not None:
        answers.site_url = parse_url(url)
    langs = value("languages", "Languages, the default first", ",".join(answers.languages))
    if langs is not None:
        answers.languages = parse_languages(langs)
    tz = value("timezone", "Time zone (IANA, e.g. Europe/Oslo)", answers.timezone)
    if tz is not None:
        answers.timezone = parse_timezone(tz)
    comps = given.get("components")
    if comps:
        answers.components = parse_components(list(comps))  # type: ignore[call-overload]
    elif ask is not None:
        shown = ", ".join(f"{c}={n}" for c, n in answers.components)
        reply = ask(f"Components as id=Name, comma-separated [{shown}]: ").strip()
        if reply:
            answers.components = parse_components([reply])
    return answers


# -- the files ----------------------------------------------------------------------


def _quoted(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text`` (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _components_yaml(answers: Answers) -> str:
    lines = []
    for cid, name in answers.components:
        lines.append(f"        - id: {cid}\n          name: {_quoted(name)}")
        lines += [f"          name_{code}: {_quoted(name)}" for code in answers.languages[1:]]
    return "\n".join(lines)


def texted_languages(answers: Answers) -> list[str]:
    """The languages the first file has text in: the default one and those with a catalog (or whose base language has one)."""
    return [code for i, code in enumerate(answers.languages) if i == 0 or has_catalog(code)]


def in_language(texts: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """``texts`` (messages of the catalogs) in ``lang``; English where it has no catalog."""
    return tuple(translations(lang).gettext(text) for text in texts)


def first_file(answers: Answers, now: dt.datetime) -> tuple[str, str]:
    """(file name, text) of the example maintenance, a week after ``now`` at 22:00 local time."""
    tz = zone(answers.timezone)
    day = (now.astimezone(tz) + dt.timedelta(days=7)).date()
    own = answers.languages[0]
    title, body = in_language(WELCOME, own)
    front = [f"title: {_quoted(title)}"]
    blocks = []
    for code in texted_languages(answers)[1:]:
        other_title, other_body = in_language(WELCOME, code)
        front.append(f"title_{code}: {_quoted(other_title)}")
        blocks.append(f"\n::: {code}\n{other_body}\n:::\n")
    front += ["type: maintenance", f'scheduled_for: "{day} 22:00"', f'scheduled_until: "{day} 23:00"',
              f"components: [{answers.components[0][0]}]" if answers.components else "components: []"]
    posted = now.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    text = "---\n" + "\n".join(front) + f"\n---\n\n## {heading_word('scheduled')} · {posted}\n\n{body}\n" + "".join(blocks)
    return f"{day}-status-page-maintenance.md", text


def theme_language(code: str) -> str:
    """Material's ``theme.language`` for a language (``pt_BR`` -> ``pt-BR``), as the plugin itself picks it."""
    import material  # the theme init's sites use; only its list of interface languages is read

    available = {p.stem for p in (Path(material.__file__).parent / "templates" / "partials" / "languages").glob("*.html")}
    return material_language(code, available)


def substitutions(answers: Answers) -> dict[str, str]:
    texted = texted_languages(answers)
    about_title, about_text = in_language(ABOUT, answers.languages[0])
    return {
        "about_title": about_title,
        "about_text": about_text,
        "site_name": _quoted(answers.site_name),
        "site_name_text": answers.site_name,
        "site_url": answers.site_url,
        "site_url_quoted": _quoted(answers.site_url),
        "languages": ", ".join(answers.languages),
        "required_languages": ", ".join(texted),
        "required_comment": "" if texted == answers.languages else
        "   # add the others once your files have their text",
        "timezone": answers.timezone,
        "components": _components_yaml(answers),
        "component_ids": ", ".join(f"`{c}`" for c, _ in answers.components),
        "first_component": answers.components[0][0] if answers.components else "website",
        "other_language": answers.languages[1] if len(answers.languages) > 1 else "nb",
        "default_language": answers.languages[0],
        "theme_language": theme_language(answers.languages[0]),
        "version": __version__,
        "pip_spec": f'"mkdocs-status @ git+https://github.com/mkdocs-status/mkdocs-status@v{__version__}"',
    }


def scaffold_name(name: str) -> str:
    """The template of a file in ``scaffold/``: ``.github/workflows/status.yml`` -> ``github__workflows__status.yml.in``."""
    return name.replace("/", "__").lstrip(".") + ".in"


def render_files(answers: Answers, now: dt.datetime) -> dict[str, str]:
    """Every file of the new site: relative path -> text."""
    values = substitutions(answers)
    out = {}
    for name in FILES:
        template = string.Template((SCAFFOLD / scaffold_name(name)).read_text(encoding="utf-8"))
        out[name] = template.substitute(values)
    first_name, first_text = first_file(answers, now)
    out[f"incidents/{first_name}"] = first_text
    return out


def existing(target: Path, files: dict[str, str]) -> list[str]:
    """The files of the new site that are already there (a site, or part of one)."""
    return sorted(name for name in files if (target / name).exists())


def write_site(target: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)


# -- the command ----------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds ``init`` to the CLI's commands."""
    from .cli import PROG

    p = subparsers.add_parser(
        "init", help="Start a new status site: mkdocs.yml, incidents/, CI for GitHub and GitLab Pages.",
        description="Write a complete, building status site into DIR (default: the current folder). "
                    "On a terminal it asks for what the options do not give; otherwise it takes the defaults.",
        epilog=(f"example:\n  {PROG} init status --site-name 'Example Status' --site-url https://status.example.com/ \\\n"
                "      --languages en,nb --timezone Europe/Oslo --component api='Public API' --component web=Website\n\n"
                "exit codes: 0 written, 1 a site is already there (nothing written), 2 unusable answers\n"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the folder of the new site (created if missing)")
    p.add_argument("--site-name", help="the site's name (default: Status)")
    p.add_argument("--site-url", help="where it will be published, e.g. https://status.example.com/")
    p.add_argument("--languages", help="comma-separated, the default first (default: en)")
    p.add_argument("--timezone", help="IANA time zone for days and times (default: UTC)")
    p.add_argument("--component", dest="components", action="append", metavar="ID=NAME",
                   help="a component (repeatable, or comma-separated; default: website=Website)")
    p.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, EXIT_PROBLEMS, CliError, ask, build_now, interactive, say

    given = {key: getattr(args, key) for key in ("site_name", "site_url", "languages", "timezone", "components")}
    try:
        answers = gather(given, ask if interactive() else None)
    except InitError as exc:
        raise CliError(str(exc)) from None
    target = Path(args.dir)
    files = render_files(answers, build_now())
    there = existing(target, files)
    if there:
        say(f"mkdocs-status: error: {target} already holds a site ({', '.join(there)}); nothing was written")
        return EXIT_PROBLEMS
    write_site(target, files)
    say(f"Wrote a status site to {target}: {len(files)} files.")
    say(f"Next: cd {target} && mkdocs serve --livereload   (then read README.md and incidents/README.md)")
    return EXIT_OK
