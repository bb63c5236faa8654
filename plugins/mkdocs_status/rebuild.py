"""Quick rebuilds for ``mkdocs serve``: generated pages whose inputs did not change are not re-rendered.

MkDocs rebuilds the whole site after every edit, and for a status site of 1,000 incidents
nearly all of that time goes into rendering mkdocs-material's page frame around each of the
2,000-odd generated pages. The plugin instance lives across the rebuilds of ``mkdocs serve``
(it defines ``on_startup``), so it keeps each generated page's final HTML together with a
fingerprint of everything that HTML is made from:

* the page's own parts: its body and search text (rendered afresh on every rebuild, so they
  follow the edited incident and the build's clock), its URL, title, metadata, the head links
  ``status/page.html`` adds, and the language settings the plugin switches for it;
* the site's parts, the same for every page: the whole configuration (mkdocs.yml and what
  plugins set), the navigation (titles and URLs of hand-written pages) and the theme's
  templates (names, sizes and modification times, the plugin's own and a ``custom_dir``'s
  included).

A page whose fingerprint matches the previous build's is given a one-line template and gets
its previous output back, byte for byte; every other page is rendered as in a full build.
Hand-written pages, feeds, the API and the search index are always built in full. Other
plugins could make a page's HTML depend on more than this, so the quick path is taken only
when every plugin of the site is one whose effect on a page it knows (:data:`KNOWN_PLUGINS`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

if TYPE_CHECKING:
    from .pages import PageView

# Plugins that add nothing to a generated page's HTML beyond what the fingerprint covers
# (the search plugin reads the page, it does not change it).
KNOWN_PLUGINS = frozenset({"search", "material/search", "status"})
CACHED_TEMPLATE = "status/cached.html"


def _plain(value: Any) -> str:
    """A stable text for a configuration value (objects without one by their repr)."""
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)


def _config_text(config: MkDocsConfig) -> str:
    """Every configuration value pages may read, as text."""
    parts = [f"{key}={_plain(config[key])}" for key in sorted(config) if key not in ("plugins", "theme")]
    theme = config.theme
    parts.append(f"theme={theme.name}|{_plain(dict(theme.items()))}|{_plain(list(theme.dirs))}")
    parts += [f"plugin {name}={_plain(dict(plugin.config))}" for name, plugin in config.plugins.items()]
    return "\n".join(parts)


def _nav_text(items: Any) -> str:
    """The navigation as every page's frame shows it: each item's kind, title and URL."""
    out: list[str] = []
    for item in items or ():
        url = getattr(item, "url", None)
        out.append(f"{type(item).__name__}|{item.title}|{url}|{_nav_text(getattr(item, 'children', None))}")
    return "[" + ",".join(out) + "]"


def _templates_text(dirs: list[str]) -> str:
    """Name, size and modification time of each template file in the theme's folders.

    Hidden folders (mkdocs-material's thousands of icons) and ``assets`` (copied, not
    rendered) are left out.
    """
    out: list[str] = []
    for folder in dirs:
        for root, subdirs, names in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith(".") and d not in ("assets", "__pycache__"))
            for name in sorted(names):
                stat = os.stat(os.path.join(root, name))
                out.append(f"{root}/{name}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(out)


def quick_rebuilds_possible(config: MkDocsConfig) -> bool:
    """Whether every plugin of the site is one the fingerprint knows (see the module's docstring)."""
    return all(name in KNOWN_PLUGINS for name in config.plugins)


def site_fingerprint(config: MkDocsConfig, nav: Any) -> str:
    """What every generated page's frame is made of besides the page itself."""
    digest = hashlib.sha256()
    for text in (_config_text(config), _nav_text(getattr(nav, "items", None)), _templates_text(list(config.theme.dirs))):
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def page_fingerprint(site: str, parts: list[Any]) -> str:
    """One generated page's fingerprint: the site's and the page's own parts."""
    digest = hashlib.sha256(site.encode("ascii"))
    for part in parts:
        digest.update(b"\0")
        digest.update(str(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class PageCache:
    """Each generated page's last output and its fingerprint, across the rebuilds of ``mkdocs serve``."""

    def __init__(self) -> None:
        self._outputs: dict[str, tuple[str, str]] = {}  # src_uri -> (fingerprint, output)
        self._next: dict[str, tuple[str, str]] = {}
        self.hits = 0  # pages the last build took from the cache

    def begin(self) -> None:
        """Start a build: what it does not store again is forgotten when it ends."""
        self._next, self.hits = {}, 0

    def lookup(self, src_uri: str, fingerprint: str) -> str | None:
        """The page's previous output, if it was made from the same inputs."""
        found = self._outputs.get(src_uri)
        return found[1] if found is not None and found[0] == fingerprint else None

    def store(self, src_uri: str, fingerprint: str, output: str) -> None:
        self._next[src_uri] = (fingerprint, output)

    def end(self) -> None:
        """The build succeeded: its pages are what the next one compares with."""
        self._outputs, self._next = self._next, {}

    def discard(self) -> None:
        """A build failed: the next one compares with the last that succeeded."""
        self._next = {}


@dataclass
class Prepared:
    """A generated page's parts, rendered before MkDocs builds the page."""

    view: PageView
    body: str  # the page's body, as the template shows it
    search: str  # what the search index reads of the page
    switches: dict[str, Any] = field(default_factory=dict)  # the language settings switched for the page


class QuickRebuild:
    """One ``mkdocs serve`` rebuild: which generated pages are unchanged, and their outputs."""

    def __init__(self, cache: PageCache, site: str) -> None:
        self.cache = cache
        self.site = site
        self._prepared: dict[str, Prepared] = {}
        self._fingerprints: dict[str, str] = {}
        self._hits: dict[str, str] = {}

    def prepare(self, page: Page, prepared: Prepared | None) -> None:
        """Fingerprint a generated page; one that did not change gets the one-line template."""
        if prepared is None:
            return
        src = page.file.src_uri
        fingerprint = page_fingerprint(self.site, [
            page.url, page.title, _plain(page.meta), page.canonical_url, page.edit_url, prepared.body, prepared.search,
            prepared.view.head_links(), _plain(prepared.switches)])
        self._prepared[src] = prepared
        self._fingerprints[src] = fingerprint
        cached = self.cache.lookup(src, fingerprint)
        if cached is not None:
            self._hits[src] = cached
            page.meta["template"] = CACHED_TEMPLATE  # read by MkDocs right after, in place of the theme's

    def take(self, page: Page) -> Prepared | None:
        """The parts :meth:`prepare` rendered for the page (None: not a generated page)."""
        return self._prepared.pop(page.file.src_uri, None)

    def output(self, page: Page, output: str) -> str:
        """The page's HTML: the previous build's when unchanged; remembered for the next build."""
        src = page.file.src_uri
        fingerprint = self._fingerprints.pop(src, None)
        if fingerprint is None:
            return output
        cached = self._hits.pop(src, None)
        if cached is not None:
            self.cache.hits += 1
            output = cached
        self.cache.store(src, fingerprint, output)
        return output
