"""Nothing in a source file is lost silently (issue 14), and the CLI writes into the file as it is.

Each test is a case that was silently dropped or mishandled before: run for real
(the console script, ``mkdocs build``) in a temporary site.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import time
from pathlib import Path

import feedparser
import pytest
import yaml

import dom
from conftest import EXAMPLE_NOW, copy_example
from mkdocs_status.authoring import read_editor_text, scan, unfilled_postmortem
from mkdocs_status.config import build_settings
from mkdocs_status.parse import ParseSettings, parse_incident
from mkdocs_status.postmortem import postmortem_texts
from test_cli import CLI, CONFIG, FRESH_ID, NOW, SIMPLE, add, build, epoch, make_site, run, status_options

# An unresolved incident whose only update opens a code fence and never closes it.
UNCLOSED = """
---
title: Queue login fails
title_nb: Pålogging til kø feiler
impact: major
---

## Investigating · 2026-11-21 21:00

The log says:

```
ERROR queue login
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def settings():
    return build_settings({"incidents_dir": "incidents", "required_languages": None, "display_timezones": [], "feed_limit": 50,
                           "notify": {}, **status_options(CONFIG)}, site_name="Test", site_url="https://x.example/")


def parsed(path: Path):
    return parse_incident(path.name, path.stem, path.read_text(encoding="utf-8"), ParseSettings.from_settings(settings()))


# -- an unclosed code fence -------------------------------------------------------------------------------------------


def test_an_unclosed_fence_fails_check_and_the_strict_build_at_the_fence_line(site: Path) -> None:
    add(site, "2026-11-21-queue.md", UNCLOSED.replace("ERROR queue login\n", "ERROR queue login\n\n## Resolved · 2026-11-21 22:00\n\nFixed.\n"))
    check = run(site, "check", "--strict")
    assert check.returncode == 1
    assert "incidents/2026-11-21-queue.md:11: error: code fence is never closed" in check.stdout
    result = build(site, NOW)
    assert result.returncode != 0
    assert "incidents/2026-11-21-queue.md:11: code fence is never closed" in result.stderr


def test_resolve_refuses_a_file_whose_fence_would_swallow_the_new_update(site: Path) -> None:
    path = add(site, "2026-11-21-queue.md", UNCLOSED)
    before = path.read_bytes()
    result = run(site, "resolve", "2026-11-21-queue", "-m", "Fixed.", "--lang", "nb", "Løst.")
    assert result.returncode == 2
    assert "incidents/2026-11-21-queue.md:11: a code fence opened here is never closed" in result.stderr
    assert path.read_bytes() == before
    # Closed, the same command resolves it, and the file reads back resolved.
    path.write_text(path.read_text(encoding="utf-8") + "```\n", encoding="utf-8")
    assert run(site, "resolve", "2026-11-21-queue", "-m", "Fixed.", "--lang", "nb", "Løst.").returncode == 0
    incident, _ = parsed(path)
    assert incident is not None and incident.resolved and len(incident.updates) == 2


def test_resolve_does_not_claim_success_when_the_file_does_not_read_its_update_back(site: Path) -> None:
    # Broken front matter: the update is written, but the file has no incident to resolve.
    path = add(site, "2026-11-21-queue.md", SIMPLE.replace("impact: major", "impact: [major"))
    result = run(site, "resolve", "2026-11-21-queue", "-m", "Fixed.", "--lang", "nb", "Løst.")
    assert result.returncode == 1
    assert "the new update is written but not read as a 'Resolved' update" in result.stderr
    assert "## Resolved" in path.read_text(encoding="utf-8")


# -- headings at the wrong level, equal times ---------------------------------------------------------------------------


@pytest.mark.parametrize("heading", ["### Resolved · 2026-11-21 22:00", "# Resolved · 2026-11-21 22:00", "#### Resolved - 2026-11-21 22:00 UTC",
                                     "  ## Resolved · 2026-11-21 22:00"])
def test_an_update_heading_at_another_level_is_an_error_saying_update_headings_are_level_2(site: Path, heading: str) -> None:
    text = UNCLOSED.replace("```\nERROR queue login\n", f"Looking.\n\n::: nb\nSer på det.\n:::\n\n{heading}\n\nFixed.\n")
    add(site, "2026-11-21-queue.md", text)
    check = run(site, "check")
    assert check.returncode == 1
    line = textwrap.dedent(text).lstrip("\n").split("\n").index(heading) + 1
    message = next(m for m in check.stdout.splitlines() if m.startswith(f"incidents/2026-11-21-queue.md:{line}: error: "))
    assert "update headings are level 2" in message


