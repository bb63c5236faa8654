"""The postmortem skeleton ``mkdocs-status postmortem`` writes, and telling when it is still unfilled.

The skeleton holds placeholder sentences; an update that still holds one of them
is not ready to publish (a warning, so ``--strict`` builds and checks fail, and
notify refuses to send it).
"""

from __future__ import annotations

from collections.abc import Iterable

# Section headings of a postmortem skeleton, per language (English for others).
POSTMORTEM_SECTIONS: dict[str, tuple[str, str, str]] = {
    "en": ("Summary", "Root cause", "Corrective actions"),
    "nb": ("Sammendrag", "Rotårsak", "Korrigerende tiltak"),
    "nn": ("Samandrag", "Rotårsak", "Korrigerande tiltak"),
    "sv": ("Sammanfattning", "Grundorsak", "Korrigerande åtgärder"),
    "da": ("Resumé", "Grundårsag", "Korrigerende handlinger"),
    "de": ("Zusammenfassung", "Ursache", "Korrekturmaßnahmen"),
    "fr": ("Résumé", "Cause première", "Actions correctives"),
    "es": ("Resumen", "Causa raíz", "Acciones correctivas"),
    "pt": ("Resumo", "Causa raiz", "Ações corretivas"),
    "nl": ("Samenvatting", "Oorzaak", "Corrigerende maatregelen"),
    "fi": ("Yhteenveto", "Juurisyy", "Korjaavat toimenpiteet"),
}
POSTMORTEM_PLACEHOLDERS: dict[str, tuple[str, str, str]] = {
    "en": ("What happened, when, for how long, and who was affected.",
           "Why it happened, and why it was not caught or fixed sooner.",
           "What we change so that it does not happen again"),
    "nb": ("Hva som skjedde, når, hvor lenge, og hvem som ble berørt.",
           "Hvorfor det skjedde, og hvorfor det ikke ble oppdaget eller rettet tidligere.",
           "Hva vi endrer for at det ikke skal skje igjen"),
}


def postmortem_texts(languages: Iterable[str]) -> dict[str, str]:
    """A postmortem skeleton per language: Summary, Root cause, Corrective actions as a task list."""
    out: dict[str, str] = {}
    for lang in languages:
        base = lang.split("_")[0]
        sections = POSTMORTEM_SECTIONS.get(lang) or POSTMORTEM_SECTIONS.get(base) or POSTMORTEM_SECTIONS["en"]
        hints = POSTMORTEM_PLACEHOLDERS.get(lang) or POSTMORTEM_PLACEHOLDERS.get(base) or POSTMORTEM_PLACEHOLDERS["en"]
        out[lang] = (f"### {sections[0]}\n\n{hints[0]}\n\n### {sections[1]}\n\n{hints[1]}\n\n"
                     f"### {sections[2]}\n\n- [ ] {hints[2]}")
    return out


_PLACEHOLDERS = tuple(sorted({" ".join(text.split()) for texts in POSTMORTEM_PLACEHOLDERS.values() for text in texts}))


def unfilled_postmortem(markdown: str) -> bool:
    """Whether ``markdown`` (an update's text in one language) still holds a placeholder of the skeleton."""
    if not markdown:
        return False
    flat = " ".join(markdown.split())
    return any(placeholder in flat for placeholder in _PLACEHOLDERS)
