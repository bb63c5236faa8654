"""Self-contained output: nothing in the built site loads from another host.

A status page must work when everything else is down, so it may not depend on
Google Fonts, a CDN or an analytics host. The browser tests enforce this at run
time (every request outside 127.0.0.1 is aborted and fails the test); this test
reads the files, so it also covers pages and states no browser test visits.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

THIRD_PARTY = re.compile(
    r"fonts\.googleapis|fonts\.gstatic|googletagmanager|google-analytics|googlesyndication|"
    r"cdn\.jsdelivr|unpkg\.com|cdnjs\.|plausible\.io|cloudflareinsights|gravatar",
    re.IGNORECASE,
)
# Elements and attributes whose URL the browser fetches by itself.
LOADING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "input": ("src",),
}
LOADING_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect", "dns-prefetch"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


def external(url: str) -> bool:
    """True for a URL that names a host (absolute or scheme-relative); data: URLs are inline."""
    url = url.strip()
    parts = urlsplit(url)
    return parts.scheme not in ("", "data") or url.startswith("//")


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name in LOADING.get(tag, ()):
            if values.get(name):
                self.loads += [part.strip().split(" ")[0] for part in values[name].split(",")] if name == "srcset" else [values[name]]
        if tag == "link" and LOADING_LINKS & set(values.get("rel", "").lower().split()):
            self.loads.append(values.get("href", ""))
        if values.get("style"):
            self.loads += CSS_URL.findall(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.loads += CSS_URL.findall(data)


def test_pages_load_nothing_from_another_host(example_site: Path):
    offending = []
    for page in sorted(example_site.rglob("*.html")):
        raw = page.read_text(encoding="utf-8")
        parser = _Loads()
        parser.feed(raw)
        rel = page.relative_to(example_site).as_posix()
        offending += [f"{rel}: loads {url}" for url in parser.loads if external(url)]
        offending += [f"{rel}: mentions {m.group(0)}" for m in THIRD_PARTY.finditer(raw)]
    assert offending == [], "\n".join(offending[:40])


def test_stylesheets_load_nothing_from_another_host(example_site: Path):
    offending = []
    for sheet in sorted(example_site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")
        rel = sheet.relative_to(example_site).as_posix()
        offending += [f"{rel}: {url}" for url in CSS_URL.findall(text) if external(url)]
        offending += [f"{rel}: mentions {m.group(0)}" for m in THIRD_PARTY.finditer(text)]
    assert offending == [], "\n".join(offending[:40])
