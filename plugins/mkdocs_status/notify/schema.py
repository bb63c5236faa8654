"""The shape of ``notify:`` in mkdocs.yml, as typed options on MkDocs' config machinery.

:class:`NotifyOption` is the plugin's ``notify`` option. It never fails the build: a notify
mistake is ``mkdocs-status notify``'s problem (exit 2 there), so the build shows each one
as a warning (which ``--strict`` turns into a failure) and the site still publishes. What it
returns, a :class:`NotifySection`, holds the policy, every channel entry with its shape
problems (a broken channel is reported by name; the others still send) and the problems of
the section itself. Reading the secrets from the environment and building the channels is
:mod:`.options`' job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from ..diagnostics import did_you_mean
from ..option_types import CollectingConfig, Flag, LanguageCode

HTTP_KINDS = ("webhooks", "slack", "teams", "discord")
KINDS = (*HTTP_KINDS, "email")
POLICY = {"retries": (3, True, 0), "backoff": (1.0, False, 0), "timeout": (10.0, False, 0.001)}  # default, whole, minimum
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class EnvName(c.OptionallyRequired[str]):
    """The name of an environment variable (that holds a secret)."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not ENV_NAME.fullmatch(value):
            raise ValidationError(f"{self._name}: '{value}' is not an environment variable name")
        return value


class Needed(c.OptionallyRequired[Any]):
    """An email channel's ``smtp``, ``from`` or ``to``: required."""

    def validate(self, value: object) -> Any:
        if not value:
            raise ValidationError(f"'{self._name}' is required (smtp: host:port, from: address, to: [addresses])")
        return self.run_validation(value)


class HostPort(Needed):
    """``smtp: host:port`` (``[::1]:25`` for an IPv6 address; the port defaults to 587)."""

    def run_validation(self, value: object) -> tuple[str, int]:
        text = str(value)
        m = re.fullmatch(r"\[([0-9a-fA-F:.]+)\](?::(\d+))?|([^:\s]+)(?::(\d+))?", text.strip())
        if not m:
            raise ValidationError(f"smtp '{text}' is not host:port (e.g. smtp.example.com:587)")
        port = int(m.group(2) or m.group(4) or 587)
        if not 0 < port < 65536:
            raise ValidationError(f"smtp port {port} is out of range")
        return m.group(1) or m.group(3), port


class Addresses(c.OptionallyRequired[tuple[str, ...]]):
    """An address or a list of addresses."""

    def run_validation(self, value: object) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(a, str) and "@" in a for a in items):
            raise ValidationError(f"'{self._name}' must be an address or a list of addresses")
        return tuple(a.strip() for a in items)


class Required(Needed, Addresses):
    """``to``: required, and addresses."""


class Sender(Needed):
    def run_validation(self, value: object) -> str:
        return str(value)


class ChannelConfig(CollectingConfig):
    """What every channel may say: a ``name`` for the logs and the ``language`` of its messages."""

    unknown_keys_are_errors = True
    name = c.Optional(c.Type(str))
    language = c.Optional(LanguageCode())


class ChatConfig(ChannelConfig):
    """A Slack, Teams or Discord webhook: its URL, or the variable that holds it."""

    url = c.Optional(c.Type(str))
    url_env = c.Optional(EnvName())

    def validate(self) -> Any:
        failed, warnings = super().validate()
        if (self.get("url") is None) == (self.get("url_env") is None):
            failed.append(("url", ValidationError(
                "give exactly one of 'url' or 'url_env' (the name of an environment variable holding the URL)")))
        return failed, warnings


class WebhookConfig(ChatConfig):
    """A generic webhook: a URL and an optional HMAC signing key (by variable name)."""

    secret_env = c.Optional(EnvName())


