"""The authoring CLI in a temporary site: ``main([...])`` in this process for what the commands do, and the real
``mkdocs-status`` console script (and ``python -m mkdocs_status.cli``) in its own process for what only a process
shows: exit codes, --version, a run without a terminal, a run on a real terminal."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli_run import run_cli
from conftest import BASE_CONFIG, SIMPLE_INCIDENT

UTC = dt.timezone.utc
CLI = shutil.which("mkdocs-status")
# The shared test site, hosted under a sub-path so that every printed URL must follow site_url.
CONFIG: dict[str, Any] = {**copy.deepcopy(BASE_CONFIG), "site_url": "https://status.example.com/sub/"}


def epoch(text: str) -> int:
    """``2026-11-21 20:04:09`` (UTC) -> Unix time."""
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


NOW = epoch("2026-11-21 21:00:00")


def write_config(root: Path, config: dict[str, Any]) -> None:
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def status_options(config: dict[str, Any]) -> dict[str, Any]:
    return next(p["status"] for p in config["plugins"] if isinstance(p, dict) and "status" in p)


def make_site(tmp_path: Path) -> Path:
    """A small status site: mkdocs.yml (en + nb, a group), docs/ and an empty incidents/."""
    root = tmp_path / "site-src"
    (root / "docs").mkdir(parents=True)
    (root / "incidents").mkdir()
    write_config(root, json.loads(json.dumps(CONFIG)))
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def run(root: Path, *args: str, at: int = NOW, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The command in this process, in ``root``, stdin a pipe (not a terminal), SOURCE_DATE_EPOCH set, no editor unless ``env`` names one."""
    return run_cli(root, *args, env={"SOURCE_DATE_EPOCH": str(at), **(env or {})}, stdin=stdin)


