"""One shared Markdown renderer for update bodies, with sanitising.

Built once per build from the site's ``markdown_extensions``; results are
cached by source text, so a body shown on many pages and feeds is rendered
once. Output passes through nh3, so incident text can never become active
content (scripts, event handlers, ``javascript:`` links, iframes).

Pages make no third-party requests: media from another host (``<img>``, ``![x](https://…)``,
``<video>``, ``<audio>``, ``<source>``, ``srcset``, CSS ``url()``) is removed, and the build
warns at the update's line, unless the site sets ``allow_remote_media: true``; then images,
video and audio from http(s) URLs are kept. Links (``<a href>``) are not requests and stay.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import markdown as md
import nh3

from .diagnostics import WARNING, Diagnostic
from .model import Incident, StatusSite

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "input": {"type", "checked", "disabled"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_INPUT = re.compile(r"<input\b(?![^>]*\bdisabled\b)")
# A task list checkbox is named by its item's text: move the text into its label.
_BARE_TASK = re.compile(r'(<li class="task-list-item">)(<input[^>]*>)(.*?)(?=<ul|<ol|<p>|</li>)', re.S)
_TASK = re.compile(r'(<label class="task-list-control"><input[^>]*>(?:<span class="task-list-indicator"></span>)?)</label>(.*?)(?=<ul|<ol|<p>|</li>)', re.S)


# With allow_remote_media: true, images, video and audio from other hosts are kept.
MEDIA_TAGS = ALLOWED_TAGS | {"audio", "picture", "source", "video"}
MEDIA_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "img": {"src", "srcset", "sizes", "alt", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "preload"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "source": {"src", "srcset", "sizes", "type", "media"},
}
# A URL of another host: http(s) or ftp, or "//host" (or with backslashes, which browsers read as slashes).
# Other schemes (javascript:, data:) are not requests to a host; nh3 removes them as unsafe.
_REMOTE_URL = re.compile(r"\s*(?:(?:https?|ftp):|[\\/][\\/])", re.I)
# An <img> whose src leaves the site, as nh3 writes it (double quotes, attributes lowercase).
_REMOTE_IMG = re.compile(r'<img\b[^>]*?\ssrc="\s*(?:(?:https?|ftp):|[\\/][\\/])[^"]*"[^>]*>', re.I)
_MEDIA_HINT = re.compile(r"<|!\[|url\(", re.I)  # Markdown that may make media (images, HTML, styles)
_TWO_SLASHES = re.compile(r"[\\/][\\/]")  # in every URL of another host, as _REMOTE_URL reads them
_URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)


class _RemoteMedia(HTMLParser):
    """Collects the URLs of another host that an HTML fragment would fetch by itself as media.

    Frames, objects and scripts are active content that sanitising removes whatever they point at.
    """

    FETCHING = ("src", "srcset", "poster", "background")
    ACTIVE = frozenset({"iframe", "frame", "embed", "object", "applet", "script", "portal"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.ACTIVE:
            return
        for name, value in attrs:
            if not value:
                continue
            if name == "style":
                urls = _URL_IN_CSS.findall(value)
            elif name == "srcset":
                urls = [c.split()[0] for c in value.split(",") if c.strip()]
            elif name in self.FETCHING:
                urls = [value]
            else:
                continue
            self.found += [u.strip() for u in urls if _REMOTE_URL.match(u)]


def remote_media(html: str) -> list[str]:
    """URLs of other hosts the (unsanitised) HTML would request as media, in order."""
    parser = _RemoteMedia()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.found))


@cache
def _cleaner(allow_remote_media: bool) -> nh3.Cleaner:
    """nh3's sanitiser with this module's rules, made once (a call of ``nh3.clean`` builds one each time)."""
    return nh3.Cleaner(
        tags=MEDIA_TAGS if allow_remote_media else ALLOWED_TAGS,
        attributes=MEDIA_ATTRIBUTES if allow_remote_media else ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def sanitize(html: str, *, allow_remote_media: bool = False) -> str:
    """Keep harmless formatting; drop scripts, handlers, frames, unsafe URLs and (unless allowed) remote media."""
    clean = _cleaner(allow_remote_media).clean(html)
    if not allow_remote_media and "<img" in clean:
        clean = _REMOTE_IMG.sub("", clean)
    # Task list checkboxes are read-only, and named by their item's text.
    clean = _TASK.sub(r"\1\2</label>", _INPUT.sub('<input disabled=""', clean))
    return _BARE_TASK.sub(r"\1<label>\2\3</label>", clean)


# Extensions that leave prose alone: with only these, a text of plain paragraphs (see
# _PROSE) comes out of Markdown as those paragraphs, so it need not go through Markdown.
# Anything else (emoji, smarty, magiclink, ...) may change prose: then every text does.
PROSE_SAFE_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "fenced_code", "footnotes", "md_in_html",
    "sane_lists", "tables", "toc", "pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
})  # fmt: skip
# Plain prose: every line empty or starting with a letter (so no block construct: list, heading,
# quote, fence, table, admonition, definition), no character Markdown or its extensions give a
# meaning inline, no trailing space (a line break), no tab and no other kind of space.
_PROSE = re.compile(r"(?:(?:[^\W\d_][^\n*_`\[\]<>&\\{}|~^=+$\x00-\x09\x0b-\x1f\x7f-\x9f\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*?)?(?<![ \u00a0])(?:\n|\Z))+")


def _extension_name(ext: Any) -> str:
    name = ext if isinstance(ext, str) else type(ext).__module__
    return name.removeprefix("markdown.extensions.")


class Renderer:
    """Renders update bodies with the site's Markdown extensions."""

    def __init__(self, extensions: list[Any] | None = None, configs: dict[str, Any] | None = None, *,
                 allow_remote_media: bool = False) -> None:
        self.allow_remote_media = allow_remote_media
        self.removed: dict[str, list[str]] = {}  # source text -> the remote media taken out of it
        extensions = [e for e in (extensions or []) if e not in ("toc",) and not str(e).endswith(".toc")]
        configs = configs or {}
        self._md = md.Markdown(extensions=extensions, extension_configs=configs, output_format="html")
        self._cache: dict[str, str] = {}
        self.keeps_all = False  # True: every rendering kept, for the next build too (see take)
        glossary = any((configs.get(name) or {}).get("glossary") for name in ("abbr", "markdown.extensions.abbr"))
        # abbr's glossary marks up words in prose: then prose goes through Markdown too.
        self._prose_fast = not glossary and all(_extension_name(e) in PROSE_SAFE_EXTENSIONS for e in extensions)

    def render(self, text: str) -> str:
        html = self._cache.get(text)
        if html is None:
            self._md.reset()  # as for every text: some extensions count resets (footnote ids)
            if self._prose_fast and _PROSE.fullmatch(text):
                # Most updates are a few plain paragraphs: what Markdown would make of them,
                # without running its whole pipeline (about 60 µs a text).
                html = sanitize("\n".join(f"<p>{p.strip()}</p>" for p in text.split("\n\n") if p.strip()))
            else:
                raw = self._md.convert(text)
                if not self.allow_remote_media and _MEDIA_HINT.search(text):
                    found = remote_media(raw)
                    if found:
                        self.removed[text] = found
                html = sanitize(raw, allow_remote_media=self.allow_remote_media)
            self._cache[text] = html
        return html

    def take(self, text: str) -> str:
        """``render(text)`` for its last reader: not kept for another (made again if one asks),
        unless the renderer is kept for the next build (``keeps_all``: `mkdocs serve`)."""
        html = self.render(text)
        if not self.keeps_all:
            del self._cache[text]
        return html


