"""Building a site beside the published one and swapping it in only when the build succeeded."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2``); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on (no ldconfig)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


class Staging:
    """A staging folder beside ``site_dir`` (``.<name>.staging``) that MkDocs builds into."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = Path(os.path.realpath(site_dir))  # a symlinked site_dir: its target is swapped
        self.folder = self.site_dir.with_name(f".{self.site_dir.name}.staging")
        self.old = self.site_dir.with_name(f".{self.site_dir.name}.previous")

    def possible(self) -> bool:
        """Whether the folder that holds ``site_dir`` (or would) can take the staging folder beside it."""
        parent = self.site_dir.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        return os.access(parent, os.W_OK | os.X_OK)

    def publish(self) -> None:
        """Make the staged build the site; the previous site is deleted once it is replaced."""
        self.folder.mkdir(parents=True, exist_ok=True)  # a build that wrote nothing still publishes
        shutil.rmtree(self.old, ignore_errors=True)
        if self.site_dir.is_dir() and not self.site_dir.is_symlink() and _exchange(self.folder, self.site_dir):
            shutil.rmtree(self.folder, ignore_errors=True)  # now holds the previous site
            return
        if self.site_dir.exists() or self.site_dir.is_symlink():
            os.replace(self.site_dir, self.old)
        try:
            os.replace(self.folder, self.site_dir)
        except OSError:
            if self.old.exists():
                os.replace(self.old, self.site_dir)  # put the previous site back
            raise
        shutil.rmtree(self.old, ignore_errors=True)

    def discard(self) -> None:
        """Remove what a failed build wrote; the published site is not touched."""
        shutil.rmtree(self.folder, ignore_errors=True)
