"""The per-update attribute block at the end of an update heading.

``## Monitoring · 2026-11-21 20:30 {#k7f2 voice=operational notify=false}``:
one ``{…}`` block of space-separated items, in the spirit of Markdown's
``attr_list``. ``#ID`` is the update's own id, ``COMPONENT=STATUS`` sets a
component's status from this update on, ``notify=false`` is Statuspage's
``deliver_notifications: false``. The block is language-neutral and shown
nowhere; every problem in it is a diagnostic naming the line.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics, did_you_mean, one_of
from ..model import COMPONENT_STATUSES

# One block at the very end of the heading line; its content holds no braces.
BLOCK = re.compile(r"[ \t]*\{([^{}]*)\}[ \t]*$")
SHORT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
NOTIFY = "notify"
BOOLEANS = ("false", "true")
_LETTERS = string.ascii_lowercase
_ALPHABET = string.ascii_lowercase + string.digits
EXAMPLE = "an attribute block looks like '{#k7f2 voice=degraded_performance notify=false}'"


@dataclass(frozen=True)
class Attributes:
    """What one update heading's attribute block says (model.Update's fields of the same names)."""

    short_id: str | None = None
    components: dict[str, str] = field(default_factory=dict)
    notify: bool = True


def split_block(heading: str) -> tuple[str, str | None]:
    """``(heading without its trailing block, the block's content or None)``."""
    m = BLOCK.search(heading)
    if m is None:
        return heading, None
    return heading[: m.start()].rstrip(), m.group(1)


@dataclass
class AttributeReader:
    """Validates attribute blocks against the site's components."""

    diag: Diagnostics
    components: tuple[str, ...]
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def read(self, content: str, line: int) -> Attributes:
        """The attributes of one block; problems are reported at ``line``."""
        short_id: str | None = None
        components: dict[str, str] = {}
        notify = True
        for item in content.split():
            if item.startswith("#"):
                short_id = self._short_id(item[1:], short_id, line)
            elif "=" in item:
                key, value = item.split("=", 1)
                if key.lower() == NOTIFY:
                    notify = self._notify(value, line, notify)
                else:
                    self._component(key, value, components, line)
            else:
                self.diag.error(line, f"'{item}' in the attribute block is not an id, 'component=status' or 'notify=…'"
                                      f"{did_you_mean(item, (*self.components, NOTIFY))}", EXAMPLE)
        return Attributes(short_id, components, notify)

    def _short_id(self, value: str, previous: str | None, line: int) -> str | None:
        if previous is not None:
            self.diag.error(line, f"second id '#{value}' in one attribute block (the first is '#{previous}')", "keep one")
            return previous
        if not SHORT_ID.fullmatch(value):
            self.diag.error(line, f"'#{value}' is not a valid update id",
                            "an update id is letters, digits and hyphens, starting with a letter or digit, e.g. '#k7f2'")
            return None
        return value

    def _notify(self, value: str, line: int, previous: bool) -> bool:
        word = value.lower()
        if word not in BOOLEANS:
            self.diag.error(line, f"'notify={value}' must be true or false{did_you_mean(word, BOOLEANS)}", "write 'notify=false'")
            return previous
        return word == "true"

    def _component(self, key: str, value: str, out: dict[str, str], line: int) -> None:
        if key in self.groups:
            self.diag.error(line, f"'{key}' is a group, not a component",
                            "name its components instead: " + ", ".join(self.groups[key]))
            return
        if key not in self.components:
            self.diag.error(line, f"unknown component '{key}' in the attribute block{did_you_mean(key, (*self.components, NOTIFY))}",
                            "use a component id declared in mkdocs.yml: " + ", ".join(self.components))
            return
        word = value.lower()
        if word not in COMPONENT_STATUSES:
            self.diag.error(line, f"unknown component status '{value}' for '{key}'{did_you_mean(word, COMPONENT_STATUSES)}",
                            one_of(COMPONENT_STATUSES))
            return
        if key in out:
            self.diag.error(line, f"component '{key}' is set twice in one attribute block", "keep one status for it")
            return
        out[key] = word


def render_block(short_id: str | None = None, components: Mapping[str, str] | None = None, *, notify: bool = True) -> str:
    """The attribute block :meth:`AttributeReader.read` reads back as the same values ('' when there is nothing to say)."""
    items = [f"#{short_id}"] if short_id else []
    items += [f"{cid}={status}" for cid, status in (components or {}).items()]
    if not notify:
        items.append("notify=false")
    return "{" + " ".join(items) + "}" if items else ""


def fresh_id(seed: str, taken: Iterable[str]) -> str:
    """A new update id: six lowercase letters and digits, starting with a letter, not in ``taken`` (any case).

    Derived from ``seed`` (say, the incident id and the update's stamp), so the
    same command on the same file writes the same id.
    """
    used = {t.lower() for t in taken}
    for attempt in itertools.count():
        number = int.from_bytes(hashlib.sha256(f"{seed}\n{attempt}".encode()).digest()[:8], "big")
        chars = [_LETTERS[number % 26]]
        number //= 26
        for _ in range(5):
            chars.append(_ALPHABET[number % 36])
            number //= 36
        candidate = "".join(chars)
        if candidate not in used:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover
