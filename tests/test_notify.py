"""`mkdocs-status notify` end to end: real MkDocs builds, real HTTP receivers and a
real SMTP server on 127.0.0.1, and the command line as CI runs it.

Each test builds a small status site for real, "deploys" it by copying the
build to a folder that the next run reads as ``--previous`` (directly, or
served over HTTP), and checks what the receivers got.
"""

from __future__ import annotations

import contextlib
import copy
import email
import email.policy
import hashlib
import hmac
import http.server
import io
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from conftest import BASE_CONFIG, SIMPLE_INCIDENT, Site
from mkdocs_status.l10n.catalogs import translations
from mkdocs_status.l10n.dates import instant_text
from mkdocs_status.notify import main as notify_main
from mkdocs_status.notify import options as notify_options
from mkdocs_status.notify.runner import Run
from mkdocs_status.notify.transport import Policy

EPOCH = 1795294800  # 2026-11-21T21:00:00Z
DAY = 86400
SECOND_UPDATE = """

## Postmortem · 2026-11-21 09:00

The root cause was a **bad deploy**. See [the runbook](https://example.com/runbook).

::: nb
Årsaken var en feil utrulling.
:::
"""
MAINTENANCE = """
---
title: Database upgrade
title_nb: Databaseoppgradering
type: maintenance
components: [messaging]
scheduled_for: 2026-11-25 22:00
scheduled_until: 2026-11-25 23:00
---

## Scheduled · 2026-11-21 12:00

We will upgrade the database.

::: nb
Vi oppgraderer databasen.
:::
"""


# -- receivers ------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST.

    ``script`` says how to answer the requests in turn: an HTTP status, or
    ``("sleep", seconds)`` to stall past the client's time-out; after it runs
    out, every request gets 200.
    """

    script: list[Any] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    _server: http.server.ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                action = receiver.script.pop(0) if receiver.script else 200
                try:
                    if isinstance(action, tuple) and action[0] == "sleep":
                        time.sleep(action[1])
                        action = 200
                    self.send_response(action)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the client gave up (time-out test)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class StaticHost:
    """Serves a folder over HTTP on 127.0.0.1, as the static host serves the published site."""

    def __init__(self, root: Path) -> None:
        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                host.paths.append(self.path)
                if host.fail_with:
                    self.send_error(host.fail_with)
                    return
                super().do_GET()

        host = self
        self.fail_with = 0
        self.paths: list[str] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def make(*script: Any) -> Receiver:
        receiver = Receiver(list(script)).start()
        started.append(receiver)
        return receiver

    yield make
    for receiver in started:
        receiver.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage
    tls: bool


class Mailbox:
    """aiosmtpd handler that keeps every message."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message, session.ssl is not None))  # type: ignore[arg-type]
        return "250 OK"


@contextlib.contextmanager
def smtp_server(box: Any = None, **kwargs: Any) -> Iterator[tuple[Any, int]]:
    """An aiosmtpd server on 127.0.0.1 with ``box`` (default: a :class:`Mailbox`) as its handler."""
    box = box or Mailbox()
    for attempt in range(5):  # another test may take the free port first
        port = free_port()
        controller = Controller(box, hostname="127.0.0.1", port=port, **kwargs)
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
    try:
        yield box, port
    finally:
        controller.stop()


