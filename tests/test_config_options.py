"""The status plugin's options in mkdocs.yml: every mistake reported in one run, each with its path and line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT
from mkdocs_status.authoring import slugify as authoring_slugify
from mkdocs_status.config import build_settings
from mkdocs_status.names import group_id

THREE_MISTAKES: dict[str, Any] = {
    "timezone": "Europe/Olso",
    "languages": ["en", "nb", "xx-nope"],
    "components": [
        {"id": "interact", "name": "Interact"},
        {"group": "Engage", "components": [{"id": "messaging", "name": "Messaging"}]},
        {"id": "voice", "name": "Voice", "start_date": "tomorrow"},
    ],
}


ENGLISH_ONLY = """
---
title: Queue login fails
impact: major
components: [interact]
---

## Investigating · 2026-11-20 10:00

Agents cannot log in.
"""


def mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EXAMPLE_NOW), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EXAMPLE_NOW), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs_status.cli", "check", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def line_of(root: Path, text: str) -> int:
    """The line of mkdocs.yml holding ``text``, found by reading the file (not by the code under test)."""
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture
def three_mistakes(make_site):
    site = make_site(**THREE_MISTAKES)
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("components: [interact]", "components: [interact]"))
    return site


def test_a_build_reports_three_option_mistakes_at_once_each_with_its_path(three_mistakes):
    result = mkdocs(three_mistakes.root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("Plugin 'status' option 'timezone': unknown time zone 'Europe/Olso' (did you mean 'Europe/Oslo'?)"
            in result.stderr), result.stderr
    assert "Plugin 'status' option 'languages[2]': unknown language 'xx-nope'" in result.stderr
    assert "Plugin 'status' option 'components[2].start_date': 'tomorrow' is not a date; write YYYY-MM-DD" in result.stderr
    assert "Aborted with a configuration error!" in result.stdout + result.stderr
    assert not (three_mistakes.root / "site").exists()


def test_check_reports_the_same_three_mistakes_with_file_line_and_path(three_mistakes):
    root = three_mistakes.root
    result = check(root)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "mkdocs.yml: 3 errors in the status plugin's options:" in result.stderr
    zone_line, date_line = line_of(root, "Europe/Olso"), line_of(root, "tomorrow")
    lines = yaml.safe_load((root / "mkdocs.yml").read_text())  # the languages list's third item: a line of its own
    assert lines["plugins"][1]["status"]["languages"][2] == "xx-nope"
    language_line = line_of(root, "xx-nope")
    assert (f"mkdocs.yml:{zone_line}: plugins.status.timezone: unknown time zone 'Europe/Olso' (did you mean 'Europe/Oslo'?)"
            in result.stderr), result.stderr
    assert f"mkdocs.yml:{language_line}: plugins.status.languages[2]: unknown language 'xx-nope'" in result.stderr
    assert f"mkdocs.yml:{date_line}: plugins.status.components[2].start_date: 'tomorrow' is not a date; write YYYY-MM-DD" in result.stderr


def test_every_mistake_inside_one_component_is_reported_not_only_the_first(make_site):
    site = make_site(components=[{"id": "Bad_Id", "nmae": "Interact", "start_date": "soon", "only_show_if_degraded": "yes",
                                  "name_xx-nope": "?"}])
    result = check(site.root)
    assert result.returncode == 2
    for path, words in [("components[0].id", "id 'Bad_Id' must be lowercase letters, digits and hyphens"),
                        ("components[0].nmae", "unknown key 'nmae' (did you mean 'name'?)"),
                        ("components[0].start_date", "'soon' is not a date"),
                        ("components[0].only_show_if_degraded", "must be true or false, not 'yes'"),
                        ("components[0].name_xx-nope", "unknown language 'xx-nope'")]:
        assert f"plugins.status.{path}: {words}" in result.stderr, result.stderr


def test_an_id_used_twice_across_components_and_groups_is_reported_at_each_repeat(make_site):
    site = make_site(components=[
        {"id": "Broken"},
        {"id": "api", "name": "API"},
        {"group": "Engage", "components": [{"id": "api", "name": "Again"}, {"id": "engage"}]},
    ])
    result = check(site.root)
    assert result.returncode == 2
    assert "plugins.status.components[0].id: id 'Broken' must be lowercase" in result.stderr
    assert "plugins.status.components[2].components[0].id: id 'api' is used twice in components (first at components[1])" in result.stderr
    assert "plugins.status.components[2].components[1].id: id 'engage' is used twice in components (first at components[2])" in result.stderr


def test_groups_are_checked_across_the_whole_list(make_site):
    site = make_site(components=[
        {"id": "api", "name": "API"},
        {"group": "Engage", "components": [{"id": "chat", "name": "Chat"}, {"group": "Inner", "components": []}]},
        {"group": "Empty"},
        {"id": "web", "name_de": "Netz"},
    ])
    result = check(site.root)
    assert result.returncode == 2
    assert "plugins.status.components[1].components[1]: groups cannot contain groups" in result.stderr
    assert "plugins.status.components[2].components: a group needs a list of 'components'" in result.stderr
    assert ("plugins.status.components[3].name_de: 'name_de' names language 'de', which is not one of the configured languages (en, nb)"
            in result.stderr), result.stderr


def test_the_statuspage_name_time_zone_still_works_with_a_deprecation_warning(make_site):
    site = make_site(languages=["en"], time_zone="America/New_York", components=[{"id": "interact", "name": "Interact"}])
    del site.plugin["timezone"]
    site.plugin["display_timezones"] = []
    site.write_config()
    site.add("2026-11-20-queue.md", ENGLISH_ONLY)
    plain = mkdocs(site.root, "build")
    assert plain.returncode == 0, plain.stderr
    assert "Plugin 'status' option 'time_zone': 'time_zone' is Statuspage's name for this option" in plain.stderr and "write 'timezone' instead" in plain.stderr
    page = (site.root / "site" / "incidents" / "2026-11-20-queue" / "index.html").read_text(encoding="utf-8")
    assert "EST" in page or "America/New_York" in page or "-05:00" in page
    strict = mkdocs(site.root, "build", "--strict")
    assert strict.returncode == 1 and "Aborted with 1 configuration warnings in 'strict' mode!" in strict.stdout + strict.stderr
    checked, checked_strict = check(site.root), check(site.root, "--strict")
    assert f"mkdocs.yml:{line_of(site.root, 'time_zone:')}: warning: plugins.status.time_zone: 'time_zone' is Statuspage's name for this option" in checked.stdout
    assert checked.returncode == 0 and checked_strict.returncode == 1


def test_time_zone_and_timezone_together_is_an_error(make_site):
    site = make_site(time_zone="UTC")
    result = check(site.root)
    assert result.returncode == 2
    assert "plugins.status.time_zone: 'time_zone' and 'timezone' are the same option; keep only 'timezone'" in result.stderr


def test_a_notify_mistake_is_a_build_warning_not_an_error(make_site):
    site = make_site(notify={"slak": [{"url_env": "X"}], "email": [{"smtp": "h:99999", "from": "a@b"}]})
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    plain = mkdocs(site.root, "build")
    assert plain.returncode == 0, plain.stderr
    assert "Plugin 'status' option 'notify': unknown key 'slak' (did you mean 'slack'?)" in plain.stderr
    assert "email[0]: smtp port 99999 is out of range" in plain.stderr
    assert "email[0]: 'to' is required" in plain.stderr, "every problem of the channel, not only its first"
    assert mkdocs(site.root, "build", "--strict").returncode == 1


@pytest.mark.parametrize(("name", "group"), [("Engage & Co", "engage-co"), ("Bølge", "blge"), ("Bob's tools", "bob-s-tools"),
                                             ("!!!", "group"), ("A " * 40, "-".join(["a"] * 40))])
def test_a_group_without_an_id_keeps_the_id_its_pages_were_published_under(name: str, group: str):
    assert group_id(name) == group
    settings = build_settings({"components": [{"group": name, "components": [{"id": "x"}]}]})
    assert settings.groups[0].id == group


@pytest.mark.parametrize(("title", "slug"), [("Pålogging til kø feiler!", "palogging-til-ko-feiler"), ("Can't log in", "cant-log-in"),
                                             ("!!!", "incident"), ("Straße", "strasse"),
                                             ("one two three four five six seven eight nine ten eleven", "one-two-three-four-five-six-seven-eight-nine-ten"),
                                             ("x" * 60, "x" * 48)])
def test_a_new_incident_file_keeps_its_slug(title: str, slug: str):
    assert authoring_slugify(title) == slug
    assert len(authoring_slugify(title)) <= 48


def test_the_importer_keeps_its_group_slug():
    from mkdocs_status.importer import group_slug

    assert group_slug("Bølge") == "bolge" and group_slug("!!!") == "group"


def test_an_unknown_plugin_option_is_mkdocs_warning_with_a_did_you_mean(make_site):
    site = make_site(timezones=["UTC"])
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    plain = mkdocs(site.root, "build")
    assert plain.returncode == 0, plain.stderr
    assert "Plugin 'status' option 'timezones': Unrecognised configuration name: timezones (did you mean 'timezone'?)" in plain.stderr
    assert mkdocs(site.root, "build", "--strict").returncode == 1


def test_a_mapping_of_options_gets_every_error_from_build_settings():
    from mkdocs.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError) as raised:
        build_settings({"feed_limit": 0, "display_timezones": ["UTC", "Mars/Olympus"], "required_languages": ["de"]})
    lines = str(raised.value).splitlines()
    assert "status: required_languages[0]: 'de' is not one of the configured languages (en)" in lines
    assert any(line.startswith("status: display_timezones[1]: unknown time zone 'Mars/Olympus'") for line in lines)
    assert "status: feed_limit: expected a whole number of at least 1, not 0" in lines


def test_every_problem_of_one_notify_channel_is_kept():
    from mkdocs_status.notify.options import parse_notify

    settings = build_settings({"languages": ["en"]})
    _, channels, problems, _ = parse_notify({"email": [{"smtp": "h:99999", "from": "a@b", "tls": "yes"}]}, settings, {})
    assert problems == []
    assert channels[0].label == "email[0]"
    assert channels[0].problems == ("smtp port 99999 is out of range",
                                    "'to' is required (smtp: host:port, from: address, to: [addresses])",
                                    "tls: must be true or false, not 'yes'")
