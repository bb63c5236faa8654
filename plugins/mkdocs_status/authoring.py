"""Text the authoring commands write: new incident files and inserted updates.

Pure functions, no I/O and no clock: the CLI passes in "now", the file's text and
the site settings, and gets back the exact text to write. Everything here keeps
to the format contract of PRODUCT.md §2, and an inserted update never changes a
byte of the file outside the inserted block (reading an existing file and placing
an update in it: ``file_layout``, re-exported here).

There is one source for every word written: the status word of a heading is the
parser's own (:func:`~mkdocs_status.parse.incident.heading_word`, English in every
language, as the format has it), and the prose written for the author (the
postmortem skeleton, the maintenance announcement) comes from the gettext catalogs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import yaml

from .diagnostics import HintedError, did_you_mean
from .file_layout import HOUSE_SEPARATOR, Heading, Layout, insert_update, line_ending, scan, with_ids  # noqa: F401 - re-exported: the CLI's
from .l10n.catalogs import N_, has_catalog, translations
from .l10n.languages import normalize
from .model import COMPONENT_STATUSES, IMPACT_COMPONENT_STATUS, INCIDENT_STATUSES, MAINTENANCE, MAINTENANCE_STATUSES, Settings
from .names import slugify as slugify  # re-exported: the CLI and the importer name files with it
from .parse import lexer
from .parse.lexer import lex, unclosed_fence
from .parse.updates import STATUS_ALIASES, reads_as_update
from .parse.updates import heading_word as status_label  # the CLI's name for it
from .postmortem import postmortem_texts as postmortem_texts  # re-exported: the CLI's words
from .postmortem import unfilled_postmortem as unfilled_postmortem  # re-exported (INTERFACES §6)

# The text ``mkdocs-status maintenance`` proposes when none is given.
MAINTENANCE_ANNOUNCEMENT = N_("We will carry out planned maintenance from %(start)s to %(end)s (%(zone)s).")
# Letters NFKD does not reduce to ASCII.
_SLUG_REST = re.compile(r"\d{4}-\d{2}-\d{2}-(.+)")


class AuthoringError(HintedError, ValueError):
    """Input the authoring commands cannot use; ``hint`` says what to do."""


# -- words ------------------------------------------------------------------


def normalize_status(word: str, kind: str, *, allowed: Iterable[str] | None = None) -> str:
    """A status word as typed on the command line -> its normalised form, for this kind of file."""
    statuses = MAINTENANCE_STATUSES if kind == MAINTENANCE else INCIDENT_STATUSES
    choices = tuple(allowed) if allowed is not None else statuses
    text = re.sub(r"[\s_-]+", " ", word.strip().lower())
    text = STATUS_ALIASES.get(text, text).replace(" ", "_")
    if text in choices:
        return text
    shown = ", ".join(s.replace("_", " ") for s in choices)
    other = INCIDENT_STATUSES if kind == MAINTENANCE else MAINTENANCE_STATUSES
    if text in other and text not in statuses:
        what = "a maintenance" if kind == MAINTENANCE else "an incident"
        raise AuthoringError(f"'{word}' is not a status of {what}", f"use one of: {shown}")
    raise AuthoringError(f"unknown status '{word}'{did_you_mean(text, choices)}", f"use one of: {shown}")


def language_code(raw: str, settings: Settings) -> str:
    """A configured language code from ``nb``/``pt-BR``/``pt_br``; AuthoringError otherwise."""
    code = normalize(raw)
    if code is None or code not in settings.language_codes:
        raise AuthoringError(f"unknown language '{raw}'{did_you_mean(raw.replace('-', '_'), settings.language_codes)}",
                             "configured languages: " + ", ".join(settings.language_codes))
    return code


def parse_components(values: Iterable[str], settings: Settings, *, kind: str) -> dict[str, str | None]:
    """``--component interact=major_outage`` (or ``voice,email``) -> {id: status or None}.

    A group id stands for all its components.
    """
    out: dict[str, str | None] = {}
    ids = settings.component_ids()
    groups = {g.id: g.components for g in settings.groups}
    allowed = tuple(s for s in COMPONENT_STATUSES[1:] if s != "under_maintenance")
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            cid, sep, status = item.partition("=") if "=" in item else item.partition(":")
            cid = cid.strip()
            word: str | None = None
            if sep:
                word = re.sub(r"[\s-]+", "_", status.strip().lower())
                if kind == MAINTENANCE:
                    raise AuthoringError(f"'{item}': a maintenance sets its components to under_maintenance",
                                         "give the component ids alone, e.g. --component reporting")
                if word not in allowed:
                    raise AuthoringError(f"unknown component status '{status}' for '{cid}'{did_you_mean(word, allowed)}",
                                         "use one of: " + ", ".join(allowed))
            if cid in groups:
                for member in groups[cid]:
                    out[member] = word
                continue
            if cid not in ids:
                raise AuthoringError(f"unknown component '{cid}'{did_you_mean(cid, [*ids, *groups])}",
                                     "components in mkdocs.yml: " + ", ".join(ids))
            out[cid] = word
    return out


def update_components(values: Iterable[str], settings: Settings) -> dict[str, str]:
    """``update/resolve --component voice=operational`` (repeatable) -> {id: status} for the attribute block.

    Any component status, ``operational`` included; a group id stands for all its components.
    """
    out: dict[str, str] = {}
    ids = settings.component_ids()
    groups = {g.id: g.components for g in settings.groups}
    for value in values:
        cid, sep, status = value.strip().partition("=")
        cid, word = cid.strip(), re.sub(r"[\s-]+", "_", status.strip().lower())
        if not sep or not cid:
            raise AuthoringError(f"--component '{value}' needs a status", f"write it as ID=STATUS, e.g. {ids[0] if ids else 'api'}=operational")
        if word not in COMPONENT_STATUSES:
            raise AuthoringError(f"unknown component status '{status.strip()}' for '{cid}'{did_you_mean(word, COMPONENT_STATUSES)}",
                                 "use one of: " + ", ".join(COMPONENT_STATUSES))
        members = groups.get(cid, (cid,))
        if cid not in groups and cid not in ids:
            raise AuthoringError(f"unknown component '{cid}'{did_you_mean(cid, [*ids, *groups])}", "components in mkdocs.yml: " + ", ".join(ids))
        for member in members:
            if member in out and out[member] != word:
                raise AuthoringError(f"--component gives '{member}' two statuses ({out[member]} and {word})", "give one")
            out[member] = word
    return out


# -- text pieces -------------------------------------------------------------


def stamp(at: dt.datetime) -> str:
    """``2026-11-21 22:04:09 +01:00``: seconds and an explicit offset, so updates never tie or drift."""
    offset = at.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{at:%Y-%m-%d %H:%M:%S} {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def unique_id(date: dt.date, slug: str, taken: set[str] | frozenset[str]) -> str:
    """``2026-11-21-queue-login``, or ``…-2``, ``…-3`` when the id is taken."""
    base = f"{date:%Y-%m-%d}-{slug}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def yaml_scalar(text: str) -> str:
    """A front matter value: plain when YAML reads it back as the same text, else double-quoted."""
    if text and "\n" not in text and text == text.strip():
        try:
            node = yaml.compose(f"k: {text}\n", Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            node = None
        if (isinstance(node, yaml.MappingNode) and len(node.value) == 1 and isinstance(node.value[0][1], yaml.ScalarNode)
                and node.value[0][1].style is None and node.value[0][1].value == text):
            return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    escaped = "".join(c if unicodedata.category(c)[0] != "C" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def safe_body(text: str) -> str:
    """Text that stays inside its update, whatever it holds.

    A level-1 or level-2 heading becomes level 3, a heading of any level that
    reads as an update is escaped (shown as written), a ``:::`` line is indented so it
    is not a language block, a ``---``/``===`` line under a paragraph gets a blank
    line before it (a rule, not a heading), and an unclosed code fence is closed,
    so it cannot swallow the updates after it.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    tokens = list(lex(lines))
    for token in tokens:
        line = token.text
        if token.kind == lexer.HEADING and reads_as_update(token.value):
            line = "\\" + line.lstrip()  # shown as written, never read as an update of its own
        elif token.is_update_heading or (token.level == 1 and token.is_markdown_heading):
            line = "### " + token.value
        elif token.kind in (lexer.BLOCK_OPEN, lexer.BLOCK_CLOSE):
            line = " " + line
        elif token.kind == lexer.SETEXT:
            out.append("")
        out.append(line)
    fence_line = unclosed_fence(tokens)
    if fence_line is not None:
        out.append(lexer.fence_marker(lines[fence_line - 1]))
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(line.rstrip() if not line.strip() else line for line in out)


