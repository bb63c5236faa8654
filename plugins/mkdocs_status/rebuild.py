"""Quick rebuilds for ``mkdocs serve``: pages and files whose inputs did not change are neither rendered nor written again.

MkDocs rebuilds the whole site after every edit: it empties the served folder, renders every
page in mkdocs-material's frame and writes every file again. For a status site of 1,000
incidents that is 2,000-odd generated pages and 1,000 API files, and on this kind of machine
writing them alone takes seconds. The plugin instance lives across the rebuilds of ``mkdocs
serve`` (it defines ``on_startup``), so it keeps, for each generated page, what the page was
made from (its *key*), the text the search index read of it and the file MkDocs wrote for it
(size, modification time, inode):

* an incident page's key is made of its inputs, without rendering it: the incident itself
  (the parsed model, compared by value), what the page shows that follows the clock or is
  not in the model (:meth:`pages.PageView.facts`: whether it is a draft), its URL, title, metadata and language settings;
* every other generated page (overview, history, component and group pages, which list many
  incidents and follow the clock in many ways) is rendered and its key holds the rendered body;
* both hold the site's parts, the same for every page: the whole configuration, the
  navigation (titles and URLs of hand-written pages, and the icon, subtitle and status their
  metadata gives them there) and the theme's templates (names and contents,
  the plugin's own and a ``custom_dir``'s included, its own icons too).

A page whose key matches the last build's, and whose file in the served folder is still the one
that build left, is given a one-line template and is not written again: the file already holds
its output. Feeds, calendars, the API and badges are made in full; one whose bytes match the
file the last build wrote is not written again either.

The served folder is kept between rebuilds (:class:`KeptSite`): MkDocs leaves names that begin
with a dot when it empties the folder, so the plugin renames the last build's entries to hidden
names just before and back right after; when the build ends, every file that this build neither
wrote nor kept is deleted, so the folder holds exactly what a full build writes (a test compares
them byte for byte). When the configuration or the set of the site's own files changed, the old
entries are deleted as MkDocs would have. Other plugins could make a page's HTML depend on more
than this, so the quick path is taken only when every plugin of the site is one whose effect on
a page it knows (:data:`KNOWN_PLUGINS`), and no Markdown extension puts other files' text into
update bodies (:data:`READS_FILES`: ``pymdownx.snippets``, whose ``auto_append`` glossary
mkdocs-material recommends, reads files no key knows of).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.theme import Theme

if TYPE_CHECKING:
    from .pages import PageView

# Plugins that add nothing to a generated page's HTML beyond what the key covers
# (the search plugin reads the page, it does not change it).
KNOWN_PLUGINS = frozenset({"search", "material/search", "status"})
# Markdown extensions that put the text of other files (or of URLs) into an update's body: no
# key knows when those change, so a site with one gets full rebuilds.
READS_FILES = frozenset({"pymdownx.snippets", "markdown_include.include", "mdx_include"})
CACHED_TEMPLATE = "status/cached.html"
HIDDEN = ".status-kept."  # prefix of the last build's entries while MkDocs empties the folder
MARKER = ".status-build"  # touched when the build starts writing: older files were not written by it


def _plain(value: Any) -> str:
    """A stable text for a configuration value (objects without one by their repr)."""
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)


def config_text(config: MkDocsConfig) -> str:
    """Every configuration value pages may read, as text."""
    parts = [f"{key}={_plain(config[key])}" for key in sorted(config) if key not in ("plugins", "theme")]
    theme = config.theme
    parts.append(f"theme={theme.name}|{_plain(dict(theme.items()))}|{_plain(list(theme.dirs))}")
    parts += [f"plugin {name}={_plain(dict(plugin.config))}" for name, plugin in config.plugins.items()]
    return "\n".join(parts)


def markdown_key(config: MkDocsConfig, allow_remote_media: bool) -> str:
    """The settings update bodies are rendered with: while they hold, serve's rebuilds reuse the last build's renderings."""
    return _plain([config.markdown_extensions, config.mdx_configs, allow_remote_media])


# What mkdocs-material's navigation shows of a page's metadata (partials/nav-item.html).
NAV_META = ("icon", "subtitle", "status")


def _nav_text(items: Any) -> str:
    """The navigation as every page's frame shows it: each item's kind, title, URL and the metadata it shows."""
    out: list[str] = []
    for item in items or ():
        url = getattr(item, "url", None)
        meta = getattr(item, "meta", None) or {}
        shown = _plain([meta.get(key) for key in NAV_META])
        out.append(f"{type(item).__name__}|{item.title}|{url}|{shown}|{_nav_text(getattr(item, 'children', None))}")
    return "[" + ",".join(out) + "]"


def templates_text(config: MkDocsConfig) -> str:
    """Name and content digest of each template file in the theme's folders (some 120 small files
    of mkdocs-material's: read in about 20 ms; a digest, as an edit may keep a file's size and time).

    ``assets`` (copied, not rendered) are left out, and so are hidden folders but the
    ``custom_dir``'s: mkdocs-material's thousands of icons (``.icons``) do not change while
    serving, a site's own icons (``overrides/.icons/…``, included by the templates) may.
    """
    out: list[str] = []
    custom_dir = config.theme.custom_dir
    for folder in config.theme.dirs:
        own = custom_dir is not None and os.path.abspath(folder) == os.path.abspath(custom_dir)
        for root, subdirs, names in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if (own or not d.startswith(".")) and d not in ("assets", "__pycache__"))
            for name in sorted(names):
                with open(os.path.join(root, name), "rb") as f:
                    out.append(f"{root}/{name}|{hashlib.blake2b(f.read(), digest_size=16).hexdigest()}")
    return "\n".join(out)


def quick_rebuilds_possible(config: MkDocsConfig) -> bool:
    """Whether every plugin of the site is one the keys know, and no Markdown extension reads other files (see the module's docstring)."""
    return all(name in KNOWN_PLUGINS for name in config.plugins) and not any(
        isinstance(ext, str) and ext.split(":")[0] in READS_FILES for ext in config.markdown_extensions)


def site_fingerprint(config: str, templates: str, nav: Any) -> str:
    """What every generated page's frame is made of besides the page itself: the configuration
    (:func:`config_text`), the theme's templates (:func:`templates_text`) and the navigation."""
    return _digest([config, templates, _nav_text(getattr(nav, "items", None))])


def carry_key(config: str, templates: str) -> str:
    """What the pieces carried across rebuilds (:class:`build.Carried`) are made with besides their
    incident: the configuration (:func:`config_text`) and the theme's templates, whose fragments
    (``status/partials/incident-row.html``, …) render the listing rows."""
    return _digest([config, templates])


def _digest(parts: list[Any]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class Stat(NamedTuple):
    """A written file as the folder has it: another write (or none) changes one of these."""

    size: int
    mtime_ns: int
    inode: int


def stat_of(path: str) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stat(st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass
class KeptPage:
    """A generated page as the last good build left it."""

    key: tuple[Any, ...]
    search: str  # what the search index read of it
    stat: Stat | None = None  # its file in the served folder
    entries: list[dict[str, Any]] | None = None  # the search index's entries for it


@dataclass
class PageCache:
    """What the last good build made, kept across the rebuilds of ``mkdocs serve``."""

    pages: dict[str, KeptPage] = field(default_factory=dict)  # src_uri ->
    outputs: dict[str, tuple[str, Stat]] = field(default_factory=dict)  # written path -> (digest of its bytes, stat)
    config: str | None = None  # the configuration's text
    own_files: tuple[str, ...] | None = None  # the site's own files (docs_dir, theme), by destination
    templates: MemoryBytecodeCache = field(default_factory=lambda: MemoryBytecodeCache())  # compiled Jinja templates
    fragments: MemoryBytecodeCache = field(default_factory=lambda: MemoryBytecodeCache())  # … of the plugin's own environment
    hits = 0  # generated pages the last build neither rendered nor wrote
    kept_outputs = 0  # feeds, API files, … the last build did not write again
    _next_pages: dict[str, KeptPage] = field(default_factory=dict)
    _next_outputs: dict[str, tuple[str, Stat]] = field(default_factory=dict)

    def begin(self) -> None:
        self._next_pages, self._next_outputs, self.hits, self.kept_outputs = {}, {}, 0, 0

    def end(self, config: str, own_files: tuple[str, ...]) -> None:
        """The build succeeded: what it made is what the next one compares with."""
        self.pages, self.outputs, self._next_pages, self._next_outputs = self._next_pages, self._next_outputs, {}, {}
        self.config, self.own_files = config, own_files

    def discard(self) -> None:
        """A build failed: the next one compares with the last that succeeded (files are checked on disk)."""
        self._next_pages, self._next_outputs = {}, {}


@dataclass
class Prepared:
    """A generated page's parts, made before MkDocs builds the page."""

    view: PageView
    body: str  # the page's body, as the template shows it ("" for a page kept from the last build)
    search: str  # what the search index reads of the page
    switches: dict[str, Any] = field(default_factory=dict)  # the language settings switched for the page


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept across rebuilds: Jinja checks each against its source's checksum before use."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


def share_compiled_templates(theme: Theme, cache: MemoryBytecodeCache) -> None:
    """Every Jinja environment the theme makes for this build (MkDocs', other plugins') compiles through ``cache``."""
    make = theme.get_env

    def get_env() -> Environment:
        env = make()
        env.bytecode_cache = cache
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def search_index(config: MkDocsConfig) -> Any | None:
    """mkdocs-material's search index of this build, whose entries a kept page can be given again; None without one."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__.startswith("material.plugins.search") and isinstance(getattr(index, "entries", None), list):
            return index
    return None


class _SkippedPages(logging.Filter):
    """Drops MkDocs' "Page skipped … empty output" line for pages kept from the last build."""

    def __init__(self, kept: set[str]) -> None:
        super().__init__()
        self.kept = kept

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Page skipped: '"):
            return message.split("'", 2)[1] not in self.kept
        return True


BUILD_LOG = logging.getLogger("mkdocs.commands.build")


class QuickRebuild:
    """One ``mkdocs serve`` rebuild: which generated pages and files are unchanged."""

    def __init__(self, cache: PageCache) -> None:
        self.cache = cache
        self.site = ""  # the site's fingerprint, once MkDocs gives the navigation (on_env)
        self._prepared: dict[str, Prepared] = {}
        self._kept: set[str] = set()  # src_uri of the pages kept from the last build
        self._written: dict[str, str] = {}  # src_uri -> file of the pages MkDocs writes
        self.kept_paths: set[str] = set()  # files of the folder this build keeps without writing them
        self.index: Any | None = None  # the search index (search_index), once MkDocs gives the theme (on_env)
        self._indexing: tuple[str, int, Any] | None = None  # the page the search plugin reads now
        self._filter = _SkippedPages(self._kept)
        BUILD_LOG.addFilter(self._filter)
        cache.begin()

    def close(self) -> None:
        BUILD_LOG.removeFilter(self._filter)

    def page_key(self, page: Page, view: PageView, switches: dict[str, Any], *own: Any) -> tuple[Any, ...]:
        """What a generated page is made of: the site's parts, the page's frame and ``own``."""
        # repr, not JSON: compared within one process only, and made for every page of every rebuild.
        return (self.site, page.url, page.title, repr(page.meta), page.canonical_url, page.edit_url, repr(switches),
                view.plan, *own)

    def keep(self, page: Page, key: tuple[Any, ...]) -> KeptPage | None:
        """The last build's page if it is made of the same and its file is still the one that build wrote.

        Such a page gets the one-line template and is not written again.
        """
        src = page.file.src_uri
        old = self.cache.pages.get(src)
        path = os.path.normpath(page.file.abs_dest_path)
        if old is None or old.key != key or old.stat is None or stat_of(path) != old.stat:
            self.cache._next_pages[src] = KeptPage(key, "")  # search text and stat: when made and written
            return None
        page.meta["template"] = CACHED_TEMPLATE  # read by MkDocs right after, in place of the theme's
        self._kept.add(src)
        self.cache._next_pages[src] = old
        self.kept_paths.add(path)
        self.cache.hits += 1
        return old

    def made(self, page: Page, prepared: Prepared) -> None:
        """The page's parts, for MkDocs' build of it (:meth:`take`)."""
        self._prepared[page.file.src_uri] = prepared
        entry = self.cache._next_pages.get(page.file.src_uri)
        if entry is not None and page.file.src_uri not in self._kept:
            entry.search = prepared.search

    def take(self, page: Page) -> Prepared | None:
        """The parts made for the page before MkDocs builds it (None: not a generated page)."""
        return self._prepared.pop(page.file.src_uri, None)

    def before_search(self, page: Page) -> None:
        """Before the search plugin reads the page: a kept page's entries need not be made again."""
        if self.index is None:
            return
        src = page.file.src_uri
        old = self.cache.pages.get(src)
        if src in self._kept and old is not None and old.entries is not None:
            self._indexing = (src, -1, page.meta.get("search", _NONE))
            page.meta["search"] = {"exclude": True}  # the search plugin passes it by; its entries follow (after_search)
        elif src in self.cache._next_pages:
            self._indexing = (src, len(self.index.entries), None)

    def after_search(self, page: Page) -> None:
        """After the search plugin read the page: its entries given again (kept) or remembered (made)."""
        if self.index is None or self._indexing is None or self._indexing[0] != page.file.src_uri:
            return
        src, start, meta = self._indexing
        self._indexing = None
        entry = self.cache._next_pages[src]
        if start < 0:
            if meta is _NONE:
                del page.meta["search"]
            else:
                page.meta["search"] = meta
            assert entry.entries is not None
            self.index.entries.extend(entry.entries)
        else:
            entry.entries = self.index.entries[start:]

    def output(self, page: Page, output: str) -> str:
        """The page's HTML to write: none ("") for a page kept from the last build, whose file holds it."""
        src = page.file.src_uri
        if src in self._kept:
            return ""
        if src in self.cache._next_pages:
            self._written[src] = os.path.normpath(page.file.abs_dest_path)
        return output

    def write_output(self, path: str, content: bytes) -> bool:
        """Whether a feed, API file, … must be written: not if the folder holds these bytes from the last build."""
        path = os.path.normpath(path)
        digest = hashlib.blake2b(content, digest_size=16).hexdigest()
        old = self.cache.outputs.get(path)
        if old is not None and old[0] == digest and stat_of(path) == old[1]:
            self.cache._next_outputs[path] = old
            self.kept_paths.add(path)
            self.cache.kept_outputs += 1
            return False
        self.cache._next_outputs[path] = (digest, UNWRITTEN)
        return True

    def finish(self) -> None:
        """The build wrote its files: remember each as it is on disk, for the next build's checks."""
        for src, path in self._written.items():
            self.cache._next_pages[src].stat = stat_of(path)
        for path, (digest, st) in list(self.cache._next_outputs.items()):
            if st == UNWRITTEN:
                now = stat_of(path)
                if now is None:
                    del self.cache._next_outputs[path]
                else:
                    self.cache._next_outputs[path] = (digest, now)


UNWRITTEN = Stat(-1, -1, -1)
_NONE = object()


class KeptSite:
    """The served folder kept across rebuilds: hidden while MkDocs empties it, stale files deleted after.

    Only for ``mkdocs serve`` (which builds into a temporary folder of its own), never for a
    site folder a user keeps.
    """

    def __init__(self, site_dir: str) -> None:
        self.root = Path(site_dir)
        self.hidden: list[str] = []

    def leftovers(self) -> list[Path]:
        return sorted(p for p in self.root.glob(f"{HIDDEN}*")) if self.root.is_dir() else []

    def drop_leftovers(self) -> None:
        """What no build writes: entries a build that failed before it got them back left hidden, and its marker."""
        for old in self.leftovers():
            _remove(old)
        (self.root / MARKER).unlink(missing_ok=True)

    def hide(self) -> None:
        """Just before MkDocs empties the folder: the last build's entries under hidden names (after :meth:`drop_leftovers`)."""
        if not self.root.is_dir():
            return
        for entry in sorted(os.listdir(self.root)):
            if not entry.startswith("."):
                try:
                    os.rename(self.root / entry, self.root / f"{HIDDEN}{entry}")
                except OSError:  # in use (Windows) or gone: MkDocs deletes it, its files are written again
                    continue
                self.hidden.append(entry)

    def restore(self, keep: bool) -> None:
        """Right after MkDocs emptied the folder: the entries back (``keep``) or deleted, as MkDocs would have."""
        for entry in self.hidden:
            hidden = self.root / f"{HIDDEN}{entry}"
            try:
                if keep and not os.path.lexists(self.root / entry):
                    os.rename(hidden, self.root / entry)
                    continue
            except OSError:
                pass  # not kept: its files are written again (the page cache finds them missing)
            _remove(hidden)
        self.hidden = []
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / MARKER).write_bytes(b"")

    def prune(self, kept: set[str]) -> int:
        """When the build has written everything: delete each file it neither wrote nor kept; the count."""
        marker = stat_of(str(self.root / MARKER))
        if marker is None:
            return 0
        removed, folders = 0, []
        for folder, subdirs, names in os.walk(self.root):
            if folder == str(self.root):  # but the marker (and hidden entries, none by now); docs' .well-known/ is the site's
                names = [n for n in names if n != MARKER and not n.startswith(HIDDEN)]
                subdirs[:] = [d for d in subdirs if not d.startswith(HIDDEN)]
            else:
                folders.append(folder)
            for name in names:
                path = os.path.join(folder, name)
                if os.lstat(path).st_mtime_ns < marker.mtime_ns and path not in kept:
                    os.unlink(path)
                    removed += 1
        for folder in reversed(folders):  # deepest first
            if not os.listdir(folder):
                os.rmdir(folder)
        (self.root / MARKER).unlink()  # not the site's (a full build leaves none)
        return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def own_files(files: Files) -> tuple[str, ...]:
    """The site's own files (docs_dir and theme) by destination: a change there rewrites the whole folder."""
    return tuple(sorted(f.dest_uri for f in files))
