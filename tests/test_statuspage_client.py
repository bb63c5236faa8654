"""Acceptance: a real Statuspage API client reads a built site served over HTTP.

``statuscheck`` (PyPI) polls ``<base>/api/v2/summary.json`` and builds attrs
models that reject any unknown indicator or component status and any missing
key, so it is a strict conformance check of our Statuspage compatibility.

It pins click 7 and httpx 0.16, which conflict with MkDocs, so it lives in its
own virtualenv: created once with ``python -m venv`` + ``pip install`` under
``$STATUS_TEST_VENVS`` (default ``~/.cache/mkdocs-status-tests``) and reused.
The site is served by the standard library's ``http.server`` on 127.0.0.1 with
an ephemeral port, like any static host would serve it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

STATUSCHECK = "statuscheck==3.11.0"

# Runs inside the statuscheck virtualenv: point its Statuspage base client at our site.
CLIENT = r"""
import json, sys
from statuscheck.services.bases._statuspageio import BaseStatusPageAPI

class LocalStatusPage(BaseStatusPageAPI):
    name = "Local"
    status_url = sys.argv[1]

    def _get_base_url(self):
        # statuscheck appends "summary.json" to this, as it does for *.statuspage.io pages.
        return sys.argv[1] + "api/v2/"

client = LocalStatusPage()
summary = client.get_summary()
print(json.dumps(summary.as_dict()))
client._print_summary(verbose=True)
"""


def venv_root() -> Path:
    return Path(os.environ.get("STATUS_TEST_VENVS") or Path.home() / ".cache" / "mkdocs-status-tests")


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def statuscheck_python() -> Path:
    """A Python with statuscheck installed, made once and cached (safe under pytest-xdist)."""
    root = venv_root()
    root.mkdir(parents=True, exist_ok=True)
    tag = f"{STATUSCHECK.replace('==', '-')}-py{sys.version_info[0]}{sys.version_info[1]}"
    venv = root / tag
    with open(root / f"{tag}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        python = venv_python(venv)
        if (venv / ".complete").exists():
            ok = subprocess.run([str(python), "-c", "import statuscheck"], capture_output=True, timeout=60)
            if ok.returncode == 0:
                return python
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        pip = subprocess.run(
            [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", STATUSCHECK],
            capture_output=True, text=True, timeout=600,
        )
        assert pip.returncode == 0, f"pip install {STATUSCHECK} failed:\n{pip.stdout}\n{pip.stderr}"
        (venv / ".complete").write_text(STATUSCHECK + "\n")
        return python


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 at an ephemeral port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(api_site: Path) -> Path:
    return api_site


def run_statuscheck(base_url: str) -> tuple[dict[str, Any], str]:
    python = statuscheck_python()
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    result = subprocess.run([str(python), "-c", CLIENT, base_url], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, f"statuscheck failed on our summary.json:\n{result.stderr}"
    first, _, printed = result.stdout.partition("\n")
    return json.loads(first), printed


def test_statuscheck_reads_the_indicator_components_and_open_incidents_of_a_served_site(site: Path) -> None:
    with serve(site) as base_url:
        summary, printed = run_statuscheck(base_url)

    # The indicator: one major incident is open, so not "ok", even with maintenance going on.
    assert summary["status"] == {
        "code": "major", "name": "Major outage", "description": "Partial System Outage", "is_ok": False,
    }
    # Every component and group, with the status statuscheck maps from ours.
    assert {c["id"]: c["status"] for c in summary["components"]} == {
        "web": "Degraded performance",
        "backend": "Partial outage",
        "api": "Partial outage",
        "db": "Under maintenance",
        "login": "Operational",
    }
    assert [c["name"] for c in summary["components"]] == ["Web shop", "Backend", "Public API", "Database", "Login"]
    # Unresolved incidents, then the active and the upcoming maintenance.
    assert [(i["id"], i["status"]) for i in summary["incidents"]] == [
        ("2026-06-15-checkout-errors", "identified"),
        ("2026-06-15-database-maintenance", "in_progress"),
        ("2026-06-20-network-upgrade", "scheduled"),
    ]
    incident, maintenance, upcoming = summary["incidents"]
    assert incident["name"] == 'Errors & timeouts in "checkout" <b>'
    assert {c["id"]: c["status"] for c in incident["components"]} == {"api": "Partial outage", "web": "Degraded performance"}
    assert {c["id"]: c["status"] for c in maintenance["components"]} == {"db": "Under maintenance"}
    assert incident["extra_data"]["impact"] == "major"
    assert maintenance["extra_data"]["impact"] == upcoming["extra_data"]["impact"] == "maintenance"
    assert upcoming["extra_data"]["scheduled_for"] == "2026-06-20T22:00:00.000+02:00"
    assert len(incident["extra_data"]["incident_updates"]) == 3
    # Its command-line report, as a user of `statuscheck` would see it.
    assert printed.splitlines()[0] == "Current Local status: Major outage"
    assert "- [identified] Errors & timeouts in \"checkout\" <b>" in printed
    assert "- [in_progress] Database maintenance" in printed
    assert "    - Database [Under maintenance]" in printed
