"""On Norwegian pages no English interface text remains."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from mkdocs_status.l10n.catalogs import LOCALE_DIR
from test_example_site import build_example


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("nb-example"))


def english_interface_strings() -> list[str]:
    """English messages whose Norwegian translation differs, without their placeholders."""
    with (LOCALE_DIR / "nb" / "LC_MESSAGES" / "mkdocs_status.po").open("rb") as fp:
        catalog = read_po(fp)
    out = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        for piece in re.split(r"%\(\w+\)s", message.id):
            piece = piece.strip(" .:;,()")
            if len(piece) >= 4:
                out.append(piece)
    return out


def interface_text(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
    # Incident text is the authors' (in Norwegian here); the interface is everything else.
    raw = re.sub(r'<div class="status-update__body".*?</div>', " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))


@pytest.mark.parametrize("page", ["nb/index.html", "nb/incidents/2026-11-21-inbound-calls-delayed/index.html",
                                  "nb/incidents/2026-11-21-reporting-database-upgrade/index.html", "nb/history/index.html",
                                  "nb/components/voice/index.html"])
def test_norwegian_page_has_no_english_interface_text(example: Path, page: str):
    text = interface_text(example / page)
    english = [s for s in english_interface_strings() if re.search(rf"\b{re.escape(s)}\b", text)]
    assert english == []
    assert "Made with" not in text  # Material's own footer is in Norwegian too
