"""Option types for mkdocs.yml, on MkDocs' own config machinery, that report every error.

MkDocs stops at the first failed option (``Config._validate`` breaks), and ``SubConfig`` and
``ListOfItems`` report only their first failed entry. A site owner who mistypes three
options should read three errors in one run, each with its path. So:

- :class:`OptionErrors` is a ``ValidationError`` that carries several errors, each with its
  path below the option (``[2].start_date``);
- :class:`CollectingConfig` validates every option (pre, run and post validation) and returns
  one ``(path, error)`` per error: MkDocs prints them as
  ``Plugin 'status' option 'components[2].start_date': …``;
- :class:`ListOf` and :class:`Entry` are ``ListOfItems`` and ``SubConfig`` that collect too;
- :class:`TimeZone` and :class:`LanguageCode` are the two value types of the site's options.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from .diagnostics import did_you_mean
from .l10n.languages import normalize
from .parse.dates import DateError, zone

T = TypeVar("T")


class OptionErrors(ValidationError):
    """Every error of one option: (path below the option, message) pairs; ``""`` is the option itself."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" if path else message for path, message in errors))


def sub_path(parent: str, child: str) -> str:
    """``components`` + ``[2].start_date`` -> ``components[2].start_date``; ``notify`` + ``slack`` -> ``notify.slack``."""
    if not child:
        return parent
    if not parent or child.startswith("["):
        return parent + child
    return f"{parent}.{child}"


def errors_of(exc: Exception, below: str = "") -> list[tuple[str, str]]:
    """The (path, message) pairs of an option's error, each path put below ``below``."""
    pairs = exc.errors if isinstance(exc, OptionErrors) else [("", str(exc))]
    return [(sub_path(below, path), message) for path, message in pairs]


class CollectingConfig(base.Config):
    """A Config whose ``validate()`` runs every option and reports every error, each with its path.

    ``localized`` names the keys that also come per language (``name_nb``, ``name_pt-BR``):
    they are taken out before validation into :attr:`translations` (``{key: {lang: text}}``).
    With ``unknown_keys_are_errors`` a key the schema does not know is an error with a
    did-you-mean hint (a component entry); otherwise MkDocs' warning, with the hint.
    """

    localized: tuple[str, ...] = ()
    unknown_keys_are_errors = False
    given: frozenset[str] = frozenset()  # the keys mkdocs.yml wrote (not defaults)

    def load_dict(self, patch: dict[str, Any]) -> None:
        super().load_dict(patch)
        self.given = self.given | {str(k) for k in patch}

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        self.translations: dict[str, dict[str, str]] = {}
        failed = self._take_translations()
        pre_failed, warnings = self._pre_validate()
        failed += pre_failed
        done = self._run_options(failed, warnings)
        self._unknown_keys(failed, warnings)
        for key, option in self._schema:
            if key in done:
                self._step(key, lambda k=key, o=option: o.post_validation(self, key_name=k), failed, warnings)
        return [(path, ValidationError(message)) for key, exc in failed for path, message in errors_of(exc, key)], warnings

    def _step(self, key: str, step: Any, failed: base.ConfigErrors, warnings: base.ConfigWarnings) -> bool:
        """Run one validation step of one option; its error and warnings are recorded. True if it passed."""
        option = dict(self._schema)[key]
        try:
            step()
            return True
        except ValidationError as exc:
            failed.append((key, exc))
            return False
        finally:
            warnings.extend((key, w) for w in option.warnings)
            option.reset_warnings()

    def _run_options(self, failed: base.ConfigErrors, warnings: base.ConfigWarnings) -> set[str]:
        """Validate each option that pre-validation let through; the keys that passed."""
        skip = {key for key, _ in failed}
        done: set[str] = set()
        for key, option in self._schema:
            if key not in skip and self._step(key, lambda k=key, o=option: self.__setitem__(k, o.validate(self.get(k))), failed, warnings):
                done.add(key)
        return done

    def _take_translations(self) -> base.ConfigErrors:
        """Move ``name_nb`` … into :attr:`translations`; an unknown language code is an error of that key."""
        failed: base.ConfigErrors = []
        for key in [k for k in self if k not in self._schema_keys]:
            m = re.fullmatch(rf"({'|'.join(self.localized)})[_-](.+)", str(key)) if self.localized else None
            if not m:
                continue
            value = self.pop(key)
            try:
                if isinstance(value, (dict, list)):
                    raise ValidationError(f"expected text, not {value!r}")
                code = LanguageCode().run_validation(m.group(2))
            except ValidationError as exc:
                failed.append((str(key), exc))
                continue
            self.translations.setdefault(m.group(1), {})[code] = value
        return failed

    def _unknown_keys(self, failed: base.ConfigErrors, warnings: base.ConfigWarnings) -> None:
        known = sorted(self._schema_keys - {k for k, o in self._schema if isinstance(o, c.Deprecated)})
        for key in [k for k in self if k not in self._schema_keys]:
            message = f"unknown key '{key}'{did_you_mean(str(key), known)}; the keys are {', '.join(known)}"
            if self.unknown_keys_are_errors:
                failed.append((str(key), ValidationError(message)))
            else:
                warnings.append((str(key), f"Unrecognised configuration name: {key}{did_you_mean(str(key), known)}"))


