"""The plugin's options in mkdocs.yml, and their translation into :class:`Settings`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError

from .diagnostics import WARNING, Diagnostic, did_you_mean
from .l10n.languages import make_languages, normalize
from .model import Component, Group, Settings
from .parse import invisible
from .parse.dates import DateError, parse_datetime, zone

ID = re.compile(r"[a-z0-9][a-z0-9-]*")


class StatusConfig(base.Config):
    """``plugins: - status: …`` in mkdocs.yml (see PRODUCT.md §3)."""

    incidents_dir = c.Type(str, default="incidents")
    languages = c.Type(list, default=["en"])
    required_languages = c.Optional(c.Type(list))
    timezone = c.Type(str, default="UTC")
    display_timezones = c.Type(list, default=[])
    feed_limit = c.Type(int, default=50)
    components = c.Type(list, default=[])
    notify = c.Type(dict, default={})
    # A fixed "now" for a demo or documentation site: the site is built as of this instant
    # on any date (the example site uses it). Default: the build time, or SOURCE_DATE_EPOCH.
    now = c.Optional(c.Type((str, dt.datetime)))
    allow_remote_media = c.Type(bool, default=False)  # keep images/video/audio from other hosts in update text


def slugify(text: str) -> str:
    """A lowercase ASCII id from a name: ``Engage & Co`` -> ``engage-co``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "group"


def _localized(entry: dict[str, Any], key: str, languages: tuple[str, ...], where: str) -> dict[str, str]:
    """``name`` and ``name_nb``/``name_pt-BR`` -> {lang: text}."""
    out: dict[str, str] = {}
    if entry.get(key) is not None and (text := invisible.BIDI.sub("", str(entry[key]))).strip():
        out[languages[0]] = text
    for k, v in entry.items():
        m = re.fullmatch(rf"{key}[_-](.+)", str(k))
        if m:
            code = normalize(m.group(1))
            if code is None or code not in languages:
                raise ConfigurationError(f"status: {where}: '{k}' names unknown language '{m.group(1)}'; configured languages: {', '.join(languages)}")
            if (text := invisible.BIDI.sub("", str(v))).strip():
                out[code] = text
    return out


def bidi_warnings(config_file: Path, shown: str) -> list[Diagnostic]:
    """A warning for each line of mkdocs.yml with a bidirectional control character (left out of component and group names)."""
    try:
        lines = config_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out: list[Diagnostic] = []
    for number, line in enumerate(lines, 1):
        _clean, found = invisible.strip(invisible.BIDI, line)
        if found:
            out.append(Diagnostic(shown, number, WARNING, f"invisible bidirectional control character {found}; "
                                  "component and group names are shown without it", invisible.BIDI_HINT))
    return out


def _start_date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigurationError(f"status: {where}: start_date '{value}' is not a date; write YYYY-MM-DD") from None


