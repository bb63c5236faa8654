"""`mkdocs serve`'s quick rebuild after an edit gives the same site as a full build of the edited sources.

The plugin keeps each generated page's output across serve's rebuilds and renders again only
the pages whose inputs changed (rebuild.py). These tests drive MkDocs' own build the way
``mkdocs serve`` does (one plugin instance, a fresh config per rebuild, the serve URL as
site_url), edit the sources, and compare every file of the quick rebuild with a full build
of the same sources by a new plugin instance, byte for byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT, Site, incident_text

SERVE_URL = "http://127.0.0.1:8000/"

UNRESOLVED = """
---
title: Calls are dropped
title_nb: Samtaler brytes
impact: critical
components: [voice]
---

## Investigating · 2026-11-21 20:10

Calls are dropped after a minute. See [the history](../../history/).

::: nb
Samtaler brytes etter ett minutt.
:::
"""

MAINTENANCE = """
---
title: Database upgrade
title_nb: Databaseoppgradering
type: maintenance
components: [messaging]
scheduled_for: "2026-11-25 02:00"
scheduled_until: "2026-11-25 03:00"
---

## Scheduled · 2026-11-18 12:00

We upgrade the database.

::: nb
Vi oppgraderer databasen.
:::
"""


def plugin_instances() -> dict[str, object]:
    """MkDocs' cache of plugin instances kept across serve's rebuilds (plugins that define on_startup)."""
    return dict(MkDocsConfig._schema)["plugins"].plugin_cache  # type: ignore[attr-defined, no-any-return]


def serve_build(site: Site, site_dir: Path, *, first: bool = False) -> MkDocsConfig:
    """One build as `mkdocs serve`'s builder runs it: a fresh config, the kept plugin instance."""
    config = load_config(str(site.root / "mkdocs.yml"), site_dir=str(site_dir))
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL)
    return config


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Serve:
    """A site being served: the quick rebuild after each edit, and a full build to compare with."""

    def __init__(self, site: Site, root: Path) -> None:
        self.site = site
        self.served = root / "served"
        self.full = root / "full"
        self.config = serve_build(site, self.served, first=True)

    @property
    def hits(self) -> int:
        return self.config.plugins["status"].page_cache.hits  # type: ignore[attr-defined, no-any-return]

    def rebuild(self) -> None:
        self.config = serve_build(self.site, self.served)

    def full_build(self) -> dict[str, bytes]:
        """The same sources built by a new plugin instance, as a fresh `mkdocs serve` would."""
        cache = plugin_instances()
        kept = dict(cache)
        cache.clear()
        try:
            serve_build(self.site, self.full, first=True)
        finally:
            cache.clear()
            cache.update(kept)
        return files_of(self.full)

    def assert_same_as_full_build(self) -> None:
        served, full = files_of(self.served), self.full_build()
        assert sorted(served) == sorted(full)
        differing = [name for name in full if served[name] != full[name]]
        assert differing == []