def test_a_section_heading_that_does_not_read_as_an_update_stays_body_text(site: Path) -> None:
    text = SIMPLE.replace("Fixed.", "### Resolved at last\n\nFixed.\n\n#### Timeline 2026-11-20 10:00\n\nAlarm.")
    add(site, "2026-11-20-queue.md", text)
    check = run(site, "check", "--strict", at=epoch("2026-11-20 12:00:00"))
    assert check.returncode == 0, check.stdout


def test_two_updates_at_the_same_instant_warn_and_keep_the_lifecycle_order(site: Path) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE.replace("2026-11-20 11:30", "2026-11-20 10:00"))
    check = run(site, "check", "--strict", at=epoch("2026-11-20 12:00:00"))
    assert check.returncode == 1
    assert "incidents/2026-11-20-queue.md:16: warning: this update is at the same instant as the one at line 8" in check.stdout
    incident, _ = parsed(path)
    assert [u.status for u in incident.updates] == ["investigating", "resolved"] and incident.resolved


# -- files the build would skip ---------------------------------------------------------------------------------------------


def test_near_miss_file_names_are_warned_about_but_readme_and_underscore_files_are_not(site: Path) -> None:
    for name in ("2026-11-20-upper.MD", "2026-11-20-long.markdown", "2026-11-20-space.md ", "_template.md", "README.md", "notes.txt"):
        add(site, name, SIMPLE)
    check = run(site, "check", at=epoch("2026-11-20 12:00:00"))
    assert check.returncode == 0, check.stdout
    warnings = sorted(line for line in check.stdout.splitlines() if ": warning: " in line)
    assert warnings == [
        "incidents/2026-11-20-long.markdown: warning: '.markdown' files are not read; incident files end in '.md'; "
        "rename it to '2026-11-20-long.md'",
        "incidents/2026-11-20-space.md : warning: file name ends in a space, so it is not read; rename it to '2026-11-20-space.md'",
        "incidents/2026-11-20-upper.MD: warning: file name ends in '.MD', not '.md', so it is not read; rename it to '2026-11-20-upper.md'",
    ]
    assert run(site, "check", "--strict", at=epoch("2026-11-20 12:00:00")).returncode == 1
    named = run(site, "check", "incidents/2026-11-20-upper.MD", "incidents/_template.md", at=epoch("2026-11-20 12:00:00"))
    assert [line for line in named.stdout.splitlines() if "warning" in line] == [warnings[2]]
    result = build(site, epoch("2026-11-20 12:00:00"))
    assert result.returncode != 0 and "2026-11-20-upper.MD" in result.stderr


def test_symlinked_incident_files_and_folders_are_not_followed_and_are_warned_about(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "2026-11-20-secret.md").write_text(textwrap.dedent(SIMPLE).lstrip(), encoding="utf-8")
    (outside / "more" / "2026-11-20-other.md").write_text(textwrap.dedent(SIMPLE).lstrip(), encoding="utf-8")
    (site / "incidents" / "2026-11-20-secret.md").symlink_to(outside / "2026-11-20-secret.md")
    (site / "incidents" / "more").symlink_to(outside / "more")
    check = run(site, "check", at=epoch("2026-11-20 12:00:00"))
    assert "incidents/2026-11-20-secret.md: warning: file is a symbolic link, so it is not read" in check.stdout
    assert "incidents/more: warning: folder is a symbolic link; its files are not read" in check.stdout
    plain = build(site, epoch("2026-11-20 12:00:00"))
    assert "file is a symbolic link" in plain.stderr
    # The strict build fails; a plain one publishes neither file.
    assert plain.returncode != 0
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["SOURCE_DATE_EPOCH"] = str(epoch("2026-11-20 12:00:00"))
    try:
        mkdocs_build(load_config(str(site / "mkdocs.yml")))
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    assert not (site / "site" / "incidents" / "2026-11-20-secret").exists()
    assert not (site / "site" / "incidents" / "2026-11-20-other").exists()


# -- the editor: the file as it is when the text is saved ------------------------------------------------------------------------


