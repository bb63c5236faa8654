"""The plugin's options in mkdocs.yml (typed, on MkDocs' config machinery), and their translation into :class:`Settings`.

Every option is validated by its type (:mod:`.option_types`), and every error is reported
at once with its path (``components[2].start_date``); :func:`build_settings` only turns the
validated options into the model.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import ConfigurationError

from .diagnostics import WARNING, Diagnostic
from .l10n.languages import make_languages, normalize
from .model import Component, Group, Settings
from .names import group_id
from .notify.schema import NotifyOption
from .option_types import AtLeast, CollectingConfig, Entry, Flag, LanguageCode, ListOf, OptionErrors, Renamed, TimeZone, errors_of
from .parse import invisible
from .parse.dates import DateError, parse_datetime

ID = re.compile(r"[a-z0-9][a-z0-9-]*")


class Id(c.OptionallyRequired[str]):
    """A component or group id: lowercase letters, digits and hyphens (it is part of URLs)."""

    def validate(self, value: object) -> str | None:
        if value is None and self.required:
            raise ValidationError("each component needs an 'id' (and a 'name')")
        return None if value is None else self.run_validation(value)

    def run_validation(self, value: object) -> str:
        if not ID.fullmatch(str(value)):
            raise ValidationError(f"id '{value}' must be lowercase letters, digits and hyphens")
        return str(value)


class Text(c.OptionallyRequired[str]):
    """A name or description: one line of text (a number is read as text)."""

    def run_validation(self, value: object) -> str:
        if isinstance(value, (dict, list)):
            raise ValidationError(f"expected text, not {value!r}")
        return str(value)


class Day(c.OptionallyRequired[dt.date]):
    """A calendar day, ``YYYY-MM-DD`` (YAML reads it as a date already)."""

    def run_validation(self, value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(f"'{value}' is not a date; write YYYY-MM-DD") from None


class NamedConfig(CollectingConfig):
    """What a component and a group both have: a name and a description, each also per language (``name_nb``)."""

    localized = ("name", "description")
    unknown_keys_are_errors = True
    name = c.Optional(Text())
    description = c.Optional(Text())


class ComponentConfig(NamedConfig):
    """One component of ``components:`` (or of a group's ``components:``)."""

    id = Id()
    start_date = c.Optional(Day())
    only_show_if_degraded = Flag(False)


class ComponentEntry(Entry):
    """A component in a list: a group's member may not be a group itself."""

    config_class = ComponentConfig
    example = "{id: api, name: API}"

    def run_validation(self, value: object) -> ComponentConfig:
        if isinstance(value, dict) and "group" in value:
            raise ValidationError("groups cannot contain groups; list the components themselves")
        return super().run_validation(value)


class Members(ListOf[ComponentConfig]):
    """A group's ``components:``: at least one."""

    def run_validation(self, value: object) -> list[ComponentConfig]:
        if not isinstance(value, list) or not value:
            raise ValidationError("a group needs a list of 'components'")
        return super().run_validation(value)


class GroupConfig(NamedConfig):
    """A group of ``components:``: ``group: Name`` and its own ``components:``."""

    group = Text()
    id = c.Optional(Id())
    components = Members(ComponentEntry())

    def validate(self) -> Any:
        failed, warnings = super().validate()
        if self.get("id") is None and isinstance(self.get("group"), str):
            self["id"] = group_id(self["group"])  # the default id: the slug of the group's name
        return failed, warnings


class GroupEntry(Entry):
    """A group in ``components:``."""

    config_class = GroupConfig
    example = "{group: Engage, components: [...]}"


class Components(ListOf[Any]):
    """``components:``: components and groups; ids unique across both; names only in configured languages."""

    def __init__(self) -> None:
        super().__init__(ComponentEntry(), default=[])
        self.groups = GroupEntry()

    def run_validation(self, value: object) -> list[Any]:
        if not isinstance(value, list):
            raise ValidationError(f"expected a list of components, not {value!r}")
        checked: dict[int, Any] = {}  # position in the list -> the validated entry
        errors: list[tuple[str, str]] = []
        for index, entry in enumerate(value):
            option = self.groups if isinstance(entry, dict) and "group" in entry else self.option_type
            try:
                checked[index] = option.run_validation(entry)
            except ValidationError as exc:
                errors += errors_of(exc, f"[{index}]")
        errors += _repeated_ids(checked) + self._foreign_names(value)
        if errors:
            raise OptionErrors(errors)
        return list(checked.values())

    def _languages(self) -> list[str]:
        """The configured language codes (as far as they are valid): names may only be given in these."""
        given = getattr(self, "_config", {}).get("languages") or ["en"]
        return [code for code in (normalize(str(x)) for x in given if isinstance(given, list)) if code]

    def _foreign_names(self, value: list[Any]) -> list[tuple[str, str]]:
        """``name_de`` in an entry (or a group's member) when ``de`` is not a configured language."""
        codes = self._languages()
        errors: list[tuple[str, str]] = []
        for path, entry in _raw_entries(value):
            for key in entry:
                m = re.fullmatch(r"(name|description)[_-](.+)", str(key))
                code = normalize(m.group(2)) if m else None
                if code and code not in codes:
                    errors.append((f"{path}.{key}", f"'{key}' names language '{code}', which is not one of the configured languages ({', '.join(codes)})"))
        return errors


def _raw_entries(entries: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path, mapping) of every entry of ``components:`` as written, a group's members included."""
    out: list[tuple[str, dict[str, Any]]] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, dict):
            out.append((f"[{index}]", entry))
            members = entry.get("components") if "group" in entry else None
            out += [(f"[{index}].components[{j}]", m) for j, m in enumerate(members if isinstance(members, list) else []) if isinstance(m, dict)]
    return out


