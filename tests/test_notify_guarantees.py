"""What `notify` promises under faults, kills, concurrency, corrections and hostile input.

The sites here are real incident files read by the real parser, with the JSON API
made by the same code `mkdocs build` uses (``api.build``), but without MkDocs'
page rendering, so that dozens of "builds" take a second. Receivers are HTTP
servers on 127.0.0.1 that count what they were given.

Guarantees checked, per channel kind:

* generic webhooks: every (update, channel) is delivered, and every delivery
  carries the same ``Idempotency-Key`` however often it is sent: counted as
  distinct keys, each update arrives exactly once.
* Slack, Teams, Discord and email cannot drop a duplicate: nothing is ever posted
  twice; every update is posted exactly once, except one a run sent without
  hearing back (a time-out after the request went out, a dropped connection, the
  run killed in flight), which is reported as *uncertain* in the ledger and never
  sent again unless asked for (``--resend-uncertain``).
"""

from __future__ import annotations

import asyncio
import collections
import copy
import datetime as dt
import functools
import http.server
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mkdocs_status import api
from mkdocs_status.markdown import Renderer
from mkdocs_status.notify import formats
from mkdocs_status.notify.journal import Journal
from mkdocs_status.notify.options import load
from mkdocs_status.notify.runner import Run, RunOptions
from mkdocs_status.notify.state import ApiUpdate, identities, text_digest
from mkdocs_status.pages import BuildData
from mkdocs_status.site import Links
from mkdocs_status.sources import load_site
from test_notify import smtp_server

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone.utc)
TOKEN = re.compile(rb"\[u(\d+)\]")  # every update's text carries its own token: [u7]


