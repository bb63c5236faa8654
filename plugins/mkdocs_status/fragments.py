"""The status pages' markup as Jinja fragments (``templates/status/partials/*.html``), rendered
once and reused on every page that shows the same thing.

A fragment is a small template a site can override from its ``custom_dir``
(``theme_overrides/status/partials/update.html`` wins over the plugin's, as MkDocs puts the
custom_dir first among the theme's folders), as mkdocs-material's tags plugin renders its
``fragments/tags/…``. The views (pages.py) hand a fragment plain fields — labels, classes,
times already formatted — and the fragment holds the markup.

Speed: the history and component pages list every incident, so a row, an update or a day bar is
rendered once per (incident, language) and the string kept. What differs between the pages that
show it is written into the fragment as a *slot* and filled per page by :meth:`slots.Slots.fill`:

* a link to a site path (``\\x02u<path>\\x03``), made relative to the showing page;
* an update body with relative links (``\\x02b<n>\\x03``), rewritten for the showing page's
  folder by :func:`markdown.relink` (PRODUCT §7: written as read on the incident page).

A fragment sees a slot as an opaque string: an override prints ``{{ row.href }}`` as it is.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import marshal
from collections.abc import Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.plugins import get_plugin_logger

PARTIALS = "status/partials/"
# Fragments read from another place before: an override there would be silently left unused.
MOVED = {"partials/language-notices.html": PARTIALS + "language-notices.html"}
TEMPLATES = Path(__file__).parent / "templates"
# The Python code Jinja makes of each status template, made ahead (``python -m mkdocs_status.fragments``),
# and that code compiled by the Python that made the file (marshalled, as in a .pyc; another Python
# compiles the code itself). Beside the templates, not among them: MkDocs copies what a theme folder
# holds besides templates into the site.
AHEAD = Path(__file__).parent / "templates.compiled.json"
_MAGIC = importlib.util.MAGIC_NUMBER.hex()  # what marshalled code a Python reads: its bytecode's version
log = get_plugin_logger(__name__)


def environment(loader: jinja2.BaseLoader | None, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The environment the status templates are compiled and rendered in, at build time and ahead of it."""
    # optimized=False: Jinja's optimizer folds constant expressions while compiling; these
    # templates have next to none, and a site's overrides are compiled once per build.
    return jinja2.Environment(loader=loader, autoescape=True, auto_reload=False, bytecode_cache=compiled, optimized=False,
                              extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)


def ahead_names() -> list[str]:
    """The templates compiled ahead: every ``status/…`` one but the page frame (Material's environment renders it)."""
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in (TEMPLATES / "status").rglob("*.html") if p.name != "page.html")


def compile_ahead() -> str:
    """``templates.compiled.json``: each status template's source digest, the Python code Jinja makes of it
    and that code compiled by this Python."""
    env = environment(jinja2.FileSystemLoader(str(TEMPLATES)))
    out: dict[str, dict[str, str]] = {}
    for name in ahead_names():
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        python = env.compile(source, name, filename, raw=True)
        code = base64.b64encode(marshal.dumps(compile(python, name, "exec"))).decode("ascii")
        out[name] = {"sha256": _digest(source), "python": python, "code": code}
    return json.dumps({"jinja": jinja2.__version__, "magic": _MAGIC, "templates": out}, indent=1, sort_keys=True) + "\n"


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


@cache
def _ahead() -> tuple[dict[str, dict[str, str]], bool]:
    """The code made ahead, by template name, and whether its compiled code is this Python's; none when
    it was made by another Jinja (its code could differ)."""
    try:
        data = json.loads(AHEAD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, False
    return (data["templates"], data.get("magic") == _MAGIC) if data.get("jinja") == jinja2.__version__ else ({}, False)


def _ahead_code(name: str, ahead: dict[str, str]) -> Any:
    """A template's code made ahead (``ahead``: its entry), as ``compile`` makes it: read marshalled when
    this Python made the file, else compiled from the Python code Jinja made."""
    if _ahead()[1] and "code" in ahead:
        return marshal.loads(base64.b64decode(ahead["code"]))
    return compile(ahead["python"], name, "exec")


class AheadLoader(jinja2.BaseLoader):
    """The theme's loader, but a template whose source is the plugin's own, unchanged, is not compiled:
    the Python code Jinja made of it ahead (``templates.compiled.json``) is read instead.

    Any other source (a site's override in its custom_dir, an edited template) is compiled, as
    Jinja's own loaders do: what is read ahead is chosen by the digest of the source found.
    """

    def __init__(self, loader: jinja2.BaseLoader | None) -> None:
        self.loader = loader

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if self.loader is None:
            raise jinja2.TemplateNotFound(template)
        return self.loader.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.loader.list_templates() if self.loader is not None else []

    def load(self, environment: jinja2.Environment, name: str, globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        ahead = _ahead()[0].get(name)
        if ahead is None or ahead["sha256"] != _digest(source):
            return super().load(environment, name, globals)  # compiled (through the environment's bytecode cache, if any)
        template = environment.template_class.from_code(environment, _ahead_code(name, ahead), globals if globals is not None else {}, uptodate)
        template.filename = filename  # where the source is, for an error's message (the code names only the template)
        return template


class Fragments:
    """Renders ``status/…`` templates through the theme's loader, each compiled once per build (the
    plugin's own ahead of it: :class:`AheadLoader`)."""

    def __init__(self, theme_env: jinja2.Environment, compiled: jinja2.BytecodeCache | None = None) -> None:
        # ``compiled``: kept across `mkdocs serve` rebuilds (its own: these settings compile a template differently).
        self.env = environment(AheadLoader(theme_env.loader), compiled)
        self._templates: dict[str, jinja2.Template] = {}
        for old, new in MOVED.items():
            try:
                found = self.env.loader.get_source(self.env, old)[1] if self.env.loader else None  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                continue
            log.warning(f"{found}: the theme's {old} is no longer read; move it to {new} (see the README, Restyling the pages)")

    def template(self, name: str) -> jinja2.Template:
        """A template by its name under the theme (``status/overview.html``), compiled once."""
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def partial(self, name: str, **values: object) -> Markup:
        """The fragment ``status/partials/<name>`` with ``values``, as HTML.

        What ``Template.render`` does, without copying its context (a fragment's own dict, the
        environment's globals in it): thousands of fragments per build pay that copy otherwise.
        """
        template = self.template(PARTIALS + name)
        try:
            return Markup("".join(template.root_render_func(template.new_context({**self.env.globals, **values}, shared=True))))
        except Exception:
            self.env.handle_exception()  # the error with the template's name and line, as render() gives it


if __name__ == "__main__":  # python -m mkdocs_status.fragments: after changing a template in templates/status/
    AHEAD.write_text(compile_ahead(), encoding="utf-8")
    print(f"wrote {AHEAD}")
