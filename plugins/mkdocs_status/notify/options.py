"""The ``notify:`` section of the status plugin in mkdocs.yml, read into channels.

Secrets come from environment variables only: the file names the variables
(``url_env``, ``secret_env``, ``username_env``, ``password_env``). A variable
that is not set is a problem of that one channel, reported by name; the other
channels still send.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Settings
from ..siteconfig import SiteConfigError, load_site_config
from .schema import HTTP_KINDS, KINDS, ChannelEntry, NotifySection, notify_section
from .transport import Policy, url_problem


class NotifyConfigError(Exception):
    """mkdocs.yml cannot be used at all (exit code 2)."""


@dataclass(frozen=True)
class Channel:
    """One configured receiver.

    ``id`` is stable across runs (a hash of the channel's entry in mkdocs.yml,
    which names environment variables, never their values), so the published
    ledger can say which channel still owes which update without revealing
    addresses or webhook URLs. ``problems`` lists what keeps it from sending.
    """

    kind: str  # webhooks | slack | teams | discord | email
    index: int
    label: str  # "slack[0]", or the entry's name
    id: str
    language: str
    problems: tuple[str, ...] = ()
    url: str | None = None
    secret: bytes | None = None
    smtp_host: str = ""
    smtp_port: int = 0
    username: str | None = None
    password: str | None = None
    sender: str = ""
    to: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    starttls: bool = True
    implicit_tls: bool = False

    @property
    def idempotent(self) -> bool:
        """The receiver can drop a repeated delivery (a generic webhook keyed on ``Idempotency-Key``),
        so one that may have arrived can be sent again. Chat webhooks and SMTP cannot."""
        return self.kind == "webhooks"

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.to + self.bcc

    def describe(self) -> str:
        if self.kind == "email":
            n = len(self.recipients)
            return f"{self.label} (email via {self.smtp_host}:{self.smtp_port}, {n} recipient{'s' if n != 1 else ''}, {self.language})"
        return f"{self.label} ({self.language})"


@dataclass
class NotifyOptions:
    """Everything `notify` needs from mkdocs.yml."""

    config_file: Path
    settings: Settings
    incidents_dir: Path
    channels: list[Channel]
    policy: Policy
    markdown_extensions: list[Any] = field(default_factory=list)
    markdown_configs: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # configuration errors outside any one channel
    use_directory_urls: bool = True
    warnings: list[str] = field(default_factory=list)
    redact: Redactor = field(default_factory=lambda: Redactor([]))
    site_dir: Path | None = None  # mkdocs.yml's site_dir, where the built site is


def _markdown_extensions(value: Any) -> tuple[list[Any], dict[str, Any]]:
    names: list[Any] = []
    configs: dict[str, Any] = {}
    items = list(value.items()) if isinstance(value, Mapping) else [(i, None) if isinstance(i, str) else next(iter(i.items()), (None, None)) if isinstance(i, Mapping) else (None, None) for i in value or []]
    for name, cfg in items:
        if not isinstance(name, str):
            continue
        names.append(name)
        if isinstance(cfg, Mapping):
            configs[name] = dict(cfg)
    return names, configs


def load(config_file: Path, environ: Mapping[str, str] | None = None) -> NotifyOptions:
    """Read mkdocs.yml (``!ENV`` and ``INHERIT`` work as in MkDocs) and the plugin's ``notify:``."""
    env = os.environ if environ is None else environ
    try:
        site = load_site_config(config_file)
    except SiteConfigError as exc:
        raise NotifyConfigError(str(exc)) from None
    notify = site.options["notify"]
    policy, channels, problems, warnings = parse_notify(notify, site.settings, env)
    names, configs = _markdown_extensions(site.markdown_extensions)
    return NotifyOptions(config_file=config_file, settings=site.settings, incidents_dir=site.incidents_dir,
                         channels=channels, policy=policy, markdown_extensions=names, markdown_configs=configs,
                         problems=problems, warnings=warnings, use_directory_urls=site.use_directory_urls,
                         site_dir=site.site_dir or site.base / "site", redact=Redactor(secrets_of(notify.raw, env)))


def secrets_of(notify: Any, env: Mapping[str, str]) -> list[str]:
    """Every value a message must not show: what each ``*_env`` variable holds (and the
    pieces of it, for URLs), and each literal ``url``, however malformed the entry."""
    found: list[str] = []
    entries = [e for kind in KINDS for e in _entries(notify.get(kind) if isinstance(notify, Mapping) else None)]
    for entry in entries:
        values = [env.get(v) for k, v in entry.items() if str(k).endswith("_env") and isinstance(v, str)]
        if isinstance(entry.get("url"), str):
            values.append(entry["url"])
        for value in values:
            if value:
                found += [value, *secret_parts(value)]
    return found


def _entries(value: Any) -> list[Mapping[str, Any]]:
    items = [value] if isinstance(value, Mapping) else value if isinstance(value, list) else []
    return [e for e in items if isinstance(e, Mapping)]


