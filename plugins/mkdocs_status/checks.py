"""The site-level checks, written once: for the plugin's build and for ``mkdocs-status check``.

:func:`config_problems` is what ``mkdocs.yml`` itself says wrong (no ``site_url``, incidents
inside ``docs_dir``, invisible bidirectional controls); the plugin raises its errors in
``on_config`` and the CLI prints them. :func:`site_problems` adds the hand-written pages a
generated one would replace, found on disk (the build finds them among MkDocs' files).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .config import bidi_warnings
from .diagnostics import ERROR, WARNING, Diagnostic
from .site import HOST_FILES
from .siteconfig import Site
from .sources import display_path

#: The message of a hand-written file in docs_dir that a generated page would replace.
REPLACED = "this hand-written file would be replaced by a page the status plugin generates"


def config_problems(site: Site, shown: str) -> list[Diagnostic]:
    """Problems of mkdocs.yml (shown as ``shown``): site_url, incidents_dir inside docs_dir, bidi controls."""
    out: list[Diagnostic] = bidi_warnings(site.config_file, shown)
    if not site.settings.site_url:
        out.append(Diagnostic(shown, 0, ERROR, "site_url is not set; feeds, the iCal calendar and the JSON API need absolute links",
                              "add 'site_url: https://status.example.com/' to mkdocs.yml"))
    if site.incidents_dir == site.docs_dir or site.docs_dir in site.incidents_dir.parents:
        out.append(Diagnostic(shown, 0, ERROR, f"incidents_dir '{site.incidents_dir_setting}' lies inside docs_dir",
                              "move the incidents next to mkdocs.yml so MkDocs does not publish them as pages"))
    return out


def page_clashes(site: Site, ids: Iterable[str]) -> list[Diagnostic]:
    """Hand-written files in docs_dir that a page generated for these incident ids would replace."""
    out: list[Diagnostic] = []
    if not site.docs_dir.is_dir():
        return out
    ids = list(ids)
    # The history's year pages: the years the recommended file names (YYYY-MM-DD-…) begin with.
    years = sorted({i[:4] for i in ids if re.match(r"\d{4}-", i)})
    for planned in site.links.planned_paths(ids, years):
        if planned == HOST_FILES[0]:
            continue  # a hand-written _headers is kept: the build adds its rules after the site's own
        # MkDocs publishes a hand-written README.md as its folder's index page.
        readme = [planned[: -len("index.md")] + "README.md"] if planned.endswith("index.md") else []
        out += [Diagnostic(site.show(site.docs_dir / rel), 0, ERROR, REPLACED, "rename or remove it")
                for rel in [planned, *readme] if (site.docs_dir / rel).is_file()]
    return out


def option_warnings(site: Site, shown: str) -> list[Diagnostic]:
    """The warnings of the status plugin's options (a deprecated name, an unknown key, a notify mistake), as MkDocs logs them in a build."""
    return [Diagnostic(shown, line, WARNING, message) for line, message in getattr(site.options, "option_warnings", ())]


def site_problems(site: Site, ids: Iterable[str]) -> list[Diagnostic]:
    """Problems of the site as a whole, as ``mkdocs-status check`` reports them."""
    shown = display_path(site.config_file, Path.cwd())
    return option_warnings(site, shown) + config_problems(site, shown) + page_clashes(site, ids)