def self_signed(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context trusting it) for 127.0.0.1, made now with
    the ``cryptography`` package, else the ``openssl`` command."""
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    try:
        _self_signed_with_cryptography(cert_file, key_file)
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor the openssl command is available")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", str(key_file), "-out", str(cert_file), "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE"],
                       check=True, capture_output=True)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


def _self_signed_with_cryptography(cert_file: Path, key_file: Path) -> None:
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


# -- the project under test ---------------------------------------------------------


class Project:
    """A status site that is built, notified and "deployed" like CI would."""

    def __init__(self, root: Path, notify: dict[str, Any]) -> None:
        config = copy.deepcopy(BASE_CONFIG)
        self.site = Site(root / "project", config)
        self.site.plugin["notify"] = {"backoff": 0, "retries": 2, "timeout": 2, **notify}
        self.site.write_config()
        self.published = root / "published"
        self.host: StaticHost | None = None

    def set_notify(self, **notify: Any) -> None:
        self.site.plugin["notify"] = notify
        self.site.write_config()

    def build(self) -> Path:
        return self.site.build(epoch=EPOCH)

    @property
    def site_dir(self) -> Path:
        return self.site.root / "site"

    def deploy(self) -> None:
        """Publish the build, ledger included, where the next run finds it."""
        if self.published.exists():
            shutil.rmtree(self.published)
        shutil.copytree(self.site_dir, self.published)

    @property
    def previous(self) -> str:
        return str(self.published / "api" / "v2" / "incidents.json")

    def notify(self, *extra: str, previous: str | None = "published", capsys: pytest.CaptureFixture[str],
               epoch: int = EPOCH) -> tuple[int, str, str]:
        """Run notify as CI does, at ``epoch`` (the build's time, which the ledger records)."""
        argv = ["-f", str(self.site.root / "mkdocs.yml"), "--site", str(self.site_dir), *extra]
        if previous == "published":
            argv += ["--previous", self.previous]
        elif previous is not None:
            argv += ["--previous", previous]
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("SOURCE_DATE_EPOCH", str(epoch))
            code = notify_main(argv)
        out, err = capsys.readouterr()
        return code, out, err

    def ledger(self) -> dict[str, Any]:
        return json.loads((self.site_dir / "api" / "v2" / "notify-ledger.json").read_text())


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Project]:
    # notify runs right after the build in CI: its "now" (the previous build's time in
    # the ledger it writes) is the build's.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))

    def make(notify: dict[str, Any] | None = None) -> Project:
        return Project(tmp_path, notify or {})

    return make


def first_deploy(p: Project, capsys: pytest.CaptureFixture[str], expect: int = 0) -> None:
    """Build with one incident, run notify without previous state, deploy."""
    p.site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    p.build()
    code, out, _ = p.notify(previous=None, capsys=capsys)
    assert code == expect, out
    p.deploy()


def add_postmortem(p: Project) -> None:
    path = p.site.root / "incidents" / "2026-11-20-queue.md"
    path.write_text(path.read_text() + SECOND_UPDATE)


def expected_when(iso: str, lang: str) -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    return instant_text(dt.datetime.fromisoformat(iso), lang, (ZoneInfo("Europe/Oslo"), ZoneInfo("UTC")))


# -- first deploy, no change ------------------------------------------------------------


