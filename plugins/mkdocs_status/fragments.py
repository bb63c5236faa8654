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

import jinja2
from markupsafe import Markup
from mkdocs.plugins import get_plugin_logger

PARTIALS = "status/partials/"
# Fragments read from another place before: an override there would be silently left unused.
MOVED = {"partials/language-notices.html": PARTIALS + "language-notices.html"}
log = get_plugin_logger(__name__)


class Fragments:
    """Renders ``status/…`` templates through the theme's loader, each compiled once per build."""

    def __init__(self, theme_env: jinja2.Environment, compiled: jinja2.BytecodeCache | None = None) -> None:
        # ``compiled``: kept across `mkdocs serve` rebuilds (its own: these settings compile a template differently).
        # optimized=False: Jinja's optimizer folds constant expressions while compiling; these
        # templates have next to none, and each is compiled once per build (a quarter less time).
        self.env = jinja2.Environment(loader=theme_env.loader, autoescape=True, auto_reload=False, bytecode_cache=compiled, optimized=False,
                                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
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