def test_update_through_the_editor_keeps_an_update_written_meanwhile_and_is_stamped_when_saved(site: Path, tmp_path: Path) -> None:
    path = add(site, "2026-11-21-queue.md", SIMPLE.replace("2026-11-20", "2026-11-21"))
    saved_at = tmp_path / "saved-at"
    colleague = [CLI, "update", "2026-11-21-queue"] if CLI else [sys.executable, "-m", "mkdocs_status.cli", "update", "2026-11-21-queue"]
    editor = tmp_path / "editor.py"
    editor.write_text(textwrap.dedent(f"""\
        import subprocess, sys, time
        # A colleague posts an update while this editor is open.
        done = subprocess.run({colleague!r} + ["-m", "Posted meanwhile.", "--lang", "nb", "Skrevet imens."], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        time.sleep(2.2)
        with open(sys.argv[1], "w", encoding="utf-8") as fh:
            fh.write("Written in the editor.\\n\\n::: nb\\nSkrevet i editoren.\\n:::\\n")
        open({str(saved_at)!r}, "w").write(repr(time.time()))
        """), encoding="utf-8")
    started = time.time()
    # No SOURCE_DATE_EPOCH: the stamp is the wall clock's.
    result = run(site, "update", "2026-11-21-queue", env={"EDITOR": f"{sys.executable} {editor}", "SOURCE_DATE_EPOCH": ""})
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "Posted meanwhile." in text and "Written in the editor." in text
    assert text.index("Posted meanwhile.") < text.index("Written in the editor.")
    incident, diags = parsed(path)
    assert incident is not None and [d for d in diags if d.level == "error"] == []
    meanwhile, edited = incident.updates[-2:]
    assert "Posted meanwhile." in meanwhile.texts["en"] and "Written in the editor." in edited.texts["en"]
    saved = float(saved_at.read_text())
    assert saved - started > 2
    assert edited.utc.timestamp() >= int(saved)  # stamped when the text was saved, not when the command started
    assert meanwhile.utc.timestamp() < saved - 2


def test_an_editor_variable_that_is_not_a_command_is_a_clear_error(site: Path) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE)
    before = path.read_bytes()
    result = run(site, "update", "2026-11-20-queue", env={"EDITOR": "'x"})
    assert result.returncode == 2
    assert result.stderr.startswith("mkdocs-status: error: cannot read the editor command in $EDITOR (\"'x\"): no closing quotation")
    assert "internal error" not in result.stderr
    assert path.read_bytes() == before


def test_the_editor_check_reads_fences_as_the_parser_does() -> None:
    # A '~~~' line inside a ``` fence is code: the ':::' after it is too (the editor check used to flip its fence state on any fence line).
    text = "Log:\n\n```text\n~~~\n:::\n```\n\n::: nb\nLogg.\n:::\n"
    assert read_editor_text(text, "en", settings()) == {"en": "Log:\n\n```text\n~~~\n:::\n```", "nb": "Logg."}
    # And scan() finds exactly the update headings the parser reads.
    file = "---\ntitle: T\ntitle_nb: T\nimpact: minor\n---\n\n## Investigating · 2026-11-20 10:00\n\n````\n```\n## Resolved · 2026-11-20 11:00\n````\n\nx\n\n::: nb\ny\n:::\n"
    incident, diags = parse_incident("x.md", "x", file, ParseSettings.from_settings(settings()))
    assert [d for d in diags if d.level == "error"] == []
    assert [h.line for h in scan(file, settings()).headings] == [u.line for u in incident.updates] == [7]


# -- the postmortem skeleton ---------------------------------------------------------------------------------------------------------


def test_unfilled_postmortem_is_told_from_a_filled_one() -> None:
    for lang, text in postmortem_texts(["en", "nb", "de"]).items():
        assert unfilled_postmortem(text), lang
        assert unfilled_postmortem(text.replace("\n\n", "\n\n  ", 1).replace(" ", "\n", 3)), lang  # rewrapped
    filled = postmortem_texts(["en"])["en"]
    for placeholder in ("What happened, when, for how long, and who was affected.",
                        "Why it happened, and why it was not caught or fixed sooner.", "What we change so that it does not happen again"):
        filled = filled.replace(placeholder, "A disk filled up.")
    assert not unfilled_postmortem(filled)
    assert not unfilled_postmortem("")