def _entries(entries: dict[int, Any]) -> list[tuple[str, Any]]:
    """(path, entry) of every component and group (by position), members included: ``[1]``, ``[1].components[0]``."""
    out: list[tuple[str, Any]] = []
    for index, entry in entries.items():
        out.append((f"[{index}]", entry))
        if isinstance(entry, GroupConfig):
            out += [(f"[{index}].components[{j}]", member) for j, member in enumerate(entry["components"])]
    return out


def _repeated_ids(entries: dict[int, Any]) -> list[tuple[str, str]]:
    """An error at each repeat of an id (components and groups share one namespace: both have pages)."""
    first: dict[str, str] = {}
    errors: list[tuple[str, str]] = []
    for path, entry in _entries(entries):
        eid = entry["id"]
        if eid in first:
            errors.append((f"{path}.id", f"id '{eid}' is used twice in components (first at components{first[eid]})"))
        first.setdefault(eid, path)
    return errors


class LanguageSubset(ListOf[str]):
    """``required_languages``: codes that must be among ``languages``; None means all of them."""

    def __init__(self) -> None:
        super().__init__(LanguageCode())

    def validate(self, value: object) -> list[str] | None:
        return None if value is None else self.run_validation(value)

    def post_validation(self, config: Any, key_name: str) -> None:
        codes = [normalize(str(x)) for x in config.get("languages") or ["en"]]
        errors = [(f"[{i}]", f"'{code}' is not one of the configured languages ({', '.join(map(str, codes))})")
                  for i, code in enumerate(config[key_name] or []) if code not in codes]
        if errors:
            raise OptionErrors(errors)


class Clock(c.OptionallyRequired[dt.datetime]):
    """``now:``: the instant the site is built as of, read in the site's zone unless it names one (None: the build time)."""

    def validate(self, value: object) -> Any:
        return None if value is None else self.run_validation(value)

    def run_validation(self, value: object) -> Any:
        if not isinstance(value, (str, dt.datetime)):
            raise ValidationError(f"expected a date and time such as 2026-11-21 22:00, not {value!r}")
        return value

    def post_validation(self, config: Any, key_name: str) -> None:
        tz = config.get("timezone")
        if config.get(key_name) is not None and isinstance(tz, dt.tzinfo):
            try:
                config[key_name] = _clock(config[key_name], tz)
            except ConfigurationError as exc:
                raise ValidationError(str(exc).removeprefix("now: ")) from None


