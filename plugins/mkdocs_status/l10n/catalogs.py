"""Gettext catalogs of the interface text (``l10n/locale/<lang>/LC_MESSAGES``).

Translators: see the README ("Translating the interface"). The English text is
the message id, so English needs no catalog.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

DOMAIN = "mkdocs_status"
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:  # noqa: N802 - the conventional marker name
    """Marks a string for extraction without translating it here."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for a babel language code, falling back to its base language, then English."""
    candidates = [lang]
    if "_" in lang:
        candidates.append(lang.split("_")[0])
    for code in candidates:
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if path.exists():
            with path.open("rb") as fp:
                return Translations(fp, domain=DOMAIN)
    return NullTranslations()


def has_catalog(lang: str) -> bool:
    """Whether the language (or its base language) has a catalog, so that its text is really in it."""
    return isinstance(translations(lang), Translations)


def shipped_languages() -> list[str]:
    """Languages with a catalog in the package."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
