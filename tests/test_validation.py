"""Every error and warning of PRODUCT.md §5 names the file and line and says what to do."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import run_cli
from conftest import BASE_CONFIG, EXAMPLE_NOW, SIMPLE_INCIDENT
from mkdocs_status.config import build_settings
from mkdocs_status.sources import load_site

FIXTURES = Path(__file__).parent / "fixtures" / "invalid"
NOW = dt.datetime.fromtimestamp(EXAMPLE_NOW, dt.timezone.utc)

# file -> (level, line, words the message must contain)
CASES = {
    "bad-yaml.md": ("error", 4, "not valid YAML"),
    "missing-title.md": ("error", 1, "missing title"),
    "unknown-impact.md": ("error", 3, "unknown impact 'majr' (did you mean 'major'?)"),
    "unknown-status.md": ("error", 10, "unknown status 'Reslved' (did you mean 'resolved'?)"),
    "unknown-component.md": ("error", 4, "unknown component 'interct' (did you mean 'interact'?)"),
    "unknown-language.md": ("error", 4, "unknown language 'xx'"),
    "unknown-block-language.md": ("error", 10, "unknown language 'note' in ::: block"),
    "unknown-zone.md": ("error", 6, "abbreviation 'CEST'"),
    "unparseable-date.md": ("error", 6, "not a date and time I can read"),
    "nonexistent-date.md": ("error", 6, "does not exist"),
    "spring-forward-gap.md": ("error", 6, "does not exist in Europe/Oslo"),
    "level2-not-update.md": ("error", 10, "'## Timeline' is a level-2 heading but not an update heading"),
    "setext-heading.md": ("error", 9, "underlined"),
    "own-language-block.md": ("error", 10, "::: en block is in the file's own language"),
    "duplicate-block.md": ("error", 14, "second ::: nb block"),
    "stray-block-close.md": ("error", 9, "stray ':::'"),
    "unclosed-block.md": ("error", 10, "never closed"),
    "text-before-first-update.md": ("error", 6, "text before the first update heading"),
    "first-update-is-update.md": ("error", 6, "first update must say what is happening"),
    "Bad_Id.md": ("error", 1, "not a valid incident id"),
    "maintenance-without-window.md": ("error", 2, "maintenance without 'scheduled_for'"),
    "ended-before-started.md": ("error", 5, "ended_at is before started_at"),
    "ended-but-unresolved.md": ("error", 4, "not resolved"),
    "own-language-title.md": ("error", 3, "repeats the file's own language"),
    "future-update.md": ("warning", 7, "after the build time"),
    "reopened.md": ("warning", 23, "reopens the incident"),
    "stale-unresolved.md": ("warning", 7, "unresolved 20 days after its first update"),
    "ambiguous-time.md": ("warning", 7, "occurs twice"),
    "missing-translation.md": ("warning", 7, "no text in required language nb"),
    "control-character.md": ("warning", 9, "control character U+0007"),
    "unclosed-fence.md": ("error", 11, "code fence is never closed"),
    "level3-update.md": ("error", 15, "'### Resolved · 2026-11-20 11:00' reads as an update but is a level-3 heading"),
    "same-instant.md": ("warning", 15, "same instant as the one at line 7"),
    "null-title.md": ("error", 2, "missing title"),
    "bidi-title.md": ("warning", 2, "bidirectional control character U+202E in the title is left out"),
    "unfilled-postmortem.md": ("warning", 15, "the postmortem still holds the skeleton's placeholder text (en)"),
    "unknown-attribute-component.md": ("error", 7, "unknown component 'voce' in the attribute block (did you mean 'voice'?)"),
}


def settings():
    return build_settings({**{"incidents_dir": "incidents", "required_languages": None, "display_timezones": [], "feed_limit": 50,
                              "notify": {}}, **BASE_CONFIG["plugins"][1]["status"]}, site_name="Test", site_url="https://x.example/")


def diagnostics_for(name: str):
    _, diags = load_site(settings(), FIXTURES, FIXTURES.parent, NOW, paths=[FIXTURES / name])
    return diags


def test_every_fixture_is_covered():
    assert sorted(p.name for p in FIXTURES.glob("*.md")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_problem_is_reported_with_file_line_and_advice(name: str):
    level, line, words = CASES[name]
    diags = diagnostics_for(name)
    matching = [d for d in diags if d.level == level and words in d.message]
    assert matching, f"expected {level} '{words}' in {[d.format() for d in diags]}"
    d = matching[0]
    assert d.file == f"invalid/{name}"
    assert d.line == line, d.format()
    assert d.format().startswith(f"invalid/{name}:{line}: {level}: ")
    if level == "error" and name not in ("Bad_Id.md",):
        assert d.hint or "did you mean" in d.message, f"no advice in {d.format()}"


def test_valid_file_has_no_diagnostics(tmp_path: Path):
    path = tmp_path / "2026-11-20-ok.md"
    path.write_text(SIMPLE_INCIDENT.lstrip(), encoding="utf-8")
    site, diags = load_site(settings(), tmp_path, tmp_path, NOW, paths=[path])
    assert diags == []
    assert len(site.incidents[0].updates) == 2


def test_duplicate_ids_across_subfolders_are_an_error(make_site):
    site = make_site()
    site.add("2025/2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.add("2026/2026-11-20-queue.md", SIMPLE_INCIDENT)
    result = run_build(site.root)
    assert result.returncode != 0
    assert "incidents/2026/2026-11-20-queue.md:1: duplicate incident id '2026-11-20-queue'" in result.stderr


def test_wrong_line_after_an_error_is_not_reported_again():
    diags = diagnostics_for("level2-not-update.md")
    assert [d.line for d in diags if d.level == "error"] == [10]


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EXAMPLE_NOW), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_build_stops_on_errors_without_traceback_and_keeps_previous_site(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    assert run_build(site.root).returncode == 0
    index = site.root / "site" / "index.html"
    before = index.read_bytes()
    site.add("2026-11-21-broken.md", (FIXTURES / "unknown-component.md").read_text())
    result = run_build(site.root)
    assert result.returncode == 1
    assert "incidents/2026-11-21-broken.md:4: unknown component 'interct' (did you mean 'interact'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert index.read_bytes() == before


def test_strict_build_fails_on_warnings_and_plain_build_passes(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", (FIXTURES / "missing-translation.md").read_text())
    plain = run_build(site.root)
    assert plain.returncode == 0, plain.stderr
    assert "incidents/2026-11-20-queue.md:7: update has no text in required language nb" in plain.stderr
    strict = run_build(site.root, "--strict")
    assert strict.returncode == 1


def test_incidents_inside_docs_dir_are_an_error(make_site):
    site = make_site(incidents_dir="docs/incidents")
    result = run_build(site.root)
    assert result.returncode == 1
    assert "lies inside docs_dir" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_and_check_say_the_same_about_a_site_without_site_url_and_incidents_in_docs(make_site):
    site = make_site(incidents_dir="docs/incidents")
    del site.config["site_url"]
    site.write_config()
    build = run_build(site.root)
    check = run_cli(site.root, "check")
    assert build.returncode == 1 and check.returncode == 1
    for message in ("site_url is not set; feeds, the iCal calendar and the JSON API need absolute links",
                    "incidents_dir 'docs/incidents' lies inside docs_dir"):
        assert message in build.stderr and message in check.stdout  # both errors at once, in the same words


@pytest.mark.parametrize("name", ["history.md", "README.md"])  # MkDocs publishes README.md as index.html
def test_hand_written_page_that_would_be_replaced_is_an_error(make_site, name: str):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    (site.root / "docs" / name).write_text("# Hand-written\n", encoding="utf-8")
    result = run_build(site.root)
    assert result.returncode == 1
    assert name in result.stderr and "would be replaced" in result.stderr


def test_missing_site_url_is_a_clear_error(make_site):
    site = make_site()
    del site.config["site_url"]
    site.write_config()
    result = run_build(site.root)
    assert result.returncode == 1
    assert "site_url" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_plugin_configuration_is_a_clear_error(make_site):
    site = make_site(timezone="Europe/Olso")
    result = run_build(site.root)
    assert result.returncode == 1
    assert "Europe/Oslo" in result.stderr  # did you mean
    assert "Traceback" not in result.stderr


def test_the_url_plan_lists_exactly_what_a_build_generates(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    site.build()
    plugin = site.last_config.plugins["status"]
    generated = {uri for uri in plugin.generated_uris if not uri.startswith("assets/")}
    assert generated == set(plugin.links.planned_paths(["2026-11-20-queue"], ["2026"]))
