"""The ``mkdocs-status`` command line: write, check and import incident files.

Every subcommand reads the site's ``mkdocs.yml`` (``-f``/``--config-file``, as
in MkDocs), sets ``func`` with ``set_defaults`` and returns an exit code:
0 done, 1 problems found in the incident files, 2 unusable input (a bad
``mkdocs.yml``, an unknown id, a missing value). Text is produced by the pure
:mod:`mkdocs_status.authoring` and :mod:`mkdocs_status.importer`; the modules
here only parse arguments, read and write files, ask, and report:

- :mod:`.terminal`: talking to the author, and writing files whole;
- :mod:`.author`: what the writing commands share (texts, titles, the report);
- :mod:`.new` (new, maintenance), :mod:`.append` (update, resolve, postmortem),
  :mod:`.ids`, :mod:`.check`, :mod:`.importing` (import statuspage): one command each;
- :mod:`.parser`: the argument parser; ``init`` and ``notify`` register themselves there.

This module holds :func:`main`, the console script, and turns every failure
into one line and an exit code, never a traceback.
"""

from __future__ import annotations

import os
import sys

from ..diagnostics import HintedError
from ..siteconfig import build_now
from .terminal import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PROG, CliError, ask, interactive, say

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "PROG", "CliError", "ask", "build_now", "interactive", "main", "say"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mkdocs-status`` console script."""
    try:
        from .parser import build_parser, expand_shorthands

        parser, _subparsers = build_parser()
        args = parser.parse_args(expand_shorthands(sys.argv[1:] if argv is None else argv))
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return EXIT_OK
        return int(func(args))
    except HintedError as exc:  # CliError, SiteConfigError, AuthoringError
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"{PROG}: error: cannot access{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches the user
        if os.environ.get("MKDOCS_STATUS_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc} "
              "(please report it; set MKDOCS_STATUS_DEBUG=1 to see the traceback)", file=sys.stderr)
        return EXIT_USAGE
