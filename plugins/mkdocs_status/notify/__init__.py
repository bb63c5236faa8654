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
read (a time-out, a 500, invalid JSON) stops the run with exit code 1 before
anything is sent, since every update would otherwise look new.

Exactly once, without a database: the delivery ledger
-----------------------------------------------------
Each run writes ``SITE_DIR/api/v2/notify-ledger.json``, which the deploy
publishes with the site; the next run fetches it beside the previous
``incidents.json``. It holds:

``known``
    every update id of this build, per incident. The next run treats these
    as already dealt with, including those of incidents outside the
    ``incidents.json`` window.
``pending``
    ``[{incident_id, update_id, channels: [channel ids]}]``: deliveries that
    failed (or were not tried) and are still owed. The next run retries
    exactly these, for exactly those channels, before anything newer.
``delivered``
    the (update, channel) pairs delivered by runs on *this* build. A second
    run on the same SITE_DIR (a CI retry after a partial failure, before the
    deploy) skips them, so it sends only what was not delivered.
``incidents_sha256``
    the digest of the ``incidents.json`` it was written with. A ledger that
    does not match the previous ``incidents.json`` (a deploy made without
    ``notify``) is ignored, with a warning.
``channels``
    channel id -> label, for people. A channel id is a hash of the channel's
    entry in mkdocs.yml, so the public ledger names no address or URL.

The ledger is rewritten atomically before the first delivery (everything
owed marked pending) and after each update, so a run killed half-way leaves a
true record. So, for one pair of states, each update goes to each channel
once; a build whose updates did not change sends nothing; and a re-run sends
only what is owed. Without a published ledger (the first run after enabling
``notify``) the previous ``incidents.json`` (and ``scheduled-maintenances.json``)
is the whole record: when it lists a full window of 50 incidents, incidents
that start before its oldest one are taken as already announced, so enabling
``notify`` on an old site never floods subscribers.

Delivery is at least once across a failed deploy: if the deploy after a
successful ``notify`` fails, the next run compares with the older published
state and sends those updates again. The same goes for a re-run after
``mkdocs build`` has been run again (it empties SITE_DIR, ledger included):
re-run ``notify`` on the same SITE_DIR, and deploy it. Receivers can de-duplicate on
``X-Status-Delivery`` (webhooks) or the ``Message-ID`` (email), which are the
same for the same update and channel. An update's id depends on its instant:
correcting an update's time makes it a new update; correcting its text does not.

Safe by default
---------------
Every request has a time-out (``notify: timeout``, default 10 s). A delivery
that times out, cannot connect, or gets HTTP 5xx, 408 or 429 (or SMTP 4xx) is
retried with exponential backoff (``retries``, default 3; ``backoff``, default
1 s, doubling; a server's ``Retry-After`` is honoured up to 30 s). A channel
that still fails is not tried again in this run (its later updates stay
pending, in order); the other channels go on. A payload a receiver rejects
(HTTP 400, 413, 422) fails only that message. Exit code 0: everything owed was
delivered (or nothing was owed); 1: something was not delivered, or the
previous state could not be read (each failure is named); 2: a usage or
configuration problem (bad options, unreadable mkdocs.yml, SITE_DIR not a
status build, a channel whose environment variable is not set, …). A channel
with a configuration problem sends nothing, its updates stay pending, and the
others still send. ``--dry-run`` prints what would be sent and writes nothing.

The generic webhook
-------------------
``POST`` with ``Content-Type: application/json; charset=utf-8`` and headers
``X-Status-Event`` (``incident.update`` or ``maintenance.update``),
``X-Status-Delivery`` (``<incident id>/<update id>``, the same on every retry
and every run), ``Content-Language`` (the channel's language), and, with
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

import argparse
import sys
from pathlib import Path
from typing import Any

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
(retried by the next run), 2 usage or configuration error.
"""


def register(subparsers: Any) -> None:
    """Add the ``notify`` subcommand to an argparse subparsers object."""
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
    site_dir = Path(args.site) if args.site else _site_dir(config_file)
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


def _site_dir(config_file: Path) -> Path:
    from mkdocs.utils import yaml_load

    try:
        with config_file.open("rb") as fp:
            raw = yaml_load(fp)
        site_dir = raw.get("site_dir") or "site"
    except Exception:  # noqa: BLE001 - load() already read it; fall back to MkDocs' default
        site_dir = "site"
    return config_file.resolve().parent / str(site_dir)


def main(argv: list[str] | None = None) -> int:
    """``python -m mkdocs_status.notify``: the subcommand on its own, until cli.py wires it in."""
    parser = argparse.ArgumentParser(prog="mkdocs-status notify", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


__all__ = ["register", "run", "main"]
