"""``mkdocs-status`` run in the test's own process, as the console script would run it in a process of its own.

``main(args)`` with the working folder, environment and stdin the command
would have (stdin a pipe, not a terminal), its stdout and stderr captured, and
argparse's ``SystemExit`` taken as the exit code. What only a real process
shows (the console script itself, a terminal, a second process writing
meanwhile) stays a subprocess in the tests that need it.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from mkdocs_status.cli import main


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None, stdin: str = "",
            unset: tuple[str, ...] = ("EDITOR", "VISUAL", "MKDOCS_STATUS_DEBUG")) -> subprocess.CompletedProcess[str]:
    """``mkdocs-status ARGS`` in ``root`` with ``env`` on top of this process's environment (less ``unset``)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ))
        for name in unset:
            os.environ.pop(name, None)
        os.environ.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
        stack.enter_context(contextlib.chdir(root))
        stack.enter_context(mock.patch.object(sys, "stdin", io.StringIO(stdin)))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, a usage error
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    result = subprocess.CompletedProcess(["mkdocs-status", *args], code, out.getvalue(), err.getvalue())
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result
