"""Reading built pages as a browser does: parse the HTML, then find elements with CSS selectors.

Tests check elements, their attributes and their text, never the spelling of the markup (the order
of attributes, quotes, whitespace between tags), so the markup can move between Python and
templates, or be reformatted, while each check still fails when what a reader gets changes.

    from dom import page, select, one, text, attr

    doc = page(site / "index.html")
    assert [text(a) for a in select(doc, ".status-incident__title a")] == ["Queue login fails"]
    assert attr(one(doc, "html"), "lang") == "en"

Pages are parsed by libxml2 (lxml.html): an overview page parses in about a millisecond, some sixty
times faster than with html5lib, and the tests parse thousands of pages. Whether the markup is valid HTML is the Nu Html Checker's test
(tests/browser/test_html_validity.py), not this module's.

A selector is CSS (through lxml's cssselect) unless it starts with ``/``, ``./`` or ``(``: then it is XPath.
(The module is ``dom``, not ``html``: the tests folder is on ``sys.path`` and must not shadow the
standard library's ``html``.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector

Element = lxml.etree._Element
_SPACES = re.compile(r"[ \t\n\r\f]+")


def parse(markup: str | bytes) -> Element:
    """The document element of an HTML page (or the fragment's parent) as parsed by libxml2."""
    return lxml.html.document_fromstring(markup) if _is_document(markup) else lxml.html.fragment_fromstring(markup, create_parent="div")


def _is_document(markup: str | bytes) -> bool:
    head = markup[:200].lstrip().lower()
    return head.startswith(("<!doctype", "<html") if isinstance(head, str) else (b"<!doctype", b"<html"))


def page(path: Path | str) -> Element:
    """A built page, parsed: ``path`` is the file (a folder means its ``index.html``)."""
    path = Path(path)
    if path.is_dir():
        path = path / "index.html"
    return parse(path.read_bytes())


def svg(path: Path | str) -> Element:
    """The root element of an SVG file (parsed as XML: an SVG file is not HTML)."""
    return lxml.etree.fromstring(Path(path).read_bytes())


@lru_cache(maxsize=256)
def _compiled(selector: str) -> lxml.etree.XPath:
    if selector.startswith(("/", "(", "./")):
        return lxml.etree.XPath(selector)
    return CSSSelector(selector)


def _root(doc: Element | str | bytes) -> Element:
    return parse(doc) if isinstance(doc, str | bytes) else doc


def select(doc: Element | str | bytes, selector: str, *, templates: bool = False) -> list[Element]:
    """Every element under ``doc`` (an element or HTML text) that ``selector`` matches, in document order.

    As in a browser's ``querySelectorAll``, what a ``<template>`` under ``doc`` holds is not part of the
    page and is not matched, unless ``templates`` is true (or ``doc`` is the template)."""
    root = _root(doc)
    return [el for el in _compiled(selector)(root) if templates or not _in_template(el, root)]


def _in_template(el: Element, root: Element) -> bool:
    for above in el.iterancestors():
        if above is root:
            return False
        if above.tag == "template":
            return True
    return False


def one(doc: Element | str | bytes, selector: str) -> Element:
    """The single element ``selector`` matches; fails the test when there are none or several."""
    found = select(doc, selector)
    assert len(found) == 1, f"{selector!r} matched {len(found)} elements, not one"
    return found[0]


def text(el: Element) -> str:
    """The text a reader sees in ``el``: its descendants' text, runs of HTML whitespace as one space, trimmed
    (a no-break or narrow no-break space is text, kept as it is)."""
    return squeeze(el.text_content())


def squeeze(raw: str) -> str:
    """``raw`` with each run of HTML whitespace (space, tab, line breaks, form feed) as one space, trimmed."""
    return _SPACES.sub(" ", raw).strip()


def texts(doc: Element | str | bytes, selector: str) -> list[str]:
    """The text of each element ``selector`` matches."""
    return [text(el) for el in select(doc, selector)]


def attr(el: Element, name: str) -> str | None:
    """The value of attribute ``name`` of ``el`` (entities decoded), or None when it has none."""
    return el.get(name)


def attrs(doc: Element | str | bytes, selector: str, name: str) -> list[str | None]:
    """Attribute ``name`` of each element ``selector`` matches."""
    return [el.get(name) for el in select(doc, selector)]


def classes(el: Element) -> set[str]:
    """The classes of ``el``."""
    return set((el.get("class") or "").split())


def lang(doc: Element) -> str | None:
    """The language a page declares on its ``<html>`` element."""
    return one(doc, "/html").get("lang")


def modifiers(el: Element, block: str) -> list[str]:
    """The modifiers of ``block`` that ``el``'s classes name: ``["major"]`` for ``class="x x--major"`` and block ``x``."""
    return [name.removeprefix(block + "--") for name in (el.get("class") or "").split() if name.startswith(block + "--")]


def terms(dl: Element) -> list[tuple[str, Element | None]]:
    """Each term of the description list ``dl``, in order, with its (first) description element."""
    return [(text(term), next(term.itersiblings("dd"), None)) for term in dl.iterchildren("dt")]


def definitions(doc: Element | str | bytes, selector: str = "dl") -> dict[str, str]:
    """Each term of the description lists ``selector`` matches, with the text of its (first) description."""
    return {term: text(description) if description is not None else ""
            for dl in select(doc, selector) for term, description in terms(dl)}


def component_row(doc: Element, href: str) -> Element:
    """The component row (``.status-component``) whose name links to ``href``, as the overview and group pages show it."""
    rows = [row for row in select(doc, ".status-component")
            if attrs(row, ":scope > .status-component__head a.status-component__name", "href") == [href]]
    assert len(rows) == 1, f"{len(rows)} component rows link to {href!r}"
    return rows[0]


# Elements that flow inside a line of text: no word break around them (every other element is one).
INLINE = frozenset("a abbr b code del em i ins kbd mark small span strong sub sup".split())
HIDDEN = frozenset(("script", "style", "template"))


def visible_text(doc: Element | str | bytes, *, templates: bool = False) -> str:
    """All the text of a page outside scripts and styles (and templates, unless ``templates``), whitespace
    runs as one space; a block element (a paragraph, a cell, a heading) is a word break, an inline one is not."""
    parts: list[str] = []
    hidden = HIDDEN - {"template"} if templates else HIDDEN

    def walk(el: Element) -> None:
        if not isinstance(el.tag, str) or el.tag in hidden:
            parts.append(el.tail or "")
            return
        gap = "" if el.tag in INLINE else " "
        parts.append(gap + (el.text or ""))
        for child in el:
            walk(child)
        parts.append(gap + (el.tail or ""))

    walk(_root(doc))
    return squeeze("".join(parts))
