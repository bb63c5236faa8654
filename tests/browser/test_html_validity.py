"""Valid output: the Nu Html Checker (vnu.jar) on every generated page, badge and our CSS.

vnu-jar comes from npm (``scripts/install-test-tools``) and runs on Debian's Java.
Locally the test skips when either is missing; in CI (CI=true) it fails.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .conftest import require
from .sitekit import java_path, vnu_jar

# mkdocs-material's own markup that the checker rejects. Each entry is (start of the
# message, a piece of the markup it is about); only Material's markup may be listed.
ALLOWED = [
    # material/templates/base.html: the hidden drawer and search toggles are
    # <input class="md-toggle" type="checkbox" autocomplete="off">; "autocomplete" is
    # only for text-like inputs. Two per page, in every mkdocs-material 9.x site.
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
]


def allowed(message: dict[str, str]) -> bool:
    return any(message.get("message", "").startswith(text) and markup in message.get("extract", "") for text, markup in ALLOWED)


def run_vnu(files: list[Path]) -> list[dict[str, str]]:
    jar, java = vnu_jar(), java_path()
    require(java, "Java is not installed (Debian: default-jre-headless)")
    require(jar, "vnu.jar is not installed (npm install --ignore-scripts vnu-jar)")
    done = subprocess.run(
        [str(java), "-jar", str(jar), "--errors-only", "--format", "json", "--also-check-css", "--also-check-svg", *map(str, files)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(done.stderr or done.stdout)
    return report["messages"]


def test_generated_pages_badges_and_css_are_valid(example_site: Path):
    pages = sorted(example_site.rglob("*.html"))
    kinds = {p.relative_to(example_site).parts[0] for p in pages}
    # Overview, history, incident and component pages in both languages, plus Material's own.
    for must in ("index.html", "history", "incidents", "components", "nb"):
        assert must in kinds, must
    files = pages + sorted(example_site.rglob("*.svg")) + [example_site / "assets" / "mkdocs-status" / "status.css"]
    messages = run_vnu(files)
    problems = [
        f"{Path(m.get('url', '')).as_posix().split(example_site.as_posix())[-1]}:{m.get('lastLine', '?')}: "
        f"{m.get('message')} [{' '.join(m.get('extract', '').split())[:120]}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error") and not allowed(m)
    ]
    assert problems == [], "\n".join(problems)
    # The allow-list still matches something (else it is stale and should go).
    assert any(allowed(m) for m in messages), "ALLOWED no longer matches anything: remove the stale entry"
