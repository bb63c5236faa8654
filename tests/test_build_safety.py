"""A failed build never costs the published site, and dates far outside a status page's years are clean errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from cli_run import run_cli
from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT
from test_validation import run_build


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below the folder with a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def test_a_build_that_crashes_half_way_leaves_the_previous_site_byte_identical(make_site, monkeypatch):
    from mkdocs_status import pages

    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    before = snapshot(site.build())
    assert "index.html" in before and "api/v2/summary.json" in before
    site.add("2026-11-21-second.md", SIMPLE_INCIDENT.replace("Queue login fails", "Second"))
    rendered = 0
    real = pages.PageRenderer.render

    def crash_after_some_pages(self, view):  # a fault deep in rendering, after MkDocs started writing
        nonlocal rendered
        rendered += 1
        if rendered == 5:
            raise RuntimeError("injected fault")
        return real(self, view)

    monkeypatch.setattr(pages.PageRenderer, "render", crash_after_some_pages)
    with pytest.raises(RuntimeError, match="injected fault"):
        site.build()
    assert rendered == 5
    assert snapshot(site.root / "site") == before
    assert leftovers(site.root) == []


def test_a_strict_build_aborted_by_a_warning_leaves_the_previous_site(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    before = snapshot(site.build(strict=True))
    site.add("2026-11-21-late.md", SIMPLE_INCIDENT.replace("2026-11-20 11:30", "2026-11-22 11:30"))  # in the future
    with pytest.raises(Abort, match="strict"):
        site.build(strict=True)
    assert snapshot(site.root / "site") == before
    assert leftovers(site.root) == []


def test_a_successful_build_replaces_the_whole_previous_site(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    out = site.build()
    (out / "stale.html").write_text("old", encoding="utf-8")
    site.add("2026-11-21-second.md", SIMPLE_INCIDENT.replace("Queue login fails", "Second"))
    after = snapshot(site.build())
    assert "stale.html" not in after
    assert "incidents/2026-11-21-second/index.html" in after
    assert leftovers(site.root) == []


EXTREME = [
    ("## Investigating · 0001-01-01 00:30", 7),  # converting to UTC leaves datetime's range
    ("## Investigating · 0001-01-01 00:30 +05:00", 7),
    ("## Investigating · 9999-12-31 23:30", 7),
    ("## Investigating · 9999-12-31 23:30 -05:00", 7),  # UTC is in year 10000
    ("## Investigating · 1969-12-31 23:59 UTC", 7),
    ("## Investigating · 2026-11-20 10:00\n\nText.\n\n## Resolved · 9999-12-31 23:59 -12:00", 11),
]


@pytest.mark.parametrize(("heading", "line"), EXTREME)
def test_extreme_dates_are_errors_at_their_line_in_check_and_build(make_site, heading: str, line: int):
    site = make_site()
    site.plugin["required_languages"] = ["en"]
    site.write_config()
    site.add("2026-11-20-queue.md", f"---\ntitle: Far away\nimpact: major\ncomponents: [interact]\n---\n\n{heading}\n\nText.\n")
    check = run_cli(site.root, "check", env={"SOURCE_DATE_EPOCH": str(EXAMPLE_NOW)})
    build = run_build(site.root)
    where = f"incidents/2026-11-20-queue.md:{line}:"
    assert check.returncode == 1 and where in check.stdout and "years 1970 to 9000" in check.stdout, check.stdout + check.stderr
    assert build.returncode == 1 and where in build.stderr and "years 1970 to 9000" in build.stderr, build.stderr
    assert "Traceback" not in check.stderr + build.stderr


def test_an_extreme_started_at_is_an_error_at_its_line(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("components: [interact]\n", "components: [interact]\nstarted_at: 0001-01-01 00:00\n"))
    build = run_build(site.root)
    assert build.returncode == 1 and "incidents/2026-11-20-queue.md:6:" in build.stderr and "Traceback" not in build.stderr, build.stderr


def test_dates_at_the_edges_of_the_supported_years_build():
    import datetime as dt

    from mkdocs_status.parse.dates import parse_datetime

    assert parse_datetime("1970-01-01 00:00 UTC", dt.timezone.utc).at == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert parse_datetime("9000-12-31 23:59 -12:00", dt.timezone.utc).at.year == 9000


def test_a_crash_the_input_reaches_in_the_parser_names_the_file(make_site, monkeypatch, caplog):
    from mkdocs_status.parse import incident as parser

    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.add("2026-11-21-trigger.md", SIMPLE_INCIDENT.replace("Fixed.", "TRIGGER"))
    real = parser.parse_incident

    def fragile(source, stem, text, settings):  # stands for a parser bug only this file reaches
        if "TRIGGER" in text:
            raise OverflowError("date value out of range")
        return real(source, stem, text, settings)

    monkeypatch.setattr(parser, "parse_incident", fragile)
    with pytest.raises(Abort):
        site.build()
    assert "incidents/2026-11-21-trigger.md:1: this file could not be read (OverflowError: date value out of range)" in caplog.text
    assert "2026-11-20-queue.md" not in caplog.text


def test_the_mkdocs_command_keeps_the_site_when_strict_mode_aborts(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    assert run_build(site.root, "--strict").returncode == 0
    before = snapshot(site.root / "site")
    site.add("2026-11-21-late.md", SIMPLE_INCIDENT.replace("2026-11-20 11:30", "2026-11-22 11:30"))  # in the future
    result = run_build(site.root, "--strict")
    assert result.returncode == 1 and "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr, result.stderr
    assert snapshot(site.root / "site") == before and leftovers(site.root) == []
    assert run_build(site.root).returncode == 0  # without --strict the warning does not stop it
    assert "incidents/2026-11-21-late/index.html" in snapshot(site.root / "site")
