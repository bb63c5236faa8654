"""A site restyles an update, a badge or an incident row by overriding one fragment
(``theme_overrides/status/partials/*.html``), and sees it on every page that shows one.

Two real builds of the same incidents, one plain and one with overrides: the pages that show
an update (or a badge) in the plain build are found by parsing it, so the test does not trust
the code under test to say where updates appear.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from babel.dates import format_timedelta
from mkdocs.exceptions import Abort

from conftest import BASE_CONFIG, EXAMPLE_NOW, Site
from test_notices import NOTICE  # shown from 2026-11-20 to 2026-11-25, on voice
from test_update_links import EARLIER  # Login fails (interact), 10:00 to 11:00 on 2026-11-09
from test_update_links import ONGOING as CALLS

NOW = dt.datetime.fromtimestamp(EXAMPLE_NOW, dt.timezone.utc)  # 2026-11-21 21:00 UTC

# Calls drop (voice, major) from 18:00 with relative links in its text; a second update makes voice a major outage.
ONGOING = CALLS + """
## Identified · 2026-11-21 18:30 {voice=major_outage}

Calls drop after a minute; see [the history](../../history/).

::: nb
Samtaler brytes etter et minutt; se [historikken](../../history/).
:::
"""

# Overrides that use the documented fields (README "Restyling the pages").
UPDATE = """\
<div class="brand-update" data-label="{{ update.label }}" data-anchor="{{ update.anchor }}" data-automatic="{{ update.automatic }}">
<p class="brand-time">{{ update.time }}</p>
<div class="brand-body"{{ update.lang_attr }}>{{ update.body }}</div>
{% for change in update.changes %}<p class="brand-change">{{ change }}</p>{% endfor %}
{% for notice in update.notices %}<p class="brand-notice">{{ notice }}</p>{% endfor %}
</div>
"""
BADGE = '<b class="brand-badge" data-word="{{ badge.word }}" data-key="{{ badge.key }}">{{ badge.icon }}{{ badge.label }}</b>\n'
ROW = """\
<li class="brand-row" data-css="{{ row.css }}" data-components="{{ row.components }}"><a class="brand-title" href="{{ row.href }}">{{ row.title }}</a>
{{ row.badges }}{{ row.started }}{{ row.window }}<span class="brand-duration">{{ row.duration }}</span>
{% if row.latest %}<span class="brand-ago">{{ row.latest.ago }}</span>{% with update=row.latest.update %}{% include "status/partials/update.html" %}{% endwith %}{% endif %}
</li>
"""


def _build(root: Path, overrides: dict[str, str]) -> Path:
    config = copy.deepcopy(BASE_CONFIG)
    if overrides:
        config["theme"]["custom_dir"] = "theme_overrides"
        for name, text in overrides.items():
            path = root / "theme_overrides" / "status" / "partials" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    site = Site(root, config)
    (root / "docs" / "assets").mkdir(parents=True)
    (root / "docs" / "assets" / "graph.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # an update links it
    site.add("2026-11-21-calls.md", ONGOING)
    site.add("2026-11-09-login.md", EARLIER)
    site.add("2026-11-20-phone.md", NOTICE)
    return site.build(strict=True)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("plain"), {})


@pytest.fixture(scope="module")
def branded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("branded"), {"update.html": UPDATE, "badge.html": BADGE, "incident-row.html": ROW})


def _pages(site: Path) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    for page in sorted(site.rglob("*.html")):
        if page.name != "404.html":
            yield page.relative_to(site).as_posix(), lxml.html.parse(str(page)).getroot()


def _count(site: Path, css: str) -> dict[str, int]:
    """How many elements match ``css`` on each page that has any."""
    return {name: n for name, root in _pages(site) if (n := len(root.cssselect(css)))}


def _page(site: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / name)).getroot()


def _reaches(site: Path, page: str, href: str) -> Path:
    """The file a relative link on ``page`` leads to (it must exist)."""
    target = (site / page).parent / unquote(urlsplit(href).path)
    target = target / "index.html" if target.is_dir() else target
    assert target.is_file(), f"{href} on {page} leads nowhere"
    return target.resolve()


def test_an_overridden_update_fragment_is_shown_on_every_page_that_shows_an_update(plain: Path, branded: Path):
    shown = _count(plain, ".status-update__body")
    # Incident pages, the overview (latest updates, the pinned notice), the notice's component page, in each language.
    for page in ("index.html", "nb/index.html", "incidents/2026-11-21-calls/index.html", "nb/incidents/2026-11-21-calls/index.html",
                 "incidents/2026-11-09-login/index.html", "components/voice/index.html", "nb/components/voice/index.html"):
        assert page in shown
    assert _count(branded, ".brand-update") == shown
    assert _count(branded, ".status-update__body") == {}


def test_an_overridden_badge_is_shown_wherever_a_badge_was(plain: Path, branded: Path):
    shown = _count(plain, ".status-badge")
    for page in ("index.html", "history/index.html", "nb/history/index.html", "components/interact/index.html",
                 "components/engage/index.html", "incidents/2026-11-09-login/index.html"):
        assert page in shown
    assert _count(branded, ".brand-badge") == shown
    assert _count(branded, ".status-badge") == {}
    # The keys status.js flips between builds are still there.
    keys = {b.get("data-key") for b in _page(branded, "index.html").cssselect(".brand-badge")}
    assert {"component:voice", "component:interact", "group:engage"} <= keys


def test_an_overridden_incident_row_is_shown_in_every_listing(plain: Path, branded: Path):
    assert _count(branded, ".brand-row") == _count(plain, ".status-incident")
    assert "history/2026/index.html" in _count(branded, ".brand-row")


def test_an_update_override_gets_the_label_time_anchor_text_and_changes(branded: Path):
    page = "incidents/2026-11-21-calls/index.html"
    updates = _page(branded, page).cssselect(".brand-update")
    assert [u.get("data-label") for u in updates] == ["Identified", "Investigating"]  # newest first
    assert [u.get("data-automatic") for u in updates] == ["False", "False"]
    headings = _page(branded, page).cssselect("h3.status-update__head")
    assert [u.get("data-anchor") for u in updates] == [h.get("id") for h in headings]
    # 18:30 in the file's zone (the site's, Europe/Oslo: +01:00 in November).
    assert updates[0].cssselect(".brand-time time")[0].get("datetime") == "2026-11-21T18:30:00+01:00"
    assert updates[0].cssselect(".brand-body")[0].text_content().strip() == "Calls drop after a minute; see the history."
    assert [c.text_content() for c in updates[0].cssselect(".brand-change")] == ["Engage (Voice): Partial outage → Major outage"]
    nb = _page(branded, "nb/" + page).cssselect(".brand-update")
    assert nb[0].cssselect(".brand-body")[0].text_content().strip() == "Samtaler brytes etter et minutt; se historikken."


def test_links_in_an_overridden_fragment_reach_their_pages_from_every_page(branded: Path):
    incident = (branded / "incidents/2026-11-21-calls/index.html").resolve()
    history = (branded / "history/index.html").resolve()
    for page in ("index.html", "history/index.html", "history/2026/index.html", "components/voice/index.html", "components/engage/index.html"):
        rows = _page(branded, page).cssselect(".brand-row")
        calls = [r for r in rows if r.cssselect(".brand-title")[0].text_content() == "Calls drop"]
        assert calls, page
        assert _reaches(branded, page, calls[0].cssselect(".brand-title")[0].get("href")) == incident
    # The update body's relative link, written as read on the incident page, rewritten for the overview.
    body_links = [a.get("href") for a in _page(branded, "index.html").cssselect(".brand-row .brand-body a")]
    assert body_links and all(_reaches(branded, "index.html", href) == history for href in body_links)


def test_a_row_override_gets_the_latest_update_and_how_long_ago(branded: Path):
    rows = [r for r in _page(branded, "index.html").cssselect(".brand-row") if r.get("data-components") == "voice" and r.get("data-css") == "major"]
    assert len(rows) == 2  # among the active incidents, and under today in the past incidents
    ago = format_timedelta(dt.datetime(2026, 11, 21, 17, 30, tzinfo=dt.timezone.utc) - NOW, add_direction=True, locale="en")
    for row in rows:
        assert row.cssselect(".brand-ago")[0].text_content() == ago
        assert row.cssselect(".brand-update")[0].get("data-label") == "Identified"
    # The listing without latest updates: an ended incident's duration.
    login = [r for r in _page(branded, "history/index.html").cssselect(".brand-row") if r.get("data-components") == "interact"]
    assert login[0].cssselect(".brand-duration")[0].text_content() == "Duration: " + format_timedelta(dt.timedelta(hours=1), format="short", locale="en")


def test_each_row_and_bar_is_rendered_once_per_incident_and_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The speed the markup left Python for: listings reuse one rendering on every page."""
    from mkdocs_status import fragments

    calls: dict[str, int] = {}
    real = fragments.Fragments.partial

    def counting(self: fragments.Fragments, name: str, **values: object):
        calls[name] = calls.get(name, 0) + 1
        return real(self, name, **values)

    monkeypatch.setattr(fragments.Fragments, "partial", counting)
    site = _build(tmp_path, {})
    # Each incident is listed on the history, its year, its components' and groups' pages: still one row per language.
    listed = _count(site, ".status-incident:not(.status-update .status-incident)")
    assert sum(listed.values()) > 2 * 3 * 2
    incidents, languages, components = 3, 2, 4  # interact, messaging, voice and the group engage
    overview_latest = sum(len(_page(site, p).cssselect(".status-incident .status-update")) for p in ("index.html", "nb/index.html"))
    assert calls["incident-row.html"] == incidents * languages + overview_latest
    assert calls["day-bars.html"] == components * languages