def test_an_unfilled_postmortem_fails_the_strict_build(site: Path) -> None:
    add(site, "2026-11-20-queue.md", SIMPLE)
    assert run(site, "postmortem", "2026-11-20-queue", at=epoch("2026-11-21 09:00:00")).returncode == 0
    result = build(site, epoch("2026-11-21 10:00:00"))
    assert result.returncode != 0
    assert "the postmortem still holds the skeleton's placeholder text (en, nb)" in result.stderr


# -- ids and component statuses from the CLI ---------------------------------------------------------------------------------


def test_every_update_the_cli_writes_gets_its_own_short_id(site: Path) -> None:
    assert run(site, "new", "Calls drop", "--impact", "major", "-m", "Looking.", "--lang", "nb", "Ser.").returncode == 0
    for n in range(2):
        assert run(site, "update", "calls-drop", "-m", f"Update {n}.", "--lang", "nb", f"Oppdatering {n}.", at=NOW + 60 * (n + 1)).returncode == 0
    path = site / "incidents" / "2026-11-21-calls-drop.md"
    text = path.read_text(encoding="utf-8")
    ids = FRESH_ID.findall(text)
    assert len(ids) == 3 == len(set(ids)) == len(re.findall(r"^## ", text, flags=re.M))
    incident, _ = parsed(path)
    assert [u.key for u in incident.updates] == ids


def test_update_writes_component_statuses_into_the_attribute_block(site: Path) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE.split("\n## Resolved")[0] + "\n")
    result = run(site, "update", "2026-11-20-queue", "--status", "monitoring", "--component", "interact=degraded_performance",
                 "--component", "engage=operational", "-m", "Better.", "--lang", "nb", "Bedre.")
    assert result.returncode == 0, result.stderr
    heading = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("## Monitoring"))
    assert re.fullmatch(r"## Monitoring · 2026-11-21 22:00:00 \+01:00 \{#[a-z][a-z0-9]{5} interact=degraded_performance "
                        r"messaging=operational voice=operational\}", heading), heading
    incident, _ = parsed(path)
    assert incident.latest.components == {"interact": "degraded_performance", "messaging": "operational", "voice": "operational"}


@pytest.mark.parametrize(("option", "words"), [
    ("voce=operational", "unknown component 'voce' (did you mean 'voice'?)"),
    ("voice=operatonal", "unknown component status 'operatonal' for 'voice' (did you mean 'operational'?)"),
    ("voice", "--component 'voice' needs a status"),
])
def test_a_bad_component_option_exits_2_and_writes_nothing(site: Path, option: str, words: str) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE)
    before = path.read_bytes()
    result = run(site, "update", "2026-11-20-queue", "--component", option, "-m", "x")
    assert result.returncode == 2
    assert words in result.stderr
    assert path.read_bytes() == before


def published_ids(site_dir: Path) -> dict[str, list[str]]:
    """Every update anchor on the pages (those kept in templates for the script too), every feed entry id,
    every API update id of a built site."""
    anchors = sorted({dom.attr(el, "id") for page in site_dir.rglob("index.html")
                      for el in dom.select(dom.page(page), '[id^="update-"]', templates=True)})
    feeds = [*site_dir.rglob("*.atom"), *site_dir.rglob("*.rss")]
    entries = sorted({e.id for feed in feeds for e in feedparser.parse(feed.read_bytes()).entries})
    api = json.loads((site_dir / "api" / "v2" / "incidents.json").read_text(encoding="utf-8"))
    updates = sorted(u["id"] for i in api["incidents"] for u in i["incident_updates"])
    return {"anchors": anchors, "feed entries": entries, "api updates": updates}


def test_ids_writes_every_current_id_and_no_published_id_changes(tmp_path: Path, example_site: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    src = copy_example(tmp_path / "src")
    before = published_ids(example_site)  # built from the same sources at the same instant
    assert all(before.values()) and len(before["anchors"]) > 20
    missing = run(src, "ids", "--check", at=EXAMPLE_NOW)
    assert missing.returncode == 1 and ": update has no id of its own; 'mkdocs-status ids' writes {#" in missing.stdout
    headings = {p: len(re.findall(r"^## ", p.read_text(encoding="utf-8"), flags=re.M)) for p in (src / "incidents").rglob("2*.md")}
    written = run(src, "ids", at=EXAMPLE_NOW)
    assert written.returncode == 0, written.stderr
    for path, count in headings.items():
        text = path.read_text(encoding="utf-8")
        assert len(re.findall(r"^## .*\{#[A-Za-z0-9-]+[ }]", text, flags=re.M)) == count, path
    assert run(src, "ids", "--check", at=EXAMPLE_NOW).returncode == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EXAMPLE_NOW))
        mkdocs_build(load_config(str(src / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "after")))
    assert published_ids(tmp_path / "after") == before


