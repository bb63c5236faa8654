"""Language identifiers: babel codes, BCP 47 tags, URL prefixes, names."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

from ..model import Language


@cache
def normalize(code: str) -> str | None:
    """``pt-BR``/``pt_br``/``pt_BR`` -> ``pt_BR``; None if babel does not know it."""
    text = str(code).strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", text):
        return None
    try:
        return str(Locale.parse(text.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def bcp47(code: str) -> str:
    """``pt_BR`` -> ``pt-BR`` (what ``<html lang>`` and ``hreflang`` take)."""
    return code.replace("_", "-")


def native_name(code: str) -> str:
    """The language's name in itself, from CLDR: ``nb`` -> ``norsk bokmål``."""
    locale = Locale.parse(code)
    return locale.get_display_name(locale) or code


def display_name(code: str, in_lang: str) -> str:
    """The language's name in another language: ``nb`` in ``en`` -> ``Norwegian Bokmål``."""
    return Locale.parse(code).get_display_name(Locale.parse(in_lang)) or code


def make_languages(codes: list[str]) -> tuple[Language, ...]:
    """Language records for normalised codes; the first is the default at the site root."""
    out = []
    for i, code in enumerate(codes):
        prefix = "" if i == 0 else bcp47(code).lower() + "/"
        out.append(Language(code=code, tag=bcp47(code), prefix=prefix, name=native_name(code)))
    return tuple(out)


# mkdocs-material names its interface translations partly by BCP 47 tag.
_MATERIAL_ALIASES = {"zh_Hant": "zh-Hant", "zh_TW": "zh-TW", "pt_BR": "pt-BR", "ku_IQ": "ku-IQ"}


def material_language(code: str, available: set[str]) -> str:
    """The mkdocs-material ``theme.language`` for a language, falling back to English."""
    for candidate in (_MATERIAL_ALIASES.get(code), code, code.split("_")[0]):
        if candidate and candidate in available:
            return candidate
    return "en"
