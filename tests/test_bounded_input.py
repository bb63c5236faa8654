"""Bounded work with clear errors: YAML alias bombs, oversized files and updates, zones that depend on the machine."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from cli_run import run_cli
from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT
from test_validation import run_build

LAUGHS = "\n".join(
    [f'a: &a [{",".join(["lol"] * 9)}]']
    + [f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
)
BOMB = f"---\ntitle: Bomb\nimpact: major\n{LAUGHS}\ncomponents: *i\n---\n\n## Investigating · 2026-11-20 10:00\n\nText.\n"


def check(root) -> subprocess.CompletedProcess[str]:
    """``mkdocs-status check`` in this process, at the fixtures' now."""
    return run_cli(root, "check", env={"SOURCE_DATE_EPOCH": str(EXAMPLE_NOW)})


def check_in_its_own_process(root) -> subprocess.CompletedProcess[str]:
    """``mkdocs-status check`` as its own process, killed after 60 s (the runaway this file guards against would not stop)."""
    env = {**__import__("os").environ, "SOURCE_DATE_EPOCH": str(EXAMPLE_NOW), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs_status.cli", "check"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_yaml_alias_bomb_fails_fast_at_its_line(make_site):
    assert len(BOMB.split("\n---\n")[0].encode()) <= 420  # the 420-byte front matter
    site = make_site()
    site.add("2026-11-20-bomb.md", BOMB)
    started = time.perf_counter()
    checked, built = check_in_its_own_process(site.root), run_build(site.root)
    assert time.perf_counter() - started < 30  # ran past 300 s (and 4.5 GB) before
    # 'e:' is the first key whose value passes 10,000 values (9^5).
    for output in (checked.stdout, built.stderr):
        assert "incidents/2026-11-20-bomb.md:8:" in output and "expands to more than 10,000 values" in output, output
    assert checked.returncode == 1 and built.returncode == 1
    assert "Traceback" not in checked.stderr + built.stderr


def test_a_self_referencing_alias_is_an_error_at_its_line(make_site):
    site = make_site()
    site.add("2026-11-20-loop.md", SIMPLE_INCIDENT.replace("impact: major\n", "impact: major\nloop: &x [*x]\n"))
    result = check(site.root)
    assert result.returncode == 1 and "incidents/2026-11-20-loop.md:" in result.stdout and "Traceback" not in result.stderr, result.stdout + result.stderr


def test_front_matter_with_a_few_aliases_still_reads():
    from mkdocs_status.parse.frontmatter import load

    values = load(["base: &b [voice, messaging]", "components: *b"], 2)
    assert values["components"].data == ["voice", "messaging"] and values["components"].line == 3


def test_an_update_over_the_cap_is_an_error_at_its_heading(make_site):
    site = make_site()
    long_text = ("Calls are delayed. " * 8000).strip()  # about 150 KB in one paragraph
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("Fixed.", long_text))
    result = check(site.root)
    assert result.returncode == 1
    assert "incidents/2026-11-20-queue.md:16: error: this update is longer than 128 KB" in result.stdout, result.stdout


def test_a_file_over_the_cap_is_an_error_naming_it(make_site):
    site = make_site()
    updates = "".join(f"\n## Update · 2026-11-20 10:{m:02d}\n\n{'Still investigating. ' * 3000}\n" for m in range(1, 30))
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("## Resolved", updates + "\n## Resolved"))
    built = run_build(site.root)
    assert built.returncode == 1 and "incidents/2026-11-20-queue.md:1: file is larger than 1 MB" in built.stderr, built.stderr


def test_an_update_just_under_the_cap_builds(make_site):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("Fixed.", ("Calls are *delayed*. " * 5000).strip()))  # ~105 KB
    assert check(site.root).returncode == 0


MACHINE_ZONES = ["localtime", "Factory", "posixrules", "posix/Europe/Oslo", "right/UTC"]


@pytest.mark.parametrize("name", MACHINE_ZONES)
def test_a_zone_that_depends_on_the_machine_is_refused_in_mkdocs_yml(make_site, name: str):
    site = make_site(timezone=name)
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    for output in (check(site.root).stderr, run_build(site.root).stderr):
        assert f"time zone '{name}' depends on the machine" in output, output


@pytest.mark.parametrize("name", MACHINE_ZONES)
def test_a_zone_that_depends_on_the_machine_is_refused_in_a_heading(make_site, name: str):
    site = make_site()
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("2026-11-20 11:30", f"2026-11-20 11:30 {name}"))
    result = check(site.root)
    assert result.returncode == 1
    assert f"incidents/2026-11-20-queue.md:16: error: time zone '{name}' depends on the machine" in result.stdout, result.stdout


@pytest.mark.parametrize(("name", "hint"), [("CET", "+01:00 or Europe/Oslo"), ("EST", "-05:00 or America/New_York"), ("MET", "Europe/Paris")])
def test_abbreviations_tzdata_lists_as_keys_stay_errors_with_the_hint(make_site, name: str, hint: str):
    site = make_site(timezone=name)
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("2026-11-20 11:30", f"2026-11-20 11:30 {name}"))
    checked = check(site.root)
    assert f"time zone abbreviation '{name}' is ambiguous" in checked.stderr and hint in checked.stderr, checked.stderr
    site.plugin["timezone"] = "Europe/Oslo"
    site.write_config()
    checked = check(site.root)
    assert f"incidents/2026-11-20-queue.md:16: error: time zone abbreviation '{name}' is ambiguous" in checked.stdout, checked.stdout
    assert hint in checked.stdout


def test_every_other_iana_key_is_accepted():
    import zoneinfo

    from mkdocs_status.parse.dates import zone

    keys = sorted(zoneinfo.available_timezones() - {"localtime", "Factory", "posixrules"})
    from mkdocs_status.parse.dates import ABBREVIATIONS
    usable = [k for k in keys if k.upper() not in ABBREVIATIONS and not k.startswith(("posix/", "right/"))]
    assert len(usable) > 500
    assert all(zone(k).key == k for k in usable)


def test_a_zone_is_known_by_the_same_rule_with_or_without_listing_the_machines_zones():
    import zoneinfo

    from mkdocs_status.parse import dates

    listed = dates.zone_keys()
    machine = zoneinfo.available_timezones()
    probes = sorted(machine | {"Europe/Oslo", "europe/oslo", "Factory", "posix/Europe/Oslo", "Mars/Olympus"})
    assert [k for k in probes if dates.is_zone_key(k) != (k in listed)] == []
    assert dates.is_zone_key("Europe/Oslo") and not dates.is_zone_key("Factory")