class StatusConfig(CollectingConfig):
    """``plugins: - status: …`` in mkdocs.yml (see PRODUCT.md §3)."""

    incidents_dir = c.Type(str, default="incidents")
    languages = ListOf(LanguageCode(), default=["en"], unique=True)
    required_languages = LanguageSubset()
    timezone = TimeZone(default="UTC")
    # Statuspage's name of the page's zone (its API's `time_zone`): still read, with a deprecation warning.
    time_zone = Renamed("timezone", "Statuspage's name for this option")
    display_timezones = ListOf(TimeZone(), default=[])
    feed_limit = AtLeast(1, default=50)
    components = Components()
    notify = NotifyOption()
    # A fixed "now" for a demo or documentation site: the site is built as of this instant
    # on any date (the example site uses it). Default: the build time, or SOURCE_DATE_EPOCH.
    now = Clock()
    allow_remote_media = Flag(False)  # keep images/video/audio from other hosts in update text


def validated(options: dict[str, Any], config_file_path: str | None = None) -> StatusConfig:
    """The status options of a mapping, validated; ConfigurationError listing every error (each with its path) otherwise."""
    cfg = StatusConfig(config_file_path=config_file_path)
    cfg.load_dict(dict(options))
    failed, _warnings = cfg.validate()
    if failed:
        raise ConfigurationError("\n".join(f"status: {path}: {exc}" for path, exc in failed))
    return cfg


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


def _clock(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """The ``now:`` option: an instant in the heading syntax, in the site's zone unless one is given."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.tzinfo:  # YAML read it as a timestamp with a zone
        return value
    try:  # text, or a timestamp without a zone: read as a heading's time in the site's zone (DST rules included)
        return parse_datetime(str(value), tz).at
    except DateError as exc:
        raise ConfigurationError(f"now: {exc.message}; write it as YYYY-MM-DD HH:MM [zone], e.g. 2026-11-21 22:00 Europe/Oslo") from None


def _texts(entry: CollectingConfig, key: str, default_language: str, fallback: str | None = None) -> dict[str, str]:
    """``name`` and ``name_nb``/``name_pt-BR`` -> {lang: text}: bidirectional controls left out, blank texts dropped,
    ``fallback`` (an id, a group's name) for the default language when it has none."""
    given = {default_language: entry[key]} if entry[key] is not None else {}
    out = {lang: invisible.BIDI.sub("", str(text)) for lang, text in {**given, **entry.translations.get(key, {})}.items()}
    out = {lang: text for lang, text in out.items() if text.strip()}
    if fallback is not None and default_language not in out:
        out[default_language] = invisible.BIDI.sub("", fallback)
    return out


def _component(entry: ComponentConfig, position: int, group: str | None, default_language: str) -> Component:
    return Component(id=entry["id"], names=_texts(entry, "name", default_language, entry["id"]),
                     descriptions=_texts(entry, "description", default_language), position=position, group=group,
                     start_date=entry["start_date"], only_show_if_degraded=entry["only_show_if_degraded"])


def _components(entries: list[Any], default_language: str) -> tuple[list[Component], list[Group]]:
    """The model's components and groups, numbered in the order mkdocs.yml lists them (a group before its members)."""
    components: list[Component] = []
    groups: list[Group] = []
    position = 0
    for entry in entries:
        if not isinstance(entry, GroupConfig):
            components.append(_component(entry, position, None, default_language))
            position += 1
            continue
        members = [_component(m, position + 1 + j, entry["id"], default_language) for j, m in enumerate(entry["components"])]
        groups.append(Group(entry["id"], _texts(entry, "name", default_language, entry["group"]), _texts(entry, "description", default_language), position, tuple(m.id for m in members)))
        components += members
        position += 1 + len(members)
    return components, groups


def build_settings(cfg: StatusConfig | dict[str, Any], *, site_name: str = "", site_url: str | None = None, description: str = "") -> Settings:
    """The model's Settings of the validated options (a plain mapping is validated first: ConfigurationError otherwise)."""
    if not isinstance(cfg, StatusConfig):
        cfg = validated(cfg)
    codes = cfg["languages"] or ["en"]
    components, groups = _components(cfg["components"], codes[0])
    required = cfg["required_languages"]
    return Settings(
        site_name=site_name,
        site_url=site_url,
        languages=make_languages(codes),
        required_languages=tuple(codes if required is None else required),
        timezone=cfg["timezone"],
        display_timezones=tuple(cfg["display_timezones"]) or (cfg["timezone"],),
        components=tuple(components),
        groups=tuple(groups),
        feed_limit=cfg["feed_limit"],
        description=description,
        clock=cfg["now"],
    )