@pytest.fixture
def serve(make_site, tmp_path: Path) -> Iterator[Serve]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EXAMPLE_NOW)
    plugin_instances().clear()  # a plugin instance of another test's build is not this serve's
    site = make_site()
    site.add("2026/2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    site.add("2026/2026-11-21-calls-dropped.md", UNRESOLVED)
    site.add("2026/2026-11-25-database-upgrade.md", MAINTENANCE)
    for day in range(1, 6):
        site.add(f"2025/2025-10-0{day}-old-{day}.md", SIMPLE_INCIDENT.replace("2026-11-20", f"2025-10-0{day}")
                 .replace("Queue login fails", f"Old incident {day}"))
    (site.root / "docs" / "about.md").write_text("# About\n\nAbout this status page.\n", encoding="utf-8")
    try:
        yield Serve(site, tmp_path)
    finally:
        plugin_instances().clear()  # later tests get a plugin instance that is not serving
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_rebuild_without_edits_renders_no_generated_page_again(serve: Serve) -> None:
    serve.rebuild()
    assert serve.hits > 20
    assert len(list(serve.served.rglob("*.html"))) > serve.hits
    serve.assert_same_as_full_build()


def test_editing_an_updates_text_shows_the_new_text_as_a_full_build_does(serve: Serve) -> None:
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after two minutes")
    serve.rebuild()
    assert serve.hits > 0
    assert "after two minutes" in (serve.served / "incidents/2026-11-21-calls-dropped/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_editing_a_title_changes_every_listing_as_a_full_build_does(serve: Serve) -> None:
    edit(serve.site.root / "incidents/2025/2025-10-03-old-3.md", "title: Old incident 3", "title: Renamed incident")
    serve.rebuild()
    assert serve.hits > 0
    assert "Renamed incident" in (serve.served / "history/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_resolving_an_incident_changes_the_overview_as_a_full_build_does(serve: Serve) -> None:
    path = serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Resolved · 2026-11-21 21:30\n\nCalls work again.\n\n::: nb\nSamtalene virker igjen.\n:::\n",
                    encoding="utf-8")
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_deleting_and_adding_incidents_as_a_full_build_does(serve: Serve) -> None:
    (serve.site.root / "incidents/2025/2025-10-02-old-2.md").unlink()
    serve.rebuild()
    assert not (serve.served / "incidents/2025-10-02-old-2").exists()
    serve.assert_same_as_full_build()
    serve.site.add("2026/2026-11-19-new.md", SIMPLE_INCIDENT.replace("2026-11-20", "2026-11-19").replace("Queue login fails", "A new one"))
    serve.rebuild()
    assert (serve.served / "incidents/2026-11-19-new/index.html").is_file()
    serve.assert_same_as_full_build()


def test_editing_mkdocs_yml_renders_every_page_again_as_a_full_build_does(serve: Serve) -> None:
    config = yaml.safe_load((serve.site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = "Renamed Status"
    config["plugins"][1]["status"]["components"][0]["name"] = "Interaction"
    (serve.site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    serve.rebuild()
    assert serve.hits == 0
    serve.assert_same_as_full_build()


def test_a_new_hand_written_page_in_the_nav_reaches_every_generated_page(serve: Serve) -> None:
    (serve.site.root / "docs" / "contact.md").write_text("# Contact\n\nWrite to us.\n", encoding="utf-8")
    serve.rebuild()
    assert serve.hits == 0  # the navigation is part of every page
    serve.assert_same_as_full_build()


def test_an_edited_theme_override_reaches_every_generated_page(serve: Serve) -> None:
    overrides = serve.site.root / "overrides"
    (overrides / "partials").mkdir(parents=True)
    config = yaml.safe_load((serve.site.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    (serve.site.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    footer = overrides / "partials" / "copyright.html"
    footer.write_text('<div class="md-copyright">Ours</div>\n', encoding="utf-8")
    serve.rebuild()
    serve.rebuild()
    assert serve.hits > 0
    footer.write_text('<div class="md-copyright">Ours, edited</div>\n', encoding="utf-8")
    os.utime(footer, ns=(footer.stat().st_mtime_ns + 10**9, footer.stat().st_mtime_ns + 10**9))
    serve.rebuild()
    assert serve.hits == 0
    assert "Ours, edited" in (serve.served / "index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()
    # An edit that keeps the file's size and time (as `cp -p` or `rsync -t` make): seen all the same.
    before = footer.stat()
    footer.write_text('<div class="md-copyright">Ours, EDITED</div>\n', encoding="utf-8")
    os.utime(footer, ns=(before.st_atime_ns, before.st_mtime_ns))
    serve.rebuild()
    assert "Ours, EDITED" in (serve.served / "index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_a_failed_rebuild_is_followed_by_one_that_matches_a_full_build(serve: Serve) -> None:
    path = serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("impact: critical", "impact: catastrophic"), encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - MkDocs' own abort, whatever its class
        serve.rebuild()
    path.write_text(incident_text(UNRESOLVED).replace("after a minute", "after an hour"), encoding="utf-8")
    serve.rebuild()
    serve.assert_same_as_full_build()


def at_epoch(epoch: int) -> None:
    """The build clock (`mkdocs serve` reads the real clock; these tests move SOURCE_DATE_EPOCH)."""
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)


def test_the_clock_moving_on_changes_the_pages_as_a_full_build_at_that_time_does(serve: Serve) -> None:
    # 20 minutes on: the unresolved incident has been going on longer; nothing else changed.
    at_epoch(EXAMPLE_NOW + 20 * 60)
    serve.rebuild()
    assert serve.hits > 20
    serve.assert_same_as_full_build()
    # 2026-11-25 02:30 in Oslo: the maintenance is in progress (its automatic update is posted).
    at_epoch(EXAMPLE_NOW + 3 * 86400 + 4 * 3600 + 30 * 60)
    serve.rebuild()
    page = (serve.served / "incidents/2026-11-25-database-upgrade/index.html").read_text(encoding="utf-8")
    assert "In progress" in page
    serve.assert_same_as_full_build()
    # An hour later it is over.
    at_epoch(EXAMPLE_NOW + 3 * 86400 + 5 * 3600 + 30 * 60)
    serve.rebuild()
    assert "Completed" in (serve.served / "incidents/2026-11-25-database-upgrade/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_a_rebuild_without_edits_writes_no_unchanged_file_again(serve: Serve) -> None:
    page = serve.served / "incidents/2026-11-20-queue-login/index.html"
    api = serve.served / "api/v2/incidents/2026-11-20-queue-login.json"
    before = (page.stat().st_mtime_ns, api.stat().st_mtime_ns)
    serve.rebuild()
    assert (page.stat().st_mtime_ns, api.stat().st_mtime_ns) == before
    serve.assert_same_as_full_build()


def test_a_served_file_changed_or_deleted_behind_the_servers_back_is_written_again(serve: Serve) -> None:
    page = serve.served / "incidents/2026-11-20-queue-login/index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- touched -->", encoding="utf-8")
    (serve.served / "api/v2/incidents/2025-10-01-old-1.json").unlink()
    (serve.served / "nb/incidents/2025-10-04-old-4/index.html").unlink()
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_an_image_deleted_from_docs_is_gone_from_the_served_site(serve: Serve) -> None:
    image = serve.site.root / "docs" / "logo.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    serve.rebuild()
    assert (serve.served / "logo.svg").is_file()
    image.unlink()
    serve.rebuild()
    assert not (serve.served / "logo.svg").exists()
    serve.assert_same_as_full_build()


def test_a_rebuild_that_fails_while_writing_is_followed_by_one_that_matches_a_full_build(
        serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs_status import plugin

    real = plugin.StatusPlugin._render

    def failing(self: plugin.StatusPlugin, view, switches):  # type: ignore[no-untyped-def]
        if view.plan.key == "2026-11-21-calls-dropped":
            raise RuntimeError("injected fault while rendering a page")
        return real(self, view, switches)

    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after two minutes")
    edit(serve.site.root / "incidents/2025/2025-10-03-old-3.md", "title: Old incident 3", "title: Renamed incident")
    monkeypatch.setattr(plugin.StatusPlugin, "_render", failing)
    with pytest.raises(RuntimeError):
        serve.rebuild()
    monkeypatch.setattr(plugin.StatusPlugin, "_render", real)
    serve.rebuild()
    serve.assert_same_as_full_build()
    # Failing after the pages were written (the last event): the next build still matches.
    monkeypatch.setattr(plugin.KeptSite, "prune", lambda self, kept: 1 / 0)
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after two minutes", "after three minutes")
    (serve.site.root / "incidents/2025/2025-10-05-old-5.md").unlink()
    with pytest.raises(ZeroDivisionError):
        serve.rebuild()
    monkeypatch.undo()
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_marking_an_incident_a_draft_shows_the_draft_badge_as_a_full_build_does(serve: Serve) -> None:
    # The draft line takes the place of the blank line before the first update: every update keeps its line.
    path = serve.site.root / "incidents/2025/2025-10-03-old-3.md"
    edit(path, "---\n\n## Investigating", "draft: true\n---\n## Investigating")
    serve.rebuild()
    assert ">Draft<" in (serve.served / "incidents/2025-10-03-old-3/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()
    edit(path, "draft: true\n---\n## Investigating", "---\n\n## Investigating")
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_retitling_a_hand_written_page_reaches_every_generated_page(serve: Serve) -> None:
    edit(serve.site.root / "docs" / "about.md", "# About", "# About us")
    serve.rebuild()
    assert "About us" in (serve.served / "incidents/2026-11-20-queue-login/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_a_site_without_directory_urls_rebuilds_as_a_full_build_does(serve: Serve) -> None:
    serve.site.config["use_directory_urls"] = False
    serve.site.write_config()
    serve.rebuild()
    serve.assert_same_as_full_build()
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after two minutes")
    serve.rebuild()
    assert serve.hits > 0
    serve.assert_same_as_full_build()
    at_epoch(EXAMPLE_NOW + 3 * 86400 + 4 * 3600 + 30 * 60)
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_editing_a_snippet_file_that_update_bodies_include_shows_the_new_text(serve: Serve) -> None:
    (serve.site.root / "snippets").mkdir()
    (serve.site.root / "snippets" / "abbr.md").write_text("*[API]: Application interface\n", encoding="utf-8")
    serve.site.config["markdown_extensions"] = [*serve.site.config["markdown_extensions"], "abbr",
                                                {"pymdownx.snippets": {"base_path": [str(serve.site.root / "snippets")], "auto_append": ["abbr.md"]}}]
    serve.site.write_config()
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after a minute; the API too")
    serve.rebuild()
    serve.assert_same_as_full_build()
    (serve.site.root / "snippets" / "abbr.md").write_text("*[API]: Programming interface\n", encoding="utf-8")
    serve.rebuild()
    assert "Programming interface" in (serve.served / "incidents/2026-11-21-calls-dropped/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_a_rebuild_that_fails_before_writing_leaves_no_hidden_copies_in_the_served_site(serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.build as mkbuild
    real = mkbuild.get_files
    monkeypatch.setattr(mkbuild, "get_files", lambda config: 1 / 0)
    with pytest.raises(ZeroDivisionError):  # after the plugin hid the last build's files, before it got them back
        serve.rebuild()
    monkeypatch.setattr(mkbuild, "get_files", real)
    serve.site.config["site_name"] = "Renamed"
    serve.site.write_config()
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_a_rebuild_that_fails_in_the_search_plugin_is_followed_by_one_that_matches_a_full_build(serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    from material.plugins.search.plugin import SearchPlugin
    real = SearchPlugin.on_post_build
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after two minutes")
    monkeypatch.setattr(SearchPlugin, "on_post_build", lambda self, **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        serve.rebuild()
    monkeypatch.setattr(SearchPlugin, "on_post_build", real)
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after two minutes", "after a minute")
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_docs_files_turned_into_folders_are_served_as_a_full_build_does(serve: Serve) -> None:
    about = serve.site.root / "docs" / "about.md"
    about.unlink()
    (serve.site.root / "docs" / "about").mkdir()
    (serve.site.root / "docs" / "about" / "index.md").write_text("# About\n\nAbout this status page.\n", encoding="utf-8")
    serve.rebuild()
    serve.assert_same_as_full_build()
    (serve.site.root / "docs" / "img.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    serve.rebuild()
    (serve.site.root / "docs" / "img.svg").unlink()
    (serve.site.root / "docs" / "img.svg").mkdir()
    (serve.site.root / "docs" / "img.svg" / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_adding_a_plugin_leaves_nothing_of_the_quick_rebuilds_in_the_served_site(serve: Serve) -> None:
    # Another plugin: full rebuilds from now on (rebuild.KNOWN_PLUGINS), with nothing the quick ones wrote left over.
    serve.site.config["plugins"].append("tags")
    serve.site.write_config()
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_a_file_deleted_from_docs_well_known_folder_is_gone_from_the_served_site(serve: Serve) -> None:
    serve.site.config["exclude_docs"] = "!.well-known/\n"
    serve.site.write_config()
    (serve.site.root / "docs" / ".well-known").mkdir()
    (serve.site.root / "docs" / ".well-known" / "security.txt").write_text("Contact: x\n", encoding="utf-8")
    serve.rebuild()
    assert (serve.served / ".well-known/security.txt").is_file()
    (serve.site.root / "docs" / ".well-known" / "security.txt").unlink()
    serve.rebuild()
    serve.assert_same_as_full_build()


def test_rebuilds_without_edits_after_an_edit_keep_matching_a_full_build(serve: Serve) -> None:
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after two minutes")
    serve.rebuild()
    serve.rebuild()
    serve.rebuild()
    serve.assert_same_as_full_build()


NOTICE = """
---
title: New phone number
title_nb: Nytt telefonnummer
type: notice
starts_at: "2026-11-22 08:00"
ends_at: "2026-11-24 08:00"
components: [voice]
---

From 1 March, call **+47 21 00 00 01**. See [the history](../../history/).

::: nb
Fra 1. mars ringer du **+47 21 00 00 01**.
:::
"""


def test_a_notice_shown_and_ended_as_the_clock_moves_is_served_as_a_full_build_at_that_time_does(serve: Serve) -> None:
    serve.site.add("2026/2026-11-22-phone.md", NOTICE)
    serve.rebuild()
    assert not (serve.served / "incidents/2026-11-22-phone").exists()  # shown from starts_at on
    serve.assert_same_as_full_build()
    for hours in (12, 13, 2 * 24 + 12, 2 * 24 + 13):  # 2026-11-22 09:00 and 10:00 in Oslo: shown; then ended
        at_epoch(EXAMPLE_NOW + hours * 3600)
        serve.rebuild()
        serve.assert_same_as_full_build()
    assert (serve.served / "incidents/2026-11-22-phone/index.html").is_file()


def test_an_edited_incident_row_override_reaches_every_listing(serve: Serve) -> None:
    partials = serve.site.root / "overrides" / "status" / "partials"
    partials.mkdir(parents=True)
    row = partials / "incident-row.html"
    row.write_text('<li class="status-incident">{{ row.title }} (ours)</li>\n', encoding="utf-8")
    serve.site.config["theme"]["custom_dir"] = "overrides"
    serve.site.write_config()
    serve.rebuild()
    assert "(ours)" in (serve.served / "history/index.html").read_text(encoding="utf-8")
    row.write_text('<li class="status-incident">{{ row.title }} (ours, edited)</li>\n', encoding="utf-8")
    serve.rebuild()
    assert "(ours, edited)" in (serve.served / "history/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_an_edited_custom_logo_icon_reaches_every_generated_page(serve: Serve) -> None:
    # mkdocs-material's custom icons: overrides/.icons/<set>/<name>.svg, included by the templates.
    icons = serve.site.root / "overrides" / ".icons" / "ours"
    icons.mkdir(parents=True)
    logo = icons / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M1 1"/></svg>\n', encoding="utf-8")
    serve.site.config["theme"]["custom_dir"] = "overrides"
    serve.site.config["theme"]["icon"] = {"logo": "ours/logo"}
    serve.site.write_config()
    serve.rebuild()
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M2 2"/></svg>\n', encoding="utf-8")
    serve.rebuild()
    assert 'd="M2 2"' in (serve.served / "incidents/2026-11-20-queue-login/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_an_icon_given_to_a_hand_written_page_shows_in_every_generated_pages_navigation(serve: Serve) -> None:
    about = serve.site.root / "docs" / "about.md"
    about.write_text("---\nicon: material/information\nsubtitle: Who we are\n---\n\n# About\n\nAbout this status page.\n", encoding="utf-8")
    serve.rebuild()
    assert "Who we are" in (serve.served / "incidents/2026-11-20-queue-login/index.html").read_text(encoding="utf-8")
    serve.assert_same_as_full_build()


def test_an_older_incidents_api_object_shows_its_components_status_now_after_another_is_resolved(serve: Serve) -> None:
    serve.site.add("2026/2026-11-10-voice-echo.md", SIMPLE_INCIDENT.replace("2026-11-20", "2026-11-10")
                   .replace("Queue login fails", "Voice echo").replace("components: [interact]", "components: [voice]"))
    serve.rebuild()
    path = serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## Resolved · 2026-11-21 20:40\n\nCalls work again.\n", encoding="utf-8")
    serve.rebuild()
    older = json.loads((serve.served / "api/v2/incidents/2026-11-10-voice-echo.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in older["incident"]["components"]] == ["operational"]
    serve.assert_same_as_full_build()


def test_a_plugin_added_and_removed_again_leaves_quick_rebuilds_that_match_a_full_build(serve: Serve) -> None:
    serve.site.config["plugins"].append("tags")
    serve.site.write_config()
    serve.rebuild()
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after a minute", "after two minutes")
    serve.rebuild()
    serve.site.config["plugins"].pop()
    serve.site.write_config()
    serve.rebuild()
    serve.assert_same_as_full_build()
    edit(serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md", "after two minutes", "after a minute")
    serve.rebuild()
    assert serve.hits > 0
    serve.assert_same_as_full_build()


def test_generated_pages_in_the_nav_with_a_footer_rebuild_as_a_full_build_does(serve: Serve) -> None:
    serve.site.config["nav"] = [{"Status": "index.md"}, {"History": "history.md"}, "about.md",
                                {"Calls": "incidents/2026-11-21-calls-dropped.md"}]
    serve.site.config["theme"]["features"] = ["navigation.footer", "navigation.tabs"]
    serve.site.write_config()
    serve.rebuild()
    path = serve.site.root / "incidents/2026/2026-11-21-calls-dropped.md"
    edit(path, "after a minute", "after two minutes")
    serve.rebuild()
    serve.assert_same_as_full_build()
    edit(path, "title: Calls are dropped", "title: Calls drop")
    serve.rebuild()
    serve.assert_same_as_full_build()
