"""Status badges: ``badge.svg`` for the whole site, ``components/<id>/badge.svg`` for each component.

Shields.io "flat" style (grey label, coloured message, 20 px high) so they sit
well beside other README badges. The status is told by the message text, not
by colour alone; the colours are status.css's (white text on them meets WCAG AA).
Text is in the site's default language, XML-escaped, and each badge has a
``<title>`` and ``role="img"`` with an ``aria-label`` for screen readers.

Text width is estimated from Verdana 11 px metrics (what shields.io measures
with); ``textLength`` then fits the text to that width exactly in any font, so
no badge depends on the fonts of the machine that builds or shows it.

Pure: a function of (site, now); no MkDocs, no logging, no clock.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .l10n import strings
from .l10n.catalogs import N_, translations
from .site import component_label, localized

if TYPE_CHECKING:
    from .build import BuildData

LABEL_COLOUR = "#555"
# The light-scheme colours of assets/status.css.
COLOURS = {
    "ok": "#1c7431",
    "maintenance": "#1f55c9",
    "minor": "#975a07",
    "major": "#b4420b",
    "critical": "#b3261e",
    "none": "#5c6370",
}
STATUS_COLOUR = {
    "operational": "ok",
    "none": "ok",
    "under_maintenance": "maintenance",
    "maintenance": "maintenance",
    "degraded_performance": "minor",
    "minor": "minor",
    "partial_outage": "major",
    "major": "major",
    "major_outage": "critical",
    "critical": "critical",
}
OVERALL_LABEL = N_("Status")

# Advance widths of Verdana at 11 px (as shields.io measures), for printable ASCII.
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (
        3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99,
        7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 4.99, 4.99, 9.0, 9.0, 9.0, 6.0, 11.0,
        7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66,
        6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 4.99, 4.99, 4.99, 9.0,
        7.0, 7.0, 6.61, 6.83, 5.73, 6.83, 6.55, 3.78, 6.83, 6.96, 3.02, 3.78, 6.51, 3.02, 10.66,
        6.96, 6.68, 6.83, 6.83, 4.69, 5.73, 4.33, 6.96, 6.51, 9.01, 6.51, 6.51, 5.78, 6.98, 4.99,
        6.98, 9.0,
    ),
    strict=True,
))  # fmt: skip
_WIDE = 11.0  # East Asian wide characters
_DEFAULT = 7.0  # other letters: about an average Latin capital


def text_width(text: str) -> float:
    """Estimated width in pixels of ``text`` in Verdana 11 px."""
    total = 0.0
    for ch in text:
        if ch in _WIDTHS:
            total += _WIDTHS[ch]
        elif "\u1100" <= ch <= "\u115f" or "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7a3" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uff60":
            total += _WIDE
        else:
            total += _DEFAULT
    return total


def badge(label: str, message: str, status: str) -> str:
    """A shields.io-style flat badge as SVG text."""
    colour = COLOURS[STATUS_COLOUR.get(status, "none")]
    label_text = round(text_width(label) * 10)
    message_text = round(text_width(message) * 10)
    label_width = round(label_text / 10) + 10
    message_width = round(message_text / 10) + 10
    width = label_width + message_width
    spoken = escape(f"{label}: {message}")
    label_x = label_width * 5
    message_x = label_width * 10 + message_width * 5
    texts = []
    for x, length, text in ((label_x, label_text, label), (message_x, message_text, message)):
        shown = escape(text)
        texts.append(
            f'<text aria-hidden="true" x="{x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{length}">{shown}</text>'
            f'<text aria-hidden="true" x="{x}" y="140" transform="scale(.1)" fill="#fff" textLength="{length}">{shown}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{spoken}">'
        f"<title>{spoken}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{label_width}" height="20" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{label_width}" width="{message_width}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">'
        + "".join(texts)
        + "</g></svg>\n"
    )


def build(data: BuildData) -> dict[str, str | bytes]:
    """The overall badge and one per component, by site-relative path."""
    settings = data.settings
    lang = settings.default_language
    tr = translations(lang)
    view = data.overview
    indicator = view.indicator
    out: dict[str, str | bytes] = {
        data.links.badge(): badge(tr.gettext(OVERALL_LABEL), tr.gettext(strings.INDICATOR_LABELS[indicator]), indicator),
    }
    for comp in settings.components:
        status = view.component_status[comp.id]
        out[data.links.badge(comp.id)] = badge(
            component_label(settings, comp.id, lang), tr.gettext(strings.COMPONENT_STATUS_LABELS[status]), status
        )
    for group in settings.groups:  # a group's status: its worst member's
        status = view.group_status[group.id]
        out[data.links.badge(group.id)] = badge(localized(group.names, lang, settings), tr.gettext(strings.COMPONENT_STATUS_LABELS[status]), status)
    return out
