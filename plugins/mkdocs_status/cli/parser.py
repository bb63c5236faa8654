"""The ``mkdocs-status`` argument parser: each command module adds its own subcommand, in the order ``--help`` lists them."""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from typing import Any

from .. import __version__
from . import append, check, ids, importing, new
from .terminal import PROG


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    """The parser and its subparsers (``notify`` registers itself there)."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Write, check and import the incident files of a mkdocs-status site.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=("examples:\n"
                f'  {PROG} new "Calls are not connecting" --impact major --component voice -m "We are investigating."\n'
                f'  {PROG} update 2026-11-21-calls --status monitoring -m "A fix is in place."\n'
                f"  {PROG} check --strict\n\n"
                f"Run '{PROG} COMMAND --help' for a command's options and an example."))
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-f", "--config-file", metavar="FILE", help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in (new.register, append.register, ids.register, append.register_postmortem, new.register_maintenance,
                     check.register, importing.register):
        register(subparsers, common)

    from .. import init, notify  # here, inside main's error handling, so even a broken install prints no traceback

    init.register(subparsers)
    notify.register(subparsers)
    return parser, subparsers


_SHORTHAND = re.compile(r"--(title|lang)-([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*)(?:=(.*))?$", re.DOTALL)


def expand_shorthands(argv: Sequence[str]) -> list[str]:
    """``--title-nb TEXT`` -> ``--title nb TEXT``; ``--lang-pt-BR=TEXT`` -> ``--lang pt-BR TEXT``."""
    out: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--":
            return out + list(argv[index:])
        m = _SHORTHAND.fullmatch(arg)
        after_value_option = index > 0 and argv[index - 1] in ("-m", "--message")
        if m and not after_value_option:
            out += [f"--{m.group(1)}", m.group(2)] + ([m.group(3)] if m.group(3) is not None else [])
        else:
            out.append(arg)
    return out