def test_an_override_of_the_language_notices_where_they_were_read_before_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    config = copy.deepcopy(BASE_CONFIG)
    config["theme"]["custom_dir"] = "theme_overrides"
    old = tmp_path / "theme_overrides" / "partials" / "language-notices.html"
    old.parent.mkdir(parents=True)
    old.write_text("{% for notice in notices %}<p>{{ notice }}</p>{% endfor %}\n", encoding="utf-8")
    site = Site(tmp_path, config)
    site.add("2026-11-09-login.md", EARLIER)
    with pytest.raises(Abort, match="strict"):
        site.build(strict=True)
    assert f"{old}: the theme's partials/language-notices.html is no longer read; move it to status/partials/language-notices.html" in caplog.text


def test_the_templates_compiled_ahead_are_those_of_the_templates_today():
    """templates.compiled.json holds what Jinja makes of today's templates, and that code compiled:
    regenerate it after editing one. (Its compiled code is read only by the Python that made it.)"""
    import base64
    import json
    import marshal

    from mkdocs_status import fragments

    ahead, today = json.loads(fragments.AHEAD.read_text(encoding="utf-8")), json.loads(fragments.compile_ahead())
    regenerate = "a template in templates/status/ changed: run `python -m mkdocs_status.fragments` and commit templates.compiled.json"
    assert ahead["jinja"] == today["jinja"], regenerate
    assert {n: (t["sha256"], t["python"]) for n, t in ahead["templates"].items()} == \
        {n: (t["sha256"], t["python"]) for n, t in today["templates"].items()}, regenerate
    if ahead["magic"] == today["magic"]:  # the code is what this Python compiles of Jinja's
        for name, template in ahead["templates"].items():
            assert marshal.loads(base64.b64decode(template["code"])) == compile(template["python"], name, "exec"), name


