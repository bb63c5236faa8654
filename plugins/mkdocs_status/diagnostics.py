"""Problems found in the input, as plain data.

The parser and validators never raise on bad input and never log: they return
:class:`Diagnostic` records. The MkDocs plugin turns warnings into log records
and errors into a ``PluginError``; ``mkdocs-status check`` prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


class HintedError(Exception):
    """Input a command cannot use: a message, and a hint that says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class Diagnostic(NamedTuple):
    """One problem: where it is, how bad it is, and what to do about it."""

    file: str
    line: int
    level: str
    message: str
    hint: str = ""

    def format(self, *, with_level: bool = True) -> str:
        """``file:line: level: message (hint)`` as the CLI and logs print it."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = self.message if not self.hint else f"{self.message}; {self.hint}"
        return f"{where}: {self.level}: {text}" if with_level else f"{where}: {text}"


@dataclass
class Diagnostics:
    """Collects the diagnostics of one file (or one whole site)."""

    file: str = ""
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self.file, line, ERROR, message, hint))

    def warning(self, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self.file, line, WARNING, message, hint))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``(did you mean 'x'?)`` suffix, or an empty string."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return f" (did you mean '{lowered[word.lower()]}'?)"
    import difflib  # only for a mistake

    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[match[0]]}'?)" if match else ""


def one_of(choices: Iterable[str]) -> str:
    """``use one of: a, b, c`` as a hint."""
    return "use one of: " + ", ".join(choices)
