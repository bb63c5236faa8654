"""The postmortem skeleton ``mkdocs-status postmortem`` writes, and telling when it is still unfilled.

The skeleton's words are interface text, translated in the gettext catalogs
(``l10n/locale``) like every other: a language with a catalog gets its own
skeleton, any other the English one. The skeleton holds placeholder sentences;
an update that still holds one of them, in any shipped language, is not ready to
publish (a warning, so ``--strict`` builds and checks fail, and notify refuses
to send it).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from .l10n.catalogs import N_, shipped_languages, translations

# Section headings of the skeleton (level 3: inside the update).
SECTIONS = (N_("Summary"), N_("Root cause"), N_("Corrective actions"))
# What the author replaces: one sentence per section, the last as an open task.
PLACEHOLDERS = (
    N_("What happened, when, for how long, and who was affected."),
    N_("Why it happened, and why it was not caught or fixed sooner."),
    N_("What we change so that it does not happen again"),
)


def postmortem_text(lang: str) -> str:
    """The skeleton in one language: Summary, Root cause, Corrective actions as a task list."""
    gettext = translations(lang).gettext
    (summary, cause, actions), (what, why, change) = ([gettext(text) for text in texts] for texts in (SECTIONS, PLACEHOLDERS))
    return f"### {summary}\n\n{what}\n\n### {cause}\n\n{why}\n\n### {actions}\n\n- [ ] {change}"


def postmortem_texts(languages: Iterable[str]) -> dict[str, str]:
    """The skeleton per language, in the order given."""
    return {lang: postmortem_text(lang) for lang in languages}


@cache
def placeholders() -> tuple[str, ...]:
    """Every placeholder sentence in every shipped language (and English), whitespace collapsed."""
    langs = ("en", *shipped_languages())
    return tuple(sorted({" ".join(translations(lang).gettext(text).split()) for lang in langs for text in PLACEHOLDERS}))


def unfilled_postmortem(markdown: str) -> bool:
    """Whether ``markdown`` (an update's text in one language) still holds a placeholder of the skeleton."""
    if not markdown:
        return False
    flat = " ".join(markdown.split())
    return any(placeholder in flat for placeholder in placeholders())
