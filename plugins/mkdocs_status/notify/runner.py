"""One `notify` run: decide what is owed, send it, record it, report it."""

from __future__ import annotations

import datetime as dt
import os
import ssl
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from mkdocs.utils import get_build_datetime

from ..diagnostics import ERROR
from ..markdown import Renderer
from ..model import StatusSite
from ..sources import load_site
from . import formats
from .messages import Message, MessageMaker
from .options import Channel, NotifyOptions
from .state import (
    ApiIncident,
    ApiUpdate,
    Ledger,
    NewBuild,
    Previous,
    StateError,
    UpdateKey,
    known_updates,
    read_build,
    read_previous,
    read_site_ledger,
)
from .transport import DeliveryError, Policy, SmtpServer, SmtpSession, http_request, with_retries

OK, FAILED, CONFIG = 0, 1, 2


@dataclass
class ChannelReport:
    channel: Channel
    delivered: list[UpdateKey] = field(default_factory=list)
    failed: list[tuple[UpdateKey, str]] = field(default_factory=list)
    skipped: list[UpdateKey] = field(default_factory=list)  # not tried: the channel failed earlier in this run
    broken: str | None = None  # the failure that stopped this channel for the rest of the run
    warnings: list[str] = field(default_factory=list)


class Run:
    """Sends what a new build owes its channels, given the previous state."""

    def __init__(self, options: NotifyOptions, site_dir: Path, previous: str | None, *, dry_run: bool = False,
                 verbose: bool = False, out: TextIO | None = None, err: TextIO | None = None,
                 policy: Policy | None = None, ssl_context: ssl.SSLContext | None = None,
                 now: Callable[[], dt.datetime] = get_build_datetime) -> None:
        self.options = options
        self.site_dir = site_dir
        self.previous_location = previous
        self.dry_run = dry_run
        self.verbose = verbose
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.policy = policy or options.policy
        self.ssl_context = ssl_context
        self.now = now
        self.channels = options.channels
        self.reports = {ch.id: ChannelReport(ch) for ch in self.channels}
        self._sessions: dict[str, SmtpSession] = {}
        self._messages: dict[tuple[UpdateKey, str], Message] = {}
        self._maker: MessageMaker | None = None

    # -- output ---------------------------------------------------------------

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(f"{self._annotation('warning')}warning: {text}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        print(f"{self._annotation('error')}error: {text}", file=self.err, flush=True)

    @staticmethod
    def _annotation(level: str) -> str:
        """On GitHub Actions, a workflow command so the problem shows on the run's summary."""
        return f"::{level} title=mkdocs-status notify::" if os.environ.get("GITHUB_ACTIONS") == "true" else ""

    # -- the run --------------------------------------------------------------

    def __call__(self) -> int:
        for warning in self.options.warnings:
            self.warn(warning)
        config_problems = self._report_config()
        try:
            build = read_build(self.site_dir)
        except StateError as exc:
            self.error(str(exc))
            return CONFIG
        try:
            site_ledger = read_site_ledger(build)
        except StateError as exc:
            self.warn(f"{exc}; starting a new ledger")
            site_ledger = None
        try:
            previous = read_previous(self.previous_location, self.policy)
        except StateError as exc:
            self.error(f"{exc}")
            self.error("nothing was sent: without the previous state every update would look new. "
                       "Fix the problem and run again before the next deploy.")
            return FAILED
        updates = {u.key: u for u in build.updates()}
        delivered = {k: set(v) for k, v in (site_ledger.delivered if site_ledger else {}).items() if k in updates}

        if previous is None:
            where = f"'{self.previous_location}' does not exist or is empty" if self.previous_location else "no --previous was given"
            self.say(f"No previous state ({where}): treating this as the first deploy. Nothing is sent; "
                     f"the {len(updates)} update(s) in this build are recorded as already published.")
            self._write_ledger(build, {}, delivered)
            return CONFIG if config_problems else OK
        for note in previous.notes:
            self.warn(note)

        owed = self._owed(build, previous, updates, delivered)
        if not owed:
            self.say("No new updates since the previous state: nothing to send.")
            self._write_ledger(build, {}, delivered)
            return CONFIG if config_problems else OK
        if not self.channels:
            self.say(f"{len(owed)} new update(s), but no channels are configured under the status plugin's 'notify:' in "
                     f"{self.options.config_file}: nothing to send.")
            self._write_ledger(build, {}, delivered)
            return CONFIG if config_problems else OK

        order = sorted(owed, key=lambda key: self._sort_key(build, updates[key]))
        if self.dry_run:
            self._dry_run(build, order, owed, updates)
            return CONFIG if config_problems else OK

        self.say(f"{len(order)} update(s) to send, oldest first, to {len({c for chs in owed.values() for c in chs})} channel(s).")
        self._write_ledger(build, owed, delivered)
        try:
            for key, incident, update, channels in self._each(build, order, owed, updates):
                for channel in channels:
                    if self._deliver(channel, build, incident, update):
                        owed[key].discard(channel.id)
                        delivered.setdefault(key, set()).add(channel.id)
                self._write_ledger(build, owed, delivered)
        finally:
            for session in self._sessions.values():
                session.close()
        return self._summary(config_problems)

    def _report_config(self) -> bool:
        problems = list(self.options.problems)
        for channel in self.channels:
            problems += [f"notify: {channel.label}: {p}" for p in channel.problems]
        for problem in problems:
            self.error(f"configuration: {problem}")
        return bool(problems)

    def _owed(self, build: NewBuild, previous: Previous, updates: dict[UpdateKey, ApiUpdate],
              delivered: dict[UpdateKey, set[str]]) -> dict[UpdateKey, set[str]]:
        configured = {c.id for c in self.channels}
        owed: dict[UpdateKey, set[str]] = {}
        for key, update in updates.items():
            if not previous.is_known(build.incidents[key[0]], update):
                owed[key] = set(configured)
        dropped = 0
        for key, channel_ids in previous.pending.items():
            if key not in updates:
                continue
            still = channel_ids & configured
            dropped += len(channel_ids - configured)
            if still:
                owed.setdefault(key, set()).update(still)
        if dropped:
            self.warn(f"{dropped} delivery(ies) owed from the last run were for channels no longer configured; dropped")
        for key, channel_ids in delivered.items():
            if key in owed:
                owed[key] -= channel_ids
        if not self.channels:
            return {key: set() for key in owed}
        return {k: v for k, v in owed.items() if v}

    @staticmethod
    def _sort_key(build: NewBuild, update: ApiUpdate) -> tuple[dt.datetime, dt.datetime, str, int]:
        incident = build.incidents[update.incident_id]
        created = incident.created_at or update.at
        return (update.at, created, update.incident_id, update.position)

    # -- messages ---------------------------------------------------------------

    def _load_model(self) -> StatusSite | None:
        opts = self.options
        if not opts.incidents_dir.is_dir():
            self.warn(f"incidents_dir {opts.incidents_dir} not found: messages use the API's text in the default language only")
            return None
        site, diagnostics = load_site(opts.settings, opts.incidents_dir, opts.config_file.resolve().parent, self.now())
        errors = [d for d in diagnostics if d.level == ERROR]
        if errors:
            self.warn(f"the incident files have {len(errors)} error(s) (first: {errors[0].format()}); "
                      "messages use the API's text in the default language only")
            return None
        return site

    def _message(self, incident: ApiIncident, update: ApiUpdate, language: str) -> Message:
        cached = self._messages.get((update.key, language))
        if cached is not None:
            return cached
        if self._maker is None:
            try:
                renderer = Renderer(self.options.markdown_extensions, self.options.markdown_configs)
            except Exception as exc:  # noqa: BLE001 - a broken extension must not stop notifications
                self.warn(f"markdown_extensions could not be loaded ({exc}); rendering update text with plain Markdown")
                renderer = Renderer()
            self._maker = MessageMaker(self.options.settings, self._load_model(), renderer,
                                       use_directory_urls=self.options.use_directory_urls)
        message = self._maker.make(incident, update, language)
        self._messages[(update.key, language)] = message
        return message

    def _each(self, build: NewBuild, order: list[UpdateKey], owed: dict[UpdateKey, set[str]],
              updates: dict[UpdateKey, ApiUpdate]) -> Iterator[tuple[UpdateKey, ApiIncident, ApiUpdate, list[Channel]]]:
        """Each owed update in order, announced, with the channels (in configured order) that are owed it."""
        for key in order:
            update = updates[key]
            incident = build.incidents[key[0]]
            self.say(f"- {self._headline(incident, update)}")
            yield key, incident, update, [c for c in self.channels if c.id in owed[key]]

    def _headline(self, incident: ApiIncident, update: ApiUpdate) -> str:
        at = update.at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        return f"{at}  {incident.id}  {update.status or '?'}: {incident.name}"

    # -- delivery ---------------------------------------------------------------

    def _deliver(self, channel: Channel, build: NewBuild, incident: ApiIncident, update: ApiUpdate) -> bool:
        report = self.reports[channel.id]
        if channel.problems:
            report.failed.append((update.key, "not sent: " + "; ".join(channel.problems)))
            self.say(f"    {channel.label}: not sent (configuration problem)")
            return False
        if report.broken is not None:
            report.skipped.append(update.key)
            self.say(f"    {channel.label}: not tried (it failed earlier in this run)")
            return False
        message = self._message(incident, update, channel.language)

        def on_retry(attempt: int, exc: DeliveryError, wait: float) -> None:
            self.say(f"    {channel.label}: {exc}; retrying in {wait:g} s (attempt {attempt + 1} of {self.policy.retries + 1})")

        try:
            _, attempts = with_retries(lambda: self._send(channel, message, build), self.policy, on_retry)
        except DeliveryError as exc:
            report.failed.append((update.key, str(exc)))
            if exc.channel_wide:
                report.broken = str(exc)
            self.say(f"    {channel.label}: FAILED: {exc}")
            return False
        report.delivered.append(update.key)
        self.say(f"    {channel.label}: delivered" + (f" (attempt {attempts})" if attempts > 1 else ""))
        return True

    def _send(self, channel: Channel, message: Message, build: NewBuild) -> None:
        timeout = self.policy.timeout
        if channel.kind == "email":
            session = self._sessions.get(channel.id)
            if session is None:
                server = SmtpServer(channel.smtp_host, channel.smtp_port, channel.username, channel.password,
                                    channel.starttls, channel.implicit_tls, self.ssl_context)
                session = self._sessions[channel.id] = SmtpSession(server, timeout)
            mail = formats.email_message(message, channel.sender, channel.to, channel.id)
            refused = session.send(mail, channel.recipients)
            if refused:
                text = "; ".join(f"{a}: {r}" for a, r in refused.items())
                self.reports[channel.id].warnings.append(f"{message.incident_id}/{message.update_id}: some recipients were refused ({text})")
            return
        assert channel.url is not None
        if channel.kind == "webhooks":
            body = formats.webhook_payload(message, build)
            headers = formats.webhook_headers(message, body, channel.secret)
        else:
            body = {"slack": formats.slack_payload, "teams": formats.teams_payload, "discord": formats.discord_payload}[channel.kind](message)
            headers = {"Content-Type": "application/json; charset=utf-8"}
        http_request(channel.url, data=body, headers=headers, timeout=timeout)

    # -- records and reports ------------------------------------------------------

    def _write_ledger(self, build: NewBuild, owed: dict[UpdateKey, set[str]], delivered: dict[UpdateKey, set[str]]) -> None:
        if self.dry_run:
            return
        ledger = Ledger(build.incidents_sha256, known_updates(build.incidents.values()),
                        pending={k: set(v) for k, v in owed.items() if v}, delivered=delivered,
                        channels={c.id: c.label for c in self.channels})
        try:
            ledger.write(build.ledger_path)
        except OSError as exc:
            self.error(f"cannot write {build.ledger_path}: {exc.strerror}; the next run cannot tell what this one sent")

    def _dry_run(self, build: NewBuild, order: list[UpdateKey], owed: dict[UpdateKey, set[str]], updates: dict[UpdateKey, ApiUpdate]) -> None:
        self.say(f"Dry run: {len(order)} update(s) would be sent, oldest first. Nothing is sent and no ledger is written.")
        for _key, incident, update, channels in self._each(build, order, owed, updates):
            for channel in channels:
                if channel.problems:
                    self.say(f"    {channel.describe()}: would fail: {'; '.join(channel.problems)}")
                    continue
                message = self._message(incident, update, channel.language)
                self.say(f"    {channel.describe()}: {message.subject}" + (f" <{message.url}>" if message.url else ""))
                if self.verbose:
                    self.say(self._preview(channel, message, build))

    def _preview(self, channel: Channel, message: Message, build: NewBuild) -> str:
        if channel.kind == "email":
            text = formats.email_text(message)
        elif channel.kind == "webhooks":
            text = formats.webhook_payload(message, build).decode()
        else:
            text = {"slack": formats.slack_payload, "teams": formats.teams_payload, "discord": formats.discord_payload}[channel.kind](message).decode()
        return "\n".join("      | " + line for line in text.splitlines())

    def _summary(self, config_problems: bool) -> int:
        failed = False
        self.say("")
        self.say("Summary:")
        for report in self.reports.values():
            ch = report.channel
            for warning in report.warnings:
                self.warn(f"{ch.label}: {warning}")
            if not (report.delivered or report.failed or report.skipped):
                continue
            line = f"  {ch.label}: {len(report.delivered)} delivered"
            if report.failed or report.skipped:
                failed = True
                owed = len(report.failed) + len(report.skipped)
                reason = report.broken or report.failed[0][1] if report.failed else "failed earlier"
                line += f", {owed} not delivered: {reason}; the next run retries them"
            self.say(line)
        if failed:
            self.error("some deliveries failed (see above); they are recorded as pending in the ledger and retried by the next run")
        if config_problems:
            return CONFIG
        return FAILED if failed else OK