class ListOf(c.ListOfItems[T]):
    """``ListOfItems`` that validates every item and reports each failed one at ``[i]`` (MkDocs: the first only).

    ``unique`` makes a repeated value an error of its second place.
    """

    def __init__(self, option_type: c.BaseConfigOption[T], default: Any = None, *, unique: bool = False) -> None:
        super().__init__(option_type, default)
        self.unique = unique

    def run_validation(self, value: object) -> list[T]:
        if value is None:
            value = self.default
        if not isinstance(value, list):
            raise ValidationError(f"expected a list, not {value!r}")
        out: list[T] = []
        errors: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            try:
                checked = self.option_type.run_validation(item)
            except ValidationError as exc:
                errors += errors_of(exc, f"[{index}]")
                continue
            if self.unique and checked in out:
                errors.append((f"[{index}]", f"'{item}' is listed twice"))
            out.append(checked)
        if errors:
            raise OptionErrors(errors)
        return out


class Entry(c.SubConfig):
    """A ``SubConfig`` (one mapping of a list, e.g. a component) that reports all its errors, each at its key.

    A subclass names its ``config_class`` (a :class:`CollectingConfig`).
    """

    #: What the entry is, for "each component is a mapping such as …".
    example = "{id: …, name: …}"

    def run_validation(self, value: object) -> Any:
        if not isinstance(value, dict):
            raise ValidationError(f"expected a mapping such as {self.example}, not {value!r}")
        config = self.config_class(config_file_path=self._config_file_path)
        config.load_dict(value)
        failed, warnings = config.validate()
        self.warnings.extend(f"{key}: {message}" for key, message in warnings)
        if failed:
            raise OptionErrors([(key, str(exc)) for key, exc in failed])
        return config


@cache
def _locale_codes() -> tuple[str, ...]:
    from babel.localedata import locale_identifiers

    return tuple(sorted(locale_identifiers()))


class LanguageCode(c.OptionallyRequired[str]):
    """A language code babel knows (``nb``, ``pt_BR``, ``pt-BR``), normalized to babel's form (``pt_BR``)."""

    def run_validation(self, value: object) -> str:
        code = normalize(str(value))
        if code is None:
            raise ValidationError(f"unknown language '{value}'{did_you_mean(str(value).replace('-', '_'), _locale_codes())}; "
                                  "use codes such as en, nb, de, pt_BR")
        return code


class TimeZone(c.OptionallyRequired[ZoneInfo]):
    """An IANA time zone by its tzdata key (``Europe/Oslo``); a misspelling gets a did-you-mean."""

    def run_validation(self, value: object) -> ZoneInfo:
        try:
            return zone(str(value))
        except DateError as exc:
            raise ValidationError(f"{exc.message}; {exc.hint}") from None


class AtLeast(c.Type[int]):
    """A whole number of at least ``minimum``."""

    def __init__(self, minimum: int, default: int) -> None:
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise ValidationError(f"expected a whole number of at least {self.minimum}, not {value!r}")
        return value


class Flag(c.Type[bool]):
    """``true`` or ``false`` (YAML's booleans), with a did-you-mean for near misses such as ``flase``."""

    def __init__(self, default: bool | None = False) -> None:
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"must be true or false, not '{value}'{did_you_mean(str(value), ('true', 'false'))}")
        return value


class Renamed(c.Deprecated):
    """An old name of an option: it still works, with MkDocs' deprecation warning (which fails ``--strict``).

    Giving both names is an error (MkDocs would silently keep the old one's value).
    """

    def __init__(self, moved_to: str, why: str) -> None:
        super().__init__(moved_to=moved_to, message=f"'{{}}' is {why}; it is read as '{moved_to}' for now: write '{moved_to}' instead")

    def pre_validation(self, config: base.Config, key_name: str) -> None:
        if config.get(key_name) is not None and self.moved_to in getattr(config, "given", ()):
            raise ValidationError(f"'{key_name}' and '{self.moved_to}' are the same option; keep only '{self.moved_to}'")
        super().pre_validation(config, key_name)