def parse_notify(notify: Any, settings: Settings, env: Mapping[str, str]) -> tuple[Policy, list[Channel], list[str], list[str]]:
    """(policy, channels, problems, warnings) of ``notify:`` (as mkdocs.yml writes it, or already validated).

    Nothing here raises for a bad entry: a channel that cannot send carries its
    problems, and the other channels still send. Problems that belong to no one
    channel (an unknown key) are returned apart. Both make the exit code 2.
    """
    section = notify if isinstance(notify, NotifySection) else notify_section(notify)
    warnings: list[str] = []
    problems = list(section.problems)
    channels: list[Channel] = []
    seen: dict[str, str] = {}
    for entry in section.entries:
        channel = _channel(entry, settings, env, warnings)
        if channel.id in seen:
            problems.append(f"notify: {channel.label} repeats {seen[channel.id]}; left out, or it would get every message twice")
            continue
        seen[channel.id] = channel.label
        channels.append(channel)
    return Policy(retries=int(section.retries), backoff=section.backoff, timeout=section.timeout), channels, problems, warnings


def secret_parts(url: str) -> list[str]:
    """The URL and its pieces a message must never show: credentials, path, query, fragment,
    and each of their segments long enough to be a token (shorter ones are ordinary words)."""
    rest = url.split("://", 1)[1] if "://" in url else url
    authority, _, tail = rest.partition("/")
    userinfo = authority.rpartition("@")[0]
    pieces = [url, userinfo, *userinfo.split(":"), "/" + tail if tail else "", tail]
    pieces += re.split(r"[/?&=#;:@]+", tail)
    return sorted({p for p in pieces if len(p) >= 6}, key=len, reverse=True)


class Redactor:
    """Replaces every configured secret (and every secret-looking piece of a URL) in a text.

    The rule is that no message names a URL; this is the net under it, for text
    that comes from elsewhere: an exception, a receiver's error answer echoing
    its path.
    """

    def __init__(self, secrets: list[str]) -> None:
        # Shorter values would be ordinary words (and a 3-character secret protects nothing).
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "[redacted]")
        return text


def channel_id(kind: str, entry: Mapping[str, Any]) -> str:
    canonical = json.dumps({"kind": kind, **{k: v for k, v in entry.items() if k != "name"}}, sort_keys=True, default=str)
    return f"{kind}-{hashlib.sha256(canonical.encode()).hexdigest()[:12]}"


def _env(entry: Mapping[str, Any], key: str, env: Mapping[str, str], problems: list[str]) -> str | None:
    """What the (validated) variable named by ``entry[key]`` holds; a problem of the channel when it is not set."""
    name = entry.get(key)
    if name is None:
        return None
    value = env.get(name)
    if not value:
        problems.append(f"{key}: environment variable {name} is not set")
        return None
    return value


def _channel(entry: ChannelEntry, settings: Settings, env: Mapping[str, str], warnings: list[str]) -> Channel:
    """The channel of one validated entry: its secrets read from the environment (a broken entry: its problems)."""
    raw, label = entry.raw, entry.path
    if isinstance(raw.get("name"), str) and raw["name"].strip():
        label = f"{label} '{raw['name'].strip()}'"
    common = {"kind": entry.kind, "index": entry.index, "label": label, "id": channel_id(entry.kind, raw), "language": settings.default_language}
    options = entry.options
    if options is None:
        return Channel(**common, problems=entry.problems)
    if options["language"] is not None:
        if options["language"] not in settings.language_codes:
            return Channel(**common, problems=(f"language '{raw['language']}' is not one of the site's languages ({', '.join(settings.language_codes)})",))
        common["language"] = options["language"]
    if entry.kind in HTTP_KINDS:
        return _http_channel(common, raw, env, warnings)
    problems: list[str] = []
    username = _env(raw, "username_env", env, problems)
    password = _env(raw, "password_env", env, problems)
    host, port = options["smtp"]
    tls = options["tls"]
    return Channel(**common, problems=tuple(problems), smtp_host=host, smtp_port=port, username=username, password=password,
                   sender=options["from"], to=options["to"], bcc=options["bcc"] or (), starttls=options["starttls"],
                   implicit_tls=port == 465 if tls is None else tls)


def _http_channel(common: dict[str, Any], entry: Mapping[str, Any], env: Mapping[str, str], warnings: list[str]) -> Channel:
    """A webhook, Slack, Teams or Discord channel: its URL checked, never quoted."""
    kind, label = common["kind"], common["label"]
    problems: list[str] = []
    has_url, has_env = entry.get("url") is not None, entry.get("url_env") is not None  # exactly one: the schema says so
    url = str(entry["url"]) if has_url else _env(entry, "url_env", env, problems)
    if has_url and kind != "webhooks":
        warnings.append(f"notify: {label}: a {kind} webhook URL is a secret; keep it out of mkdocs.yml with 'url_env: NAME'")
    problem = url_problem(url) if url is not None else None
    if problem is not None:
        # Never quote the URL: a CI log masks a secret only when it appears whole.
        where = f"the URL in environment variable {entry['url_env']}" if has_env else "its 'url'"
        problems.append(f"{where} cannot be used: {problem}")
        url = None
    secret = _env(entry, "secret_env", env, problems) if kind == "webhooks" else None
    return Channel(**common, problems=tuple(problems), url=url, secret=secret.encode() if secret else None)