# -- receivers ------------------------------------------------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1. ``decide(path)`` picks how to answer each request:
    ``ok``, ``slow`` (answers, late but within the client's time-out), ``fail`` (500),
    ``hang`` (takes it, answers after the client gave up), ``drop`` (takes it, closes
    without an answer), ``reject`` (closes before reading it)."""

    def __init__(self, decide: Callable[[str], str] = lambda path: "ok", hang: float = 0.6, slow: float = 0.05) -> None:
        self.decide = decide
        self.taken: list[tuple[str, dict[str, str], bytes]] = []  # what a receiver read whole and acted on
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                action = receiver.decide(self.path)
                if action == "reject":
                    self.close_connection = True
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if action == "fail":
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.taken.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if action == "hang":
                    time.sleep(hang)
                if action == "drop" or action == "hang":
                    self.close_connection = True
                    return
                if action == "slow":
                    time.sleep(slow)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_taken(self, path: str, timeout: float) -> bool:
        """Wait until a request to ``path`` has been read whole; False if none came within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if any(p == path for p, _, _ in self.taken):
                    return True
            time.sleep(0.01)
        return False

    def tokens(self, path: str) -> collections.Counter[int]:
        """How often each update (by its token) was taken at ``path``."""
        with self.lock:
            bodies = [body for p, _, body in self.taken if p == path]
        return collections.Counter(n for n in map(_token, bodies) if n is not None)

    def keys(self, path: str) -> collections.Counter[str]:
        with self.lock:
            return collections.Counter(h["idempotency-key"] for p, h, _ in self.taken if p == path)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def make(*args: Any, **kwargs: Any) -> Receiver:
        started.append(Receiver(*args, **kwargs))
        return started[-1]

    yield make
    for r in started:
        r.stop()


@pytest.fixture
def slack_site(tmp_path: Path, receiver: Callable[..., Receiver]) -> tuple[FastSite, Receiver, dict[str, str]]:
    """A site with one Slack channel, deployed once (nothing sent): (site, receiver, environment)."""
    r = receiver()
    env = {"SLACK_URL": r.url + "/slack"}
    site = FastSite(tmp_path, {"slack": [{"url_env": "SLACK_URL"}]})
    site.first_deploy(env)
    return site, r, env


# -- a site built fast ------------------------------------------------------------------------


class FastSite:
    """Incident files plus mkdocs.yml; ``build()`` writes site/api/v2 as `mkdocs build` would."""

    def __init__(self, root: Path, notify: dict[str, Any], timezone: str = "UTC") -> None:
        self.root = root
        (root / "incidents").mkdir(parents=True, exist_ok=True)
        self.notify = {"backoff": 0, "retries": 1, "timeout": 0.3, **notify}
        self.timezone = timezone
        self.write_config()

    def write_config(self) -> None:
        config = {"site_name": "Fast Status", "site_url": "https://status.example.com/",
                  "plugins": [{"status": {"languages": ["en"], "timezone": self.timezone,
                                          "components": [{"id": "api", "name": "API"}], "notify": self.notify}}]}
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))

    def write(self, name: str, title: str, updates: list[tuple[str, str, str]], *, extra: str = "") -> None:
        """updates: (status word, "YYYY-MM-DD HH:MM" [+ zone], text)."""
        blocks = "".join(f"\n## {word} · {when}\n\n{text}\n" for word, when, text in updates)
        (self.root / "incidents" / f"{name}.md").write_text(f"---\ntitle: {title}\nimpact: minor\ncomponents: [api]\n{extra}---\n{blocks}")

    def first_deploy(self, env: dict[str, str]) -> None:
        """Incident A with one update, built, notified (a first deploy: nothing sent) and deployed."""
        self.write("2026-11-20-a", "A", [_first()])
        self.build(T0)
        self.run(T0, env)
        self.deploy()

    def post(self, updates: list[tuple[str, str, str]]) -> None:
        """Incident A again: its first update, then ``updates``."""
        self.write("2026-11-20-a", "A", [_first(), *updates])

    def build(self, now: dt.datetime) -> dict[str, Any]:
        options = load(self.root / "mkdocs.yml", {})
        site, diagnostics = load_site(options.settings, options.incidents_dir, self.root, now)
        errors = [d.format() for d in diagnostics if d.level == "error"]
        assert not errors, errors
        files = api.build(BuildData(site, now, Links(options.settings), Renderer()))
        shutil.rmtree(self.site_dir, ignore_errors=True)  # as `mkdocs build` empties site_dir, ledger included
        for rel, content in files.items():
            path = self.site_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return json.loads((self.site_dir / "api/v2/incidents.json").read_text())

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def published(self) -> Path:
        return self.root / "published"

    def deploy(self) -> None:
        shutil.rmtree(self.published, ignore_errors=True)
        shutil.copytree(self.site_dir, self.published)

    def argv(self, *extra: str) -> list[str]:
        argv = ["-f", str(self.root / "mkdocs.yml"), "--site", str(self.site_dir), *extra]
        if (self.published / "api/v2/incidents.json").exists():
            argv += ["--previous", str(self.published / "api/v2/incidents.json")]
        return argv

    def run(self, now: dt.datetime, env: dict[str, str], *extra: str, choices: RunOptions | None = None) -> tuple[int, str]:
        """notify in this process, at ``now``; (exit code, stdout + stderr)."""
        out = io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            for name, value in env.items():
                mp.setenv(name, value)
            options = load(self.root / "mkdocs.yml")
            previous = str(self.published / "api/v2/incidents.json") if self.published.exists() else None
            code = Run(options, self.site_dir, previous, out=out, err=out, now=lambda: now,
                       choices=choices or RunOptions(**{k: True for k in extra}))()
        return code, out.getvalue()

    def spawn(self, now: dt.datetime, env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
        """notify as CI runs it: its own process, which a test may kill."""
        full = {**os.environ, **env, "PYTHONPATH": str(PLUGINS), "SOURCE_DATE_EPOCH": str(int(now.timestamp())),
                "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.Popen([sys.executable, "-m", "mkdocs_status.notify", *self.argv(*extra)], env=full,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def ledger(self) -> dict[str, Any]:
        return json.loads((self.site_dir / "api/v2/notify-ledger.json").read_text())


def _token(body: bytes) -> int | None:
    """The token of the update a request is about: a webhook's ``update.body`` (its ``incident``
    lists earlier updates too), else the first one in a chat message."""
    try:
        document = json.loads(body)
        text = document["update"]["body"].encode() if isinstance(document.get("update"), dict) else body
    except (ValueError, KeyError, TypeError):
        text = body
    m = TOKEN.search(text)
    return int(m.group(1)) if m else None


def _first() -> tuple[str, str, str]:
    return ("Investigating", stamp(T0), "Looking [u0].")


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S Z")


def ledger_pairs(ledger: dict[str, Any], field: str) -> set[tuple[str, str, str]]:
    return {(e["incident_id"], e["update_id"], c) for e in ledger[field] for c in e["channels"]}


def tokens_by_update(site_dir: Path) -> dict[tuple[str, str], int]:
    """(incident id, update id) -> the token in its text, read from the build's API."""
    out = {}
    for path in (site_dir / "api/v2/incidents").glob("*.json"):
        document = json.loads(path.read_text())
        incident = document.get("incident")
        if not isinstance(incident, dict):
            continue
        for u in incident["incident_updates"]:
            m = TOKEN.search(u["body"].encode())
            if m:
                out[(incident["id"], u["id"])] = int(m.group(1))
    return out


# -- exactly once, through faults and kills --------------------------------------------------------


def test_every_update_reaches_every_channel_once_through_failures_hangs_drops_and_kills(
    tmp_path: Path, receiver: Callable[..., Receiver],
) -> None:
    seed = int(os.environ.get("NOTIFY_FAULT_SEED", "1414"))  # another seed: NOTIFY_FAULT_SEED=7 pytest -k faults
    rng = random.Random(seed)
    faults = {"on": True}

    def decide(path: str) -> str:
        if not faults["on"]:
            return "ok"
        return rng.choices(["ok", "slow", "fail", "hang", "drop", "reject"], [5, 2, 2, 1, 1, 1])[0]

    r = receiver(decide)
    env = {"HOOK_URL": r.url + "/hook", "SLACK_URL": r.url + "/slack"}
    site = FastSite(tmp_path, {"webhooks": [{"url_env": "HOOK_URL"}], "slack": [{"url_env": "SLACK_URL"}]})
    site.write("2026-11-20-first", "First", [_first()])
    site.build(T0)
    assert site.run(T0, env)[0] == 0  # first deploy: nothing sent
    site.deploy()

    posted: dict[str, list[tuple[str, str, str]]] = {"2026-11-20-first": [_first()]}
    token = 0
    started = time.monotonic()
    kills = 0
    for run in range(1, 21):
        now = T0 + dt.timedelta(minutes=10 * run)
        if run == 1 or rng.random() < 0.7:  # a push: new updates, a new build
            for k in range(rng.randint(1, 2)):
                token += 1
                name = rng.choice([*posted, f"2026-11-20-n{run}"])
                word = "Update" if posted.get(name) else "Investigating"
                posted.setdefault(name, []).append((word, stamp(now - dt.timedelta(minutes=5 - k)), f"Update [u{token}]."))
                site.write(name, name, posted[name])
            site.build(now)
        proc = site.spawn(now, env)
        killed = rng.random() < 0.4
        if killed:
            time.sleep(rng.uniform(0.2, 1.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        output = proc.communicate(timeout=60)[0].decode()
        assert "Traceback" not in output, output
        if not killed or rng.random() < 0.5:  # a killed notify may still be followed by the deploy
            site.deploy()
    faults["on"] = False
    for _ in range(3):  # then the receivers recover, and the next pushes settle what is owed
        site.build(T0 + dt.timedelta(hours=5))
        code, output = site.run(T0 + dt.timedelta(hours=5), env)
        site.deploy()
        if code == 0:
            break
    assert code == 0, output
    elapsed = time.monotonic() - started

    updates = tokens_by_update(site.site_dir)
    assert sorted(updates.values()) == list(range(0, token + 1))
    ledger = site.ledger()
    uncertain = ledger_pairs(ledger, "uncertain")
    assert ledger["pending"] == []
    # Webhooks: every update that was news, with its idempotency key: distinct keys, exactly once each.
    assert set(r.keys("/hook")) == {f"{i}/{u}" for (i, u), t in updates.items() if t > 0}
    assert r.tokens("/hook").keys() == set(range(1, token + 1))
    assert not {c for (_, _, c) in uncertain if c.startswith("webhooks")}
    # Slack: never twice; exactly once unless reported uncertain.
    slack = r.tokens("/slack")
    assert max(slack.values()) == 1, slack
    slack_uncertain = {updates[(i, u)] for (i, u, c) in uncertain if c.startswith("slack")}
    assert {t for t in range(1, token + 1) if slack[t] != 1} <= slack_uncertain
    print(f"seed {seed}: {token} updates, {kills} kills, {len(r.taken)} requests taken, {len(slack_uncertain)} uncertain on Slack, "
          f"{elapsed:.1f} s")


def test_killed_after_slack_delivered_the_next_run_does_not_post_to_slack_again(
    tmp_path: Path, receiver: Callable[..., Receiver],
) -> None:
    reached_teams = threading.Event()

    def decide(path: str) -> str:
        if path == "/teams":
            reached_teams.set()
            return "hang"
        return "ok"

    r = receiver(decide, hang=10)
    env = {"SLACK_URL": r.url + "/slack", "TEAMS_URL": r.url + "/teams"}
    site = FastSite(tmp_path, {"slack": [{"url_env": "SLACK_URL"}], "teams": [{"url_env": "TEAMS_URL"}], "timeout": 20})
    site.write("2026-11-20-a", "A", [("Investigating", stamp(T0), "Looking [u1].")])
    site.build(T0)
    site.run(T0, env)
    site.deploy()
    site.write("2026-11-20-a", "A", [("Investigating", stamp(T0), "Looking [u1]."), ("Monitoring", stamp(T0 + dt.timedelta(minutes=5)), "Fixed [u2].")])
    site.build(T0 + dt.timedelta(minutes=6))
    proc = site.spawn(T0 + dt.timedelta(minutes=6), env)
    assert reached_teams.wait(30)
    assert r.wait_taken("/teams", 30)  # the whole request is in: killing earlier would test the receiver, not the run
    proc.send_signal(signal.SIGKILL)  # Slack has it; the Teams request is in flight
    proc.communicate(timeout=30)
    assert r.tokens("/slack") == {2: 1}
    # CI runs the job again: a new build (site/ emptied, ledger gone), the same published site.
    site.build(T0 + dt.timedelta(minutes=7))
    code, output = site.run(T0 + dt.timedelta(minutes=7), env)
    assert r.tokens("/slack") == {2: 1}
    assert r.tokens("/teams") == {2: 1}  # taken once, before the kill; not sent again...
    assert "teams[0]: 2026-11-20-a/2026-11-20-a-" in output and "was sent by an earlier run that got no answer" in output
    assert code == 0


def test_an_uncertain_delivery_that_did_arrive_is_settled_and_not_mentioned_again(
    tmp_path: Path, receiver: Callable[..., Receiver],
) -> None:
    r = receiver(lambda path: "hang")
    env = {"SLACK_URL": r.url + "/slack"}
    site = FastSite(tmp_path, {"slack": [{"url_env": "SLACK_URL"}]})
    site.first_deploy(env)
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    assert site.run(T0 + dt.timedelta(minutes=2), env)[0] == 1
    assert r.tokens("/slack") == {1: 1} and ledger_pairs(site.ledger(), "uncertain")
    # Someone looked: it is in the channel.
    code, output = site.run(T0 + dt.timedelta(minutes=2), env, "settle_uncertain")
    assert code == 0 and ledger_pairs(site.ledger(), "uncertain") == set()
    site.deploy()
    site.build(T0 + dt.timedelta(minutes=3))
    code, output = site.run(T0 + dt.timedelta(minutes=3), env)
    assert code == 0 and "no answer" not in output and r.tokens("/slack") == {1: 1}


def test_two_concurrent_runs_on_one_site_never_send_anything_twice(tmp_path: Path, receiver: Callable[..., Receiver]) -> None:
    r = receiver(lambda path: "slow", slow=0.3)  # the first run takes 2-3 s: the second starts meanwhile
    env = {"SLACK_URL": r.url + "/slack", "HOOK_URL": r.url + "/hook"}
    site = FastSite(tmp_path, {"slack": [{"url_env": "SLACK_URL"}], "webhooks": [{"url_env": "HOOK_URL"}], "timeout": 5})
    site.first_deploy(env)
    site.post([("Update", stamp(T0 + dt.timedelta(minutes=n)), f"Step [u{n}].") for n in range(1, 5)])
    now = T0 + dt.timedelta(minutes=10)
    site.build(now)
    first = site.spawn(now, env)
    assert r.wait_taken("/slack", 30)  # the first run holds the lock and is sending: the second starts meanwhile
    second = site.spawn(now, env)
    outputs = [p.communicate(timeout=60)[0].decode() for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert r.tokens("/slack") == dict.fromkeys(range(1, 5), 1)
    assert r.tokens("/hook") == dict.fromkeys(range(1, 5), 1)
    assert sum("Waiting for process" in o for o in outputs) == 1
    assert sum("No new updates" in o for o in outputs) == 1


def test_a_run_refuses_at_once_with_wait_0_while_another_holds_the_lock(slack_site: tuple[FastSite, Receiver, dict[str, str]]) -> None:
    site, r, env = slack_site
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    holder = Journal(site.root / ".cache/mkdocs-status/notify")
    holder.lock(0)
    try:
        proc = site.spawn(T0 + dt.timedelta(minutes=2), env, "--wait", "0")
        output = proc.communicate(timeout=60)[0].decode()
    finally:
        holder.unlock()
    assert proc.returncode == 1
    assert f"process {os.getpid()} has been notifying for this site" in output and "nothing was sent" in output
    assert r.taken == []


# -- one failure stays with its delivery ------------------------------------------------------------


def test_one_delivery_that_raises_stays_pending_and_the_rest_of_the_run_goes_on(
    tmp_path: Path, receiver: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch,
) -> None:
    r = receiver()
    env = {"SLACK_URL": r.url + "/slack", "DISCORD_URL": r.url + "/discord", "BAD_URL": "http://127.0.0.1:99999/x",
           "HOOK_URL": r.url + "/hook"}
    site = FastSite(tmp_path, {"webhooks": [{"url_env": "BAD_URL"}, {"url_env": "HOOK_URL"}], "slack": [{"url_env": "SLACK_URL"}],
                               "discord": [{"url_env": "DISCORD_URL"}]})
    site.first_deploy(env)
    site.post([("Update", stamp(T0 + dt.timedelta(minutes=1)), "One [u1]."), ("Resolved", stamp(T0 + dt.timedelta(minutes=2)), "Two [u2].")])
    now = T0 + dt.timedelta(minutes=3)
    site.build(now)
    real = formats.CHAT["slack"]

    def explode(message: Any) -> bytes:
        if "[u1]" in message.text:
            raise RuntimeError("an unforeseen bug")
        return real(message)

    monkeypatch.setitem(formats.CHAT, "slack", explode)
    code, output = site.run(now, env)
    assert code == 2  # webhooks[0]'s port is a configuration problem
    assert "webhooks[0]: the URL in environment variable BAD_URL cannot be used" in output
    assert "slack[0]: FAILED: the message could not be made (RuntimeError: an unforeseen bug)" in output
    assert r.tokens("/slack") == {2: 1}  # the next update still went out
    assert r.tokens("/discord") == {1: 1, 2: 1} and r.tokens("/hook") == {1: 1, 2: 1}
    slack_id = next(c.id for c in load(site.root / "mkdocs.yml", env).channels if c.kind == "slack")
    bad_id = next(c.id for c in load(site.root / "mkdocs.yml", env).channels if c.label == "webhooks[0]")
    pending = ledger_pairs(site.ledger(), "pending")
    assert {(u[-5:], c) for _, u, c in pending} == {("0100z", slack_id), ("0100z", bad_id), ("0200z", bad_id)}
    # Fixed, the next run sends exactly what was owed.
    monkeypatch.setitem(formats.CHAT, "slack", real)
    env["BAD_URL"] = r.url + "/bad"
    site.deploy()
    site.build(now + dt.timedelta(minutes=1))
    code, output = site.run(now + dt.timedelta(minutes=1), env)
    assert code == 0, output
    assert r.tokens("/slack") == {1: 1, 2: 1} and r.tokens("/bad") == {1: 1, 2: 1} and r.tokens("/hook") == {1: 1, 2: 1}


def test_a_title_with_a_newline_is_one_line_of_email_subject_and_injects_no_header(tmp_path: Path) -> None:
    with smtp_server() as (box, port):
        site = FastSite(tmp_path, {"email": [{"smtp": f"127.0.0.1:{port}", "from": "status@example.com", "to": ["a@example.com"],
                                              "starttls": False}]})
        site.first_deploy({})
        site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
        site.build(T0 + dt.timedelta(minutes=2))
        # The API's title, as an importer or another tool may have written it (no incident files at hand).
        shutil.rmtree(site.root / "incidents")
        for path in (site.site_dir / "api/v2").rglob("*.json"):
            path.write_text(path.read_text().replace('"name":"A"', '"name":"Login\\r\\nBcc: victim@example.com"'))
        code, output = site.run(T0 + dt.timedelta(minutes=2), {})
    assert code == 0, output
    (mail,) = box.mails
    assert mail.message["Subject"] == "[Fast Status] Resolved: Login Bcc: victim@example.com"
    assert mail.message["Bcc"] is None and mail.recipients == ["a@example.com"]


def test_an_email_the_server_took_but_never_acknowledged_is_not_sent_again(tmp_path: Path) -> None:
    class Slow:
        """Takes the message, then answers its final "." only after the client gave up."""

        def __init__(self) -> None:
            self.mails: list[bytes] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
            self.mails.append(envelope.content)
            await asyncio.sleep(1.0)
            return "250 OK"

    with smtp_server(Slow()) as (box, port):
        site = FastSite(tmp_path, {"email": [{"smtp": f"127.0.0.1:{port}", "from": "status@example.com", "to": ["a@example.com"],
                                              "starttls": False}], "retries": 3})
        site.first_deploy({})
        site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
        site.build(T0 + dt.timedelta(minutes=2))
        code, output = site.run(T0 + dt.timedelta(minutes=2), {})
        assert code == 1
        assert "email[0]: UNCERTAIN: SMTP 127.0.0.1:" in output and "the message was sent but not acknowledged" in output
        assert len(box.mails) == 1  # not retried within the run...
        site.deploy()
        site.build(T0 + dt.timedelta(minutes=3))
        code, output = site.run(T0 + dt.timedelta(minutes=3), {})
        assert code == 0 and len(box.mails) == 1  # ...nor by the next one, which says so
        assert "email[0]: 2026-11-20-a/" in output and "--resend-uncertain" in output


def test_webhooks_go_through_the_proxy_the_environment_names(tmp_path: Path, receiver: Callable[..., Receiver],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = receiver()  # an HTTP proxy gets the absolute URL on the request line
    site = FastSite(tmp_path, {"webhooks": [{"url_env": "HOOK_URL"}]})
    env = {"HOOK_URL": "http://hooks.example:8080/in", "http_proxy": proxy.url, "no_proxy": ""}
    site.first_deploy(env)
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    code, output = site.run(T0 + dt.timedelta(minutes=2), env)
    assert code == 0, output
    assert proxy.tokens("http://hooks.example:8080/in") == {1: 1}


def test_an_unfilled_postmortem_skeleton_is_refused_until_it_is_written(
    slack_site: tuple[FastSite, Receiver, dict[str, str]],
) -> None:
    from mkdocs_status import authoring

    site, r, env = slack_site
    skeleton = authoring.postmortem_texts(["en"])["en"]
    resolved = ("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")
    site.post([resolved, ("Postmortem", stamp(T0 + dt.timedelta(minutes=2)), skeleton)])
    site.build(T0 + dt.timedelta(minutes=3))
    code, output = site.run(T0 + dt.timedelta(minutes=3), env)
    assert code == 1
    assert "incidents/2026-11-20-a.md:" in output and "the postmortem of 2026-11-20-a (2026-11-20-a-20261120t080200z) is still the skeleton" in output
    assert r.tokens("/slack") == {1: 1}
    site.deploy()
    site.post([resolved, ("Postmortem", stamp(T0 + dt.timedelta(minutes=2)), "A bad deploy [u2]; we added a canary.")])
    site.build(T0 + dt.timedelta(minutes=4))
    code, output = site.run(T0 + dt.timedelta(minutes=4), env)
    assert code == 0, output
    assert r.tokens("/slack") == {1: 1, 2: 1}


# -- update identity, backfill, opt-out ----------------------------------------------------------


def _api(uid: str, status: str, body: str, minute: int) -> ApiUpdate:
    return ApiUpdate("inc", uid, status, body, T0 + dt.timedelta(minutes=minute), 0, {})


def _fp(status: str, body: str) -> str:
    return f"{status}:{text_digest(body)}"


@pytest.mark.parametrize(("history", "current", "expected"), [
    # a corrected time: the id vanished, one appeared saying the same
    ({"a": _fp("investigating", "x")}, [_api("b", "investigating", "x", 5)], {"b": "a"}),
    # a corrected text: the same id says something new
    ({"a": _fp("investigating", "x")}, [_api("a", "investigating", "y", 0)], {"a": "a"}),
    # an update inserted at the same time took the published id: the published one is renumbered,
    # the inserted one is news
    ({"t": _fp("monitoring", "old")}, [_api("t", "identified", "new", 0), _api("t-1", "monitoring", "old", 0)],
     {"t": None, "t-1": "t"}),
    # two updates at one time swapped ids by a reordering: neither is news
    ({"t": _fp("update", "p"), "t-1": _fp("update", "q")}, [_api("t", "update", "q", 0), _api("t-1", "update", "p", 0)],
     {"t": "t-1", "t-1": "t"}),
    # a reordering changed the status an "update" post reports; its text is the same
    ({"a": _fp("investigating", "x")}, [_api("b", "monitoring", "x", 9)], {"b": "a"}),
    # a new update saying something new
    ({"a": _fp("investigating", "x")}, [_api("a", "investigating", "x", 0), _api("b", "resolved", "done", 9)],
     {"a": "a", "b": None}),
    # a version-1 ledger without fingerprints still knows its ids
    ({"a": ""}, [_api("a", "investigating", "x", 0)], {"a": "a"}),
])
def test_an_update_keeps_its_identity_across_corrections(history: dict[str, str], current: list[ApiUpdate],
                                                         expected: dict[str, str | None]) -> None:
    assert identities(history, current) == expected


@pytest.mark.parametrize("correction", ["timezone", "time", "text", "time, then text"])
def test_a_correction_of_a_sent_update_is_not_sent_again(slack_site: tuple[FastSite, Receiver, dict[str, str]],
                                                         correction: str) -> None:
    site, r, env = slack_site
    sent = ("Monitoring", "2026-11-20 08:05", "A fix is out [u1].")  # no zone: the site's timezone applies
    site.post([sent])
    now = T0 + dt.timedelta(hours=1)
    site.build(now)
    assert site.run(now, env)[0] == 0 and r.tokens("/slack") == {1: 1}
    steps = {"timezone": [lambda: setattr(site, "timezone", "Europe/Oslo")],
             "time": [lambda: site.post([("Monitoring", "2026-11-20 08:07", "A fix is out [u1].")])],
             "text": [lambda: site.post([("Monitoring", "2026-11-20 08:05", "A fix is out now [u1].")])],
             "time, then text": [lambda: site.post([("Monitoring", "2026-11-20 08:07", "A fix is out [u1].")]),
                                 lambda: site.post([("Monitoring", "2026-11-20 08:07", "A fix is out now [u1].")])]}[correction]
    for step in steps:
        site.deploy()
        step()
        site.write_config()
        site.build(now)
        code, output = site.run(now, env)
        assert code == 0 and "No new updates" in output, output
    assert r.tokens("/slack") == {1: 1}


def test_backfill_and_opted_out_updates_are_recorded_not_sent(slack_site: tuple[FastSite, Receiver, dict[str, str]]) -> None:
    if not parser_takes_short_ids():
        pytest.skip("this parser does not read {notify=false} yet (branch parse)")
    site, r, env = slack_site
    three_weeks = T0 - dt.timedelta(weeks=3)
    # An imported incident three weeks old, an opted-out new update, and one real piece of news.
    site.write("2026-10-30-imported", "Imported", [("Investigating", stamp(three_weeks), "Old [u1]."),
                                                   ("Resolved", stamp(three_weeks + dt.timedelta(hours=1)), "Old too [u2].")])
    site.post([("Update", stamp(T0 + dt.timedelta(minutes=1)) + " {notify=false}", "Quiet [u3]."),
               ("Resolved", stamp(T0 + dt.timedelta(minutes=2)), "Done [u4].")])
    now = T0 + dt.timedelta(minutes=3)
    site.build(now)  # notify reads {notify=false} from the file, and deliver_notifications from the API once it has it
    code, output = site.run(now, env)
    assert code == 0, output
    assert r.tokens("/slack") == {4: 1}
    assert "2 new update(s) are dated more than 24 hours before the previous site was built" in output
    assert "1 new update(s) have notify=false" in output
    # Recorded as known: a later run sends them neither; --include-backfill is for news, not history.
    site.deploy()
    code, output = site.run(now, env, "include_backfill")
    assert code == 0 and r.tokens("/slack") == {4: 1}


def test_include_backfill_sends_an_imported_incident(slack_site: tuple[FastSite, Receiver, dict[str, str]]) -> None:
    site, r, env = slack_site
    site.write("2026-10-30-imported", "Imported", [("Investigating", stamp(T0 - dt.timedelta(weeks=3)), "Old [u1].")])
    site.build(T0 + dt.timedelta(minutes=3))
    code, output = site.run(T0 + dt.timedelta(minutes=3), env)
    assert code == 0 and r.tokens("/slack") == {} and "--include-backfill" in output
    site.build(T0 + dt.timedelta(minutes=3))  # the same push again, told to send history
    code, output = site.run(T0 + dt.timedelta(minutes=3), env, "include_backfill")
    assert code == 0 and r.tokens("/slack") == {1: 1}


def test_an_api_update_with_deliver_notifications_false_is_never_sent(slack_site: tuple[FastSite, Receiver, dict[str, str]]) -> None:
    site, r, env = slack_site
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    for path in (site.site_dir / "api/v2").rglob("*.json"):  # as Statuspage-style imports mark them
        path.write_text(path.read_text().replace('"deliver_notifications":true', '"deliver_notifications":false'))
    code, output = site.run(T0 + dt.timedelta(minutes=2), env, "include_backfill")
    assert code == 0, output
    assert r.taken == [] and "notify=false" in output


# -- secrets never shown ---------------------------------------------------------------------------


SECRET = "SECRET7x9"  # each URL below hides it in a different place
HOSTILE_URLS = [
    f"http://127.0.0.1:1/a?{SECRET}\x01",  # a control character pasted with the secret
    f"http://127.0.0.1:1/a?token={SECRET} ",  # a trailing space
    f"http://127.0.0.1:1/{SECRET}\n",  # a newline
    f"http://127.0.0.1:1/a b/{SECRET}",  # a space inside
    f"{SECRET}://127.0.0.1/a",  # a bad scheme
    f"ftp://127.0.0.1/{SECRET}",
    f"http://127.0.0.1:99999/{SECRET}",  # a bad port
    f"http://127.0.0.1:port/{SECRET}",
    f"http://user:{SECRET}@127.0.0.1:1/a",  # credentials
    f"http://{SECRET}@127.0.0.1:1/a",
    f"http:///{SECRET}",  # no host
    f"http://127.0.0.1:1/é/{SECRET}",  # outside ASCII
    f"https://[::1/{SECRET}",  # a broken IPv6 literal
    f"http://127.0.0.1:1/services/T0/B0/{SECRET}",  # well-formed, nothing listening
]


def test_no_part_of_a_secret_url_reaches_any_output_or_file(tmp_path: Path, receiver: Callable[..., Receiver]) -> None:
    r = receiver()

    class Echo(http.server.BaseHTTPRequestHandler):  # a receiver whose 404 page echoes the path
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = f"The requested URL {self.path} was not found".encode()
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    urls = [*HOSTILE_URLS, f"http://127.0.0.1:{echo.server_address[1]}/hooks/{SECRET}?key={SECRET}"]
    env = {f"URL_{n}": url for n, url in enumerate(urls)}
    env["FINE"] = r.url + "/fine"
    notify = {"webhooks": [{"url_env": name} for name in env], "slack": [{"url": urls[-1]}], "timeout": 0.5}
    site = FastSite(tmp_path, notify)
    site.first_deploy(env)
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    try:
        proc = site.spawn(T0 + dt.timedelta(minutes=2), env, "-v")
        output = proc.communicate(timeout=60)[0].decode("utf-8", "replace")
        dry = site.spawn(T0 + dt.timedelta(minutes=2), env, "--dry-run", "-v").communicate(timeout=60)[0].decode("utf-8", "replace")
    finally:
        echo.shutdown()
        echo.server_close()
    assert proc.returncode == 2 and "Traceback" not in output
    assert r.tokens("/fine") == {1: 1}  # the one good channel still got it
    written = [p.read_text("utf-8", "replace") for p in (site.site_dir / "api/v2/notify-ledger.json",
                                                          tmp_path / ".cache/mkdocs-status/notify/journal.jsonl")]
    for text in (output, dry, *written):
        for piece in (SECRET, SECRET[:6], SECRET[-6:], "/hooks/", "key=", "user:"):
            assert piece not in text, (piece, text)
    for n in range(len(HOSTILE_URLS)):
        assert f"webhooks[{n}]" in output
    assert "HTTP 404 Not Found: The requested URL [redacted]" in output


# -- a damaged ledger ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.update(known=["2026-11-20-a"]), "field 'known' must be an object of incident ids, not a list"),
    (lambda d: d.update(pending=5), "field 'pending' must be a list of {incident_id, update_id, channels}, not a number"),
    (lambda d: d.update(channels=["slack-1"]), "field 'channels' must be an object of channel ids and labels, not a list"),
    (lambda d: d.update(known={"2026-11-20-a": 7}), "field 'known.2026-11-20-a' must be an object of update ids"),
    (lambda d: d.update(pending=[{"incident_id": "a", "update_id": 3, "channels": []}]), "field 'pending[0].update_id' must be text, not a number"),
    (lambda d: d.update(uncertain=[{"incident_id": "a", "update_id": "b", "channels": "slack"}]),
     "field 'uncertain[0].channels' must be a list of channel ids, not text"),
    (lambda d: d.update(built_at="yesterday"), "field 'built_at' must be a time"),
    (lambda d: d.update(version="2"), "field 'version' is '2'"),
    ("deep", "nested too deeply"),
])
def test_a_wrongly_typed_previous_ledger_names_the_field_and_the_file_and_sends_nothing(
    slack_site: tuple[FastSite, Receiver, dict[str, str]], change: Any, field: str,
) -> None:
    site, r, env = slack_site
    path = site.published / "api/v2/notify-ledger.json"
    if change == "deep":
        path.write_text('{"format": "mkdocs-status notify ledger", "version": 2, "known": ' + "[" * 100_000 + "]" * 100_000 + "}")
    else:
        document = json.loads(path.read_text())
        change(document)
        path.write_text(json.dumps(document))
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    code, output = site.run(T0 + dt.timedelta(minutes=2), env)
    assert code == 1
    assert field in output and str(path) in output
    assert "nothing was sent" in output and "Traceback" not in output
    assert r.taken == []


def test_a_damaged_journal_line_stops_the_run_but_a_torn_last_line_is_the_step_before(
    slack_site: tuple[FastSite, Receiver, dict[str, str]],
) -> None:
    site, r, env = slack_site
    site.post([("Resolved", stamp(T0 + dt.timedelta(minutes=1)), "Done [u1].")])
    site.build(T0 + dt.timedelta(minutes=2))
    journal = site.root / ".cache/mkdocs-status/notify/journal.jsonl"
    assert site.run(T0 + dt.timedelta(minutes=2), env)[0] == 0
    lines = journal.read_bytes().splitlines(keepends=True)
    assert [json.loads(line)["state"] for line in lines] == ["pending", "sending", "delivered"]
    # Killed while writing "delivered": the torn line is dropped, "sending" stands: uncertain, not resent.
    journal.write_bytes(b"".join(lines[:-1]) + lines[-1][:25])
    site.build(T0 + dt.timedelta(minutes=3))
    code, output = site.run(T0 + dt.timedelta(minutes=3), env)
    assert code == 0 and r.tokens("/slack") == {1: 1} and "was sent by an earlier run that got no answer" in output
    # A damaged line before the last: nothing is sent, and the line is named.
    journal.write_bytes(b'{"incident_id": 5}\n' + journal.read_bytes())
    code, output = site.run(T0 + dt.timedelta(minutes=3), env, "resend_uncertain")
    assert code == 1 and f"{journal}:1: not a journal record" in output and "Nothing was sent" in output
    assert r.tokens("/slack") == {1: 1}


# -- the property: edits between runs never make a sent update news again ----------------------------


EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 2), st.integers(-40, 0)),
        st.tuples(st.just("add_same_time"), st.integers(0, 2), st.integers(0, 50)),
        st.tuples(st.just("retime"), st.integers(0, 50), st.integers(-30, 30)),
        st.tuples(st.just("retext"), st.integers(0, 50), st.integers(0, 0)),
        st.tuples(st.just("reorder"), st.integers(0, 2), st.integers(0, 50)),
        st.tuples(st.just("zone"), st.sampled_from(["UTC", "Europe/Oslo", "America/New_York", "Asia/Kolkata"]), st.integers(0, 0)),
        st.tuples(st.just("short_id"), st.integers(0, 50), st.integers(0, 0)),
    ),
    min_size=1, max_size=7,
)