def ordered_texts(texts: Mapping[str, str], own_lang: str, languages: Iterable[str]) -> list[tuple[str, str]]:
    """(language, text) pairs: the file's own language first, then the configured order."""
    order = [own_lang, *[lang for lang in languages if lang != own_lang]]
    order += sorted(lang for lang in texts if lang not in order)
    return [(lang, texts[lang]) for lang in order if texts.get(lang, "").strip()]


def render_update(status: str, at: dt.datetime, texts: Mapping[str, str], own_lang: str, languages: Iterable[str],
                  *, separator: str = HOUSE_SEPARATOR, block: str = "") -> str:
    """One update: heading (ending with the attribute ``block``, if any), own-language text, then a ``::: <lang>`` block per other language.

    Written with ``\\n`` line endings; ends with exactly one.
    """
    lines = [f"## {status_label(status)} {separator} {stamp(at)} {block}".replace("  ", " ").rstrip()]
    for lang, text in ordered_texts(texts, own_lang, languages):
        body = safe_body(text)
        if not body:
            continue
        lines.append("")
        if lang == own_lang:
            lines.append(body)
        else:
            lines += [f"::: {lang}", body, ":::"]
    return "\n".join(lines) + "\n"


@dataclass
class NewFile:
    """What a new incident or maintenance file holds."""

    titles: dict[str, str]  # own language first
    own_lang: str
    kind: str  # INCIDENT or MAINTENANCE
    impact: str | None
    components: dict[str, str | None]
    status: str
    at: dt.datetime
    texts: dict[str, str]
    scheduled_for: str | None = None
    scheduled_until: str | None = None
    started_at: str | None = None
    comments: list[str] = field(default_factory=list)  # ``# …`` lines at the end of the front matter
    extra_updates: list[tuple[str, dt.datetime, dict[str, str]]] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # attribute block per update (first, then extra_updates); '' or missing: none


