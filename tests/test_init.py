"""``mkdocs-status init``: the real console script writes a site that builds strictly at once."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import yaml

import mkdocs_status
from test_cli import build, run

NOW = 1795294800  # 2026-11-21 21:00 UTC
FLAGS = ["--site-name", "Acme Status", "--site-url", "https://status.acme.example/sub", "--languages", "en,nb",
         "--timezone", "Europe/Oslo", "--component", "api=Public API", "--component", "web=Web shop"]


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_without_a_terminal_takes_the_defaults_and_the_site_builds_strictly(tmp_path: Path):
    done = run(tmp_path, "init", "new-site")  # stdin is a pipe: no questions, no waiting
    assert done.returncode == 0, done.stderr
    root = tmp_path / "new-site"
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Status"
    assert config["theme"]["font"] is False
    status = next(p["status"] for p in config["plugins"] if isinstance(p, dict))
    assert status["languages"] == ["en"] and status["timezone"] == "UTC"
    assert status["components"] == [{"id": "website", "name": "Website"}]
    result = build(root, NOW)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert (root / "site" / "index.html").is_file() and (root / "site" / "api" / "v2" / "summary.json").is_file()


def test_init_with_flags_writes_every_part_of_a_site_in_both_languages(tmp_path: Path):
    done = run(tmp_path, "init", "acme", *FLAGS)
    assert done.returncode == 0, done.stderr
    root = tmp_path / "acme"
    written = set(files_under(root))
    for name in ("mkdocs.yml", "README.md", ".gitignore", ".pre-commit-config.yaml", ".gitlab-ci.yml",
                 ".github/workflows/status.yml", "incidents/README.md", "theme_overrides/main.html"):
        assert name in written, name
    firsts = [n for n in written if n.startswith("incidents/2") and n.endswith(".md")]
    assert len(firsts) == 1, written
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_url"] == "https://status.acme.example/sub/"
    status = next(p["status"] for p in config["plugins"] if isinstance(p, dict))
    assert status["languages"] == ["en", "nb"] and status["display_timezones"] == ["Europe/Oslo", "UTC"]
    assert [c["id"] for c in status["components"]] == ["api", "web"]
    assert status["components"][0]["name"] == "Public API"
    result = build(root, NOW)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert 'lang="nb"' in (root / "site" / "nb" / "index.html").read_text(encoding="utf-8")
    first = (root / firsts[0]).read_text(encoding="utf-8")
    assert "::: nb" in first and "title_nb:" in first


def test_init_ci_files_build_on_push_and_every_ten_minutes_install_the_pinned_plugin_and_never_overlap(tmp_path: Path):
    assert run(tmp_path, "init", "acme", *FLAGS).returncode == 0
    root = tmp_path / "acme"
    pin = f'pip install "mkdocs-status @ git+https://github.com/mkdocs-status/mkdocs-status@v{mkdocs_status.__version__}"'
    github = yaml.safe_load((root / ".github/workflows/status.yml").read_text(encoding="utf-8"))
    triggers = github[True]  # YAML 1.1 reads the key `on` as true
    assert "push" in triggers and triggers["schedule"] == [{"cron": "*/10 * * * *"}]
    assert github["concurrency"]["cancel-in-progress"] is False
    assert github["env"]["SITE_URL"] == "https://status.acme.example/sub/"
    steps = [s.get("run", "") for s in github["jobs"]["build"]["steps"]]
    assert pin in steps and any(s.startswith("mkdocs-status notify") for s in steps)
    assert any("deploy-pages" in s.get("uses", "") for s in github["jobs"]["deploy"]["steps"])
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["pages"]["resource_group"]
    assert pin in gitlab["pages"]["before_script"]
    assert gitlab["pages"]["artifacts"]["paths"][0] == "public"
    assert any("notify" in line for line in gitlab["pages"]["script"])
    assert gitlab["variables"]["SITE_URL"] == "https://status.acme.example/sub/"
    assert "PyPI" in (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "Pipeline schedules" in readme and "*/10 * * * *" in readme
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["repo"] == "local"
    assert hooks["repos"][0]["hooks"][0]["entry"] == "mkdocs-status check"


def test_init_on_an_existing_site_exits_1_and_writes_nothing(tmp_path: Path):
    assert run(tmp_path, "init", "acme").returncode == 0
    root = tmp_path / "acme"
    (root / "incidents" / "README.md").unlink()  # a file init would write again
    before = files_under(root)
    done = run(tmp_path, "init", "acme", *FLAGS)
    assert done.returncode == 1
    assert "mkdocs.yml" in done.stderr and "nothing was written" in done.stderr
    assert files_under(root) == before


def test_init_rejects_an_unknown_language_or_zone_with_exit_2_and_writes_nothing(tmp_path: Path):
    for flags, words in ((["--languages", "en,xx-nope"], "unknown language 'xx-nope'"),
                         (["--timezone", "CEST"], "time zone"),
                         (["--component", "Bad Id=Name"], "component id 'Bad Id'")):
        done = run(tmp_path, "init", "acme", *flags)
        assert done.returncode == 2, done.stderr
        assert words in done.stderr
        assert not (tmp_path / "acme").exists()


def test_init_on_a_terminal_asks_for_each_answer_the_flags_do_not_give(tmp_path: Path):
    master, slave = pty.openpty()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(NOW), "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs_status.cli", "init", "asked", "--site-name", "Given Name"],
                            cwd=tmp_path, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    answers = iter(["https://status.asked.example/\n", "nb, en\n", "Europe/Oslo\n", "chat=Chat, voice=Tale\n"])
    seen = b""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        seen += chunk
        if chunk.rstrip().endswith(b":"):
            os.write(master, next(answers).encode())
    proc.wait(timeout=30)
    os.close(master)
    assert proc.returncode == 0, seen.decode(errors="replace")
    assert b"Site name" not in seen  # given as a flag: not asked
    assert b"Site URL" in seen and b"Components" in seen
    config = yaml.safe_load((tmp_path / "asked" / "mkdocs.yml").read_text(encoding="utf-8"))
    status = next(p["status"] for p in config["plugins"] if isinstance(p, dict))
    assert config["site_name"] == "Given Name" and config["site_url"] == "https://status.asked.example/"
    assert status["languages"] == ["nb", "en"] and [c["id"] for c in status["components"]] == ["chat", "voice"]
    result = build(tmp_path / "asked", NOW)
    assert result.returncode == 0, result.stderr
