"""One `notify` run: decide what is owed, send it (through :mod:`.delivery`), record it, report it."""

from __future__ import annotations

import datetime as dt
import os
import ssl
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from mkdocs.utils import get_build_datetime

from ..diagnostics import ERROR
from ..markdown import Renderer
from ..model import StatusSite
from ..sources import load_site
from .delivery import ChannelReport, Owed, Plan, RunOptions, Transmitter, preview
from .journal import LAST_LEDGER, Journal, JournalError, LockBusy
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
    identities,
    known_updates,
    parse_ledger,
    read_build,
    read_previous,
    read_site_ledger,
)
from .transport import DeliveryError, Policy, with_retries

OK, FAILED, CONFIG = 0, 1, 2
STATE_DIR = Path(".cache") / "mkdocs-status" / "notify"  # beside mkdocs.yml; where mkdocs-material keeps its caches too


def _fresh(update: ApiUpdate, taken: dict[str, str]) -> str:
    """The journal id of an update that is news: its own id, unless the journal knows that id for
    another update (one inserted above took it over); then one that cannot clash."""
    return update.id if update.id not in taken else f"{update.id}~{update.fingerprint}"


class Run:
    """Sends what a new build owes its channels, given the previous state."""

    def __init__(self, options: NotifyOptions, site_dir: Path, previous: str | None, *, dry_run: bool = False,
                 verbose: bool = False, out: TextIO | None = None, err: TextIO | None = None,
                 policy: Policy | None = None, ssl_context: ssl.SSLContext | None = None,
                 now: Callable[[], dt.datetime] = get_build_datetime, choices: RunOptions | None = None) -> None:
        self.options = options
        self.site_dir = site_dir
        self.previous_location = previous
        self.choices = choices or RunOptions()
        self.dry_run = dry_run or self.choices.dry_run
        self.verbose = verbose or self.choices.verbose
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.policy = policy or options.policy
        self.ssl_context = ssl_context
        self.now = now
        self.channels = options.channels
        self.by_id = {ch.id: ch for ch in self.channels}
        self.reports = {ch.id: ChannelReport(ch) for ch in self.channels}
        self.transmitter = Transmitter(self.policy, ssl_context, self.reports)
        self._messages: dict[tuple[UpdateKey, str], Message] = {}
        self._maker: MessageMaker | None = None
        self._skeletons: dict[UpdateKey, str | None] = {}
        state_dir = self.choices.state_dir or options.config_file.resolve().parent / STATE_DIR
        self.journal = Journal(state_dir)
        self.delivered: dict[UpdateKey, set[str]] = {}
        self.plan = Plan()
        self.built_at = now()

    # -- output ---------------------------------------------------------------

    def say(self, text: str = "") -> None:
        print(self.options.redact(text), file=self.out, flush=True)

    def warn(self, text: str) -> None:
        print(f"{self._annotation('warning')}warning: {self.options.redact(text)}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        print(f"{self._annotation('error')}error: {self.options.redact(text)}", file=self.err, flush=True)

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
        if not self.dry_run:
            try:
                self.journal.lock(self.choices.wait, lambda who: self.say(f"Waiting for {who}, which is notifying for this site ..."))
            except LockBusy as exc:
                self.error(f"{exc} has been notifying for this site for more than {self.choices.wait:g} s "
                           f"(lock {self.journal.directory / 'lock'}); nothing was sent. Run again when it has finished.")
                return FAILED
            except OSError as exc:
                self.error(f"cannot use the state folder {self.journal.directory}: {exc.strerror}; pass --state-dir")
                return CONFIG
        try:
            code = self._locked(build)
        finally:
            self.transmitter.close()
            self.journal.unlock()
        return CONFIG if config_problems else code

    def _locked(self, build: NewBuild) -> int:
        """The run, under the lock: everything it reads is what the last run left."""
        code = self._open_journal()
        if code is not None:
            return code
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
        self.delivered = {k: set(v) for k, v in (site_ledger.delivered if site_ledger else {}).items() if k in updates}
        if previous is None:
            where = f"'{self.previous_location}' does not exist or is empty" if self.previous_location else "no --previous was given"
            self.say(f"No previous state ({where}): treating this as the first deploy. Nothing is sent; "
                     f"the {len(updates)} update(s) in this build are recorded as already published.")
            self._write_ledger(build)
            return OK
        if not previous.has_ledger:
            local = self._local_ledger()
            if local is not None:
                previous.adopt(local)
        for note in previous.notes:
            self.warn(note)
        self.plan = self._plan(build, previous, site_ledger)
        if not self.dry_run:
            self.journal.compact()
        self._report_plan(self.plan)
        return self._send_all(build, updates)

    def _open_journal(self) -> int | None:
        """Read the journal (and, unless dry, compact it); an exit code if it cannot be used."""
        try:
            self.journal.load()
        except JournalError as exc:
            self.error(str(exc))
            return FAILED
        if self.dry_run:
            return None
        try:
            self.journal.compact()
        except OSError as exc:
            self.error(f"cannot write {self.journal.path}: {exc.strerror}; nothing was sent")
            return CONFIG
        return None

    def _send_all(self, build: NewBuild, updates: dict[UpdateKey, ApiUpdate]) -> int:
        plan = self.plan
        if not plan.owed:
            self.say("No new updates since the previous state: nothing to send.")
            self._write_ledger(build)
            return OK
        if not self.channels:
            self.say(f"{len(plan.owed)} new update(s), but no channels are configured under the status plugin's 'notify:' in "
                     f"{self.options.config_file}: nothing to send.")
            self._write_ledger(build)
            return OK
        order = sorted(plan.owed, key=lambda key: self._sort_key(build, updates[key]))
        if self.dry_run:
            self._dry_run(build, order)
            return OK
        self.say(f"{len(order)} update(s) to send, oldest first, to {len({c for o in plan.owed.values() for c in o.channels})} channel(s).")
        self.journal.record_many("pending", [(o.journal_key, cid, o.update.fingerprint) for o in plan.owed.values()
                                             for cid in sorted(o.channels) if self.journal.state(o.journal_key, cid) is None])
        self._write_ledger(build)
        for _key, incident, update, channels in self._each(build, order):
            for channel in channels:
                self._deliver(channel, build, incident, update)
                self._write_ledger(build)
        return self._summary()

    def _plan(self, build: NewBuild, previous: Previous, site_ledger: Ledger | None) -> Plan:
        """Who is owed what: news to every channel, what the last run still owed, minus what was delivered."""
        plan = Plan()
        configured = set(self.by_id)
        done_here = site_ledger.delivered if site_ledger else {}
        for incident in build.incidents.values():
            before = identities(previous.known.get(incident.id, {}), incident.updates)
            in_journal = identities(self.journal.fingerprints.get(incident.id, {}), incident.updates)
            taken = self.journal.fingerprints.setdefault(incident.id, {})
            for update in incident.updates:
                journal_key = (incident.id, in_journal[update.id] or _fresh(update, taken))
                previous_key = (incident.id, before[update.id]) if before[update.id] else None
                wanted = self._wanted(previous, incident, before[update.id], update, plan)
                if wanted is None:  # known, and the previous site has no ledger: the journal says what is owed
                    wanted = self.journal.owed(journal_key)
                    wanted = set() if wanted and self._opted_out(incident, update) else wanted
                plan.dropped += len(wanted - configured)
                was_uncertain = previous.uncertain.get(previous_key, set()) if previous_key else set()
                channels = {cid for cid in sorted(wanted & configured) if cid not in done_here.get(update.key, ())
                            and self._still_owed(update, journal_key, cid, cid in was_uncertain, plan)}
                if channels:
                    plan.owed[update.key] = Owed(update, journal_key, channels)
            # The journal learns what each update it knows says now (a corrected text included), so
            # that it matches the next build the way the ledger does.
            for update in incident.updates:
                if in_journal[update.id] is not None:
                    taken[in_journal[update.id]] = update.fingerprint
        return plan

    def _still_owed(self, update: ApiUpdate, journal_key: UpdateKey, cid: str, was_uncertain: bool, plan: Plan) -> bool:
        """Whether to send to one channel what it is owed, after what the journal says happened."""
        state = self.journal.state(journal_key, cid)
        if state == "delivered":
            self.delivered.setdefault(update.key, set()).add(cid)
            return False
        uncertain = state == "uncertain" or (state is None and was_uncertain)
        if not uncertain:
            return True
        if self.choices.settle_uncertain and not self.dry_run:
            self.journal.record("delivered", journal_key, cid, update.fingerprint)
            self.delivered.setdefault(update.key, set()).add(cid)
            return False
        if self.by_id[cid].idempotent or self.choices.resend_uncertain:
            return True
        plan.held.setdefault(update.key, set()).add(cid)
        return False

    def _wanted(self, previous: Previous, incident: ApiIncident, identity: str | None, update: ApiUpdate,
                plan: Plan) -> set[str] | None:
        """The channels an update is owed before looking at what was delivered (None: ask the journal)."""
        if previous.is_known(incident, identity, update):
            if not previous.has_ledger:
                return None
            key = (incident.id, identity or update.id)
            wanted = previous.pending.get(key, set()) | previous.uncertain.get(key, set())
            if wanted and self._opted_out(incident, update):
                plan.opted_out += 1
                return set()
            return set(wanted)
        if previous.is_backfill(update) and not self.choices.include_backfill:
            plan.backfill += 1
            return set()
        if self._opted_out(incident, update):
            plan.opted_out += 1
            return set()
        return set(self.by_id)

    def _report_plan(self, plan: Plan) -> None:
        if plan.dropped:
            self.warn(f"{plan.dropped} delivery(ies) owed from the last run were for channels no longer configured; dropped")
        if plan.opted_out:
            self.say(f"{plan.opted_out} new update(s) have notify=false (deliver_notifications: false): not sent.")
        if plan.backfill:
            self.say(f"{plan.backfill} new update(s) are dated more than 24 hours before the previous site was built "
                     "(an import or a backfill): not sent as news. Pass --include-backfill to send them.")
        for key, channel_ids in sorted(plan.held.items()):
            for cid in sorted(channel_ids):
                self.reports[cid].held.append(key)
                self.warn(f"{self.by_id[cid].label}: {key[0]}/{key[1]} was sent by an earlier run that got no answer; it may "
                          "have arrived, and this channel cannot drop a duplicate, so it is not sent again. Check the channel: "
                          "run with --resend-uncertain if it did not arrive, or --settle-uncertain if it did.")

    def _report_config(self) -> bool:
        problems = list(self.options.problems)
        for channel in self.channels:
            problems += [f"notify: {channel.label}: {p}" for p in channel.problems]
        for problem in problems:
            self.error(f"configuration: {problem}")
        return bool(problems)

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
        message = self.maker.make(incident, update, language)
        self._messages[(update.key, language)] = message
        return message

    @property
    def maker(self) -> MessageMaker:
        """The message maker, with the incident files read (once, when first needed)."""
        if self._maker is None:
            try:
                renderer = Renderer(self.options.markdown_extensions, self.options.markdown_configs)
            except Exception as exc:  # noqa: BLE001 - a broken extension must not stop notifications
                self.warn(f"markdown_extensions could not be loaded ({exc}); rendering update text with plain Markdown")
                renderer = Renderer()
            self._maker = MessageMaker(self.options.settings, self._load_model(), renderer,
                                       use_directory_urls=self.options.use_directory_urls)
        return self._maker

    def _opted_out(self, incident: ApiIncident, update: ApiUpdate) -> bool:
        """``deliver_notifications: false`` in the API, or ``{notify=false}`` in the incident file."""
        if not update.notify:
            return True
        found = self.maker.model_incident(incident)
        model = self.maker.model_update(found, incident, update) if found is not None else None
        return model is not None and getattr(model, "notify", True) is False

    def _each(self, build: NewBuild, order: list[UpdateKey]) -> Iterator[tuple[UpdateKey, ApiIncident, ApiUpdate, list[Channel]]]:
        """Each owed update in order, announced, with the channels (in configured order) that are owed it."""
        for key in order:
            owed = self.plan.owed[key]
            incident = build.incidents[key[0]]
            self.say(f"- {self._headline(incident, owed.update)}")
            yield key, incident, owed.update, [c for c in self.channels if c.id in owed.channels]

    def _headline(self, incident: ApiIncident, update: ApiUpdate) -> str:
        at = update.at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        return f"{at}  {incident.id}  {update.status or '?'}: {incident.name}"

    # -- delivery ---------------------------------------------------------------

    def _deliver(self, channel: Channel, build: NewBuild, incident: ApiIncident, update: ApiUpdate) -> None:
        """One (update, channel): whatever goes wrong stays with this pair, recorded and reported."""
        report = self.reports[channel.id]
        if channel.problems:
            report.failed.append((update.key, "not sent: " + "; ".join(channel.problems)))
            self.say(f"    {channel.label}: not sent (configuration problem)")
            return
        if report.broken is not None:
            report.skipped.append(update.key)
            self.say(f"    {channel.label}: not tried (it failed earlier in this run)")
            return
        try:
            skeleton = self._skeleton(incident, update)
            if skeleton is not None:
                report.failed.append((update.key, skeleton))
                self.say(f"    {channel.label}: not sent: {skeleton}")
                return
            transmit = self.transmitter.prepare(channel, self._message(incident, update, channel.language), build)
        except Exception as exc:  # noqa: BLE001 - one message that cannot be made must not stop the others
            reason = f"the message could not be made ({type(exc).__name__}: {exc})"
            report.failed.append((update.key, reason))
            self.say(f"    {channel.label}: FAILED: {reason}")
            return
        journal_key = self.plan.owed[update.key].journal_key
        self.journal.record("sending", journal_key, channel.id, update.fingerprint)

        def on_retry(attempt: int, exc: DeliveryError, wait: float) -> None:
            self.say(f"    {channel.label}: {exc}; retrying in {wait:g} s (attempt {attempt + 1} of {self.policy.retries + 1})")

        try:
            _, attempts = with_retries(transmit, self.policy, on_retry, idempotent=channel.idempotent)
        except DeliveryError as exc:
            self._failed(channel, update, journal_key, str(exc), uncertain=exc.uncertain, channel_wide=exc.channel_wide)
            return
        except Exception as exc:  # noqa: BLE001 - whether it left is unknown: treat it as sent without an answer
            self._failed(channel, update, journal_key, f"{type(exc).__name__}: {exc}", uncertain=True, channel_wide=True)
            return
        self.journal.record("delivered", journal_key, channel.id, update.fingerprint)
        self.plan.owed[update.key].channels.discard(channel.id)
        self.delivered.setdefault(update.key, set()).add(channel.id)
        report.delivered.append(update.key)
        self.say(f"    {channel.label}: delivered" + (f" (attempt {attempts})" if attempts > 1 else ""))

    def _skeleton(self, incident: ApiIncident, update: ApiUpdate) -> str | None:
        """Why an update is refused as an unfilled postmortem skeleton (said once per update), or None."""
        if update.key not in self._skeletons:
            where = self.maker.unfilled(incident, update)
            reason = None
            if where is not None:
                reason = (f"{where}: the postmortem of {incident.id} ({update.id}) is still the skeleton "
                          "'mkdocs-status postmortem' wrote; fill it in (it is sent once it is)")
                self.error(reason)
            self._skeletons[update.key] = reason
        return self._skeletons[update.key]

    def _failed(self, channel: Channel, update: ApiUpdate, journal_key: UpdateKey, reason: str, *, uncertain: bool,
                channel_wide: bool) -> None:
        report = self.reports[channel.id]
        if channel_wide:
            report.broken = reason
        if uncertain and not channel.idempotent:
            self.journal.record("uncertain", journal_key, channel.id, update.fingerprint)
            self.plan.owed[update.key].channels.discard(channel.id)
            self.plan.held.setdefault(update.key, set()).add(channel.id)
            report.uncertain.append((update.key, reason))
            self.say(f"    {channel.label}: UNCERTAIN: {reason}; not sent again, since this channel cannot drop a duplicate")
            return
        self.journal.record("uncertain" if uncertain else "failed", journal_key, channel.id, update.fingerprint)
        report.failed.append((update.key, reason))
        self.say(f"    {channel.label}: FAILED: {reason}")

    # -- records and reports ------------------------------------------------------

    def _write_ledger(self, build: NewBuild) -> None:
        if self.dry_run:
            return
        pending = {k: set(o.channels) for k, o in self.plan.owed.items() if o.channels}
        ledger = Ledger(build.incidents_sha256, known_updates(build.incidents.values()), pending=pending,
                        delivered=self.delivered, channels={c.id: c.label for c in self.channels},
                        uncertain={k: set(v) for k, v in self.plan.held.items()}, built_at=self.built_at)
        for path in (build.ledger_path, self.journal.directory / LAST_LEDGER):
            try:
                ledger.write(path)
            except OSError as exc:
                self.error(f"cannot write {path}: {exc.strerror}; the next run cannot tell what this one sent")

    def _local_ledger(self) -> Ledger | None:
        path = self.journal.directory / LAST_LEDGER
        try:
            return parse_ledger(path.read_bytes(), str(path)) if path.is_file() else None
        except (OSError, StateError) as exc:
            self.warn(f"{exc}; not used")
            return None

    def _dry_run(self, build: NewBuild, order: list[UpdateKey]) -> None:
        self.say(f"Dry run: {len(order)} update(s) would be sent, oldest first. Nothing is sent and no ledger is written.")
        for _key, incident, update, channels in self._each(build, order):
            for channel in channels:
                if channel.problems:
                    self.say(f"    {channel.describe()}: would fail: {'; '.join(channel.problems)}")
                    continue
                try:
                    message = self._message(incident, update, channel.language)
                    shown = preview(channel, message, build) if self.verbose else ""
                except Exception as exc:  # noqa: BLE001 - as when sending: one message, not the run
                    self.say(f"    {channel.describe()}: would fail: the message could not be made ({type(exc).__name__}: {exc})")
                    continue
                self.say(f"    {channel.describe()}: {message.subject}" + (f" <{message.url}>" if message.url else ""))
                if shown:
                    self.say(shown)

    def _summary(self) -> int:
        failed = False
        self.say("")
        self.say("Summary:")
        for report in self.reports.values():
            ch = report.channel
            for warning in report.warnings:
                self.warn(f"{ch.label}: {warning}")
            if not (report.delivered or report.failed or report.skipped or report.uncertain):
                continue
            line = f"  {ch.label}: {len(report.delivered)} delivered"
            if report.failed or report.skipped:
                failed = True
                owed = len(report.failed) + len(report.skipped)
                reason = report.broken or (report.failed[0][1] if report.failed else "failed earlier")
                line += f", {owed} not delivered: {reason}; the next run retries them"
            if report.uncertain:
                failed = True
                line += (f", {len(report.uncertain)} uncertain (sent, no answer): not sent again by any run; check the "
                         "channel, then run with --resend-uncertain if it did not arrive, or --settle-uncertain if it did")
            self.say(line)
        if failed:
            self.error("some deliveries failed or are uncertain (see above); what failed is recorded as pending in the ledger "
                       "and retried by the next run")
        return FAILED if failed else OK