def render_components(components: Mapping[str, str | None], impact: str | None) -> list[str]:
    if not components:
        return []
    if all(status is None for status in components.values()):
        return [f"components: [{', '.join(components)}]"]
    implied = IMPACT_COMPONENT_STATUS.get(impact or "none")
    lines = ["components:"]
    for cid, status in components.items():
        value = status or implied
        lines.append(f"  {cid}: {value}" if value else f"  {cid}:")
    return lines


def render_file(new: NewFile, settings: Settings) -> str:
    """The whole text of a new incident or maintenance file."""
    fm = ["---"]
    if new.kind == MAINTENANCE:
        fm.append("type: maintenance")
    if new.own_lang != settings.default_language:
        fm.append(f"lang: {new.own_lang}")
    fm.append(f"title: {yaml_scalar(new.titles[new.own_lang])}")
    for lang, title in new.titles.items():
        if lang != new.own_lang:
            fm.append(f"title_{lang}: {yaml_scalar(title)}")
    if new.kind != MAINTENANCE:
        fm.append(f"impact: {new.impact or 'none'}")
    fm += render_components(new.components, new.impact)
    if new.started_at:
        fm.append(f'started_at: "{new.started_at}"')
    if new.scheduled_for:
        fm.append(f'scheduled_for: "{new.scheduled_for}"')
    if new.scheduled_until:
        fm.append(f'scheduled_until: "{new.scheduled_until}"')
    fm += [f"# {c}" for c in new.comments]
    fm.append("---")
    updates = [(new.status, new.at, new.texts), *new.extra_updates]
    parts = ["\n".join(fm) + "\n"]
    for index, (status, at, texts) in enumerate(updates):
        block = new.blocks[index] if index < len(new.blocks) else ""
        parts.append("\n" + render_update(status, at, texts, new.own_lang, settings.language_codes, block=block))
    return "".join(parts)