def test_first_deploy_sends_nothing_and_says_so(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    monkeypatch.setenv("HOOK_URL", hook.url)
    p = project({"webhooks": [{"url_env": "HOOK_URL"}]})
    p.site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    p.build()
    code, out, _ = p.notify(previous=str(p.published / "missing" / "incidents.json"), capsys=capsys)
    assert code == 0
    assert "first deploy" in out and "Nothing is sent" in out
    assert hook.requests == []
    # The ledger records the build's updates as known, for the next run.
    assert {i: sorted(ids) for i, ids in p.ledger()["known"].items()} == \
        {"2026-11-20-queue": ["2026-11-20-queue-20261120t090000z", "2026-11-20-queue-20261120t103000z"]}


def test_first_deploy_when_the_previous_url_is_404(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hook = receivers()
    monkeypatch.setenv("HOOK_URL", hook.url)
    p = project({"webhooks": [{"url_env": "HOOK_URL"}]})
    p.site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    p.build()
    (tmp_path / "empty-host").mkdir()
    host = StaticHost(tmp_path / "empty-host")
    try:
        code, out, _ = p.notify(previous=host.url + "api/v2/incidents.json", capsys=capsys)
    finally:
        host.stop()
    assert code == 0 and "first deploy" in out
    assert hook.requests == []


def test_nothing_is_sent_when_the_updates_did_not_change(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    monkeypatch.setenv("HOOK_URL", hook.url)
    p = project({"webhooks": [{"url_env": "HOOK_URL"}]})
    first_deploy(p, capsys)
    # A rebuild with an edited text but the same updates (a typo fixed) sends nothing.
    path = p.site.root / "incidents" / "2026-11-20-queue.md"
    path.write_text(path.read_text().replace("We are looking into it.", "We are looking into this."))
    p.build()
    code, out, _ = p.notify(previous=str(p.published), capsys=capsys)  # the published folder will do
    assert code == 0
    assert "No new updates" in out
    assert hook.requests == []


# -- sending ----------------------------------------------------------------------------------


def test_a_new_update_reaches_every_channel_once_with_the_documented_payloads(
    project: Callable[..., Project], receivers: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook, slack, teams, discord = receivers(), receivers(), receivers(), receivers()
    for name, r in {"HOOK_URL": hook, "SLACK_URL": slack, "TEAMS_URL": teams, "DISCORD_URL": discord}.items():
        monkeypatch.setenv(name, r.url)
    monkeypatch.setenv("HOOK_SECRET", "s3cret")
    p = project({
        "webhooks": [{"url_env": "HOOK_URL", "secret_env": "HOOK_SECRET"}],
        "slack": [{"url_env": "SLACK_URL"}],
        "teams": [{"url_env": "TEAMS_URL", "language": "nb"}],
        "discord": [{"url_env": "DISCORD_URL"}],
    })
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    code, out, err = p.notify(capsys=capsys)
    assert code == 0, out + err
    for r in (hook, slack, teams, discord):
        assert len(r.requests) == 1

    url = "https://status.example.com/incidents/2026-11-20-queue/#update-20261121t080000z"
    when = expected_when("2026-11-21T09:00:00+01:00", "en")
    text = "The root cause was a bad deploy. See the runbook (https://example.com/runbook)."

    # The generic webhook: Statuspage's objects plus the message, signed.
    received = hook.requests[0]
    assert received.headers["content-type"] == "application/json; charset=utf-8"
    assert received.headers["x-status-event"] == "incident.update"
    assert received.headers["x-status-delivery"] == "2026-11-20-queue/2026-11-20-queue-20261121t080000z"
    assert received.headers["content-language"] == "en"
    expected_signature = "sha256=" + hmac.new(b"s3cret", received.body, hashlib.sha256).hexdigest()
    assert received.headers["x-status-signature"] == expected_signature
    payload = received.json()
    assert payload["meta"] == {"schema": "mkdocs-status/notify/v1", "event": "incident.update",
                               "delivery_id": "2026-11-20-queue/2026-11-20-queue-20261121t080000z", "generator": "mkdocs-status 0.1.0"}
    published = json.loads((p.site_dir / "api/v2/incidents/2026-11-20-queue.json").read_text())
    assert payload["incident"] == published["incident"]  # the newest update: the incident as published
    assert payload["update"] == published["incident"]["incident_updates"][0]
    assert {k: payload["page"][k] for k in published["page"]} == published["page"]
    assert payload["page"]["status_indicator"] == "none"
    assert payload["message"] == {
        "language": "en",
        "title": "Queue login fails",
        "status": "postmortem",
        "status_label": "Postmortem",
        "subject": "Postmortem: Queue login fails",
        "text": text,
        "html": '<p>The root cause was a <strong>bad deploy</strong>. See <a href="https://example.com/runbook" '
                'rel="noopener noreferrer nofollow">the runbook</a>.</p>',
        "text_language": "en",
        "notices": [],
        "components": ["Interact"],
        "at": "2026-11-21T08:00:00Z",
        "time": when,
        "url": url,
    }

    assert slack.requests[0].json() == {
        "text": f"Postmortem: Queue login fails ({when}) {url}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*<{url}|Postmortem: Queue login fails>*\n{when}"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "This incident affected: Interact"},
                                              {"type": "mrkdwn", "text": "Test Status"}]},
        ],
        "unfurl_links": False,
        "unfurl_media": False,
    }

    nb = translations("nb").gettext
    nb_url = "https://status.example.com/nb/incidents/2026-11-20-queue/#update-20261121t080000z"
    card = teams.requests[0].json()
    assert card["type"] == "message"
    content = card["attachments"][0]["content"]
    assert card["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert content["lang"] == "nb"
    assert content["body"][0]["text"] == f"{nb('Postmortem')}: Pålogging til kø feiler"
    assert content["body"][1]["text"] == expected_when("2026-11-21T09:00:00+01:00", "nb")
    assert content["body"][2]["text"] == "Årsaken var en feil utrulling."
    assert content["body"][3] == {"type": "FactSet", "facts": [{"title": nb("This incident affected"), "value": "Interact"}]}
    assert content["actions"] == [{"type": "Action.OpenUrl", "title": nb("View this update on the status page"), "url": nb_url}]

    embed = discord.requests[0].json()
    assert embed["allowed_mentions"] == {"parse": []}
    assert embed["embeds"][0]["title"] == "Postmortem: Queue login fails"
    assert embed["embeds"][0]["url"] == url
    assert embed["embeds"][0]["description"] == text
    assert embed["embeds"][0]["timestamp"] == "2026-11-21T08:00:00+00:00"
    assert embed["embeds"][0]["fields"] == [{"name": "This incident affected", "value": "Interact"}]

    # Run again on the same pair of states: nothing is sent twice.
    code, out, _ = p.notify(capsys=capsys)
    assert code == 0 and "No new updates" in out
    assert [len(r.requests) for r in (hook, slack, teams, discord)] == [1, 1, 1, 1]
    # And after the deploy, a rebuild of the same sources sends nothing either.
    p.deploy()
    p.build()
    code, out, _ = p.notify(capsys=capsys)
    assert code == 0 and "No new updates" in out
    assert [len(r.requests) for r in (hook, slack, teams, discord)] == [1, 1, 1, 1]


def test_several_new_updates_are_sent_oldest_first(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    monkeypatch.setenv("HOOK_URL", hook.url)
    p = project({"webhooks": [{"url_env": "HOOK_URL"}]})
    p.site.add("2026-11-01-old.md", SIMPLE_INCIDENT.replace("2026-11-20", "2026-11-01"))
    p.build()
    p.notify(previous=None, capsys=capsys, epoch=EPOCH - 3 * DAY)  # deployed before the new incidents were posted
    p.deploy()
    p.site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    p.site.add("2026-11-25-db.md", MAINTENANCE)
    p.build()
    code, out, _ = p.notify(capsys=capsys)
    assert code == 0, out
    sent = [(r.json()["meta"]["event"], r.json()["update"]["id"]) for r in hook.requests]
    assert sent == [
        ("incident.update", "2026-11-20-queue-20261120t090000z"),
        ("incident.update", "2026-11-20-queue-20261120t103000z"),
        ("maintenance.update", "2026-11-25-db-20261121t110000z"),
    ]
    # The first update's payload shows the incident as it stood then, not resolved yet.
    first = hook.requests[0].json()["incident"]
    assert first["status"] == "investigating"
    assert first["resolved_at"] is None
    assert [u["id"] for u in first["incident_updates"]] == ["2026-11-20-queue-20261120t090000z"]


def test_an_update_to_an_incident_outside_the_50_newest_is_sent(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    monkeypatch.setenv("HOOK_URL", hook.url)
    p = project({"webhooks": [{"url_env": "HOOK_URL"}]})
    p.site.add("2025-01-01-ancient.md", SIMPLE_INCIDENT.replace("2026-11-20", "2025-01-01"))
    import datetime as dt

    for n in range(50):
        day = (dt.date(2026, 9, 1) + dt.timedelta(days=n)).isoformat()
        p.site.add(f"{day}-blip.md", f"""
            ---
            title: Blip {n}
            title_nb: Blipp {n}
            impact: minor
            ---

            ## Resolved · {day} 10:00

            Short blip.

            ::: nb
            Kort blipp.
            :::
            """)
    p.build()
    p.notify(previous=None, capsys=capsys)
    p.deploy()
    listed = json.loads((p.published / "api/v2/incidents.json").read_text())["incidents"]
    assert len(listed) == 50 and "2025-01-01-ancient" not in {i["id"] for i in listed}
    path = p.site.root / "incidents" / "2025-01-01-ancient.md"
    path.write_text(path.read_text() + SECOND_UPDATE)
    p.build()
    code, out, _ = p.notify(capsys=capsys)
    assert code == 0, out
    assert [r.json()["update"]["id"] for r in hook.requests] == ["2025-01-01-ancient-20261121t080000z"]


# -- failures, retries, re-runs ---------------------------------------------------------------


def test_a_receiver_returning_500_is_retried_with_backoff_until_it_accepts(
    project: Callable[..., Project], receivers: Callable[..., Receiver], capsys: pytest.CaptureFixture[str],
) -> None:
    hook = receivers(500, 503, 200)
    p = project({"webhooks": [{"url": hook.url}]})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    waits: list[float] = []
    options = notify_options.load(p.site.root / "mkdocs.yml")
    out = io.StringIO()
    code = Run(options, p.site_dir, p.previous, out=out, err=out, policy=Policy(retries=3, backoff=0.5, sleep=waits.append, timeout=2))()
    assert code == 0, out.getvalue()
    assert waits == [0.5, 1.0]  # exponential backoff between the three attempts
    assert len(hook.requests) == 3
    assert len({r.body for r in hook.requests}) == 1  # every attempt carries the same bytes
    assert "delivered (attempt 3)" in out.getvalue()


def test_a_webhook_that_times_out_is_retried_with_the_same_idempotency_key_and_the_others_still_get_it(
    project: Callable[..., Project], receivers: Callable[..., Receiver], capsys: pytest.CaptureFixture[str],
) -> None:
    slow, fine = receivers(("sleep", 1.5), ("sleep", 1.5)), receivers()
    p = project({"webhooks": [{"url": slow.url}], "discord": [{"url": fine.url}], "timeout": 0.3, "retries": 1})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    started = time.monotonic()
    code, out, err = p.notify(capsys=capsys)
    assert time.monotonic() - started < 5
    assert code == 1
    assert "webhooks[0]: FAILED: sent, but no answer (timed out): it may have arrived (after 2 attempts)" in out
    assert "discord[0]: delivered" in out
    assert len(slow.requests) == 2 and len(fine.requests) == 1
    # A receiver that keeps the keys it has seen drops the repeat.
    assert [r.headers["idempotency-key"] for r in slow.requests] == ["2026-11-20-queue/2026-11-20-queue-20261121t080000z"] * 2
    assert "some deliveries failed" in err
    assert p.ledger()["pending"] == [{"incident_id": "2026-11-20-queue", "update_id": "2026-11-20-queue-20261121t080000z",
                                      "channels": [notify_options.channel_id("webhooks", {"url": slow.url})]}]
    # The next run sends it again, with the same key.
    code, out, err = p.notify(capsys=capsys)
    assert code == 0, out + err
    assert len(slow.requests) == 3 and len(fine.requests) == 1


def test_a_chat_webhook_that_times_out_is_not_posted_twice_and_is_reported_as_uncertain(
    project: Callable[..., Project], receivers: Callable[..., Receiver], capsys: pytest.CaptureFixture[str],
) -> None:
    slow, fine = receivers(("sleep", 1.5)), receivers()
    p = project({"slack": [{"url": slow.url}], "discord": [{"url": fine.url}], "timeout": 0.3, "retries": 3})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    code, out, err = p.notify(capsys=capsys)
    assert code == 1
    # Slack cannot drop a duplicate: a request that may have been posted is not sent again.
    assert len(slow.requests) == 1 and len(fine.requests) == 1
    assert "slack[0]: UNCERTAIN: sent, but no answer (timed out): it may have arrived" in out
    slack_id = notify_options.channel_id("slack", {"url": slow.url})
    key = {"incident_id": "2026-11-20-queue", "update_id": "2026-11-20-queue-20261121t080000z"}
    assert p.ledger()["pending"] == [] and p.ledger()["uncertain"] == [{**key, "channels": [slack_id]}]
    # Neither does the next run, nor the one after the deploy; each says so.
    code, out, err = p.notify(capsys=capsys)
    assert code == 0 and len(slow.requests) == 1
    assert "was sent by an earlier run that got no answer" in err
    p.deploy()
    p.build()
    code, out, err = p.notify(capsys=capsys)
    assert code == 0 and len(slow.requests) == 1 and "--resend-uncertain" in err
    # Told that it did not arrive, it is sent once more.
    code, out, err = p.notify("--resend-uncertain", capsys=capsys)
    assert code == 0, out + err
    assert len(slow.requests) == 2 and len(fine.requests) == 1
    assert p.ledger()["uncertain"] == []
    code, out, err = p.notify(capsys=capsys)
    assert code == 0 and len(slow.requests) == 2 and "no answer" not in err


def test_a_rerun_after_a_partial_failure_sends_only_what_was_not_delivered(
    project: Callable[..., Project], receivers: Callable[..., Receiver], capsys: pytest.CaptureFixture[str],
) -> None:
    down, up = receivers(500, 500, 500), receivers()
    p = project({"webhooks": [{"url": down.url}, {"url": up.url}], "retries": 2})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    code, out, err = p.notify(capsys=capsys)
    assert code == 1, out + err
    assert (len(down.requests), len(up.requests)) == (3, 1)
    # CI re-runs the step on the same build: only the failed channel is tried again.
    code, out, _ = p.notify(capsys=capsys)
    assert code == 0, out
    assert (len(down.requests), len(up.requests)) == (4, 1)
    assert p.ledger()["pending"] == []


def test_what_a_run_could_not_deliver_is_sent_by_the_next_deploy(
    project: Callable[..., Project], receivers: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook, other = receivers(), receivers()
    monkeypatch.setenv("OTHER_URL", other.url)
    p = project({"webhooks": [{"url": hook.url}, {"url_env": "HOOK_URL_NOT_SET"}], "slack": [{"url_env": "OTHER_URL"}]})
    first_deploy(p, capsys, expect=2)
    add_postmortem(p)
    p.build()
    code, out, err = p.notify(capsys=capsys)
    # The unset variable is a configuration problem of that one channel; the others send.
    assert code == 2
    assert "webhooks[1]: url_env: environment variable HOOK_URL_NOT_SET is not set" in err
    assert (len(hook.requests), len(other.requests)) == (1, 1)
    p.deploy()  # the deploy goes ahead, ledger included
    # Next push: the variable is set now; the owed update goes to that channel only, before the new one.
    late = receivers()
    monkeypatch.setenv("HOOK_URL_NOT_SET", late.url)
    path = p.site.root / "incidents" / "2026-11-20-queue.md"
    path.write_text(path.read_text() + "\n## Update · 2026-11-21 10:00\n\nMore details.\n\n::: nb\nMer.\n:::\n")
    p.build()
    code, out, err = p.notify(capsys=capsys)
    assert code == 0, out + err
    assert [r.json()["update"]["id"] for r in late.requests] == ["2026-11-20-queue-20261121t080000z", "2026-11-20-queue-20261121t090000z"]
    assert [r.json()["update"]["id"] for r in hook.requests] == ["2026-11-20-queue-20261121t080000z", "2026-11-20-queue-20261121t090000z"]
    assert len(other.requests) == 2


def test_a_channel_that_fails_is_not_tried_again_in_that_run_so_order_is_kept(
    project: Callable[..., Project], receivers: Callable[..., Receiver], capsys: pytest.CaptureFixture[str],
) -> None:
    down, up = receivers(*[503] * 10), receivers()
    p = project({"webhooks": [{"url": down.url}, {"url": up.url}], "retries": 1})
    p.build()
    p.notify(previous=None, capsys=capsys, epoch=EPOCH - 3 * DAY)
    p.deploy()
    p.site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    p.build()
    code, out, _ = p.notify(capsys=capsys)
    assert code == 1
    assert len(down.requests) == 2  # the first update, two attempts; the second update is not tried
    assert len(up.requests) == 2
    assert "webhooks[0]: not tried (it failed earlier in this run)" in out
    pending = p.ledger()["pending"]
    assert [e["update_id"] for e in pending] == ["2026-11-20-queue-20261120t090000z", "2026-11-20-queue-20261120t103000z"]


def test_an_unreadable_previous_state_sends_nothing(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    p = project({"webhooks": [{"url": hook.url}], "retries": 1})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    host = StaticHost(p.published)
    host.fail_with = 500
    try:
        code, out, err = p.notify(previous=host.url + "api/v2/incidents.json", capsys=capsys)
    finally:
        host.stop()
    assert code == 1
    assert "nothing was sent" in err
    assert hook.requests == []


def test_previous_state_read_over_http_with_its_ledger(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    p = project({"webhooks": [{"url": hook.url}]})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    host = StaticHost(p.published)
    try:
        code, out, _ = p.notify(previous=host.url, capsys=capsys)  # the site's root URL will do
        assert code == 0, out
        # Both files come from the origin, past any CDN cache: a stale state would repeat updates.
        assert [path.split("?notify=")[0] for path in host.paths] == ["/api/v2/incidents.json", "/api/v2/notify-ledger.json"]
        assert all("?notify=" in path for path in host.paths)
        assert [r.json()["update"]["id"] for r in hook.requests] == ["2026-11-20-queue-20261121t080000z"]
        p.deploy()
        p.build()
        code, out, _ = p.notify(previous=host.url + "api/v2/incidents.json", capsys=capsys)
        assert code == 0 and "No new updates" in out
    finally:
        host.stop()
    assert len(hook.requests) == 1


def test_enabling_notify_on_a_site_without_a_ledger_does_not_replay_its_history(
    project: Callable[..., Project], receivers: Callable[..., Receiver], capsys: pytest.CaptureFixture[str],
) -> None:
    hook = receivers()
    p = project({"webhooks": [{"url": hook.url}]})
    first_deploy(p, capsys)
    (p.published / "api/v2/notify-ledger.json").unlink()  # published before notify was used
    add_postmortem(p)
    p.build()
    code, out, _ = p.notify(capsys=capsys)
    assert code == 0
    assert [r.json()["update"]["id"] for r in hook.requests] == ["2026-11-20-queue-20261121t080000z"]


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    hook = receivers()
    p = project({"webhooks": [{"url": hook.url, "language": "nb"}]})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    code, out, _ = p.notify("--dry-run", "-v", capsys=capsys)
    assert code == 0
    assert "Dry run: 1 update(s) would be sent" in out
    assert "2026-11-20-queue  postmortem: Queue login fails" in out
    assert "Pålogging til kø feiler" in out and '"delivery_id":"2026-11-20-queue/2026-11-20-queue-20261121t080000z"' in out
    assert hook.requests == []
    assert not (p.site_dir / "api/v2/notify-ledger.json").exists()


# -- email ----------------------------------------------------------------------------------


def test_email_is_one_multipart_message_per_update_in_the_lists_language(
    project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    with smtp_server() as (box, port):
        p = project({"email": [
            {"smtp": f"127.0.0.1:{port}", "starttls": False, "from": "status@example.com", "to": ["kunder@example.com"], "language": "nb"},
            {"smtp": f"127.0.0.1:{port}", "starttls": False, "from": "Status <status@example.com>",
             "to": "ops@example.com", "bcc": ["oncall@example.com"]},
        ]})
        first_deploy(p, capsys)
        p.site.add("2026-11-25-db.md", MAINTENANCE)
        add_postmortem(p)
        p.build()
        code, out, err = p.notify(capsys=capsys)
        assert code == 0, out + err
    assert len(box.mails) == 4  # two updates, two lists, one message each
    nb = translations("nb").gettext
    norwegian = [m for m in box.mails if m.recipients == ["kunder@example.com"]]
    english = [m for m in box.mails if m.recipients == ["ops@example.com", "oncall@example.com"]]
    assert len(norwegian) == len(english) == 2
    mail = norwegian[0].message  # oldest first: the postmortem (09:00) before the maintenance post (12:00)
    assert norwegian[0].sender == "status@example.com"
    assert mail["Subject"] == f"[Test Status] {nb('Postmortem')}: Pålogging til kø feiler"
    assert mail["Content-Language"] == "nb"
    assert mail["From"] == "Test Status <status@example.com>"
    assert mail["To"] == "kunder@example.com"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    nb_url = "https://status.example.com/nb/incidents/2026-11-20-queue/#update-20261121t080000z"
    assert plain.startswith(f"{nb('Postmortem')}: Pålogging til kø feiler\n{expected_when('2026-11-21T09:00:00+01:00', 'nb')}\n\n"
                            "Årsaken var en feil utrulling.\n")
    assert f"{nb('This incident affected')}: Interact" in plain
    assert f"{nb('View this update on the status page')}: {nb_url}" in plain
    assert '<html lang="nb">' in html and f'<a href="{nb_url}">' in html and "Årsaken var en feil utrulling." in html
    maintenance = norwegian[1].message
    assert maintenance["Subject"] == f"[Test Status] {nb('Scheduled')}: Databaseoppgradering"
    assert f"{nb('This maintenance affects')}: Engage (Meldinger)" in maintenance.get_body(("plain",)).get_content()
    # The English list: its own language, the sender's display name, Bcc recipients in the envelope only.
    en = english[0].message
    assert en["Subject"] == "[Test Status] Postmortem: Queue login fails"
    assert en["From"] == "Status <status@example.com>"
    assert en["To"] == "ops@example.com" and en["Bcc"] is None
    assert "The root cause was a bad deploy. See the runbook (https://example.com/runbook)." in en.get_body(("plain",)).get_content()
    assert '<strong>bad deploy</strong>' in en.get_body(("html",)).get_content()
    # The same update to the same list always carries the same Message-ID.
    assert en["Message-ID"].endswith(".2026-11-20-queue@status.example.com>")


def test_email_uses_starttls_and_logs_in_with_credentials_from_the_environment(
    project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    server_context, client_context = self_signed(tmp_path)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.login == b"mailer" and data.password == b"pa55")

    monkeypatch.setenv("SMTP_USER", "mailer")
    monkeypatch.setenv("SMTP_PASSWORD", "pa55")
    with smtp_server(tls_context=server_context, require_starttls=True, auth_required=True, authenticator=authenticator) as (box, port):
        p = project({"email": [{"smtp": f"127.0.0.1:{port}", "username_env": "SMTP_USER", "password_env": "SMTP_PASSWORD",
                                "from": "status@example.com", "to": ["ops@example.com"]}]})
        first_deploy(p, capsys)
        add_postmortem(p)
        p.build()
        options = notify_options.load(p.site.root / "mkdocs.yml")
        out = io.StringIO()
        code = Run(options, p.site_dir, p.previous, out=out, err=out, ssl_context=client_context)()
    assert code == 0, out.getvalue()
    assert logins == [(b"mailer", b"pa55")]
    assert len(box.mails) == 1 and box.mails[0].tls


def test_email_refuses_to_send_in_clear_text_unless_told_to(project: Callable[..., Project], capsys: pytest.CaptureFixture[str]) -> None:
    with smtp_server() as (box, port):  # offers no STARTTLS
        p = project({"email": [{"smtp": f"127.0.0.1:{port}", "from": "status@example.com", "to": ["ops@example.com"]}]})
        first_deploy(p, capsys)
        add_postmortem(p)
        p.build()
        code, out, err = p.notify(capsys=capsys)
        assert code == 1
        assert "does not offer STARTTLS, which is required" in out
        assert "set 'starttls: false'" in out
        assert box.mails == []
        # Told to, it sends (and the owed update is what it sends).
        p.set_notify(email=[{"smtp": f"127.0.0.1:{port}", "from": "status@example.com", "to": ["ops@example.com"], "starttls": False}])
        code, out, err = p.notify(capsys=capsys)
    assert code == 0, out + err
    assert len(box.mails) == 1 and not box.mails[0].tls


# -- the command line -------------------------------------------------------------------------


def test_register_adds_the_notify_subcommand_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from mkdocs_status import notify

    parser = argparse.ArgumentParser(prog="mkdocs-status")
    notify.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["notify", "--site", "out", "--previous", "https://x/api/v2/incidents.json", "--dry-run", "-f", "m.yml"])
    assert args.func is notify.run
    assert (args.site, args.previous, args.dry_run, args.config_file) == ("out", "https://x/api/v2/incidents.json", True, "m.yml")
    with pytest.raises(SystemExit):
        parser.parse_args(["notify", "--help"])
    help_text = capsys.readouterr().out
    assert "mkdocs-status notify --site site" in help_text and "--previous https://status.example.com/api/v2/incidents.json" in help_text


def test_the_mkdocs_status_command_runs_notify(project: Callable[..., Project], receivers: Callable[..., Receiver],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from mkdocs_status import cli

    hook = receivers()
    p = project({"webhooks": [{"url": hook.url}]})
    first_deploy(p, capsys)
    add_postmortem(p)
    p.build()
    argv = ["notify", "-f", str(p.site.root / "mkdocs.yml"), "--site", str(p.site_dir), "--previous", p.previous]
    assert cli.main(argv) == 0
    assert "webhooks[0]: delivered" in capsys.readouterr().out
    assert len(hook.requests) == 1


def test_usage_and_configuration_errors_exit_2_without_a_traceback(tmp_path: Path, project: Callable[..., Project],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert notify_main(["-f", str(tmp_path / "nope.yml")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n")
    assert notify_main(["-f", str(tmp_path / "mkdocs.yml")]) == 2
    assert "does not use the status plugin" in capsys.readouterr().err
    p = project({"webhooks": [{"url": "http://127.0.0.1:9/"}]})
    code, out, err = p.notify(previous=None, capsys=capsys)  # never built
    assert code == 2 and "Run 'mkdocs build' first" in err and "Traceback" not in err
    p.set_notify(slak=[{"url_env": "X"}])
    p.build()
    code, out, err = p.notify(previous=None, capsys=capsys)
    assert code == 2 and "unknown key 'slak' (did you mean 'slack'?)" in err
