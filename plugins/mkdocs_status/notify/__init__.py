"""``mkdocs-status notify``: tell subscribers of every new update, from CI.

Run it between ``mkdocs build`` and the deploy::

    mkdocs-status notify --site site --previous https://status.example.com/api/v2/incidents.json

It compares the new build's JSON API with the last published one, and sends
each update that is new, exactly once and oldest first, to every channel
configured under the status plugin's ``notify:`` in mkdocs.yml: generic JSON
webhooks (optionally signed), Slack, Microsoft Teams and Discord incoming
webhooks, and email over SMTP. Secrets only ever come from environment
variables named in mkdocs.yml.

What is new
-----------
An update is identified by its incident's id and its own ``id`` in the API.
The new build's updates are read from ``SITE_DIR/api/v2/incidents.json``, every
``SITE_DIR/api/v2/incidents/<id>.json`` and ``scheduled-maintenances.json``, so
an update to an incident outside the 50-newest window is not missed. The
previous state is ``--previous`` (the last published ``incidents.json``, as a
URL, a file, or a site folder) plus the ledger published beside it; over
HTTP both are fetched with a query string no cache has seen, so a CDN cannot
hand back the state of an earlier deploy. No previous
state at all (no ``--previous``, a 404, a missing or empty file) is a first
deploy: nothing is sent, and the run says so. A previous state that cannot be
read (a time-out, a 500, invalid JSON, a ledger with a field of the wrong type,
which is named with its file) stops the run with exit code 1 before anything
is sent, since every update would otherwise look new.

*Corrections are not news.* The ledger keeps, for every update, a fingerprint
of what it says (its status and a digest of its text). An update whose id
changed while it says the same (its time corrected, the site's ``timezone:``
changed under headings written without a zone, or renumbered because an update
was inserted at the same time) is the update that was sent; the same id saying
something new is a corrected text. Neither is sent again: a correction reaches
subscribers through the page and the feeds, silently. An update inserted at
the time of a published one, which takes over its id, is news. An update
whose id *and* text both change between two deploys cannot be told from a new
one; write ids (``{#k7f2}``, which the CLI does) to make identity explicit.

*Not news either:* an update with ``{notify=false}`` on its heading (read from
the incident file) or ``deliver_notifications: false`` in the API (every
imported update) is never sent, whatever the options; a new update dated more than 24 hours before the
previous site was built (an imported incident, history written afterwards) is
backfill: recorded, not sent, unless ``--include-backfill``. The previous
build's time is the ``built_at`` its ledger records: the "now" of the notify
run that wrote it (``SOURCE_DATE_EPOCH`` when set, else the clock), which in CI
runs right after the build; without a ledger, the newest time the previous
``incidents.json`` shows stands in.

*Not yet:* a postmortem that is still the skeleton ``mkdocs-status postmortem``
wrote is refused with an error naming its file and line; it stays owed, and
goes out once it has been written.

Exactly once per (update, channel)
----------------------------------
Two records, both written *as each delivery happens*, not once per update:

The local journal (``--state-dir``, default ``.cache/mkdocs-status/notify``
beside mkdocs.yml, outside SITE_DIR, which ``mkdocs build`` empties): one line,
flushed to disk, for each step of each delivery: ``pending`` for everything
owed before the first request, ``sending`` just before a request leaves, then
``delivered``, ``failed`` or ``uncertain``. A run killed after Slack took a
message and before Teams did leaves "Slack: delivered, Teams: sending"; the
next run, even on a fresh build, does not post to Slack again. The same folder
holds a ``lock``: a second run on the same site waits for the first (``--wait``,
default 120 s; ``--wait 0`` refuses at once) and then finds the journal
already written, so two concurrent runs never send anything twice. Across CI
runners, concurrency is the CI's job (``concurrency:`` on GitHub Actions,
``resource_group`` on GitLab); cache the folder (the example workflow does) so
that a re-run job has it too. Without it (a fresh runner, no cache) the
published ledger is the only record, and what a run sent before its deploy
failed is sent again by the next run: at least once, not exactly once.

The ledger ``SITE_DIR/api/v2/notify-ledger.json``, which the deploy publishes
with the site and the next run fetches beside the previous ``incidents.json``,
rewritten atomically after every delivery:

``known``
    every update id of this build, per incident, with its fingerprint. The next
    run treats these as already dealt with, including those of incidents
    outside the ``incidents.json`` window.
``pending``
    ``[{incident_id, update_id, channels: [channel ids]}]``: deliveries that
    failed (or were not tried) and are still owed. The next run retries
    exactly these, for exactly those channels, before anything newer.
``uncertain``
    deliveries sent without an answer to a channel that cannot drop a duplicate
    (below): never sent again unless asked.
``delivered``
    the (update, channel) pairs delivered by runs on *this* build.
``built_at``
    when the run that wrote it ran (see "What is new").
``incidents_sha256``
    the digest of the ``incidents.json`` it was written with. A ledger that
    does not match the previous ``incidents.json`` (a deploy made without
    ``notify``) is ignored, with a warning; so is a missing one, and then the
    copy of the last ledger kept in the state folder is the record, when there
    is one (a deploy that went ahead after notify was killed before writing a
    ledger still owes what it owed).
``channels``
    channel id -> label, for people. A channel id is a hash of the channel's
    entry in mkdocs.yml, so the public ledger names no address or URL.

Without any ledger (the first run after enabling ``notify``) the previous
``incidents.json`` (and ``scheduled-maintenances.json``) is the whole record:
when it lists a full window of 50 incidents, incidents that start before its
oldest one are taken as already announced, so enabling ``notify`` on an old
site never floods subscribers.

Sent, but no answer: what each channel does
--------------------------------------------
A request that fails before the receiver had all of it (no connection, a
reset while sending, an HTTP error status, an SMTP error reply) certainly did
not arrive: it is retried. One that went out whole and got no answer (a read
time-out, a dropped connection, the run killed in flight) may have arrived:

* **Generic webhooks** carry ``Idempotency-Key`` and ``X-Status-Delivery``
  headers and ``meta.delivery_id`` in the body, the same
  ``<incident id>/<update id>`` on every attempt and every run. A receiver that
  keeps the keys it has seen drops a repeat, so such a delivery is retried
  (within the run, with backoff, and by later runs) until it is answered:
  counted by distinct key, each update arrives exactly once.
* **Slack, Teams and Discord** incoming webhooks and **email** cannot drop a
  duplicate (a repeated post is a second message; mail systems do not reliably
  drop a repeated ``Message-ID``). Such a delivery is *uncertain*: not retried
  in this run, and not sent again by any later run. It is listed in the
  ledger's ``uncertain``, reported by the run (exit code 1) and warned about by
  every later run, until someone looks at the channel and runs with
  ``--resend-uncertain`` (it did not arrive) or ``--settle-uncertain`` (it did).
  So these channels get each update at most once, and exactly once except for
  the uncertain ones, which are named.

Safe by default
---------------
Every request has a time-out (``notify: timeout``, default 10 s). A delivery
that cannot connect, or gets HTTP 5xx, 408 or 429 (or SMTP 4xx) is
retried with exponential backoff (``retries``, default 3; ``backoff``, default
1 s, doubling; a server's ``Retry-After`` is honoured up to 30 s). A channel
that still fails is not tried again in this run (its later updates stay
pending, in order); the other channels go on. A payload a receiver rejects
(HTTP 400, 413, 422) fails only that message. Anything else that goes wrong
while one message is made or sent (a bug, a title no email header can hold)
fails only that (update, channel): it stays pending and is reported, and the
run goes on. Exit code 0: everything owed was
delivered (or nothing was owed); 1: something was not delivered or is
uncertain, the previous state could not be read, or another run held the lock
for longer than ``--wait`` (each failure is named); 2: a usage or
configuration problem (bad options, unreadable mkdocs.yml, SITE_DIR not a
status build, a channel whose environment variable is not set or whose URL
cannot be used, …). A channel with a configuration problem sends nothing, its
updates stay pending, and the others still send. ``--dry-run`` prints what would
be sent and writes nothing.

*Secrets.* No message, at any verbosity, and nothing written (ledger, journal)
contains any part of a configured URL's path, query or credentials: a channel
is named by its place in mkdocs.yml (``webhooks[1]``, ``slack[0]``), and a URL
that cannot be used is described ("it contains a space or a control
character"), never quoted. As a net under that rule, every secret value (and
each token of a URL's path and query) is replaced by ``[redacted]`` in any text
that comes from elsewhere, such as a receiver's error page echoing its path.

The generic webhook
-------------------
``POST`` with ``Content-Type: application/json; charset=utf-8`` and headers
``X-Status-Event`` (``incident.update`` or ``maintenance.update``),
``X-Status-Delivery`` and ``Idempotency-Key`` (both ``<incident id>/<update id>``,
the same on every retry and every run: keep the keys you have seen and drop a
repeat), ``Content-Language`` (the channel's language), and, with
``secret_env``, ``X-Status-Signature: sha256=<hex>``: the HMAC-SHA256 of the
exact request body bytes keyed with the secret. Verify it before parsing, with
a constant-time comparison. Any 2xx is success. The body, UTF-8 JSON::

    {
      "meta": {
        "schema": "mkdocs-status/notify/v1",
        "event": "incident.update",            # or "maintenance.update"
        "delivery_id": "<incident id>/<update id>",
        "generator": "mkdocs-status 0.1.0"
      },
      "page": {                                # the API's page object, plus:
        "id": "...", "name": "...", "url": "https://status.example.com/",
        "time_zone": "...", "updated_at": "...",
        "status_indicator": "major",           # from status.json, when built
        "status_description": "Partial System Outage"
      },
      "incident": {...},   # the Statuspage v2 incident object from the API, as of this
                           # update: incident_updates holds this update and the
                           # earlier ones (newest first), status is this update's,
                           # resolved_at/monitoring_at are null if they came later
      "update": {...},     # the Statuspage v2 incident_update object: id, status,
                           # body, incident_id, created_at, display_at, ...
      "message": {         # the update told in the channel's language
        "language": "nb",                      # BCP 47
        "title": "Pålogging til kø feiler",
        "status": "resolved",                  # the status word as posted ("update" stays "update")
        "status_label": "Løst",
        "subject": "Løst: Pålogging til kø feiler",
        "text": "plain text of the update",
        "html": "<p>sanitised HTML, absolute links</p>",
        "text_language": "nb",                 # differs from language when a fallback was shown
        "notices": [],                         # e.g. "This text was machine translated into …"
        "components": ["Engage (Meldinger)"],  # affected components, localized
        "at": "2026-11-20T10:30:00Z",
        "time": "20. nov. 2026, 11:30 CET · 10:30 UTC",
        "url": "https://status.example.com/nb/incidents/<id>/#update-20261120t103000z"
      }
    }

Receivers of Statuspage webhooks find ``page``, ``incident`` and
``incident.incident_updates`` where they expect them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line only: a build imports this package for notify.schema
    import argparse

EPILOG = """\
examples:
  # in CI, after `mkdocs build` and before the deploy:
  mkdocs-status notify --site site \\
      --previous https://status.example.com/api/v2/incidents.json

  # see what would be sent, without sending:
  mkdocs-status notify --site site --previous old-site/ --dry-run -v