class Story:
    """Three incidents written as text, edited as a support engineer would."""

    def __init__(self) -> None:
        self.incidents: list[list[dict[str, Any]]] = [[], [], []]
        self.token = 0
        self.now = T0 + dt.timedelta(hours=1)

    def add(self, which: int, at: dt.datetime) -> None:
        self.token += 1
        words = ["Investigating", "Identified", "Update", "Monitoring"]
        self.incidents[which].append({"word": words[0] if not self.incidents[which] else words[self.token % 4],
                                      "at": at, "text": f"Note [u{self.token}].", "id": None})

    def all(self) -> list[dict[str, Any]]:
        return [u for updates in self.incidents for u in updates]

    def apply(self, edit: tuple[str, Any, int]) -> None:
        kind, a, b = edit
        everything = self.all()
        if kind == "add":
            self.add(a, self.now + dt.timedelta(minutes=b))
        elif kind == "add_same_time" and everything:
            self.add(a, everything[b % len(everything)]["at"])
        elif kind == "retime" and everything:
            everything[a % len(everything)]["at"] += dt.timedelta(minutes=b or 1)
        elif kind == "retext" and everything:
            u = everything[a % len(everything)]
            u["text"] = u["text"].replace("Note", "Corrected note", 1)
        elif kind == "reorder" and len(self.incidents[a]) > 1:
            random.Random(b).shuffle(self.incidents[a])
        elif kind == "short_id" and everything and parser_takes_short_ids():
            u = everything[a % len(everything)]
            u["id"] = u["id"] or f"id{a}x{self.token}"
        self.now += dt.timedelta(minutes=5)

    def write(self, site: FastSite) -> None:
        for n, updates in enumerate(self.incidents):
            # Written in the site's zone without an offset, as people write them: a zone change moves them.
            local = [(u["word"], u["at"].astimezone(dt.timezone.utc).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M")
                      + (f" {{#{u['id']}}}" if u["id"] else ""), u["text"]) for u in updates]
            if local:
                site.write(f"2026-11-20-i{n}", f"Incident {n}", local)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=EDITS)
