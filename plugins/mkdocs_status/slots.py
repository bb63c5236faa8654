"""Slots: the per-page parts of fragments rendered once and shared by every page (see fragments.py).

No Jinja and no MkDocs here: :class:`~mkdocs_status.build.BuildData` holds one per build.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from .markdown import relink

_SLOT = re.compile("\x02([ub])([^\x02\x03]*)\x03")


class Slots:
    """The per-page parts of cached fragments: links to site paths and update bodies with relative links.

    One per build (in :class:`~mkdocs_status.build.BuildData`): a slot's number stays valid for
    every page of the build.
    """

    def __init__(self) -> None:
        self._bodies: list[tuple[str, str]] = []  # (rendered body, the incident page it is written for)
        self._numbers: dict[tuple[str, str], int] = {}
        self._relinked: dict[tuple[int, str], str] = {}  # (body slot, showing page's folder) -> its HTML there

    @staticmethod
    def url(path: str) -> str:
        """A link to a site path (``incidents/x/``, ``nb/components/voice/``), filled per showing page."""
        return f"\x02u{path}\x03"

    def body(self, html: str, base: str) -> Markup:
        """An update body as written on the page at ``base``, its relative links filled per showing page."""
        if 'href="' not in html and 'src="' not in html:
            return Markup(html)  # nothing to rewrite: the same on every page
        key = (html, base)
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._bodies)
            self._bodies.append(key)
        return Markup(f"\x02b{number}\x03")

    def fill(self, html: str, page_url: str, link: Callable[[str], str]) -> str:
        """``html`` with its slots filled for the page at ``page_url`` (``link`` makes a path relative to it)."""
        if "\x02" not in html:
            return html
        folder = page_url.rsplit("/", 1)[0] if "/" in page_url else ""

        def one(m: re.Match[str]) -> str:
            if m.group(1) == "u":
                return str(escape(link(m.group(2))))
            key = (int(m.group(2)), folder)
            out = self._relinked.get(key)
            if out is None:
                text, base = self._bodies[key[0]]
                out = self._relinked[key] = relink(text, base, page_url)
            return out

        return _SLOT.sub(one, html)
