"""Talking to the author and touching files: what every ``mkdocs-status`` command shares.

Messages go to stderr (stdout is for what a script may read: paths, URLs,
``file:line`` lines); questions are asked only on a terminal; files are
written whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import HintedError
from ..parse.dates import DateError, parse_datetime
from ..siteconfig import Site

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
PROG = "mkdocs-status"


class CliError(HintedError):
    """Unusable input: printed as ``mkdocs-status: error: message; hint``, exit code 2."""


def interactive() -> bool:
    """Whether stdin is a terminal, so that missing values may be asked for."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def say(text: str = "") -> None:
    """A line for the author (stderr)."""
    print(text, file=sys.stderr)


def ask(prompt: str) -> str:
    """One line answered on stdin; the end of input is an error."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise CliError("no answer (end of input)")
    return line.rstrip("\n")


def ask_lines(prompt: str) -> str:
    """Lines answered on stdin, up to an empty line or the end of input."""
    say(prompt)
    lines: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line or not line.rstrip("\n"):
            break
        lines.append(line.rstrip("\n"))
    return "\n".join(lines)


def require(value: str | None, option: str, prompt: str) -> str:
    """A required value: the option's, else asked for on a terminal, else exit 2."""
    if value is not None and value.strip():
        return value.strip()
    if interactive():
        answer = ask(prompt).strip()
        if answer:
            return answer
    raise CliError(f"missing {option}", f"give it on the command line, e.g. {option} …")


def edit(template: str, suffix: str = ".md") -> tuple[str, str]:
    """Open $VISUAL/$EDITOR on a template: the edited text, and the file it is in (the caller removes it once used)."""
    variable = "VISUAL" if os.environ.get("VISUAL") else "EDITOR"
    editor = os.environ.get(variable) or ""
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise CliError(f"cannot read the editor command in ${variable} ({editor!r}): {str(exc).lower()}",
                       f"fix the quoting in {variable}, or give the text with -m") from None
    if not command:
        raise CliError(f"${variable} holds no command", f"set {variable} to an editor command, or give the text with -m")
    handle, name = tempfile.mkstemp(prefix="mkdocs-status-", suffix=suffix)
    with os.fdopen(handle, "w", encoding="utf-8") as fh:
        fh.write(template)
    try:
        result = subprocess.run([*command, name], check=False)
    except OSError as exc:
        raise CliError(f"cannot start the editor '{editor}': {exc.strerror}", "set EDITOR to an editor command, or give the text with -m") from None
    if result.returncode != 0:
        raise CliError(f"the editor exited with code {result.returncode}; nothing was written", f"your text is kept in {name}")
    return Path(name).read_text(encoding="utf-8"), name


def time_option(value: str | None, option: str, tz: dt.tzinfo) -> dt.datetime | None:
    """A time given on the command line (``--at``, ``--from``…), read in ``tz`` unless it names its own zone."""
    if value is None:
        return None
    try:
        parsed = parse_datetime(value, tz)
    except DateError as exc:
        raise CliError(f"{option} {value!r}: {exc.message}", exc.hint) from None
    if parsed.ambiguous:
        say(f"{PROG}: warning: {option} {value} occurs twice (the clocks go back); the first was used; write an offset to choose")
    return parsed.at


class Progress:
    """A counter on a terminal, a line every ``every`` items otherwise; silent for small jobs."""

    def __init__(self, total: int, what: str, every: int = 100) -> None:
        self.total, self.what, self.every = total, what, every
        self.tty = sys.stderr.isatty()
        self.active = total >= every

    def step(self, done: int) -> None:
        """Say that ``done`` of the items are done."""
        if not self.active:
            return
        if self.tty:
            sys.stderr.write(f"\r{self.what} {done}/{self.total}")
            if done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
        elif done % self.every == 0 or done == self.total:
            say(f"{self.what} {done}/{self.total}")


# -- files ------------------------------------------------------------------------------


def write_atomic(path: Path, text: str, *, create: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all (``create``: only if there is no such file yet)."""
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if create:
        with path.open("xb") as fh:
            fh.write(data)
        return
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_text(path: Path, site: Site) -> str:
    """An incident file's text; not UTF-8 or unreadable is exit 2."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{site.show(path)} is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8") from None
    except OSError as exc:
        raise CliError(f"cannot read {site.show(path)}: {exc.strerror}") from None


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Holds an exclusive lock on ``folder`` (where the OS has flock): one CLI write into an incident folder at a time."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: re-reading just before writing is all there is
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