def remote_media_warnings(site: StatusSite | Iterable[Incident], renderer: Renderer) -> list[Diagnostic]:
    """A warning at each update whose text had media from another host removed (the build's and ``check``'s)."""
    out: list[Diagnostic] = []
    if renderer.allow_remote_media:
        return out
    for incident in site.incidents if isinstance(site, StatusSite) else site:
        for update in incident.updates:
            for text in _media_candidates(update.texts.values()):
                renderer.render(text)  # cached: the pages and feeds reuse it
                for url in renderer.removed.get(text, ()):
                    out.append(Diagnostic(incident.source, update.line, WARNING,
                                          f"media from another host removed from the update: {url}",
                                          "pages make no third-party requests; copy the file into docs/ and link it "
                                          "relatively, or set 'allow_remote_media: true' for the status plugin"))
    return out


def _media_candidates(texts: Iterable[str]) -> list[str]:
    return [t for t in texts if _MEDIA_HINT.search(t)]


def may_hold_remote_media(text: str) -> bool:
    """False when a source text cannot hold media from another host (most files): no need to render it."""
    return _TWO_SLASHES.search(text) is not None and _MEDIA_HINT.search(text) is not None


def site_extensions(value: Any) -> tuple[list[Any], dict[str, Any]]:
    """mkdocs.yml's ``markdown_extensions`` (names, or one-key mappings to their options) as MkDocs passes them."""
    names: list[Any] = ["toc", "tables", "fenced_code"]  # MkDocs adds these to every site
    configs: dict[str, Any] = {}
    items = list(value.items()) if isinstance(value, dict) else [(i, None) if isinstance(i, str) else next(iter(i.items()), (None, None))
                                                                 for i in value or [] if isinstance(i, (str, dict))]
    for name, options in items:
        if isinstance(name, str) and name not in names:
            names.append(name)
        if isinstance(name, str) and isinstance(options, dict):
            configs[name] = options
    return names, configs


