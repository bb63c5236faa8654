"""What one `notify` run works with: its choices, its plan, its reports per channel, and the sending.

:class:`Transmitter` turns a message for a channel into the sending itself (an SMTP
session per channel, kept for the run, or an HTTP POST), doing everything that can
fail before a byte leaves first. :mod:`.runner` decides what to send and records it.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import formats
from .messages import Message
from .options import Channel
from .records import ApiUpdate, UpdateKey
from .state import NewBuild
from .transport import Policy, SmtpServer, SmtpSession, http_post, target


@dataclass
class ChannelReport:
    channel: Channel
    delivered: list[UpdateKey] = field(default_factory=list)
    failed: list[tuple[UpdateKey, str]] = field(default_factory=list)
    skipped: list[UpdateKey] = field(default_factory=list)  # not tried: the channel failed earlier in this run
    uncertain: list[tuple[UpdateKey, str]] = field(default_factory=list)  # sent in this run, no answer: not repeated
    held: list[UpdateKey] = field(default_factory=list)  # uncertain since an earlier run: not repeated
    broken: str | None = None  # the failure that stopped this channel for the rest of the run
    warnings: list[str] = field(default_factory=list)


@dataclass
class Owed:
    """One update some channels are owed, with the ids it had in the journal."""

    update: ApiUpdate
    journal_key: UpdateKey  # the id under which the journal knows this update (its own, or the one before a correction)
    channels: set[str]


@dataclass
class Plan:
    """What this run sends, and what it deliberately does not."""

    owed: dict[UpdateKey, Owed] = field(default_factory=dict)
    held: dict[UpdateKey, set[str]] = field(default_factory=dict)  # uncertain deliveries to channels that cannot de-duplicate
    backfill: int = 0
    opted_out: int = 0
    dropped: int = 0  # owed to channels no longer configured


@dataclass
class RunOptions:
    """The command line's choices for one run."""

    dry_run: bool = False
    verbose: bool = False
    include_backfill: bool = False
    resend_uncertain: bool = False
    settle_uncertain: bool = False
    state_dir: Path | None = None  # default: .cache/mkdocs-status/notify beside mkdocs.yml
    wait: float = 120.0  # seconds to wait for another run's lock


class Transmitter:
    """Prepares each sending of a run; one SMTP session per e-mail channel, closed by :meth:`close`."""

    def __init__(self, policy: Policy, ssl_context: ssl.SSLContext | None, reports: dict[str, ChannelReport]) -> None:
        self.policy = policy
        self.ssl_context = ssl_context
        self.reports = reports
        self._sessions: dict[str, SmtpSession] = {}

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    def prepare(self, channel: Channel, message: Message, build: NewBuild) -> Callable[[], object]:
        """Everything that can go wrong before a byte leaves, done now; returns the sending itself."""
        timeout = self.policy.timeout
        if channel.kind == "email":
            mail = formats.email_message(message, channel.sender, channel.to, channel.id)
            mail.as_bytes()  # a header the policy refuses fails here, not half-way through SMTP

            def send_mail() -> None:
                session = self._sessions.get(channel.id)
                if session is None:
                    server = SmtpServer(channel.smtp_host, channel.smtp_port, channel.username, channel.password,
                                        channel.starttls, channel.implicit_tls, self.ssl_context)
                    session = self._sessions[channel.id] = SmtpSession(server, timeout)
                refused = session.send(mail, channel.recipients)
                if refused:
                    text = "; ".join(f"{a}: {r}" for a, r in refused.items())
                    self.reports[channel.id].warnings.append(f"{message.incident_id}/{message.update_id}: some recipients were refused ({text})")

            return send_mail
        assert channel.url is not None
        if channel.kind == "webhooks":
            body = formats.webhook_payload(message, build)
            headers = formats.webhook_headers(message, body, channel.secret)
        else:
            body = formats.CHAT[channel.kind](message)
            headers = {"Content-Type": "application/json; charset=utf-8"}
        target(channel.url)  # a URL that cannot be used fails before anything is recorded as sending
        url = channel.url
        return lambda: http_post(url, data=body, headers=headers, timeout=timeout, ssl_context=self.ssl_context)


def preview(channel: Channel, message: Message, build: NewBuild) -> str:
    """What a channel would be sent, indented for the dry run's report."""
    if channel.kind == "email":
        text = formats.email_text(message)
    elif channel.kind == "webhooks":
        text = formats.webhook_payload(message, build).decode()
    else:
        text = formats.CHAT[channel.kind](message).decode()
    return "\n".join("      | " + line for line in text.splitlines())
