"""The MkDocs plugin: each event is a few lines that delegate to the pure core.

A failed build never costs the published site. MkDocs empties ``site_dir`` right after
``on_pre_build`` and writes into it page by page, so a crash or a ``--strict`` abort half-way
would leave a half-written site. Unless serving (or building ``--dirty``), the plugin points
MkDocs at a staging folder beside ``site_dir`` (``.<name>.staging``) in ``on_config``; the last
``on_post_build`` swaps it in for ``site_dir`` (one ``renameat2(RENAME_EXCHANGE)`` on Linux,
two renames elsewhere) once the build has succeeded, strict-mode warnings included, and then
deletes the old site. On any error (``on_build_error``) the staging folder is removed and
``site_dir`` is untouched.
"""

from __future__ import annotations

import datetime as dt
import gc
import html
import logging
import os
import warnings
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, get_build_datetime

from . import api, badges, feeds, hosting, ical
from .build import BuildData, Carried
from .checks import config_problems
from .config import StatusConfig, build_settings
from .diagnostics import ERROR
from .drafts import INFO
from .generated import OutputFile, StatusPage
from .icons import icon_css
from .l10n.languages import material_language
from .markdown import Renderer, remote_media_warnings
from .model import Settings, StatusSite
from .pages import PageRenderer, PageView, page_meta, search_html
from .rebuild import (
    KeptSite,
    PageCache,
    Prepared,
    QuickRebuild,
    carry_key,
    config_text,
    markdown_key,
    own_files,
    quick_rebuilds_possible,
    search_index,
    share_compiled_templates,
    site_fingerprint,
    templates_text,
)
from .site import INCIDENT_PAGE, Links, PagePlan
from .siteconfig import Site
from .sources import ParseCache, load_site
from .staging import Staging

if TYPE_CHECKING:  # the live-reload server (and its file watcher) is only imported by `mkdocs serve`
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
OUTPUTS = (feeds, ical, api, badges, hosting)
STYLESHEET = "assets/mkdocs-status/status.css"
ICONS = "assets/mkdocs-status/icons.css"


def _output(module: Any, data: BuildData, path: str, own_headers: str | None) -> str | bytes:
    """One output file made again (see :class:`OutputFile`)."""
    if own_headers is not None:
        return hosting.headers(data.links, own_headers)
    return module.build(data)[path]  # type: ignore[no-any-return]


def strict_warnings() -> bool:
    """Whether MkDocs counted a warning that ``--strict`` will abort the build for."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def nav_titles(nav: Any) -> list[tuple[str, str]]:
    """(title, path) of every titled page in mkdocs.yml's ``nav``."""
    out: list[tuple[str, str]] = []
    if isinstance(nav, list):
        for item in nav:
            out += nav_titles(item)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                out.append((str(title), value))
            else:
                out += nav_titles(value)
    return out