def absolute_links(html: str, base: str) -> str:
    """Resolve relative ``href``/``src`` against ``base`` (for feeds, mail, chat)."""

    def fix(m: re.Match[str]) -> str:
        url = m.group(2)
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
            return m.group(0)
        return f'{m.group(1)}="{urljoin(base, url)}"'

    return _LINK.sub(fix, html)


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def _from_folder(target: str, folder: str) -> str:
    """The site path ``target`` (``/history/``, ``/incidents/x/#u``) as a link from a page in ``folder``."""
    parts = urlsplit(target)
    rel = posixpath.relpath(parts.path, folder)
    if parts.path.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return rel + query + fragment


def relink(html: str, base: str, page: str) -> str:
    """Rendered text written on the page at ``base`` (a site path such as ``incidents/x/``), its
    relative ``href``/``src`` rewritten for the page at ``page`` so they still reach the same files.

    Links with a scheme, protocol-relative and root-relative ones stay as they are.
    """
    base_dir = "/" + base.rsplit("/", 1)[0] + "/" if "/" in base else "/"
    page_dir = "/" + page.rsplit("/", 1)[0] if "/" in page else "/"
    if base_dir.rstrip("/") == page_dir.rstrip("/"):
        return html

    def fix(m: re.Match[str]) -> str:
        url = m.group(2)
        if not url or url.startswith("/") or _SCHEME.match(url):
            return m.group(0)
        return f'{m.group(1)}="{_from_folder(urljoin("/" + base, url), page_dir)}"'

    return _LINK.sub(fix, html)


class _Text(HTMLParser):
    """Collects readable text: blocks on their own lines, list items as ``- ``."""

    BLOCKS = frozenset({"p", "div", "pre", "blockquote", "h3", "h4", "h5", "h6", "table", "tr", "ul", "ol", "dl", "dt", "dd", "details", "summary", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str] = []
        self.pre = 0
        self.items = 0  # depth of open list items

    def newline(self) -> None:
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li":
            self.items += 1
            self.newline()
            self.out.append("- ")
        elif tag == "input" and a.get("type") == "checkbox":
            self.out.append("[x] " if "checked" in a else "[ ] ")
        elif tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCKS:
            if self._item_started():
                self.pre += tag == "pre"
                return
            spaced = ("p", "pre", "table", "h3", "h4", "h5", "h6", "blockquote") + (("ul", "ol") if not self.items else ())
            if tag in spaced and self.out:
                self.newline()
                if not "".join(self.out[-2:]).endswith("\n\n"):
                    self.out.append("\n")
            self.newline()
            self.pre += tag == "pre"
        elif tag == "a":
            self.links.append(a.get("href") or "")
        elif tag in ("td", "th") and self.out and not self.out[-1].endswith("\n"):
            self.out.append(" | ")

    def _item_started(self) -> bool:
        tail = "".join(self.out[-2:])
        return tail.endswith(("- ", "] "))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href.startswith(("http://", "https://", "mailto:")):
                self.out.append(f" ({href.removeprefix('mailto:')})")
        elif tag in self.BLOCKS or tag == "li":
            self.pre -= tag == "pre"
            self.items -= tag == "li"
            self.newline()

    def handle_data(self, data: str) -> None:
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if not self.out or self.out[-1].endswith(("\n", " ")):
                data = data.lstrip()
        if data:
            self.out.append(data)


# Rendered prose: paragraphs of text with no markup and no character references.
_PROSE_HTML = re.compile(r"<p>[^<>&]*</p>(?:\n<p>[^<>&]*</p>)*")


def plain_text(html: str) -> str:
    """Readable text from rendered HTML (for JSON bodies, calendars, chat and mail)."""
    if _PROSE_HTML.fullmatch(html):  # most updates: each paragraph with its white space closed up
        return "\n\n".join(filter(None, (" ".join(p.split()) for p in html[3:-4].split("</p>\n<p>"))))
    return read_text(html)


def read_text(html: str) -> str:
    """``plain_text`` for any HTML, by reading it tag by tag."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
