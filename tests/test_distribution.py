"""The distribution a user installs: sdist and wheel build, their metadata passes `twine check`,
and the wheel alone (no source tree on the path) builds the example site --strict."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_alone_builds_the_example_site():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH")}
    done = subprocess.run(["bash", str(ROOT / "scripts" / "check-dist")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "twine" not in output.lower() or "PASSED" in output
    assert "check-dist: OK:" in output