def test_ids_changes_nothing_but_the_headings(site: Path) -> None:
    text = SIMPLE.replace("## Resolved · 2026-11-20 11:30", "## Resolved · 2026-11-20 11:30 {notify=false}")
    path = add(site, "2026-11-20-queue.md", text, newline="\r\n")
    before = path.read_bytes()
    assert run(site, "ids").returncode == 0
    after = path.read_bytes()
    assert after == before.replace(b"## Investigating \xc2\xb7 2026-11-20 10:00\r\n", b"## Investigating \xc2\xb7 2026-11-20 10:00 {#20261120T090000Z}\r\n") \
        .replace(b"{notify=false}", b"{#20261120T103000Z notify=false}")


# -- invisible characters in names ------------------------------------------------------------------------------------------------


def test_bidirectional_controls_in_a_component_name_are_left_out_with_a_warning_naming_the_line(site: Path) -> None:
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    status_options(config)["components"][0]["name"] = "Inter\u202eact"
    (site / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = next(n for n, text in enumerate((site / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1) if "\u202e" in text)
    add(site, "2026-11-20-queue.md", SIMPLE)
    check = run(site, "check", at=epoch("2026-11-20 12:00:00"))
    assert f"mkdocs.yml:{line}: warning: invisible bidirectional control character U+202E" in check.stdout
    result = build(site, epoch("2026-11-20 12:00:00"))
    assert result.returncode != 0 and f"mkdocs.yml:{line}: invisible bidirectional control character U+202E" in result.stderr
    assert settings_from(site).component("interact").names["en"] == "Interact"


def settings_from(site: Path):
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    return build_settings({"incidents_dir": "incidents", "required_languages": None, "display_timezones": [], "feed_limit": 50,
                           "notify": {}, **status_options(config)}, site_name="Test", site_url="https://x.example/")


def test_a_title_with_a_bidirectional_override_is_published_without_it(site: Path) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE.replace("title: Queue login fails", "title: \"Queue login \u202eslief\""))
    incident, diags = parsed(path)
    assert incident.titles["en"] == "Queue login slief"
    assert [(d.line, d.level) for d in diags] == [(2, "warning")] and "U+202E" in diags[0].message


@pytest.mark.parametrize("title", ["~", "", "null", "''"])
def test_a_title_with_no_value_is_a_missing_title(site: Path, title: str) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE.replace("title: Queue login fails", f"title: {title}"))
    incident, diags = parsed(path)
    assert incident is None
    assert [(d.line, d.message) for d in diags if d.level == "error"] == [(2, "missing title")]


def test_a_title_of_nothing_but_bidirectional_controls_is_an_error(site: Path) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE.replace("title: Queue login fails", "title: \"\u202e\u2066\""))
    incident, diags = parsed(path)
    assert incident is None
    assert [(d.line, d.level) for d in diags if "bidirectional" in d.message] == [(2, "error")]


def test_a_message_holding_an_update_like_heading_is_written_as_text_not_as_an_update(site: Path) -> None:
    path = add(site, "2026-11-20-queue.md", SIMPLE)
    message = "Timeline:\n\n### Resolved · 2026-11-20 11:00\n\n## Monitoring · 2026-11-20 10:30"
    result = run(site, "update", "2026-11-20-queue", "-m", message, "--lang", "nb", "Tidslinje.", at=epoch("2026-11-20 12:00:00"))
    assert result.returncode == 0, result.stderr
    incident, diags = parsed(path)
    assert [d for d in diags if d.level == "error"] == []
    assert len(incident.updates) == 3
    assert "\\### Resolved · 2026-11-20 11:00" in incident.latest.texts["en"]
    assert "\\## Monitoring · 2026-11-20 10:30" in incident.latest.texts["en"]
