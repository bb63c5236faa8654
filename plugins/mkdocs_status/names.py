"""Ids from names: the one ``slugify`` of mkdocs-status (no mkdocs, no clock).

New incident files and imported components take their id from a title
(:func:`slugify`); a group without an ``id:`` in mkdocs.yml takes its id from its
name (:func:`group_id`). Both are the same function; a group id keeps the rule it
was published with (no transliteration table, no length limit), because it is
part of the group's URLs.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters NFKD does not decompose into an ASCII letter, written as a Norwegian or German reader would.
TRANSLIT = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ß": "ss", "œ": "oe", "Œ": "Oe",
                          "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"})
#: The longest slug a title gives (whole words; one longer word is cut).
SLUG_MAX = 48


def slugify(title: str, *, fallback: str = "incident", max_length: int | None = SLUG_MAX, transliterate: bool = True) -> str:
    """``Pålogging til kø feiler!`` -> ``palogging-til-ko-feiler``: lowercase ASCII words joined by hyphens.

    ``transliterate`` writes æ, ø, ß … as ae, o, ss and drops an apostrophe inside a word
    (``can't`` -> ``cant``); without it they are left out as NFKD leaves them. ``max_length``
    keeps whole words up to that length. ``fallback`` is the slug of a name with no ASCII word.
    """
    text = title.translate(TRANSLIT) if transliterate else title
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    if transliterate:
        text = re.sub(r"(?<=[a-z0-9])['’](?=[a-z])", "", text)  # can't -> cant
    words = re.findall(r"[a-z0-9]+", text)
    if max_length is None:
        return "-".join(words) or fallback
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug or fallback


def group_id(name: str) -> str:
    """The id of a group mkdocs.yml gives no ``id:``: ``Engage & Co`` -> ``engage-co`` (as published: no length limit)."""
    return slugify(name, fallback="group", max_length=None, transliterate=False)
