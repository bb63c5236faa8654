"""``python -m mkdocs_status.cli``: the ``mkdocs-status`` command."""

import sys

from . import main

sys.exit(main())