Channels are configured in mkdocs.yml under the status plugin's `notify:`
(webhooks, slack, teams, discord, email); secrets come from the environment
variables they name. Deploy SITE_DIR after this command: it writes
api/v2/notify-ledger.json there, which the next run reads to send each
update exactly once.

exit status: 0 all delivered (or nothing new), 1 something was not delivered
(retried by the next run) or is uncertain (sent to a chat or email channel
without an answer: not repeated; see --resend-uncertain), 2 usage or
configuration error.
"""


def register(subparsers: Any) -> None:
    """Add the ``notify`` subcommand to an argparse subparsers object."""
    import argparse

    parser = subparsers.add_parser(
        "notify",
        help="tell configured channels (webhooks, Slack, Teams, Discord, email) about new updates",
        description="Send every update that is in the new build but not in the previously published site, "
                    "once, oldest first, to every channel configured under the status plugin's 'notify:'.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", metavar="SITE_DIR", default=None,
                        help="the new build (default: the site_dir of mkdocs.yml, usually ./site)")
    parser.add_argument("--previous", metavar="PREVIOUS", default=None,
                        help="the last published /api/v2/incidents.json: a URL, a file, or a site folder; "
                             "missing, 404 or empty means first deploy (nothing is sent)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send and write nothing")
    parser.add_argument("-f", "--config-file", metavar="FILE", default="mkdocs.yml", help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="with --dry-run, print each payload")
    parser.add_argument("--include-backfill", action="store_true",
                        help="also send new updates dated more than 24 hours before the previous site was built "
                             "(imports, backfilled history); by default they are recorded, not sent")
    parser.add_argument("--resend-uncertain", action="store_true",
                        help="send again what an earlier run sent to a chat or email channel without getting an answer "
                             "(check the channel first: it may have arrived)")
    parser.add_argument("--settle-uncertain", action="store_true",
                        help="record those uncertain deliveries as delivered (you checked: they arrived)")
    parser.add_argument("--state-dir", metavar="DIR", default=None,
                        help="the local journal and lock (default: .cache/mkdocs-status/notify beside mkdocs.yml)")
    parser.add_argument("--wait", metavar="SECONDS", type=float, default=120.0,
                        help="how long to wait for another notify run on this site to finish (default: 120; 0: refuse at once)")


def run(args: argparse.Namespace) -> int:
    """The subcommand: an exit code, never a traceback."""
    # Imported here: every other command registers `notify` but never needs the channels.
    from .options import NotifyConfigError, Redactor, load
    from .runner import CONFIG, FAILED, Run, RunOptions

    config_file = Path(args.config_file)
    try:
        options = load(config_file)
    except NotifyConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return CONFIG
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback, ever (and no secret in it)
        print(f"error: notify could not read {config_file} ({type(exc).__name__}); please report this", file=sys.stderr)
        return CONFIG
    redact: Redactor = options.redact
    site_dir = Path(args.site) if args.site else options.site_dir or config_file.resolve().parent / "site"
    if args.resend_uncertain and args.settle_uncertain:
        print("error: --resend-uncertain and --settle-uncertain exclude each other", file=sys.stderr)
        return CONFIG
    choices = RunOptions(dry_run=args.dry_run, verbose=args.verbose, include_backfill=args.include_backfill,
                         resend_uncertain=args.resend_uncertain, settle_uncertain=args.settle_uncertain,
                         state_dir=Path(args.state_dir) if args.state_dir else None, wait=max(0.0, args.wait))
    try:
        return Run(options, site_dir, args.previous, choices=choices)()
    except KeyboardInterrupt:
        print("error: interrupted; the ledger and the journal record what was delivered so far", file=sys.stderr)
        return FAILED
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback, ever
        print(redact(f"error: notify stopped unexpectedly ({type(exc).__name__}: {exc}); please report this"), file=sys.stderr)
        return FAILED


def main(argv: list[str] | None = None) -> int:
    """``python -m mkdocs_status.notify``: the subcommand on its own (``mkdocs-status notify`` is the same)."""
    import argparse

    parser = argparse.ArgumentParser(prog="mkdocs-status notify", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


__all__ = ["register", "run", "main"]