def test_a_python_that_did_not_compile_the_templates_ahead_builds_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Marshalled code is a Python version's own: another Python compiles the code Jinja made ahead, and
    the pages are the same, byte for byte."""
    from mkdocs_status import fragments

    ours = _build(tmp_path / "ours", {})
    fragments._ahead.cache_clear()
    monkeypatch.setattr(fragments, "_MAGIC", "another python")
    compiled: list[str] = []
    real = compile

    def recording(source: object, filename: str, *args: object, **kwargs: object):
        compiled.append(filename)
        return real(source, filename, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(fragments, "compile", recording, raising=False)
    try:
        other = _build(tmp_path / "other", {})
    finally:
        fragments._ahead.cache_clear()
    assert "status/partials/update.html" in compiled
    pages = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert pages == sorted(p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file())
    for name in pages:
        if name.endswith((".html", ".xml", ".json", ".atom", ".rss", ".ics")):
            assert (ours / name).read_bytes() == (other / name).read_bytes(), name


def test_a_build_compiles_only_the_templates_a_site_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The plugin's own templates are read compiled ahead; a site's override is compiled from its own source."""
    import jinja2

    compiled: list[str] = []
    real = jinja2.Environment.compile

    def recording(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object):
        compiled.append(name or "")
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", recording)
    site = _build(tmp_path, {"badge.html": BADGE})
    # page.html is the frame mkdocs-material's own environment renders (with its filters), as its main.html.
    assert sorted(n for n in compiled if n.startswith("status/")) == ["status/page.html", "status/partials/badge.html"]
    assert _count(site, ".brand-badge") and not _count(site, ".status-badge")
    assert _count(site, ".status-incident")  # rows, from the row fragment compiled ahead