def script(root: Path, *args: str, at: int = NOW, stdin: str = "", module: bool = False) -> subprocess.CompletedProcess[str]:
    """The real console script (or ``python -m mkdocs_status.cli``) in its own process, stdin a pipe, SOURCE_DATE_EPOCH set."""
    command = [sys.executable, "-m", "mkdocs_status.cli"] if module or not CLI else [CLI]
    environment = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL", "MKDOCS_STATUS_DEBUG")}
    environment.update({"SOURCE_DATE_EPOCH": str(at), "NO_MKDOCS_2_WARNING": "1"})
    result = subprocess.run([*command, *args], cwd=root, env=environment, input=stdin, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def build(root: Path, at: int) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` for real (not quiet: quiet mode hides the warnings strict counts)."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(at), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=environment,
                          capture_output=True, text=True, timeout=300)


def add(root: Path, name: str, text: str, *, newline: str = "\n") -> Path:
    path = root / "incidents" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(textwrap.dedent(text).lstrip("\n").replace("\n", newline).encode("utf-8"))
    return path


SIMPLE = SIMPLE_INCIDENT  # the shared fixture incident
# The fresh id the CLI writes at the end of every update heading it adds (INTERFACES §5).
FRESH_ID = re.compile(r" \{#([a-z][a-z0-9]{5})\}(?=\r?\n)")


def without_ids(data: Any) -> Any:
    """The text (str or bytes) with the CLI's fresh ids taken out of its headings, for comparing the rest exactly."""
    if isinstance(data, bytes):
        return FRESH_ID.sub("", data.decode("utf-8")).encode("utf-8")
    return FRESH_ID.sub("", data)

NEWEST_FIRST = """
---
title: Delayed webhooks
title_nb: Forsinkede webhooker
impact: minor
components: [messaging]
---

## Monitoring - 2026-11-21 14:55 UTC

The backlog is shrinking.

::: nb
Køen krymper.
:::

## Investigating - 2026-11-21 13:02 UTC

We are investigating delays.

::: nb
Vi undersøker forsinkelser.
:::
"""


def updates_on_page(html: str) -> list[tuple[str, str]]:
    """(status label, <time datetime>) of each update on an incident page, in page order."""
    out = []
    for item in re.findall(r'<li class="status-update">(.*?)</li>\s*(?=<li class="status-update">|</ol>)', html, flags=re.S):
        label = re.sub(r"<[^>]+>", "", re.search(r'class="status-update__link"[^>]*>(.*?)</a>', item, flags=re.S).group(1)).strip()
        when = re.search(r'<p class="status-update__time"><time[^>]*datetime="([^"]+)"', item).group(1)
        out.append((label, when))
    return out


# -- the whole lifecycle ------------------------------------------------------------------------------


def test_new_update_resolve_postmortem_then_strict_build_shows_four_updates(site: Path) -> None:
    new = run(site, "new", "Calls are not connecting", "--title-nb", "Samtaler kobles ikke opp", "--impact", "major",
              "--component", "voice=major_outage", "--component", "interact", "--status", "investigating",
              "-m", "Incoming calls fail. We are investigating.", "--lang", "nb", "Innkommende samtaler feiler. Vi undersøker.",
              at=epoch("2026-11-21 20:04:09"))
    assert new.returncode == 0, new.stderr
    path_line, url = new.stdout.splitlines()
    assert path_line == "incidents/2026-11-21-calls-are-not-connecting.md"
    assert url == "https://status.example.com/sub/incidents/2026-11-21-calls-are-not-connecting/"
    iid = "2026-11-21-calls-are-not-connecting"

    update = run(site, "update", "2026-11-21-calls", "--status", "monitoring", "-m", "A fix is in place; we are monitoring.",
                 "--lang", "nb", "En rettelse er på plass; vi følger med.", at=epoch("2026-11-21 20:31:00"))
    assert update.returncode == 0, update.stderr
    monitoring_id = FRESH_ID.search((site / "incidents" / f"{iid}.md").read_text(encoding="utf-8").split("## Monitoring")[1]).group(1)
    assert update.stdout.splitlines()[1] == f"https://status.example.com/sub/incidents/{iid}/#update-{monitoring_id}"
    resolve = run(site, "resolve", "calls-are", "-m", "All calls connect normally.", "--lang-nb", "Alle samtaler kobles opp som normalt.",
                  at=epoch("2026-11-21 21:15:30"))
    assert resolve.returncode == 0, resolve.stderr
    postmortem = run(site, "postmortem", iid, at=epoch("2026-11-23 09:00:00"))
    assert postmortem.returncode == 0, postmortem.stderr
    # The skeleton is not ready to publish: said at once, and check --strict fails until it is filled in.
    assert "the postmortem still holds the skeleton's placeholder text (en, nb)" in postmortem.stderr
    assert run(site, "check", "--strict", at=epoch("2026-11-23 10:00:00")).returncode == 1
    path = site / "incidents" / f"{iid}.md"
    filled = path.read_text(encoding="utf-8")
    for placeholder in ("What happened, when, for how long, and who was affected.",
                        "Why it happened, and why it was not caught or fixed sooner.", "What we change so that it does not happen again",
                        "Hva som skjedde, når, hvor lenge, og hvem som ble berørt.",
                        "Hvorfor det skjedde, og hvorfor det ikke ble oppdaget eller rettet tidligere.",
                        "Hva vi endrer for at det ikke skal skje igjen"):
        filled = filled.replace(placeholder, "A router failed.")
    path.write_text(filled, encoding="utf-8")

    text = without_ids(path.read_text(encoding="utf-8"))
    assert "## Investigating · 2026-11-21 21:04:09 +01:00" in text
    assert "## Monitoring · 2026-11-21 21:31:00 +01:00" in text
    assert "## Resolved · 2026-11-21 22:15:30 +01:00" in text
    assert "## Postmortem · 2026-11-23 10:00:00 +01:00" in text
    for heading in ("### Summary", "### Root cause", "### Corrective actions", "### Sammendrag", "### Rotårsak", "### Korrigerende tiltak"):
        assert heading in text
    assert text.count("- [ ] ") == 2

    check = run(site, "check", "--strict", at=epoch("2026-11-23 10:00:00"))
    assert check.returncode == 0, check.stdout + check.stderr

    result = build(site, epoch("2026-11-23 10:00:00"))
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "incidents" / iid / "index.html").read_text(encoding="utf-8")
    assert updates_on_page(html) == [
        ("Postmortem", "2026-11-23T10:00:00+01:00"),
        ("Resolved", "2026-11-21T22:15:30+01:00"),
        ("Monitoring", "2026-11-21T21:31:00+01:00"),
        ("Investigating", "2026-11-21T21:04:09+01:00"),
    ]
    nb_html = (site / "site" / "nb" / "incidents" / iid / "index.html").read_text(encoding="utf-8")
    assert "En rettelse er på plass" in nb_html and "Rotårsak" in nb_html
    # The JSON API arrives with its own module; when it is there, the incident's file lists the same four updates.
    api = site / "site" / "api" / "v2" / "incidents" / f"{iid}.json"
    if api.exists():
        updates = json.loads(api.read_text(encoding="utf-8"))["incident"]["incident_updates"]
        assert [u["status"] for u in updates] == ["postmortem", "resolved", "monitoring", "investigating"]
        instants = [dt.datetime.fromisoformat(u["display_at"]) for u in updates]
        assert instants == [dt.datetime.fromtimestamp(t, UTC) for t in
                            (epoch("2026-11-23 09:00:00"), epoch("2026-11-21 21:15:30"), epoch("2026-11-21 20:31:00"), epoch("2026-11-21 20:04:09"))]


# -- new ---------------------------------------------------------------------------------------------------


def test_new_writes_the_first_update_stamped_now_in_the_site_zone_with_seconds(site: Path) -> None:
    winter = run(site, "new", "Winter", "--impact", "minor", "-m", "Text.", at=epoch("2026-01-10 08:00:05"))
    summer = run(site, "new", "Summer", "--impact", "minor", "-m", "Text.", at=epoch("2026-07-10 22:30:00"))
    assert winter.returncode == summer.returncode == 0
    assert "## Investigating · 2026-01-10 09:00:05 +01:00\n" in without_ids((site / "incidents" / "2026-01-10-winter.md").read_text(encoding="utf-8"))
    # 22:30 UTC is already the next day in Oslo: the file's date is the site's date.
    assert "## Investigating · 2026-07-11 00:30:00 +02:00\n" in without_ids((site / "incidents" / "2026-07-11-summer.md").read_text(encoding="utf-8"))


def test_new_file_matches_the_format_of_the_example_site(site: Path) -> None:
    result = run(site, "new", "Queue login: agents logged out", "--title", "nb", "Kø-pålogging: agenter logget ut",
                 "--impact", "critical", "--component", "interact,messaging=degraded_performance", "--status", "identified",
                 "--started-at", "2026-11-21 21:20", "-m", "We know why.", "--lang", "nb", "Vi vet hvorfor.")
    assert result.returncode == 0, result.stderr
    assert without_ids((site / "incidents" / "2026-11-21-queue-login-agents-logged-out.md").read_text(encoding="utf-8")) == textwrap.dedent("""\
        ---
        title: "Queue login: agents logged out"
        title_nb: "Kø-pålogging: agenter logget ut"
        impact: critical
        components:
          interact: major_outage
          messaging: degraded_performance
        started_at: "2026-11-21 21:20"
        ---

        ## Identified · 2026-11-21 22:00:00 +01:00

        We know why.

        ::: nb
        Vi vet hvorfor.
        :::
        """)


def test_new_makes_ids_unique_with_a_number(site: Path) -> None:
    for _ in range(3):
        assert run(site, "new", "Same title", "--impact", "none", "-m", "x").returncode == 0
    assert sorted(p.name for p in (site / "incidents").iterdir()) == [
        "2026-11-21-same-title-2.md", "2026-11-21-same-title-3.md", "2026-11-21-same-title.md"]


def test_new_slug_is_ascii_with_hyphens(site: Path) -> None:
    result = run(site, "new", "Pålogging til kø feiler — Ærlig talt!", "--file-lang", "nb", "--impact", "minor", "-m", "Tekst.")
    assert result.returncode == 0, result.stderr
    path = site / "incidents" / "2026-11-21-palogging-til-ko-feiler-aerlig-talt.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\nlang: nb\ntitle: Pålogging til kø feiler — Ærlig talt!\n")


def test_new_puts_the_file_in_a_year_folder_when_the_site_uses_them(site: Path) -> None:
    add(site, "2025/2025-12-04-old.md", SIMPLE)
    result = run(site, "new", "In a year folder", "--impact", "minor", "-m", "x")
    assert result.stdout.splitlines()[0] == "incidents/2026/2026-11-21-in-a-year-folder.md"


def test_new_a_group_id_stands_for_its_components(site: Path) -> None:
    assert run(site, "new", "Engage down", "--impact", "major", "--component", "engage", "-m", "x").returncode == 0
    assert "components: [messaging, voice]\n" in (site / "incidents" / "2026-11-21-engage-down.md").read_text(encoding="utf-8")


def test_new_opens_the_editor_without_a_message(site: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(textwrap.dedent("""\
        import sys
        path = sys.argv[1]
        template = open(path, encoding="utf-8").read()
        assert "::: nb" in template and "# " in template
        open(path, "w", encoding="utf-8").write(
            "Written in the editor.\\n\\n::: nb\\nSkrevet i editoren.\\n:::\\n# a comment that is dropped\\n")
        """), encoding="utf-8")
    result = run(site, "new", "From the editor", "--impact", "minor", env={"EDITOR": f"{sys.executable} {editor}"})
    assert result.returncode == 0, result.stderr
    text = (site / "incidents" / "2026-11-21-from-the-editor.md").read_text(encoding="utf-8")
    assert text.endswith("Written in the editor.\n\n::: nb\nSkrevet i editoren.\n:::\n")
    assert "comment" not in text


def test_new_with_an_empty_editor_text_writes_nothing(site: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('# nothing\\n')\n", encoding="utf-8")
    result = run(site, "new", "Cancelled", "--impact", "minor", env={"EDITOR": f"{sys.executable} {editor}"})
    assert result.returncode == 2
    assert "empty" in result.stderr
    assert list((site / "incidents").iterdir()) == []


def test_a_mistake_in_the_editor_text_keeps_the_text(site: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('Text.\\n\\n::: de\\nText.\\n:::\\n')\n", encoding="utf-8")
    result = run(site, "new", "Typo", "--impact", "minor", env={"EDITOR": f"{sys.executable} {editor}"})
    assert result.returncode == 2
    assert "in the editor text: unknown language 'de'" in result.stderr
    kept = Path(re.search(r"your text is kept in (\S+)", result.stderr).group(1))
    assert "::: de" in kept.read_text(encoding="utf-8")
    kept.unlink()


def test_new_reads_the_message_from_stdin_with_a_dash(site: Path) -> None:
    result = run(site, "new", "Piped", "--impact", "minor", "-m", "-", stdin="Line one.\nLine two.\n")
    assert result.returncode == 0
    assert (site / "incidents" / "2026-11-21-piped.md").read_text(encoding="utf-8").endswith("Line one.\nLine two.\n")


@pytest.mark.parametrize(("args", "message"), [
    (["new", "--impact", "major", "-m", "x"], "missing the title"),
    (["new", "Title", "-m", "x"], "missing --impact"),
    (["new", "Title", "--impact", "major"], "missing the update's text"),
    (["new", "Title", "--impact", "majr", "-m", "x"], "unknown impact 'majr' (did you mean 'major'?)"),
    (["new", "Title", "--impact", "major", "--component", "interct", "-m", "x"], "unknown component 'interct' (did you mean 'interact'?)"),
    (["new", "Title", "--impact", "major", "--component", "voice=down", "-m", "x"], "unknown component status 'down'"),
    (["new", "Title", "--impact", "major", "--status", "update", "-m", "x"], "unknown status 'update'"),
    (["new", "Title", "--impact", "major", "--lang", "de", "Text", "-m", "x"], "unknown language 'de'"),
    (["new", "Title", "--impact", "major", "--at", "2026-11-21 10:00 CEST", "-m", "x"], "abbreviation 'CEST'"),
    (["maintenance", "Upgrade", "--until", "2026-12-01 02:00", "--component", "voice"], "missing --from"),
    (["maintenance", "Upgrade", "--from", "2026-12-01 02:00", "--until", "2026-12-01 01:00"], "is not after --from"),
    (["maintenance", "Upgrade", "--from", "2026-03-29 02:30", "--until", "2026-03-29 04:00"], "does not exist in Europe/Oslo"),
])
def test_missing_or_bad_values_without_a_terminal_exit_2_with_a_clear_message(site: Path, args: list[str], message: str) -> None:
    result = run(site, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert result.stderr.startswith("mkdocs-status: error: ")
    assert list((site / "incidents").iterdir()) == []


def test_new_asks_for_missing_values_on_a_terminal(site: Path) -> None:
    """With a terminal on stdin, whatever the command line leaves out is asked for, translations included."""
    import pty

    controller, terminal = pty.openpty()
    command = [CLI, "new", "Agents cannot log in"] if CLI else [sys.executable, "-m", "mkdocs_status.cli", "new", "Agents cannot log in"]
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env["SOURCE_DATE_EPOCH"] = str(NOW)
    answers = "Agenter får ikke logget inn\nmajor\ninteract=major_outage\nWe are looking into it.\n\nVi undersøker.\n\n"
    with subprocess.Popen(command, cwd=site, env=env, stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        os.write(controller, answers.encode())
        out, err = process.communicate(timeout=60)
    os.close(controller)
    os.close(terminal)
    assert process.returncode == 0, err
    for prompt in ("Title in nb", "Impact (none, minor, major, critical)", "Affected components", "Text in en", "Text in nb"):
        assert prompt in err
    assert without_ids((site / "incidents" / "2026-11-21-agents-cannot-log-in.md").read_text(encoding="utf-8")) == textwrap.dedent("""\
        ---
        title: Agents cannot log in
        title_nb: Agenter får ikke logget inn
        impact: major
        components:
          interact: major_outage
        ---

        ## Investigating · 2026-11-21 22:00:00 +01:00

        We are looking into it.

        ::: nb
        Vi undersøker.
        :::
        """)


# -- update, resolve, postmortem ---------------------------------------------------------------------------------


def inserted(old: bytes, new: bytes, at: int) -> bytes:
    """The block new has at offset ``at``; fails when any byte outside it differs from old."""
    size = len(new) - len(old)
    assert size > 0
    assert new[:at] == old[:at], "bytes before the inserted update changed"
    assert new[at + size:] == old[at:], "bytes after the inserted update changed"
    return new[at:at + size]


def test_update_appends_to_an_oldest_first_file_and_changes_no_other_byte(site: Path) -> None:
    path = add(site, "2026-11-20-queue-login.md", SIMPLE)
    old = path.read_bytes()
    result = run(site, "update", "2026-11-20-queue-login", "--status", "monitoring", "-m", "Still watching.", "--lang", "nb", "Følger med.")
    assert result.returncode == 0, result.stderr
    block = without_ids(inserted(old, path.read_bytes(), len(old)))
    assert block == "\n## Monitoring · 2026-11-21 22:00:00 +01:00\n\nStill watching.\n\n::: nb\nFølger med.\n:::\n".encode()
    assert result.stdout.splitlines()[0] == "incidents/2026-11-20-queue-login.md:24"


def test_update_goes_on_top_of_a_newest_first_file(site: Path) -> None:
    path = add(site, "2026-11-21-webhooks.md", NEWEST_FIRST)
    old = path.read_bytes()
    result = run(site, "resolve", "2026-11-21-web", "-m", "Done.", "--lang", "nb", "Ferdig.")
    assert result.returncode == 0, result.stderr
    block = without_ids(inserted(old, path.read_bytes(), old.index(b"## Monitoring")))
    # The file's own separator style ("-") is kept.
    assert block == b"## Resolved - 2026-11-21 22:00:00 +01:00\n\nDone.\n\n::: nb\nFerdig.\n:::\n\n"
    assert result.stdout.splitlines()[0] == "incidents/2026-11-21-webhooks.md:8"
    assert run(site, "check", "--strict").returncode == 0


def test_update_keeps_crlf_line_endings(site: Path) -> None:
    path = add(site, "2026-11-20-crlf.md", SIMPLE, newline="\r\n")
    old = path.read_bytes()
    assert run(site, "update", "2026-11-20-crlf", "-m", "Two\nlines.", "--lang", "nb", "Tekst.").returncode == 0
    block = without_ids(inserted(old, path.read_bytes(), len(old)))
    assert block.startswith(b"\r\n## Update \xc2\xb7 2026-11-21 22:00:00 +01:00\r\n\r\nTwo\r\nlines.\r\n")
    assert b"\n" not in block.replace(b"\r\n", b"")


def test_update_keeps_crlf_in_a_newest_first_file(site: Path) -> None:
    path = add(site, "2026-11-21-crlf-newest.md", NEWEST_FIRST, newline="\r\n")
    old = path.read_bytes()
    assert run(site, "update", "2026-11-21-crlf-newest", "-m", "More.", "--lang", "nb", "Mer.").returncode == 0
    block = inserted(old, path.read_bytes(), old.index(b"## Monitoring"))
    assert block.endswith(b":::\r\n\r\n") and b"\n" not in block.replace(b"\r\n", b"")


def test_update_to_a_file_without_a_final_newline_only_adds_after_it(site: Path) -> None:
    path = add(site, "2026-11-20-no-eol.md", SIMPLE.rstrip("\n"))
    old = path.read_bytes()
    assert not old.endswith(b"\n")
    assert run(site, "update", "2026-11-20-no-eol", "-m", "x", "--lang", "nb", "y").returncode == 0
    assert inserted(old, path.read_bytes(), len(old)).startswith(b"\n\n## Update")


def test_update_ignores_headings_inside_code_fences(site: Path) -> None:
    text = NEWEST_FIRST.replace("The backlog is shrinking.", "```\n## Investigating - 2027-01-01 00:00 UTC\n```")
    path = add(site, "2026-11-21-fenced.md", text)
    old = path.read_bytes()
    assert run(site, "update", "2026-11-21-fenced", "-m", "x", "--lang", "nb", "y").returncode == 0
    assert inserted(old, path.read_bytes(), old.index(b"## Monitoring")).startswith(b"## Update - ")


def test_two_updates_in_the_same_second_never_tie(site: Path) -> None:
    path = add(site, "2026-11-20-queue-login.md", SIMPLE)
    assert run(site, "update", "2026-11-20-queue", "-m", "a", "--lang", "nb", "a").returncode == 0
    assert run(site, "update", "2026-11-20-queue", "-m", "b", "--lang", "nb", "b").returncode == 0
    text = path.read_text(encoding="utf-8")
    assert "## Update · 2026-11-21 22:00:00 +01:00" in text and "## Update · 2026-11-21 22:00:01 +01:00" in text


def test_update_in_a_file_with_its_own_language_and_zone(site: Path) -> None:
    path = add(site, "2026-11-20-norsk.md", """
        ---
        lang: nb
        timezone: America/Sao_Paulo
        title: Forsinket eksport
        title_en: Delayed export
        impact: minor
        ---

        ## Investigating · 2026-11-20 10:00

        Vi undersøker.

        ::: en
        We are investigating.
        :::
        """)
    result = run(site, "update", "2026-11-20-norsk", "--status", "identified", "-m", "Funnet.", "--lang", "en", "Found.")
    assert result.returncode == 0, result.stderr
    assert without_ids(path.read_text(encoding="utf-8")).endswith("## Identified · 2026-11-21 18:00:00 -03:00\n\nFunnet.\n\n::: en\nFound.\n:::\n")


def test_resolve_completes_a_maintenance(site: Path) -> None:
    path = add(site, "2026-11-21-upgrade.md", """
        ---
        type: maintenance
        title: Upgrade
        title_nb: Oppgradering
        components: [voice]
        scheduled_for: "2026-11-21 21:30"
        scheduled_until: "2026-11-21 23:30"
        ---

        ## Scheduled · 2026-11-16 11:00

        Planned.

        ::: nb
        Planlagt.
        :::
        """)
    assert run(site, "resolve", "2026-11-21-upgrade", "-m", "Done.", "--lang", "nb", "Ferdig.").returncode == 0
    assert "## Completed · 2026-11-21 22:00:00 +01:00" in path.read_text(encoding="utf-8")


def test_update_rejects_a_status_of_the_other_kind(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "update", "2026-11-20-queue-login", "--status", "in progress", "-m", "x")
    assert result.returncode == 2
    assert "'in progress' is not a status of an incident" in result.stderr


def test_unknown_id_gets_did_you_mean_and_exit_2(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "update", "2026-11-20-queue-logn", "-m", "x")
    assert result.returncode == 2
    assert "no incident '2026-11-20-queue-logn' (did you mean '2026-11-20-queue-login'?)" in result.stderr


def test_ambiguous_prefix_lists_the_candidates_and_exits_2(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    add(site, "2026-11-20-queue-stats.md", SIMPLE)
    result = run(site, "resolve", "2026-11-20-queue", "-m", "x")
    assert result.returncode == 2
    assert "matches 2 incidents: 2026-11-20-queue-login, 2026-11-20-queue-stats" in result.stderr


def test_id_can_be_the_files_path(site: Path) -> None:
    add(site, "2026/2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "update", "incidents/2026/2026-11-20-queue-login.md", "-m", "x", "--lang", "nb", "y")
    assert result.returncode == 0
    assert result.stdout.startswith("incidents/2026/2026-11-20-queue-login.md:")


def test_postmortem_needs_a_resolved_incident(site: Path) -> None:
    add(site, "2026-11-21-webhooks.md", NEWEST_FIRST)
    result = run(site, "postmortem", "2026-11-21-webhooks")
    assert result.returncode == 2
    assert "is not resolved" in result.stderr and "mkdocs-status resolve 2026-11-21-webhooks" in result.stderr


def test_postmortem_is_written_once(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    assert run(site, "postmortem", "2026-11-20-queue").returncode == 0
    again = run(site, "postmortem", "2026-11-20-queue")
    assert again.returncode == 2 and "already has a postmortem" in again.stderr


def test_update_reports_problems_of_the_file_after_writing(site: Path) -> None:
    add(site, "2026-11-20-broken.md", SIMPLE.replace("## Resolved", "## Reslved"))
    result = run(site, "update", "2026-11-20-broken", "-m", "x", "--lang", "nb", "y")
    assert result.returncode == 1
    assert "incidents/2026-11-20-broken.md:16: error: unknown status 'Reslved' (did you mean 'resolved'?)" in result.stderr


def test_update_warns_about_a_missing_required_language(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "update", "2026-11-20-queue-login", "-m", "English only.")
    assert result.returncode == 0
    assert "incidents/2026-11-20-queue-login.md:24: warning: update has no text in required language nb" in result.stderr


# -- maintenance ----------------------------------------------------------------------------------------------------


def test_maintenance_writes_its_window_and_a_scheduled_update(site: Path) -> None:
    result = run(site, "maintenance", "Voice platform upgrade", "--title-nb", "Oppgradering av taleplattformen",
                 "--from", "2026-12-03 22:00", "--until", "2026-12-04 01:00", "--component", "voice")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["incidents/2026-12-03-voice-platform-upgrade.md",
                                          "https://status.example.com/sub/incidents/2026-12-03-voice-platform-upgrade/"]
    assert without_ids((site / "incidents" / "2026-12-03-voice-platform-upgrade.md").read_text(encoding="utf-8")) == textwrap.dedent("""\
        ---
        type: maintenance
        title: Voice platform upgrade
        title_nb: Oppgradering av taleplattformen
        components: [voice]
        scheduled_for: "2026-12-03 22:00"
        scheduled_until: "2026-12-04 01:00"
        ---

        ## Scheduled · 2026-11-21 22:00:00 +01:00

        We will carry out planned maintenance from 2026-12-03 22:00 to 2026-12-04 01:00 (Europe/Oslo).

        ::: nb
        Vi gjennomfører planlagt vedlikehold fra 2026-12-03 22:00 til 2026-12-04 01:00 (Europe/Oslo).
        :::
        """)
    assert run(site, "check", "--strict").returncode == 0


# -- check ----------------------------------------------------------------------------------------------------------------


def test_check_exits_0_on_clean_files(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "check")
    assert (result.returncode, result.stdout) == (0, "")
    assert "mkdocs-status check: 1 file, 0 errors, 0 warnings" in result.stderr


def test_check_exits_1_on_errors(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE.replace("impact: major", "impact: majr"))
    result = run(site, "check")
    assert result.returncode == 1
    assert result.stdout == ("incidents/2026-11-20-queue-login.md:4: error: unknown impact 'majr' (did you mean 'major'?); "
                             "use one of: none, minor, major, critical\n")
    assert "1 error, 0 warnings" in result.stderr


def test_check_exits_1_on_warnings_only_with_strict(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE.replace("::: nb\nLøst.\n:::\n", ""))
    plain, strict = run(site, "check"), run(site, "check", "--strict")
    assert plain.returncode == 0 and strict.returncode == 1
    assert plain.stdout == strict.stdout == (
        "incidents/2026-11-20-queue-login.md:16: warning: update has no text in required language nb; en text is shown instead; "
        "add a '::: nb' block\n")


@pytest.mark.parametrize(("config_text", "message"), [
    ("site_name: x\nplugins: [search, {status: {components: [interact}]\n", "not valid YAML"),
    ("site_name: x\nplugins: [search]\n", "does not use the status plugin"),
    ("site_name: x\nplugins:\n  - status:\n      languages: [en, xx]\n", "unknown language 'xx'"),
    ("site_name: x\nplugins:\n  - status:\n      timezone: Europe/Olso\n", "unknown time zone 'Europe/Olso' (did you mean 'Europe/Oslo'?)"),
    ("site_name: x\nplugins:\n  - status:\n      feed_limit: many\n", "mkdocs.yml:4: plugins.status.feed_limit: expected a whole number"),
    ("- just\n- a list\n", "not a mapping"),
])
def test_check_exits_2_on_an_unusable_mkdocs_yml(site: Path, config_text: str, message: str) -> None:
    (site / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    result = run(site, "check")
    assert result.returncode == 2
    assert message in result.stderr


def test_check_exits_2_without_mkdocs_yml(tmp_path: Path) -> None:
    result = run(tmp_path, "check")
    assert result.returncode == 2
    assert "no mkdocs.yml here" in result.stderr and "-f" in result.stderr


def test_config_file_option_finds_the_site_from_elsewhere(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE.replace("impact: major", "impact: majr"))
    result = run(site.parent, "check", "-f", str(site / "mkdocs.yml"))
    assert result.returncode == 1 and "unknown impact 'majr'" in result.stdout


def test_check_reads_mkdocs_yaml_tags(site: Path) -> None:
    text = (site / "mkdocs.yml").read_text(encoding="utf-8").replace("site_url: https://status.example.com/sub/", "site_url: !ENV [STATUS_URL]")
    (site / "mkdocs.yml").write_text(text + "extra:\n  here: !relative\n  emoji: !!python/name:material.extensions.emoji.twemoji\n",
                                     encoding="utf-8")
    assert run(site, "check", env={"STATUS_URL": "https://status.example.com/"}).returncode == 0
    missing = run(site, "check")
    assert missing.returncode == 1 and "site_url is not set" in missing.stdout


def test_check_of_given_paths_reports_only_those_files(site: Path) -> None:
    good = add(site, "2026-11-20-good.md", SIMPLE)
    add(site, "2026-11-20-bad.md", SIMPLE.replace("impact: major", "impact: majr"))
    result = run(site, "check", str(good.relative_to(site)))
    assert result.returncode == 0, result.stdout
    assert run(site, "check").returncode == 1


def test_check_of_a_folder_checks_the_files_in_it(site: Path) -> None:
    add(site, "2026/2026-11-20-bad.md", SIMPLE.replace("impact: major", "impact: majr"))
    add(site, "2025/2025-11-20-good.md", SIMPLE)
    assert run(site, "check", "incidents/2025").returncode == 0
    assert run(site, "check", "incidents/2026").returncode == 1


def test_check_of_a_path_still_finds_a_duplicate_id_elsewhere(site: Path) -> None:
    add(site, "2025/2026-11-20-queue-login.md", SIMPLE)
    dup = add(site, "2026/2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "check", str(dup.relative_to(site)))
    assert result.returncode == 1
    assert result.stdout.startswith("incidents/2026/2026-11-20-queue-login.md:1: error: duplicate incident id '2026-11-20-queue-login' "
                                    "(also incidents/2025/2026-11-20-queue-login.md)")


def test_check_reports_a_file_that_is_not_utf8(site: Path) -> None:
    (site / "incidents" / "2026-11-20-latin1.md").write_bytes(SIMPLE.encode("latin-1"))
    result = run(site, "check")
    assert result.returncode == 1
    assert "incidents/2026-11-20-latin1.md:1: error: file is not UTF-8 text" in result.stdout


def test_check_of_a_missing_path_exits_2(site: Path) -> None:
    result = run(site, "check", "incidents/nope.md")
    assert result.returncode == 2 and "no file incidents/nope.md" in result.stderr


# Every error and warning class of PRODUCT.md §5:
# (file name, text, the line's marker (or the marker and which occurrence), words of the message, level).
CLASSES: dict[str, tuple[str, str, str | tuple[str, int], str, str]] = {
    "unreadable YAML": ("2026-11-20-a.md", SIMPLE.replace("[interact]", "[interact"), "components:", "front matter is not valid YAML", "error"),
    "missing title": ("2026-11-20-a.md", SIMPLE.replace("title: Queue login fails\n", ""), "---", "missing title", "error"),
    "unknown impact": ("2026-11-20-a.md", SIMPLE.replace("major", "majr"), "impact:", "unknown impact 'majr' (did you mean 'major'?)", "error"),
    "unknown status": ("2026-11-20-a.md", SIMPLE.replace("## Resolved", "## Reslved"), "## Reslved", "unknown status 'Reslved'", "error"),
    "unknown component": ("2026-11-20-a.md", SIMPLE.replace("[interact]", "[interct]"), "components:",
                          "unknown component 'interct' (did you mean 'interact'?)", "error"),
    "unknown language": ("2026-11-20-a.md", SIMPLE.replace("impact: major", "impact: major\nlang: xx"), "lang:", "unknown language 'xx'", "error"),
    "unknown zone": ("2026-11-20-a.md", SIMPLE.replace("11:30", "11:30 CEST"), "CEST", "time zone abbreviation 'CEST' is ambiguous", "error"),
    "unparseable date": ("2026-11-20-a.md", SIMPLE.replace("2026-11-20 11:30", "20.11.2026 11:30"), "20.11.2026",
                         "has no date and time I can read", "error"),
    "non-existent date": ("2026-11-20-a.md", SIMPLE.replace("2026-11-20 11:30", "2026-02-30 11:30"), "02-30", "does not exist", "error"),
    "level-2 heading that is not an update": ("2026-11-20-a.md", SIMPLE.replace("Fixed.", "Fixed.\n\n## Timeline"), "## Timeline",
                                              "is a level-2 heading but not an update heading", "error"),
    "setext heading": ("2026-11-20-a.md", SIMPLE.replace("Fixed.", "Fixed.\n---"), ("---", 3), "underlined", "error"),
    "block in the file's own language": ("2026-11-20-a.md", SIMPLE.replace("Fixed.", "::: en\nFixed.\n:::"), "::: en",
                                         "::: en block is in the file's own language", "error"),
    "two blocks for one language": ("2026-11-20-a.md", SIMPLE.replace("Fixed.", "Fixed.\n\n::: nb\nLøst.\n:::"), ("::: nb", 3),
                                    "second ::: nb block in one update", "error"),
    "unknown block language": ("2026-11-20-a.md", SIMPLE.replace("Fixed.", "::: note\nFixed.\n:::"), "::: note",
                               "unknown language 'note' in ::: block", "error"),
    "stray :::": ("2026-11-20-a.md", SIMPLE.replace("Fixed.", "Fixed.\n:::"), (":::", 3), "stray ':::'", "error"),
    "unclosed :::": ("2026-11-20-a.md", SIMPLE.rstrip("\n").removesuffix(":::") + "\n", ("::: nb", 2), "::: block is never closed", "error"),
    "text before the first update": ("2026-11-20-a.md", SIMPLE.replace("\n## Investigating", "Preamble.\n\n## Investigating"), "Preamble",
                                     "text before the first update heading", "error"),
    "first update is update": ("2026-11-20-a.md", SIMPLE.replace("## Investigating", "## Update"), "## Update",
                               "the first update must say what is happening", "error"),
    "bad id": ("2026-11-20_Bad.md", SIMPLE, "---", "is not a valid incident id", "error"),
    "maintenance without window": ("2026-11-20-a.md", SIMPLE.replace("impact: major\n", "type: maintenance\n")
                                   .replace("## Investigating", "## Scheduled").replace("## Resolved", "## Completed"),
                                   "title: Queue", "maintenance without 'scheduled_for'", "error"),
    "future update": ("2026-11-20-a.md", SIMPLE.replace("2026-11-20 11:30", "2026-12-24 11:30"), "2026-12-24", "after the build time", "warning"),
    "reopened": ("2026-11-20-a.md", SIMPLE + "\n## Investigating · 2026-11-20 12:00\n\nAgain.\n\n::: nb\nIgjen.\n:::\n", "12:00",
                 "reopens the incident", "warning"),
    "unresolved for more than 7 days": ("2026-11-01-a.md", SIMPLE.replace("2026-11-20", "2026-11-01").split("\n## Resolved")[0] + "\n",
                                        "## Investigating", "unresolved 20 days after its first update", "warning"),
    "ambiguous local time": ("2026-10-25-a.md", SIMPLE.replace("2026-11-20 11:30", "2026-10-25 02:30").replace("2026-11-20 10:00", "2026-10-25 01:00"),
                             "02:30", "occurs twice", "warning"),
    "missing required language": ("2026-11-20-a.md", SIMPLE.replace("::: nb\nLøst.\n:::\n", ""), "## Resolved",
                                  "no text in required language nb", "warning"),
}


@pytest.mark.parametrize("name", list(CLASSES))
def test_check_reports_each_problem_class_at_its_line(site: Path, name: str) -> None:
    filename, text, marker, words, level = CLASSES[name]
    add(site, filename, text)
    lines = textwrap.dedent(text).lstrip("\n").split("\n")
    words_at, occurrence = marker if isinstance(marker, tuple) else (marker, 1)
    line = [i for i, line in enumerate(lines, start=1) if words_at in line][occurrence - 1]
    result = run(site, "check", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    expected = f"incidents/{filename}:{line}: {level}: "
    found = [out for out in result.stdout.splitlines() if out.startswith(expected) and words in out]
    assert found, f"wanted '{expected}…{words}…' in:\n{result.stdout}"


def test_check_of_hundreds_of_files_reports_each_problem_once_in_file_order(site: Path) -> None:
    """Hundreds of files, a duplicate id across folders among them: each problem once, in file order."""
    for n in range(340):
        add(site, f"2026/2026-11-20-incident-{n}.md", SIMPLE)
    add(site, "2026/2026-11-20-incident-7.md", SIMPLE.replace("impact: major", "impact: majr"))
    add(site, "2025/2026-11-20-incident-300.md", SIMPLE)
    result = run(site, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "incidents/2026/2026-11-20-incident-300.md:1: error: duplicate incident id '2026-11-20-incident-300' "
        "(also incidents/2025/2026-11-20-incident-300.md); ids are file names and must be unique across subfolders; rename one",
        "incidents/2026/2026-11-20-incident-7.md:4: error: unknown impact 'majr' (did you mean 'major'?); use one of: none, minor, major, critical",
    ]
    assert "341 files, 2 errors, 0 warnings" in result.stderr


def test_check_reports_a_duplicate_id_across_subfolders(site: Path) -> None:
    add(site, "2025/2026-11-20-queue-login.md", SIMPLE)
    add(site, "2026/2026-11-20-queue-login.md", SIMPLE)
    result = run(site, "check")
    assert result.returncode == 1
    assert ("incidents/2026/2026-11-20-queue-login.md:1: error: duplicate incident id '2026-11-20-queue-login' "
            "(also incidents/2025/2026-11-20-queue-login.md)") in result.stdout


def test_check_reports_incidents_dir_inside_docs_dir(site: Path) -> None:
    config = json.loads(json.dumps(CONFIG))
    status_options(config)["incidents_dir"] = "docs/incidents"
    write_config(site, config)
    result = run(site, "check")
    assert result.returncode == 1
    assert "mkdocs.yml: error: incidents_dir 'docs/incidents' lies inside docs_dir" in result.stdout


def test_check_reports_a_hand_written_page_a_generated_one_would_replace(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE)
    (site / "docs" / "history.md").write_text("# My history\n", encoding="utf-8")
    (site / "docs" / "incidents").mkdir()
    (site / "docs" / "incidents" / "2026-11-20-queue-login.md").write_text("# Mine\n", encoding="utf-8")
    result = run(site, "check")
    assert result.returncode == 1
    assert "docs/history.md: error: this hand-written file would be replaced by a page the status plugin generates" in result.stdout
    assert "docs/incidents/2026-11-20-queue-login.md: error: this hand-written file would be replaced" in result.stdout


def test_check_reports_a_missing_site_url(site: Path) -> None:
    config = json.loads(json.dumps(CONFIG))
    del config["site_url"]
    write_config(site, config)
    result = run(site, "check")
    assert result.returncode == 1
    assert result.stdout.startswith("mkdocs.yml: error: site_url is not set")


def test_check_ignores_readme_and_underscore_files(site: Path) -> None:
    (site / "incidents" / "README.md").write_text("# Notes\n\nNot an incident.\n", encoding="utf-8")
    (site / "incidents" / "_draft.md").write_text("Half written\n", encoding="utf-8")
    assert run(site, "check").returncode == 0
    assert run(site, "check", "incidents/README.md", "incidents/_draft.md").returncode == 0


# -- the command line itself ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["new"], ["update"], ["resolve"], ["postmortem"], ["maintenance"], ["check"], ["import", "statuspage"]])
def test_help_of_every_command_shows_an_example(site: Path, command: list[str]) -> None:
    result = run(site, *command, "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout
    assert f"mkdocs-status {command[0]}" in result.stdout


def test_notify_is_a_subcommand(site: Path) -> None:
    result = run(site, "--help")
    assert result.returncode == 0 and "notify" in result.stdout


def test_version() -> None:
    result = script(Path.cwd(), "--version")
    assert result.returncode == 0 and result.stdout.startswith("mkdocs-status ")


def test_unknown_command_exits_2(site: Path) -> None:
    result = script(site, "publish", module=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_the_console_script_without_a_terminal_asks_nothing_and_exits_2(site: Path) -> None:
    """stdin a pipe that holds answers: none is read, the missing value is an error, and nothing is written."""
    result = script(site, "new", "--impact", "major", "-m", "x", stdin="A title from stdin\n")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "mkdocs-status: error: missing the title; give it on the command line, e.g. the title …\n"
    assert list((site / "incidents").iterdir()) == []


def test_python_m_runs_the_command_and_passes_its_exit_code(site: Path) -> None:
    add(site, "2026-11-20-queue-login.md", SIMPLE.replace("impact: major", "impact: majr"))
    result = script(site, "check", module=True)
    assert result.returncode == 1
    assert result.stdout.startswith("incidents/2026-11-20-queue-login.md:4: error: unknown impact 'majr'")
    assert script(site, "check", "--strict").returncode == 1 and script(site.parent, "check").returncode == 2


def test_bad_source_date_epoch_is_a_clear_error(site: Path) -> None:
    result = run(site, "new", "x", "--impact", "none", "-m", "x", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.returncode == 2 and "SOURCE_DATE_EPOCH='yesterday' is not a number" in result.stderr


def test_a_folder_as_config_file_is_a_clear_error(site: Path) -> None:
    result = run(site, "check", "-f", "docs")
    assert result.returncode == 2 and "docs is a folder" in result.stderr


def test_an_unwritable_incidents_folder_is_a_clear_error(site: Path) -> None:
    if os.geteuid() == 0:
        (site / "incidents").rmdir()
        (site / "incidents").write_text("a file where the folder should be", encoding="utf-8")
    else:
        (site / "incidents").chmod(0o500)
    result = run(site, "new", "x", "--impact", "none", "-m", "x")
    assert result.returncode == 2
    assert result.stderr.startswith("mkdocs-status: error: cannot create the folder incidents")