class StatusPlugin(BasePlugin[StatusConfig]):
    """Turns ``incidents/*.md`` into the pages, feeds and API of a status site."""

    supports_multiple_instances = False

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance alive across `mkdocs serve` rebuilds.
        self.serving = command == "serve"
        self.dirty = dirty
        # Kept across the rebuilds of `mkdocs serve`: each file's parse and each generated page's
        # output, so an edit re-parses one file and re-renders only the pages it changed.
        self.parse_cache: ParseCache | None = ParseCache() if self.serving else None
        self.page_cache: PageCache | None = PageCache() if self.serving else None
        self.carried: Carried | None = None  # pieces made of one incident, for the next rebuild (build.Carried)
        self._carried_with: str | None = None  # what they were made with besides their incidents (rebuild.carry_key)

    # Priority 100: before other plugins load templates in their on_config (mkdocs-material's search does).
    @event_priority(100)
    def _on_config_templates(self, config: MkDocsConfig) -> MkDocsConfig:
        cache = getattr(self, "page_cache", None)
        if cache is not None and quick_rebuilds_possible(config):  # another plugin may change how templates compile
            share_compiled_templates(config.theme, cache.templates)
        return config

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        gc.freeze()  # the imported modules, as what on_files freezes (see there), live to the end of the build
        self.settings: Settings = build_settings(self.config, site_name=config.site_name, site_url=config.site_url,
                                                 description=config.site_description or "")
        # site_name and site_description are text: mkdocs-material prints them raw (header, <title>,
        # meta description). Escaped once here as Markup, every template shows them as text, and
        # Jinja's `e` filter (which Material uses in some places) does not escape them again.
        for key in ("site_name", "site_description"):
            if config[key] and not isinstance(config[key], Markup):
                config[key] = Markup(html.escape(str(config[key])))
        base = Path(config.config_file_path or ".").resolve().parent
        self.base = base
        self.incidents_dir = (base / self.config.incidents_dir).resolve()
        self._check_config(config)
        self.now: dt.datetime = self.settings.clock or get_build_datetime()
        if str(TEMPLATES) not in config.theme.dirs:
            position = 1 if config.theme.custom_dir else 0
            config.theme.dirs.insert(position, str(TEMPLATES))
        # Every page gets the status stylesheet: it also fixes mkdocs-material's contrast and
        # colour-only links on the site's hand-written pages.
        for sheet in (STYLESHEET, ICONS):
            if sheet not in config.extra_css:
                config.extra_css.append(sheet)
        self.links = Links(self.settings, config.use_directory_urls)
        self.plans: dict[str, PagePlan] = {}
        self.data: BuildData | None = None
        self.renderer_pages: PageRenderer | None = None
        self._saved: dict[str, Any] = {}
        self._body: str | None = None
        self._quick: QuickRebuild | None = None
        self._last_of_language: set[str] = set()
        self._kept_site: KeptSite | None = None
        self._carry: Carried | None = None  # this build's (only in a quick rebuild)
        self._config_text = self._templates_text = ""
        self._nav: Any = None
        self._material_languages = {p.stem for d in config.theme.dirs for p in Path(d).glob("partials/languages/*.html")}
        self._default_language(config)
        self.staging: Staging | None = None
        if not getattr(self, "serving", False) and not getattr(self, "dirty", False):
            staging = Staging(Path(config.site_dir))
            if staging.possible():
                self.staging = staging
                config.site_dir = str(staging.folder)
            else:
                log.info(f"status: cannot write beside {staging.site_dir}; building in place, as MkDocs does")
        return config

    on_config = CombinedEvent(_on_config_templates, _on_config)

    def _check_config(self, config: MkDocsConfig) -> None:
        """The site-level checks of mkdocs.yml (:func:`checks.config_problems`): warnings logged, errors raised."""
        config_file = Path(config.config_file_path or os.devnull)  # no file: nothing to read for bidi controls
        site = Site(config_file=config_file, base=self.base, settings=self.settings, incidents_dir=self.incidents_dir,
                    docs_dir=Path(config.docs_dir).resolve(), use_directory_urls=config.use_directory_urls,
                    incidents_dir_setting=str(self.config.incidents_dir))
        problems = config_problems(site, config_file.name)
        for d in problems:
            if d.level != ERROR:
                log.warning(d.format(with_level=False))
        errors = [f"{d.message}; {d.hint}" for d in problems if d.level == ERROR]
        if errors:
            raise PluginError("status: " + "\n".join(errors))

    def _default_language(self, config: MkDocsConfig) -> None:
        """404.html and hand-written pages in the site's default language, as the generated ones.

        Without ``theme.language`` in mkdocs.yml it is set to the default language; a
        ``theme.language`` that says another language is kept, with a warning.
        """
        default = self.settings.default_language
        wanted = material_language(default, self._material_languages)
        with warnings.catch_warnings():  # mkdocs 1.6 deprecates user_configs but still fills it: what mkdocs.yml itself said
            warnings.simplefilter("ignore", DeprecationWarning)
            users = list(config.user_configs)
        given = next((c["theme"].get("language") for c in reversed(users)
                      if isinstance(c.get("theme"), dict) and c["theme"].get("language")), None)
        if given is None:
            config.theme["language"] = wanted
        elif str(given) != wanted:
            log.warning(f"theme.language '{given}' is not the status site's default language '{default}': 404.html and "
                        f"hand-written pages show mkdocs-material's '{given}' interface; set theme.language: {wanted} or remove it")
        if config.theme["language"] == wanted:
            config.extra["status_language"] = self.settings.language(default).tag

    def _on_pre_build_load(self, *, config: MkDocsConfig) -> None:
        # Raising here stops the build before MkDocs cleans site/, so the last good site stays.
        # `mkdocs serve` previews drafts (marked); a build leaves them out.
        site, diagnostics = load_site(self.settings, self.incidents_dir, self.base, self.now, drafts=getattr(self, "serving", False),
                                      cache=getattr(self, "parse_cache", None))
        for d in diagnostics:
            if d.level == INFO:
                log.info(d.format(with_level=False))
            elif d.level != ERROR:
                log.warning(d.format(with_level=False))
        errors = [d for d in diagnostics if d.level == ERROR]
        if errors:
            raise PluginError(f"status: {len(errors)} error(s) in incident files:\n" + "\n".join(d.format(with_level=False) for d in errors))
        self.site: StatusSite = site

    # Priority -100: right before MkDocs empties the served folder, once every plugin is ready.
    @event_priority(-100)
    def _on_pre_build_keep(self, *, config: MkDocsConfig) -> None:
        """In a `mkdocs serve` rebuild, the last build's files are kept through MkDocs' emptying (rebuild.py)."""
        cache = getattr(self, "page_cache", None)
        if cache is None:
            return
        if not quick_rebuilds_possible(config):
            if not getattr(self, "dirty", False):
                KeptSite(config.site_dir).drop_leftovers()  # a failed build's, MkDocs would leave them
            return
        # Read once per build: the carried pieces' key here, the pages' fingerprint in on_env.
        self._config_text, self._templates_text = config_text(config), templates_text(config)
        if getattr(self, "dirty", False):
            return
        self._kept_site = KeptSite(config.site_dir)
        self._kept_site.drop_leftovers()  # a failed build's, MkDocs would leave them
        if cache.config == self._config_text:
            self._kept_site.hide()
        made_with = carry_key(self._config_text, self._templates_text)
        if self.carried is None or self._carried_with != made_with:
            self.carried, self._carried_with = Carried(), made_with
        self._carry = self.carried

    on_pre_build = CombinedEvent(_on_pre_build_load, _on_pre_build_keep)

    # Priority 100: MkDocs has emptied the served folder; the kept files come back before any is written.
    @event_priority(100)
    def _on_files_keep(self, files: Files, *, config: MkDocsConfig) -> Files:
        cache = getattr(self, "page_cache", None)
        if cache is not None and quick_rebuilds_possible(config):
            self._own_files = own_files(files)
            if self._kept_site is not None:
                self._kept_site.restore(keep=self._own_files == cache.own_files)
            self._quick = QuickRebuild(cache)
        return files

    def _renderer(self, config: MkDocsConfig) -> Renderer:
        """The update bodies' Markdown renderer; in `mkdocs serve`, the last build's (and its rendered texts) while the settings hold."""
        key = markdown_key(config, self.config.allow_remote_media)
        kept = getattr(self, "_kept_renderer", None)
        if kept is not None and kept[0] == key and quick_rebuilds_possible(config):
            return kept[1]  # type: ignore[no-any-return]
        renderer = Renderer(config.markdown_extensions, config.mdx_configs, allow_remote_media=self.config.allow_remote_media)
        if getattr(self, "page_cache", None) is not None and quick_rebuilds_possible(config):
            renderer.keeps_all = True
            self._kept_renderer = (key, renderer)
        return renderer

    def _on_files_generate(self, files: Files, *, config: MkDocsConfig) -> Files:
        renderer = self._renderer(config)
        for d in remote_media_warnings(self.site, renderer):
            log.warning(d.format(with_level=False))
        self.data = BuildData(self.site, self.now, self.links, renderer, self._carry)
        generated: list[File] = []
        for plan in self.links.pages(self.site):
            self.plans[plan.src_uri] = plan
            view = PageView(self.data, plan, "")
            file = File.generated(config, plan.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            StatusPage(file, config, page_meta(view), view.incident)  # sets file.page
            generated.append(file)
        own_headers = files.get_file_from_path(hosting.HEADERS)
        if own_headers is not None:  # the site's own rules are kept, ours follow them
            files.remove(own_headers)
        # Feeds, the calendar, the API and badges never hold a draft, not even in a preview.
        published = self.data if not self.site.drafts else BuildData(self.site.published(), self.now, self.links, renderer, self._carry)
        for module in OUTPUTS:
            for path, content in module.build(published).items():
                headers = own_headers.content_string if path == hosting.HEADERS and own_headers is not None else None
                if headers is not None:
                    content = hosting.headers(self.links, headers)
                output = OutputFile.make(config, path, content, partial(_output, module, published, path, headers))
                output.quick = self._quick
                generated.append(output)
        for asset in sorted(ASSETS.iterdir()):
            generated.append(File.generated(config, f"assets/mkdocs-status/{asset.name}", abs_src_path=str(asset)))
        generated.append(File.generated(config, ICONS, content=icon_css(list(config.theme.dirs))))
        taken = {f.dest_uri: f.src_uri for f in files}
        clashes = [taken.get(f.dest_uri) or f.src_uri for f in generated
                   if files.get_file_from_path(f.src_uri) is not None or f.dest_uri in taken]
        if clashes:
            raise PluginError("status: these files in docs_dir would be replaced by generated ones: " + ", ".join(clashes)
                              + "; rename or remove them (the status plugin generates the overview, history, incident and component pages)")
        for f in generated:
            files.append(f)
        self.generated_uris = [f.src_uri for f in generated]
        # The last page of each language, in the order MkDocs renders them (the files' order):
        # the pieces kept for a language's pages are let go once it is written (on_post_page).
        last = {plan.lang: src_uri for src_uri, plan in self.plans.items()}
        self._last_of_language = set(last.values())
        # Nearly everything alive now (imported modules, CLDR data, the model, the rendered
        # bodies) lives until the build ends. Freezing it keeps Python's cyclic collector from
        # walking all of it again on each full collection while thousands of pages are rendered
        # (5-10 % of a small site's build, measured). Unfrozen when the build ends or fails.
        gc.freeze()
        return files

    on_files = CombinedEvent(_on_files_keep, _on_files_generate)

    # Priority -100: the staged site is swapped in only after every other plugin wrote its files.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()
        if self._quick is not None:
            self._end_quick_rebuild()
        if self.staging is None:
            return
        if config.strict and strict_warnings():
            return  # MkDocs aborts right after this event; on_build_error removes the staging folder
        self.staging.publish()
        config.site_dir = str(self.staging.site_dir)  # `gh-deploy` reads it after the build
        self.staging = None

    def _end_quick_rebuild(self) -> None:
        """The files written: each remembered as it is on disk, every other file of the served folder deleted."""
        assert self._quick is not None
        quick, self._quick = self._quick, None
        quick.close()
        quick.finish()
        removed = self._kept_site.prune(quick.kept_paths) if self._kept_site is not None else 0
        self._kept_site = None
        cache = quick.cache
        cache.end(self._config_text, self._own_files)
        if self._carry is not None:
            self._carry.end()
            self._carry = None
        log.info(f"status: {cache.hits} of {len(self.plans)} generated pages and {cache.kept_outputs} data files unchanged since "
                 f"the last build, not made or written again; {removed} old files removed")

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()
        if getattr(self, "_quick", None) is not None:
            self._quick.close()  # type: ignore[union-attr]
            self._quick = None
        if getattr(self, "page_cache", None) is not None:
            self.page_cache.discard()  # type: ignore[union-attr]
        if getattr(self, "_carry", None) is not None:
            self._carry.discard()  # type: ignore[union-attr]
            self._carry = None
        if getattr(self, "staging", None) is not None:
            self.staging.discard()  # type: ignore[union-attr]
            self.staging = None

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # A generated page listed in the site's nav with a title keeps that title in the nav,
        # as any page would (MkDocs takes the title from the nav only for pages it creates).
        titled: set[str] = set()
        for title, path in nav_titles(config.nav):
            file = files.get_file_from_path(path)
            if path not in titled and isinstance(file.page if file else None, StatusPage):
                file.page.title = title  # type: ignore[union-attr]
                titled.add(path)  # listed twice: the first title, as MkDocs does
        self._nav = nav  # the site's fingerprint for quick rebuilds includes it (on_env)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        cache = getattr(self, "page_cache", None)
        self.renderer_pages = PageRenderer(env, cache.fragments if cache is not None else None)
        if self._quick is not None:
            self._quick.site = site_fingerprint(self._config_text, self._templates_text, self._nav)
            self._quick.index = search_index(config)
            for src_uri in self.plans:
                file = files.get_file_from_path(src_uri)
                if file is not None and file.page is not None:
                    self._prepare_quick(self._quick, file.page, config)
        return env

    def _prepare_quick(self, quick: QuickRebuild, page: Page, config: MkDocsConfig) -> None:
        """A generated page kept from the last build, or made afresh (rebuild.py).

        An incident page is compared by its inputs before it is rendered; the other pages by
        what they render to.
        """
        view = self._view(page)
        assert view is not None
        switches = self._switches(view)
        if view.plan.kind == INCIDENT_PAGE:
            kept = quick.keep(page, quick.page_key(page, view, switches, view.incident, view.facts()))
            quick.made(page, Prepared(view, "", kept.search, switches) if kept is not None else self._render(view, switches))
        else:
            prepared = self._render(view, switches)
            quick.keep(page, quick.page_key(page, view, switches, prepared.body, prepared.search, view.head_links()))
            quick.made(page, prepared)

    def _switches(self, view: PageView) -> dict[str, Any]:
        """What the page's language changes in the config while it is rendered (theme language, alternates)."""
        lang = self.settings.language(view.lang)
        switches: dict[str, Any] = {"language": material_language(view.lang, self._material_languages), "status_language": lang.tag}
        if len(self.settings.languages) > 1:
            # mkdocs-material's language selector and hreflang links: the same page in each language.
            switches["alternate"] = [
                {"name": self.settings.language(code).name, "link": path or "./", "lang": self.settings.language(code).tag}
                for code, path in self.links.twins(view.plan)
            ]
        return switches

    def _prepare(self, page: Page, config: MkDocsConfig) -> Prepared | None:
        """A generated page's view, body, search text and language switches; None for other pages."""
        view = self._view(page)
        return self._render(view, self._switches(view)) if view is not None else None

    def _render(self, view: PageView, switches: dict[str, Any]) -> Prepared:
        assert self.renderer_pages is not None
        body = self.renderer_pages.render(view)
        return Prepared(view, body, search_html(view) or body, switches)

    def _view(self, page: Page) -> PageView | None:
        plan = self.plans.get(page.file.src_uri)
        if plan is None or self.data is None or self.renderer_pages is None:
            return None
        return self.renderer_pages.view(self.data, plan, page.url)

    # Priority 100: render the body and switch the language before other plugins read the
    # page. Bodies are rendered here, not in on_page_content, because MkDocs renders Markdown
    # before on_env gives us the theme. Until priority -100 an incident page's content is the
    # lean text the search index should read (title, statuses, times, update text), and a page
    # the index leaves out has none; then the full body goes back for the template.
    @event_priority(100)
    def _on_page_context_render(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        prepared = self._quick.take(page) if self._quick is not None else self._prepare(page, config)
        if prepared is None:
            return context
        self._saved = {"language": config.theme["language"], "alternate": config.extra.get("alternate"),
                       "status_language": config.extra.get("status_language")}
        config.theme["language"] = prepared.switches["language"]
        config.extra["status_language"] = prepared.switches["status_language"]
        if "alternate" in prepared.switches:
            config.extra["alternate"] = prepared.switches["alternate"]
        self._body = prepared.body
        page.content = prepared.search
        if self._quick is not None:
            self._quick.before_search(page)
        if (page.meta.get("search") or {}).get("exclude"):
            # A page the index leaves out (the listings) gives the search plugin nothing to read: it
            # would still scan the whole listing for data-search attributes to strip.
            page.content = ""
        context["status"] = prepared.view
        context["_"] = prepared.view.gettext
        return context

    @event_priority(-100)
    def _on_page_context_restore_body(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        if self._quick is not None:
            self._quick.after_search(page)
        if self._body is not None:
            page.content = self._body
            self._body = None
        return context

    on_page_context = CombinedEvent(_on_page_context_render, _on_page_context_restore_body)

    # Priority -100: restore only after every other plugin has seen the page.
    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._quick is not None:
            output = self._quick.output(page, output)
        if isinstance(page, StatusPage):
            # Written to disk right after this: MkDocs keeps every Page to the end of the build,
            # and at 20,000 pages their bodies would be hundreds of MB no one reads again.
            page.forget()
            data = self.data
            if self._quick is None and data is not None and data.carried is None and page.file.src_uri in self._last_of_language:
                data.forget_shown()
        if self._saved:
            config.theme["language"] = self._saved["language"]
            for key in ("alternate", "status_language"):
                if self._saved[key] is None:
                    config.extra.pop(key, None)
                else:
                    config.extra[key] = self._saved[key]
            self._saved = {}
        return output

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.incidents_dir), recursive=True)
        return server
