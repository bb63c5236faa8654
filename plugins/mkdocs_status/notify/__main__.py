"""``python -m mkdocs_status.notify``."""

import sys

from . import main

sys.exit(main())
