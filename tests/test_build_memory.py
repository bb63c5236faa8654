"""A large site builds in bounded memory: what has been written is not held to the end of the build.

MkDocs keeps every File and Page object until the build ends. The plugin lets go of what it
has written, so a 10,000-incident site stays within 1.5x the memory of plain mkdocs-material
(benchmarks/build.py measures it): a generated page's body once the page is written, a feed's
or the API's content once the file is written (made again if something reads it later).
"""

from __future__ import annotations

from conftest import SIMPLE_INCIDENT

HOOK = '''
def on_env(env, config, files):
    config.kept_files = files
'''


def test_written_pages_and_data_files_are_not_held_but_still_read_right(make_site) -> None:
    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    (site.root / "keep_files.py").write_text(HOOK, encoding="utf-8")
    site.config["hooks"] = ["keep_files.py"]
    site.write_config()
    out = site.build()
    files = site.last_config.kept_files  # type: ignore[attr-defined]
    page = files.get_file_from_path("incidents/2026-11-20-queue-login.md").page
    assert page.content == ""  # the body is in the written page, not in memory
    assert "Fixed." in (out / "incidents/2026-11-20-queue-login/index.html").read_text(encoding="utf-8")
    data = [f for f in files if f.src_uri.endswith((".json", ".atom", ".rss", ".ics", ".svg"))]
    assert len(data) > 10
    for f in data:
        assert f._content == b"", f.src_uri  # written, then let go
    for f in data:
        assert f.content_bytes == (out / f.dest_uri).read_bytes(), f.src_uri  # read later: made again, the same
