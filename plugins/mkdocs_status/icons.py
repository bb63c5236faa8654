"""The interface's icons: Material Design icons drawn by CSS masks, one stylesheet for all."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from .l10n import strings

# Icons in the interface besides the status ones (strings.ICONS).
EXTRA_ICONS = ("translate", "rss", "calendar", "code-json", "information")


def icon(name: str) -> Markup:
    """A Material Design icon as an empty span; status.css/icons.css draw it with a CSS mask.

    Inline SVG would repeat hundreds of bytes per badge on every page (and in the search index).
    """
    return Markup(f'<span class="status-icon status-icon--{name}" aria-hidden="true"></span>')


def icon_css(theme_dirs: list[str]) -> str:
    """``icons.css``: one CSS mask per icon, from mkdocs-material's ``.icons`` in the theme."""
    names = sorted(set(strings.ICONS.values()) | set(EXTRA_ICONS))
    rules = []
    for name in names:
        for folder in theme_dirs:
            path = Path(folder) / ".icons" / "material" / f"{name}.svg"
            if path.is_file():
                svg = path.read_text(encoding="utf-8").strip()
                rules.append(f'.status-icon--{name}{{--status-icon:url("data:image/svg+xml;charset=utf-8,{quote(svg)}")}}')
                break
    return "\n".join(rules) + "\n"