def maintenance_texts(languages: Iterable[str], start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> dict[str, str]:
    """The announcement of a maintenance window, its times in ``tz``: in the first language, and in each other with a catalog.

    ``from 2026-12-01 22:00 to 23:00 (Europe/Oslo)``: the end's date only when it is another day.
    A language without a catalog gets no text (English in its block would claim to be it).
    """
    s, e = start.astimezone(tz), end.astimezone(tz)
    values = {"start": f"{s:%Y-%m-%d %H:%M}", "end": f"{e:%H:%M}" if e.date() == s.date() else f"{e:%Y-%m-%d %H:%M}",
              "zone": getattr(tz, "key", str(tz))}
    langs = list(languages)
    return {lang: translations(lang).gettext(MAINTENANCE_ANNOUNCEMENT) % values for lang in langs if lang == langs[0] or has_catalog(lang)}


# -- finding an incident by id ---------------------------------------------------


def find_incident(query: str, ids: Iterable[str]) -> str:
    """The id a user means: exact, else a unique id prefix, else a unique prefix of the part after the date.

    AuthoringError with the candidates or a did-you-mean otherwise.
    """
    ids = sorted(set(ids))
    q = query.strip().lower().removesuffix(".md")
    q = q.rsplit("/", 1)[-1]
    if q in ids:
        return q
    if not q:
        raise AuthoringError("no incident id given", "give the id (the file name without .md), or its start")
    matches = [i for i in ids if i.startswith(q)]
    if not matches:
        matches = [i for i in ids if (m := _SLUG_REST.fullmatch(i)) and m.group(1).startswith(q)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(matches[:8]) + (f" and {len(matches) - 8} more" if len(matches) > 8 else "")
        raise AuthoringError(f"'{query}' matches {len(matches)} incidents: {shown}", "give more of the id")
    rests = {m.group(1): i for i in ids if (m := _SLUG_REST.fullmatch(i))}
    close = difflib.get_close_matches(q, ids, n=1, cutoff=0.6) or [rests[r] for r in difflib.get_close_matches(q, list(rests), n=1, cutoff=0.6)]
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    if not ids:
        raise AuthoringError(f"no incident '{query}'", "there are no incident files yet; create one with 'mkdocs-status new'")
    raise AuthoringError(f"no incident '{query}'{hint}",
                         f"ids are file names without .md; recent ones: {', '.join(ids[-3:])}")


# -- editor text ------------------------------------------------------------------


def editor_template(own_lang: str, languages: Iterable[str], headline: str, prefill: Mapping[str, str] | None = None) -> str:
    """The text $EDITOR opens on: own-language text on top, a block per other language."""
    prefill = prefill or {}
    others = [lang for lang in languages if lang != own_lang]
    parts = [prefill.get(own_lang, ""), ""]
    for lang in others:
        parts += [f"::: {lang}", prefill.get(lang, ""), ":::", ""]
    parts += [f"# {headline}",
              f"# Write the text in '{own_lang}' at the top" + (", and translations inside the ::: blocks." if others else "."),
              "# Lines starting with '# ' are ignored. Leave it all empty to cancel."]
    return "\n".join(parts) + "\n"


def read_editor_text(text: str, own_lang: str, settings: Settings) -> dict[str, str]:
    """Split what the author wrote in $EDITOR into {language: text}; comment lines dropped."""
    texts: dict[str, list[str]] = {}
    block: str | None = None
    for token in lex(text.replace("\r\n", "\n").split("\n")):
        number, line = token.number, token.text
        if token.kind == lexer.HEADING and (line == "#" or line.startswith("# ")):
            continue  # a comment of the template
        if token.kind == lexer.BLOCK_CLOSE:
            if block is None:
                raise AuthoringError(f"line {number}: stray ':::'", "open a block with '::: <lang>'")
            block = None
            continue
        if token.kind == lexer.BLOCK_OPEN:
            if block is not None:
                raise AuthoringError(f"line {number}: ::: block opened inside another", "close the first with ':::'")
            block = language_code(token.value, settings)
            if block == own_lang:
                raise AuthoringError(f"line {number}: ::: {token.value} is the file's own language", "write that text outside any block")
            continue
        texts.setdefault(block or own_lang, []).append(line)
    if block is not None:
        raise AuthoringError(f"the ::: {block} block is not closed", "end it with a line ':::'")
    return {lang: "\n".join(lines).strip() for lang, lines in texts.items() if "\n".join(lines).strip()}
