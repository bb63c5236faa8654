"""What a user installs: one version, a license, pinned install lines, a lock file for CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

import mkdocs_status
from mkdocs_status.cli import main

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]
VERSION = mkdocs_status.__version__
# Files a site owner copies or reads to install the plugin (RELEASING.md speaks of any version).
INSTALL_DOCS = ["README.md", "CHANGELOG.md", *(str(p.relative_to(ROOT)) for p in (ROOT / "examples").rglob("*") if p.is_file()),
                *(str(p.relative_to(ROOT)) for p in (ROOT / ".github").rglob("*.yml"))]
INSTALL = re.compile(r"pip3? install[^\n]*?(mkdocs-status\S*|\"mkdocs-status[^\"]*\"|'mkdocs-status[^']*')")


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_version_comes_from_one_place(capsys):
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "mkdocs_status.__version__"}
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"mkdocs-status {VERSION}"


def test_the_release_and_the_distribution_check_read_the_version_the_package_reports():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "version")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{VERSION}\n"
    for name in ("scripts/check-dist", ".github/workflows/release.yml"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert 'version="$(python3 scripts/version)"' in text, name
        assert "mkdocs_status/__init__.py" not in text, f"{name} reads the version its own way"


def test_the_license_is_an_spdx_expression_with_its_file():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert not any(c.startswith("License ::") for c in PYPROJECT["project"].get("classifiers", [])), "PEP 639: no license classifiers"
    build_requires = PYPROJECT["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77 for r in build_requires), build_requires


@pytest.mark.parametrize("doc", INSTALL_DOCS)
def test_every_install_line_pins_this_release(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    pinned = {f'"mkdocs-status @ git+{REPOSITORY}@v{VERSION}"', f"mkdocs-status=={VERSION}", f'"mkdocs-status=={VERSION}"'}
    for match in INSTALL.finditer(text):
        assert match.group(1) in pinned, f"{doc}: '{match.group(0)}' should install {sorted(pinned)[0]}"


def test_the_changelog_has_a_section_for_this_version():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "release-notes"), VERSION], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "### Added" in done.stdout
    missing = subprocess.run([sys.executable, str(ROOT / "scripts" / "release-notes"), "99.0.0"], capture_output=True, text=True, check=False)
    assert missing.returncode == 1 and "no section" in missing.stderr


def test_the_release_workflow_publishes_through_trusted_publishing_only():
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert "pypa/gh-action-pypi-publish" in workflow and "id-token: write" in workflow
    assert not re.search(r"password:|PYPI_(API_)?TOKEN|secrets\.", workflow), "no token in the repository"
    assert "bash scripts/check-dist" in workflow, "the files are checked before they are published"
    assert 'tags: ["v*"]' in workflow


def test_the_lock_file_pins_every_declared_dependency_exactly():
    pins = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "constraints.txt").read_text(encoding="utf-8")))
    pinned = {name.lower().replace("_", "-").replace(".", "-") for name in pins}
    declared = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    missing = sorted({_name(r).replace(".", "-") for r in declared} - pinned)
    assert missing == [], f"constraints.txt lacks {missing}: run `bash scripts/lock`"
    assert "setuptools" in pinned, "the build backend is pinned too"
    assert not any(line.strip() and not line.startswith("#") and "==" not in line
                   for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines())


def test_the_test_command_installs_from_the_lock_file():
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert 'PIP_CONSTRAINT="$PWD/constraints.txt"' in script
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
