"""On Norwegian pages no English interface text remains."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import dom
from mkdocs_status import authoring, init, postmortem
from mkdocs_status.l10n.catalogs import LOCALE_DIR

# Text the CLI writes into files for the author (the example site's own English "About this page" among them): not the pages' interface.
AUTHORS_TEXT = {*postmortem.SECTIONS, *postmortem.PLACEHOLDERS, authoring.MAINTENANCE_ANNOUNCEMENT, *init.WELCOME, *init.ABOUT}


def english_interface_strings() -> list[str]:
    """English messages whose Norwegian translation differs, without their placeholders."""
    with (LOCALE_DIR / "nb" / "LC_MESSAGES" / "mkdocs_status.po").open("rb") as fp:
        catalog = read_po(fp)
    out = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id or message.id in AUTHORS_TEXT:
            continue
        for piece in re.split(r"%\(\w+\)s", message.id):
            piece = piece.strip(" .:;,()")
            if len(piece) >= 4:
                out.append(piece)
    return out


def interface_text(page: Path) -> str:
    """The page's text and the labels it gives to assistive technology (its own and its templates'),
    without the incidents' text: that is the authors' (in Norwegian here); the interface is everything else."""
    doc = dom.page(page)
    for body in dom.select(doc, ".status-update__body", templates=True):
        body.drop_tree()
    labels = [value for el in dom.select(doc, "[aria-label], [title], [placeholder], [alt]", templates=True)
              for value in (el.get(name) for name in ("aria-label", "title", "placeholder", "alt")) if value]
    return " ".join([dom.visible_text(doc, templates=True), *labels])


@pytest.mark.parametrize("page", ["nb/index.html", "nb/incidents/2026-11-21-inbound-calls-delayed/index.html",
                                  "nb/incidents/2026-11-21-reporting-database-upgrade/index.html", "nb/history/index.html",
                                  "nb/components/voice/index.html"])
def test_norwegian_page_has_no_english_interface_text(example_site: Path, page: str):
    text = interface_text(example_site / page)
    english = [s for s in english_interface_strings() if re.search(rf"\b{re.escape(s)}\b", text)]
    assert english == []
    assert "Made with" not in text  # Material's own footer is in Norwegian too