# A corrected text, then an update inserted at its time (it takes the id over): once lost.
@example(edits=[("add", 0, 0), ("add", 0, 0), ("retext", 1, 0), ("add_same_time", 0, 1)])
def test_edits_between_runs_never_make_notify_send_a_sent_update_again(tmp_path_factory: pytest.TempPathFactory, edits: list[Any]) -> None:
    root = tmp_path_factory.mktemp("story")
    r = Receiver()
    try:
        env = {"HOOK_URL": r.url + "/hook"}
        site = FastSite(root, {"webhooks": [{"url_env": "HOOK_URL"}]})
        story = Story()
        story.add(0, T0)
        story.write(site)
        site.build(story.now)
        site.run(story.now, env)
        site.deploy()
        for edit in edits:
            before = (copy.deepcopy(story.incidents), story.token, story.now, site.timezone)
            if edit[0] == "zone":
                site.timezone = edit[1]
                site.write_config()
            else:
                story.apply(edit)
            story.write(site)
            if not _valid(site, story.now):  # an edit a writer would be told to fix (an "update" moved first)
                story.incidents, story.token, story.now, site.timezone = before
                site.write_config()
                story.write(site)
                continue
            site.build(story.now)
            code, output = site.run(story.now, env)
            assert code == 0, output
            site.deploy()
            sent = r.tokens("/hook")
            assert all(n == 1 for n in sent.values()), (edits, sent)
        # ... and every update that was news was sent.
        assert set(r.tokens("/hook")) == {int(u["text"].split("[u")[1].rstrip("].")) for u in story.all()} - {1}
    finally:
        r.stop()


def _valid(site: FastSite, now: dt.datetime) -> bool:
    options = load(site.root / "mkdocs.yml", {})
    _, diagnostics = load_site(options.settings, options.incidents_dir, site.root, now)
    return not [d for d in diagnostics if d.level == "error"]


@functools.cache
def parser_takes_short_ids() -> bool:
    """Whether this build's parser reads ``{#id}`` and ``{notify=false}`` (branch ``parse``)."""
    with tempfile.TemporaryDirectory() as folder:
        site = FastSite(Path(folder), {})
        site.write("2026-11-20-probe", "Probe", [("Investigating", stamp(T0) + " {#abc123 notify=false}", "Probe.")])
        return _valid(site, T0)
