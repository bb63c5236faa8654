"""What the plugin gives MkDocs to build: generated pages without a Markdown source, and data files that let go of their content once written."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .model import Incident
from .rebuild import QuickRebuild
from .site import SKIP_TARGET, update_anchor


class StatusPage(Page):
    """A generated status page: no Markdown source, so nothing for MkDocs to convert.

    MkDocs would build a Markdown converter with every extension for each page only to
    convert an empty string; at 20,000 incident pages that is seconds. The body is rendered
    from the plugin's templates in ``on_page_context``, once the theme's templates are loaded.

    MkDocs keeps every Page to the end of the build; a written page keeps little: its body is
    let go (:meth:`forget`), and its table of contents and anchors are made when read.
    """

    def __init__(self, file: File, config: MkDocsConfig, meta: dict[str, Any], incident: Incident | None) -> None:
        self._status_meta = meta
        self._incident = incident
        self._rendered = False
        self._toc: Any = None
        super().__init__(None, file, config)

    def _set_canonical_url(self, base: str | None) -> None:
        # MkDocs joins each page's URL to site_url with urljoin and splits it again: thousands
        # of times the same base. For a base that joins plainly and a URL of plain segments
        # (as generated pages have), the join is the concatenation; anything else: MkDocs' way.
        base_path = _plain_base(base) if base else None
        url = self.url
        if base_path is None or not _PLAIN_URL.fullmatch(url) or "/." in f"/{url}":
            super()._set_canonical_url(base)
            return
        root = base if base.endswith("/") else base + "/"  # type: ignore[union-attr]
        self.canonical_url, self.abs_url = root + url, base_path + url

    def read_source(self, config: MkDocsConfig) -> None:
        super().read_source(config)
        self.meta.update(self._status_meta)  # kept: another plugin may read the source early

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self._rendered = True
        self._toc = None

    @property  # type: ignore[override]
    def toc(self) -> Any:
        """One entry, the page's <h1>: mkdocs-material's skip link ("Skip to content") leads to
        the first entry of the table of contents, which the page itself hides."""
        if self._toc is None:
            self._toc = get_toc([{"level": 1, "id": SKIP_TARGET, "name": str(self.title or ""), "children": []}]) if self._rendered else []
        return self._toc

    @toc.setter
    def toc(self, value: Any) -> None:
        self._toc = value

    @property  # type: ignore[override]
    def present_anchor_ids(self) -> frozenset[str] | None:
        """What links from hand-written pages to an incident's updates are checked against (None: not checked)."""
        if not self._rendered or self._incident is None:
            return None
        return update_anchors(self._incident)

    def forget(self) -> None:
        """Let go of what the written page no longer needs (made again if read)."""
        self.content = ""
        self._toc = None


def update_anchors(incident: Incident) -> frozenset[str]:
    """The anchors links from other pages may point to on an incident's page: its updates."""
    return frozenset({"updates", *(update_anchor(u) for u in incident.updates)})


_PLAIN_URL = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/?)*(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*\.html)?")


@lru_cache(maxsize=8)
def _plain_base(base: str) -> str | None:
    """The path of ``base`` if joining a plain relative URL to it is concatenation (urljoin's result), else None."""
    root = base if base.endswith("/") else base + "/"
    probe = "a-b/c.d/"
    if urljoin(root, probe) != root + probe:
        return None
    path = urlsplit(root).path
    return path if urlsplit(root + probe).path == path + probe else None


class OutputFile(File):
    """A feed, calendar, API or badge file whose content is let go once MkDocs has written it.

    MkDocs keeps every File to the end of the build, and it writes these before it renders
    the pages: at 10,000 incidents they are some 75 MB held while the pages are built. Read
    after being written (another plugin may), the content is made again.
    """

    _remake: Callable[[], str | bytes]
    _written = False
    quick: QuickRebuild | None = None  # in a `mkdocs serve` rebuild: the same bytes are not written again

    @classmethod
    def make(cls, config: MkDocsConfig, path: str, content: str | bytes, remake: Callable[[], str | bytes]) -> OutputFile:
        file = cls.generated(config, path, content=content)
        assert isinstance(file, OutputFile)
        file._remake = remake
        return file

    def _again(self) -> None:
        if self._written:
            self._content, self._written = self._remake(), False

    def copy_file(self, dirty: bool = False) -> None:
        self._again()
        if self.quick is None or self.quick.write_output(self.abs_dest_path, self.content_bytes):
            super().copy_file(dirty)
        self._content, self._written = b"", True

    @property
    def content_bytes(self) -> bytes:
        self._again()
        return File.content_bytes.fget(self)  # type: ignore[attr-defined, no-any-return]

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]
        self._written = False

    @property
    def content_string(self) -> str:
        self._again()
        return File.content_string.fget(self)  # type: ignore[attr-defined, no-any-return]

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)  # type: ignore[attr-defined]
        self._written = False