def _clock(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """The ``now:`` option: an instant in the heading syntax, in the site's zone unless one is given."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo:  # YAML read it as a timestamp with a zone
        return value
    try:  # text, or a timestamp without a zone: read as a heading's time in the site's zone (DST rules included)
        return parse_datetime(str(value), tz).at
    except DateError as exc:
        raise ConfigurationError(f"status: now: {exc.message}; write it as YYYY-MM-DD HH:MM [zone], e.g. 2026-11-21 22:00 Europe/Oslo") from None


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigurationError(f"status: {where} must be true or false, not '{value}'")
    return value


COMPONENT_KEYS = re.compile(r"(id|name|description|start_date|group|components)([_-].+)?|only_show_if_degraded")


def build_settings(cfg: StatusConfig | dict[str, Any], *, site_name: str = "", site_url: str | None = None, description: str = "") -> Settings:
    """Validate the plugin options; ConfigurationError with a clear message otherwise."""
    codes: list[str] = []
    for raw in cfg["languages"] or ["en"]:
        code = normalize(str(raw))
        if code is None:
            raise ConfigurationError(f"status: languages: unknown language '{raw}'; use codes such as en, nb, de, pt_BR")
        if code in codes:
            raise ConfigurationError(f"status: languages: '{raw}' is listed twice")
        codes.append(code)
    languages = make_languages(codes)
    lang_codes = tuple(codes)
    required: list[str] = []
    for raw in cfg["required_languages"] if cfg["required_languages"] is not None else codes:
        code = normalize(str(raw))
        if code not in lang_codes:
            raise ConfigurationError(f"status: required_languages: '{raw}' is not one of the configured languages ({', '.join(codes)})")
        required.append(code)  # type: ignore[arg-type]
    try:
        tz = zone(str(cfg["timezone"]))
        display = tuple(zone(str(z)) for z in cfg["display_timezones"]) or (tz,)
    except DateError as exc:
        raise ConfigurationError(f"status: {exc.message}; {exc.hint}") from None
    clock = _clock(cfg.get("now"), tz)
    if int(cfg["feed_limit"]) < 1:
        raise ConfigurationError("status: feed_limit must be at least 1")

    components: list[Component] = []
    groups: list[Group] = []
    seen: set[str] = set()

    def component(entry: Any, position: int, group: str | None) -> Component:
        where = f"components[{position}]"
        if not isinstance(entry, dict) or "id" not in entry:
            raise ConfigurationError(f"status: {where}: each component needs an 'id' (and a 'name')")
        cid = str(entry["id"])
        for key in entry:
            if not COMPONENT_KEYS.fullmatch(str(key)):
                raise ConfigurationError(f"status: component '{cid}': unknown key '{key}'{did_you_mean(str(key), ('id', 'name', 'description', 'start_date', 'only_show_if_degraded'))}")
        if not ID.fullmatch(cid):
            raise ConfigurationError(f"status: component id '{cid}' must be lowercase letters, digits and hyphens")
        if cid in seen:
            raise ConfigurationError(f"status: id '{cid}' is used twice in components")
        seen.add(cid)
        names = _localized(entry, "name", lang_codes, f"component '{cid}'") or {lang_codes[0]: cid}
        if lang_codes[0] not in names:
            names[lang_codes[0]] = cid
        return Component(
            id=cid,
            names=names,
            descriptions=_localized(entry, "description", lang_codes, f"component '{cid}'"),
            position=position,
            group=group,
            start_date=_start_date(entry.get("start_date"), f"component '{cid}'"),
            only_show_if_degraded=_flag(entry.get("only_show_if_degraded", False), f"component '{cid}': only_show_if_degraded"),
        )

    position = 0
    for entry in cfg["components"]:
        if isinstance(entry, dict) and "group" in entry:
            gname = str(entry["group"])
            gid = str(entry.get("id") or slugify(gname))
            if not ID.fullmatch(gid):
                raise ConfigurationError(f"status: group id '{gid}' must be lowercase letters, digits and hyphens")
            if gid in seen:
                raise ConfigurationError(f"status: id '{gid}' is used twice in components")
            seen.add(gid)
            members = entry.get("components")
            if not isinstance(members, list) or not members:
                raise ConfigurationError(f"status: group '{gname}' needs a list of 'components'")
            names = _localized({**entry, "name": entry.get("name", gname)}, "name", lang_codes, f"group '{gname}'")
            group_position = position
            position += 1
            ids = []
            for member in members:
                if isinstance(member, dict) and "group" in member:
                    raise ConfigurationError(f"status: group '{gname}': groups cannot contain groups")
                comp = component(member, position, gid)
                position += 1
                components.append(comp)
                ids.append(comp.id)
            groups.append(Group(gid, names, _localized(entry, "description", lang_codes, f"group '{gname}'"), group_position, tuple(ids)))
        else:
            components.append(component(entry, position, None))
            position += 1
    return Settings(
        site_name=site_name,
        site_url=site_url,
        languages=languages,
        required_languages=tuple(required),
        timezone=tz,
        display_timezones=display,
        components=tuple(components),
        groups=tuple(groups),
        feed_limit=int(cfg["feed_limit"]),
        description=description,
        clock=clock,
    )
