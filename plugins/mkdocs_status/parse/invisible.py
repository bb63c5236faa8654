"""Characters a reader cannot see: control characters and bidirectional controls.

Control characters cannot be shown in HTML or XML; bidirectional controls
(U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) can make a title read
differently from what it is ("Trojan Source"). Both are left out of what is
published, with a warning naming the line.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
CONTROL_HINT = "delete it; it is often pasted from a terminal"
BIDI_HINT = "delete it; it can make the text read differently from what it is"


def strip(pattern: re.Pattern[str], text: str) -> tuple[str, str | None]:
    """``text`` without the characters ``pattern`` matches, and a description of the first one (None: none found)."""
    m = pattern.search(text)
    if m is None:
        return text, None
    return pattern.sub("", text), f"U+{ord(m.group()):04X}"
