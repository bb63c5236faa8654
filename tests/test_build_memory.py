"""A large site builds in bounded memory: what has been written is not held to the end of the build.

MkDocs keeps every File and Page object until the build ends. The plugin lets go of what it
has written, so a 10,000-incident site stays within 1.5x the memory of plain mkdocs-material
(benchmarks/build.py measures it): a generated page's body once the page is written, a feed's
or the API's content once the file is written (made again if something reads it later), the
pieces shared by a language's pages (rows, bars, times, links, update bodies) once its last
page is written; a written page's table of contents and anchors are made again when read.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import Files

import dom
from conftest import SIMPLE_INCIDENT

HOOK = '''
def on_env(env, config, files):
    config.kept_files = files
'''


def built_keeping_files(make_site) -> tuple[Path, Files]:
    """A one-incident site built with a hook that keeps MkDocs' files: the site folder and those files."""
    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    (site.root / "keep_files.py").write_text(HOOK, encoding="utf-8")
    site.config["hooks"] = ["keep_files.py"]
    site.write_config()
    out = site.build()
    return out, site.last_config.kept_files  # type: ignore[attr-defined]


def test_written_pages_and_data_files_are_not_held_but_still_read_right(make_site) -> None:
    out, files = built_keeping_files(make_site)
    page = files.get_file_from_path("incidents/2026-11-20-queue-login.md").page
    assert page.content == ""  # the body is in the written page, not in memory
    assert "Fixed." in (out / "incidents/2026-11-20-queue-login/index.html").read_text(encoding="utf-8")
    data = [f for f in files if f.src_uri.endswith((".json", ".atom", ".rss", ".ics", ".svg"))]
    assert len(data) > 10
    for f in data:
        assert f._content == b"", f.src_uri  # written, then let go
    for f in data:
        assert f.content_bytes == (out / f.dest_uri).read_bytes(), f.src_uri  # read later: made again, the same


def test_a_written_page_keeps_no_table_of_contents_or_anchors_but_gives_them_when_read(make_site) -> None:
    _, files = built_keeping_files(make_site)
    page = files.get_file_from_path("incidents/2026-11-20-queue-login.md").page
    held = vars(page)
    assert not any(isinstance(v, (set, frozenset)) for v in held.values()), held  # no anchors held
    assert not any(type(v).__name__ == "TableOfContents" for v in held.values()), held  # no table of contents held
    # Read after the build (a plugin may): the one entry the skip link leads to, and the updates'
    # anchors, which hand-written pages' links are checked against; the 10:00 update is at 09:00 UTC.
    assert [(a.id, a.title) for a in page.toc] == [("status-main", "Queue login fails")]
    assert {"updates", "update-20261120t090000z", "update-20261120t103000z"} <= set(page.present_anchor_ids)


def test_the_pieces_a_languages_pages_share_are_let_go_once_its_last_page_is_written(make_site) -> None:
    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    site.add("2026-11-18-voice.md", SIMPLE_INCIDENT.replace("2026-11-20", "2026-11-18"))
    out = site.build()
    plugin = site.last_config.plugins["status"]
    data = plugin.data
    assert (data.shown, data.times, data.titles, data.urls) == ({}, {}, {}, {})
    # An update body with a text in every language is kept for no later reader.
    assert "Fixed." not in data.renderer._cache and "Løst." not in data.renderer._cache
    # ... and every page still shows what it shares with the others.
    for prefix in ("", "nb/"):
        history = dom.page(out / prefix / "history")
        assert len(dom.select(history, "li.status-incident")) == 2, prefix
    assert "Løst." in (out / "nb/incidents/2026-11-20-queue-login/index.html").read_text(encoding="utf-8")
    # The model lives to the end of the build: an incident or an update (some 45,000 at 10,000 incidents)
    # has no instance dict.
    assert not hasattr(plugin.site.incidents[0].updates[0], "__dict__")
    assert not hasattr(plugin.site.incidents[0], "__dict__")
