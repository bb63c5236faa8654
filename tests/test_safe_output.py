"""Safe output: incident text and configured names never become active content.

One temporary site (``browser/sitekit.py: write_hostile_site``) puts scripts, event
handlers, ``javascript:`` and ``data:`` links, frames, ``<base>``, ``<meta refresh>``
and mutation-XSS markup into incident titles, update text (en and nb) and component
and group names, then builds it for real. Every output file is then read:

* pages: no script but the site's own, no ``on*`` attribute, no script URL, no frame,
  object, embed, base or refresh; titles and names show as text, escaped exactly once;
* Material's search index (rendered as HTML by its search): the same rules;
* feeds (``*.atom``, ``*.rss``), iCal (``*.ics``), JSON (``*.json``) and SVG badges,
  whatever of them the build writes, so these checks grow as outputs are added.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from browser.sitekit import (
    HOSTILE_MAINTENANCE,
    HOSTILE_NAMES,
    HOSTILE_TITLE,
    HOSTILE_TITLE_NB,
    build_site,
    hostile_plain_texts,
    write_hostile_site,
)

PLAIN_TEXTS = hostile_plain_texts()
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster", "background", "cite", "ping"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
SCRIPT_URL = re.compile(r"^(javascript|vbscript|data:text/html|data:image/svg)", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z/!?]")


def markup_in_text(value: str) -> bool:
    """True when text (JSON, iCal, feed titles) holds markup that is not one of the site's own plain texts."""
    for text in PLAIN_TEXTS:
        value = value.replace(text, "")
    return "pwned" in value and bool(TAG.search(value))


def script_url(value: str) -> bool:
    """A URL a browser would run: control characters and whitespace are ignored, as browsers do."""
    squeezed = re.sub(r"[\x00-\x20]", "", html.unescape(value))
    return bool(SCRIPT_URL.match(squeezed))