class EmailConfig(ChannelConfig):
    """An SMTP channel."""

    smtp = HostPort()
    username_env = c.Optional(EnvName())
    password_env = c.Optional(EnvName())
    from_ = Sender()
    to = Required()
    bcc = c.Optional(Addresses())
    starttls = Flag(True)
    tls = c.Optional(Flag(None))  # default: true on port 465

    def validate(self) -> Any:
        failed, warnings = super().validate()
        if (self.get("username_env") is None) != (self.get("password_env") is None):
            failed.append(("username_env", ValidationError("give both 'username_env' and 'password_env', or neither")))
        return failed, warnings


SCHEMAS: dict[str, type[ChannelConfig]] = {"webhooks": WebhookConfig, "slack": ChatConfig, "teams": ChatConfig,
                                           "discord": ChatConfig, "email": EmailConfig}


@dataclass
class ChannelEntry:
    """One entry of a channel list: where it is, what mkdocs.yml wrote, and its shape problems (none: ``options``)."""

    kind: str
    index: int
    raw: dict[str, Any]
    options: ChannelConfig | None = None
    problems: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.kind}[{self.index}]"


@dataclass
class NotifySection:
    """``notify:`` validated: the delivery policy, every channel entry, and the section's own problems."""

    raw: Mapping[str, Any]
    retries: int = 3
    backoff: float = 1.0
    timeout: float = 10.0
    entries: list[ChannelEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Every problem, each with its path below ``notify`` (what the build warns of)."""
        return [p.removeprefix("notify: ") for p in self.problems] + [f"{e.path}: {p}" for e in self.entries for p in e.problems]


def _entry(kind: str, index: int, raw: Any) -> ChannelEntry:
    if not isinstance(raw, Mapping):
        return ChannelEntry(kind, index, {"invalid": raw}, problems=(f"expected a mapping such as {{url_env: NAME}}, got {raw!r}",))
    config = SCHEMAS[kind]()
    config.load_dict(dict(raw))
    failed, _warnings = config.validate()
    problems = tuple(str(exc) if key in str(exc) else f"{key}: {exc}" for key, exc in failed)  # each message names its key
    return ChannelEntry(kind, index, dict(raw), None if failed else config, problems)


def _number(notify: Mapping[str, Any], key: str, problems: list[str]) -> float:
    default, whole, minimum = POLICY[key]
    value = notify.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)) or value < minimum:
        problems.append(f"notify: {key} must be {'a whole number' if whole else 'a number'} of at least {minimum:g} (got {value!r}); using {default}")
        return default
    return value


def notify_section(value: Any) -> NotifySection:
    """``notify:`` as mkdocs.yml writes it, validated; never raises (each problem is recorded where it belongs)."""
    if not isinstance(value, Mapping):
        return NotifySection({}, problems=["notify: must be a mapping of channel kinds (webhooks, slack, teams, discord, email)"])
    section = NotifySection(value)
    section.problems += [f"notify: unknown key '{key}'{did_you_mean(str(key), (*KINDS, *POLICY))}; "
                         f"channels are {', '.join(KINDS)}; options are {', '.join(POLICY)}"
                         for key in value if key not in KINDS and key not in POLICY]
    section.retries, section.backoff, section.timeout = (_number(value, key, section.problems) for key in POLICY)
    for kind in KINDS:
        entries = value.get(kind)
        entries = [entries] if isinstance(entries, Mapping) else entries
        if entries is not None and not isinstance(entries, list):
            section.problems.append(f"notify: {kind}: expected a list of entries such as [{{url_env: NAME}}]")
            continue
        section.entries += [_entry(kind, index, raw) for index, raw in enumerate(entries or [])]
    return section


class NotifyOption(c.BaseConfigOption[NotifySection]):
    """The plugin's ``notify:`` option: validated, each problem a warning of the build (never an error)."""

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> NotifySection:
        section = value if isinstance(value, NotifySection) else notify_section({} if value is None else value)
        self.warnings += [f"{m} (mkdocs-status notify will refuse it)" for m in section.messages()]
        return section