class ActiveContent(HTMLParser):
    """Collects anything in an HTML document or fragment that could run or load code."""

    def __init__(self, own_scripts: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.own_scripts = own_scripts
        self._script: list[str] | None = None
        self._style: list[str] | None = None
        self.text: dict[str, list[str]] = {}
        self._capture: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if name in URL_ATTRIBUTES and script_url(value):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if name == "style" and "pwned" in value:
                self.problems.append(f"<{tag} style={value[:60]!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "link" and "pwned" in values.get("href", ""):
            self.problems.append(f"<link href={values['href']!r}>")
        if tag == "script":
            src = values.get("src", "")
            if not self.own_scripts:
                self.problems.append("<script>")
            elif src and (re.match(r"^[a-z]+:|^//", src, re.I) or "assets/" not in src):
                self.problems.append(f"<script src={src!r}>")
            self._script = []
        if tag == "style":
            self._style = []
        if tag in ("h1", "title"):
            self._capture.append(tag)
            self.text.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if "pwned" in "".join(self._script):
                self.problems.append("<script> with incident text")
            self._script = None
        if tag == "style" and self._style is not None:
            if "pwned" in "".join(self._style):
                self.problems.append("<style> with incident text")
            self._style = None
        if self._capture and self._capture[-1] == tag:
            self._capture.pop()

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._style is not None:
            self._style.append(data)
        for tag in self._capture:
            self.text[tag][-1] += data


def check_html(markup: str, *, own_scripts: bool = True) -> ActiveContent:
    parser = ActiveContent(own_scripts=own_scripts)
    parser.feed(markup)
    parser.close()
    return parser


def page_text(page: Path) -> str:
    """The text a reader sees (character references decoded once), scripts and styles left out."""
    out: list[str] = []

    class Text(HTMLParser):
        skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style") and self.skip > 0

        def handle_data(self, data: str) -> None:
            if not self.skip:
                out.append(data)

    Text(convert_charrefs=True).feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(out).split())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return build_site(write_hostile_site(root), root / "site")


def files(site: Path, *patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in site.rglob(pattern))


def test_pages_contain_no_active_content(hostile: Path):
    pages = files(hostile, "*.html")
    assert len(pages) > 10
    problems = {}
    for page in pages:
        found = check_html(page.read_text(encoding="utf-8")).problems
        if found:
            problems[page.relative_to(hostile).as_posix()] = found
    assert problems == {}


@pytest.mark.parametrize(("prefix", "title"), [("", HOSTILE_TITLE), ("nb/", HOSTILE_TITLE_NB)])
def test_titles_show_as_text_escaped_once(hostile: Path, prefix: str, title: str):
    for iid in ("2026-11-21-hostile-incident", "2026-11-18-hostile-resolved"):
        page = check_html((hostile / prefix / "incidents" / iid / "index.html").read_text(encoding="utf-8"))
        assert page.text["h1"][0] == title
        assert page.text["title"][0] == f"{title} - Hostile Status"
    overview = page_text(hostile / prefix / "index.html")
    assert title in overview
    assert "&lt;" not in overview and "&amp;" not in overview  # never escaped twice


def test_component_and_group_names_show_as_text(hostile: Path):
    page = check_html((hostile / "components" / "voice" / "index.html").read_text(encoding="utf-8"))
    assert page.text["h1"][0] == f"{HOSTILE_NAMES['group']} ({HOSTILE_NAMES['voice']})"
    page = check_html((hostile / "nb" / "components" / "interact" / "index.html").read_text(encoding="utf-8"))
    assert page.text["h1"][0] == HOSTILE_NAMES["interact_nb"]
    for path in ("index.html", "nb/index.html", "history/index.html"):
        text = page_text(hostile / path)
        assert "&lt;" not in text and "&amp;" not in text, path
    assert HOSTILE_NAMES["interact"] in page_text(hostile / "index.html")
    assert HOSTILE_NAMES["interact_nb"] in page_text(hostile / "nb" / "index.html")


def test_search_index_holds_no_active_content(hostile: Path):
    """Material's search shows index titles and text as HTML, so they must be inert markup."""
    index = json.loads((hostile / "search" / "search_index.json").read_text(encoding="utf-8"))
    problems = []
    for doc in index["docs"]:
        for field in ("title", "text"):
            found = check_html(doc.get(field, ""), own_scripts=False).problems
            problems += [f"{doc['location']} {field}: {p}" for p in found]
    assert problems == []
    titles = {html.unescape(d["title"]) for d in index["docs"] if d["location"].rstrip("/").endswith("hostile-incident")}
    assert HOSTILE_TITLE in titles or any(HOSTILE_TITLE in t for t in titles)


def xml_text(el: ET.Element) -> str:
    """An Atom/RSS text construct as a reader gets it: text, HTML decoded once, or XHTML text."""
    kind = el.get("type", "text")
    if kind == "xhtml":
        return "".join(el.itertext())
    if kind in ("html", "text/html"):
        parser = check_html(f"<title>{el.text or ''}</title>", own_scripts=False)
        return parser.text["title"][0]
    return el.text or ""


HTML_BEARING = {"content", "summary", "description", "encoded", "subtitle", "rights"}


def test_feeds_contain_no_active_content_and_plain_titles(hostile: Path):
    feeds = [p for p in files(hostile, "*.atom", "*.rss", "*.xml") if not p.name.startswith("sitemap")]
    if not feeds:
        pytest.skip("this build writes no feeds yet")
    problems, titles = [], []
    for feed in feeds:
        root = ET.parse(feed).getroot()
        rel = feed.relative_to(hostile).as_posix()
        for el in root.iter():
            local = el.tag.rsplit("}", 1)[-1]
            if local in HTML_BEARING and (el.get("type") in ("html", "xhtml", None) or local in ("description", "encoded")):
                markup = "".join(ET.tostring(c, encoding="unicode") for c in el) if el.get("type") == "xhtml" else (el.text or "")
                problems += [f"{rel} <{local}>: {p}" for p in check_html(markup, own_scripts=False).problems]
            elif local == "title" and "pwned" in (el.text or "") + "".join(el.itertext()):
                titles.append((rel, xml_text(el)))
            elif local not in HTML_BEARING and markup_in_text(el.text or ""):
                problems.append(f"{rel} <{local}> has markup: {(el.text or '')[:80]!r}")
    assert problems == []
    assert titles, "no feed entry carries the hostile incident's title"
    for rel, shown in titles:
        assert any(raw in shown for raw in PLAIN_TEXTS), (rel, shown)
        assert "&lt;" not in shown and "&amp;" not in shown, (rel, shown)  # escaped once, not twice


def ical_properties(text: str) -> list[tuple[str, dict[str, str], str]]:
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    out = []
    for line in unfolded.splitlines():
        if ":" not in line:
            continue
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        value = re.sub(r"\\([\\;,])", r"\1", value).replace("\\n", "\n").replace("\\N", "\n")
        out.append((name.upper(), dict(p.split("=", 1) for p in params if "=" in p), value))
    return out


def test_ical_has_plain_text_only(hostile: Path):
    calendars = files(hostile, "*.ics")
    if not calendars:
        pytest.skip("this build writes no iCal yet")
    summaries = []
    for cal in calendars:
        for name, params, value in ical_properties(cal.read_text(encoding="utf-8")):
            if params.get("FMTTYPE", "").lower() == "text/html":
                assert check_html(value, own_scripts=False).problems == [], (cal.name, name)
            elif name == "SUMMARY":
                summaries.append(value)
            elif name in ("DESCRIPTION", "LOCATION", "COMMENT"):
                # Calendar apps may render descriptions as HTML: bodies arrive as plain text.
                assert not markup_in_text(value), (cal.name, name, value[:200])
            elif name in ("URL", "ATTACH"):
                assert not script_url(value), (cal.name, name, value)
    assert HOSTILE_MAINTENANCE in summaries or any(HOSTILE_MAINTENANCE in s for s in summaries), summaries


def walk_strings(node: Any, path: str = "$") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [item for k, v in node.items() for item in walk_strings(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [item for i, v in enumerate(node) for item in walk_strings(v, f"{path}[{i}]")]
    return [(path, node)] if isinstance(node, str) else []


def test_json_holds_text_never_markup(hostile: Path):
    documents = [p for p in files(hostile, "*.json") if p.name != "search_index.json"]
    if not documents:
        pytest.skip("this build writes no JSON yet")
    problems, names = [], set()
    for doc in documents:
        rel = doc.relative_to(hostile).as_posix()
        for path, value in walk_strings(json.loads(doc.read_text(encoding="utf-8"))):
            if value in PLAIN_TEXTS:
                names.add(value)  # a title or name: plain text, exactly as written
            elif markup_in_text(value):
                problems.append(f"{rel} {path}: markup in text: {value[:80]!r}")
            elif path.endswith(("url", "href", "shortlink")) and script_url(value):
                problems.append(f"{rel} {path}: script URL {value!r}")
            if "&lt;" in value or "&amp;" in value:
                problems.append(f"{rel} {path}: HTML-escaped text {value[:80]!r}")
    assert problems == []
    assert HOSTILE_TITLE in names, "the incident's name is not its title as plain text"


def test_json_files_contain_no_raw_tags(hostile: Path):
    """JSON names are text, but a raw ``<script>`` in the file is one sniffing or ``innerHTML`` away
    from running: write ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026`` (decoding gives the same text)."""
    documents = [p for p in files(hostile, "*.json") if p.name != "search_index.json"]
    if not documents:
        pytest.skip("this build writes no JSON yet")
    raw = [p.relative_to(hostile).as_posix() for p in documents if re.search(r"<[a-zA-Z/!?]", p.read_text(encoding="utf-8"))]
    assert raw == []


def test_svg_badges_contain_no_active_content(hostile: Path):
    badges = files(hostile, "*.svg")
    badges = [b for b in badges if "assets" not in b.parts]
    if not badges:
        pytest.skip("this build writes no badges yet")
    for badge in badges:
        root = ET.parse(badge).getroot()
        for el in root.iter():
            local = el.tag.rsplit("}", 1)[-1]
            assert local not in ("script", "foreignObject", "iframe", "handler"), (badge.name, local)
            for name, value in el.attrib.items():
                attr = name.rsplit("}", 1)[-1]
                assert not attr.lower().startswith("on"), (badge.name, local, attr)
                if attr in ("href",):
                    assert not script_url(value), (badge.name, value)
