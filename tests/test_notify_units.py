"""`notify` piece by piece: configuration, previous state and ledger, formats, retries.

Fast tests without MkDocs builds; the API inputs are hand-written
Statuspage-shaped files in ``tests/fixtures/notify/``.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_status.config import build_settings
from mkdocs_status.notify import formats
from mkdocs_status.notify import main as notify_main
from mkdocs_status.notify.messages import MessageMaker
from mkdocs_status.notify.options import NotifyConfigError, channel_id, load, parse_notify
from mkdocs_status.notify.runner import Run
from mkdocs_status.notify.state import (
    Ledger,
    StateError,
    incidents_of,
    parse_ledger,
    read_build,
    read_previous,
)
from mkdocs_status.notify.transport import DeliveryError, Policy, http_post, with_retries

FIXTURES = Path(__file__).parent / "fixtures" / "notify"
SETTINGS = build_settings({"languages": ["en", "nb"], "required_languages": None, "timezone": "Europe/Oslo",
                           "display_timezones": ["Europe/Oslo", "UTC"], "feed_limit": 50,
                           "components": [{"id": "api", "name": "API", "name_nb": "API"}]},
                          site_name="Test Status", site_url="https://status.example.com/")


# -- configuration ---------------------------------------------------------------------


def test_channels_take_secrets_from_the_environment_only() -> None:
    notify = {"webhooks": [{"url_env": "HOOK", "secret_env": "SECRET"}], "slack": [{"url_env": "SLACK", "language": "nb"}],
              "email": [{"smtp": "mail.example.com", "username_env": "U", "password_env": "P", "from": "s@example.com", "to": "a@example.com"}]}
    env = {"HOOK": "https://hooks.example.com/x", "SECRET": "k", "SLACK": "https://hooks.slack.com/T/B/c", "U": "user", "P": "pw"}
    policy, channels, problems, warnings = parse_notify(notify, SETTINGS, env)
    assert problems == [] and warnings == []
    hook, slack, mail = channels
    assert (hook.url, hook.secret, hook.language) == ("https://hooks.example.com/x", b"k", "en")
    assert (slack.url, slack.language) == ("https://hooks.slack.com/T/B/c", "nb")
    assert (mail.smtp_host, mail.smtp_port, mail.username, mail.password, mail.to, mail.starttls) == \
        ("mail.example.com", 587, "user", "pw", ("a@example.com",), True)
    assert (policy.retries, policy.backoff, policy.timeout) == (3, 1.0, 10.0)


def test_an_unset_variable_is_a_problem_of_that_channel_only() -> None:
    notify = {"slack": [{"url_env": "MISSING"}, {"url": "https://hooks.slack.com/T/B/c"}]}
    _, channels, problems, warnings = parse_notify(notify, SETTINGS, {})
    assert problems == []
    assert channels[0].problems == ("url_env: environment variable MISSING is not set",)
    assert channels[1].problems == ()
    assert warnings == ["notify: slack[1]: a slack webhook URL is a secret; keep it out of mkdocs.yml with 'url_env: NAME'"]


@pytest.mark.parametrize(("notify", "problem"), [
    ({"webhooks": [{"url": "https://a", "url_env": "B"}]}, "give exactly one of 'url' or 'url_env'"),
    ({"webhooks": [{"urll": "https://a"}]}, "unknown key 'urll' (did you mean 'url'?)"),
    ({"teams": [{"url_env": "X", "language": "fr"}]}, "language 'fr' is not one of the site's languages (en, nb)"),
    ({"email": [{"smtp": "h:99999", "from": "a@b", "to": ["c@d"]}]}, "smtp port 99999 is out of range"),
    ({"email": [{"smtp": "h", "from": "a@b"}]}, "'to' is required"),
    ({"email": [{"smtp": "h", "from": "a@b", "to": ["c@d"], "username_env": "U"}]}, "give both 'username_env' and 'password_env'"),
    ({"discord": ["https://discord.com/api/webhooks/1"]}, "expected a mapping such as {url_env: NAME}"),
])
def test_a_malformed_channel_is_reported_by_name_and_the_rest_still_load(notify: dict[str, Any], problem: str) -> None:
    notify = {**notify, "slack": [{"url_env": "OK"}]}
    _, channels, problems, _ = parse_notify(notify, SETTINGS, {"OK": "https://ok.example", "X": "https://x", "U": "u"})
    broken = [c for c in channels if c.problems]
    assert len(broken) == 1 and problem in broken[0].problems[0]
    assert [c.kind for c in channels if not c.problems] == ["slack"]


def test_section_level_mistakes_are_problems_too() -> None:
    _, channels, problems, _ = parse_notify({"slak": [], "retries": -1, "webhooks": "https://x"}, SETTINGS, {})
    assert channels == []
    assert problems == [
        "notify: unknown key 'slak' (did you mean 'slack'?); channels are webhooks, slack, teams, discord, email; options are retries, backoff, timeout",
        "notify: retries must be a whole number of at least 0 (got -1); using 3",
        "notify: webhooks: expected a list of entries such as [{url_env: NAME}]",
    ]


def test_the_same_channel_twice_is_left_out() -> None:
    _, channels, problems, _ = parse_notify({"slack": [{"url_env": "A"}, {"url_env": "A"}]}, SETTINGS, {"A": "https://a"})
    assert len(channels) == 1 and "repeats slack[0]" in problems[0]


def test_channel_ids_are_stable_and_reveal_no_address() -> None:
    entry = {"smtp": "mail.example.com:587", "from": "s@example.com", "to": ["secret-list@example.com"]}
    assert channel_id("email", entry) == channel_id("email", dict(reversed(list(entry.items()))))
    assert channel_id("email", entry) == channel_id("email", {**entry, "name": "a label"})
    assert "example" not in channel_id("email", entry)
    assert channel_id("email", entry) != channel_id("email", {**entry, "language": "nb"})


def test_mkdocs_yml_is_read_with_env_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATUS_SITE_URL", "https://env.example.com/")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: !ENV STATUS_SITE_URL\nplugins:\n  - search\n  - status:\n      languages: [en, de]\n"
        "      notify:\n        discord:\n          - url_env: D\n            language: de\n")
    options = load(tmp_path / "mkdocs.yml", {"D": "https://discord.example/hook"})
    assert options.settings.site_url == "https://env.example.com/"
    assert [(c.kind, c.language, c.url) for c in options.channels] == [("discord", "de", "https://discord.example/hook")]
    assert options.incidents_dir == (tmp_path / "incidents").resolve()


def test_an_unusable_mkdocs_yml_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n")
    with pytest.raises(NotifyConfigError, match="not valid YAML"):
        load(tmp_path / "mkdocs.yml")
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - status:\n      languages: [xx-nope]\n")
    with pytest.raises(NotifyConfigError, match="unknown language"):
        load(tmp_path / "mkdocs.yml")


# -- the new build and the previous state -----------------------------------------------------


@pytest.fixture
def api_only(tmp_path: Path) -> Path:
    target = tmp_path / "api-only"
    shutil.copytree(FIXTURES / "api-only", target)
    return target


def test_the_build_is_read_from_every_api_file_updates_oldest_first(api_only: Path) -> None:
    build = read_build(api_only / "site")
    assert list(build.incidents) == ["2026-03-02-api-errors"]
    updates = build.updates()
    assert [u.status for u in updates] == ["investigating", "monitoring"]
    assert [u.position for u in updates] == [0, 1]
    assert build.status == {"indicator": "none", "description": "All Systems Operational"}


def test_a_folder_that_is_not_a_build_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="Run 'mkdocs build' first"):
        read_build(tmp_path)


def test_previous_state_accepts_a_file_or_a_site_folder(api_only: Path) -> None:
    by_file = read_previous(str(api_only / "previous" / "incidents.json"), Policy())
    by_folder = read_previous(str(api_only / "previous"), Policy())
    assert by_file is not None and by_folder is not None
    assert by_file.known == by_folder.known
    assert {i: set(ids) for i, ids in by_file.known.items()} == {"2026-03-02-api-errors": {"2026-03-02-api-errors-20260302t090000z"}}
    assert not by_file.has_ledger


@pytest.mark.parametrize("content", [None, b"", b"  \n"])
def test_a_missing_or_empty_previous_file_means_first_deploy(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "incidents.json"
    if content is not None:
        path.write_bytes(content)
    assert read_previous(str(path), Policy()) is None
    assert read_previous(None, Policy()) is None


def test_a_previous_file_that_is_not_the_api_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "incidents.json").write_text("<html>Not found</html>")
    with pytest.raises(StateError, match="not valid JSON"):
        read_previous(str(tmp_path / "incidents.json"), Policy())
    (tmp_path / "incidents.json").write_text('{"status": "ok"}')
    with pytest.raises(StateError, match="no 'incidents' list"):
        read_previous(str(tmp_path / "incidents.json"), Policy())


def test_a_ledger_from_another_build_is_ignored_with_a_note(api_only: Path) -> None:
    ledger = Ledger("not-the-digest", {"x": {"y": ""}}, pending={("x", "y"): {"slack-1"}})
    ledger.write(api_only / "previous" / "notify-ledger.json")
    previous = read_previous(str(api_only / "previous" / "incidents.json"), Policy())
    assert previous is not None and not previous.has_ledger and previous.pending == {}
    assert "x" not in previous.known
    assert "belongs to another build" in previous.notes[0]


def test_the_ledger_round_trips_and_names_no_secret() -> None:
    ledger = Ledger("abc", {"inc": {"u1": "f1", "u2": "f2"}}, pending={("inc", "u2"): {"slack-1"}},
                    delivered={("inc", "u1"): {"slack-1", "email-2"}}, channels={"slack-1": "slack[0]"},
                    uncertain={("inc", "u1"): {"teams-3"}}, built_at=dt.datetime(2026, 11, 21, 21, tzinfo=dt.timezone.utc))
    raw = ledger.to_json()
    again = parse_ledger(raw, "ledger")
    assert again == ledger
    document = json.loads(raw)
    assert document["pending"] == [{"incident_id": "inc", "update_id": "u2", "channels": ["slack-1"]}]
    assert document["format"] == "mkdocs-status notify ledger" and document["version"] == 2
    assert document["built_at"] == "2026-11-21T21:00:00Z"


def test_a_full_window_without_a_ledger_keeps_older_incidents_quiet(tmp_path: Path) -> None:
    def incident(n: int, day: int) -> dict[str, Any]:
        at = f"2026-01-{day:02d}T10:00:00.000+00:00"
        return {"id": f"i{n}", "name": "x", "created_at": at, "started_at": at,
                "incident_updates": [{"id": f"i{n}-u", "status": "resolved", "body": "", "created_at": at, "display_at": at}]}

    (tmp_path / "incidents.json").write_text(json.dumps({"incidents": [incident(n, 2 + n % 28) for n in range(50)]}))
    previous = read_previous(str(tmp_path / "incidents.json"), Policy())
    assert previous is not None and previous.cutoff == dt.datetime(2026, 1, 2, 10, tzinfo=dt.timezone.utc)
    old, new = incidents_of({"incidents": [incident(100, 1), incident(101, 29)]})
    assert previous.is_known(old, None, old.updates[0])  # older than the window: published long ago
    assert not previous.is_known(new, None, new.updates[0])  # newer than the window's oldest: new


def test_updates_told_from_the_api_alone_when_the_sources_are_missing(api_only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ACME_HOOK", f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        out = io.StringIO()
        code = Run(load(api_only / "mkdocs.yml"), api_only / "site", str(api_only / "previous"), out=out, err=out)()
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, out.getvalue()
    assert "messages use the API's text in the default language only" in out.getvalue()
    (payload,) = [json.loads(r) for r in received]
    assert payload["update"]["id"] == "2026-03-02-api-errors-20260302t101500z"
    assert payload["message"]["title"] == "Elevated API errors"
    assert payload["message"]["text"] == "A fix is deployed; we are watching error rates.\n\nDetails: https://acme.example/pm"
    assert payload["message"]["html"] == "<p>A fix is deployed; we are watching error rates.</p><p>Details: https://acme.example/pm</p>"
    assert payload["message"]["components"] == ["API"]
    assert payload["message"]["url"] == "https://status.acme.example/incidents/2026-03-02-api-errors/"
    assert payload["page"]["status_indicator"] == "none"
    # The ledger now records both updates, so the next run sends nothing.
    ledger = json.loads((api_only / "site/api/v2/notify-ledger.json").read_text())
    assert {i: sorted(ids) for i, ids in ledger["known"].items()} == \
        {"2026-03-02-api-errors": ["2026-03-02-api-errors-20260302t090000z", "2026-03-02-api-errors-20260302t101500z"]}
    assert ledger["delivered"][0]["update_id"] == "2026-03-02-api-errors-20260302t101500z"


def test_the_cli_reports_a_missing_site_as_exit_2(api_only: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert notify_main(["-f", str(api_only / "mkdocs.yml"), "--site", str(api_only / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


# -- formats ---------------------------------------------------------------------------------


@pytest.fixture
def message(api_only: Path) -> Any:
    build = read_build(api_only / "site")
    incident = build.incidents["2026-03-02-api-errors"]
    return MessageMaker(SETTINGS, None).make(incident, incident.updates[0], "en")


def test_chat_payloads_cannot_ping_or_inject_markup(message: Any) -> None:
    assert message.text == "Some API calls fail with <500> errors & time-outs."
    slack = json.loads(formats.slack_payload(message))
    assert "Some API calls fail with &lt;500&gt; errors &amp; time-outs." in json.dumps(slack["blocks"][1])
    discord = json.loads(formats.discord_payload(message))
    assert discord["allowed_mentions"] == {"parse": []}


def test_email_html_escapes_what_is_text(message: Any) -> None:
    html = formats.email_html(message)
    assert "Some API calls fail with &lt;500&gt; errors &amp; time-outs." in html
    assert "<500>" not in html


def test_the_webhook_signature_is_hmac_sha256_of_the_body(message: Any) -> None:
    import hashlib
    import hmac

    body = b'{"a":1}'
    headers = formats.webhook_headers(message, body, b"key")
    assert headers["X-Status-Signature"] == "sha256=" + hmac.new(b"key", body, hashlib.sha256).hexdigest()
    assert "X-Status-Signature" not in formats.webhook_headers(message, body, None)


def test_long_text_is_clipped_to_discords_limits(message: Any) -> None:
    import dataclasses

    long = dataclasses.replace(message, text="x" * 10_000, title="t" * 500)
    embed = json.loads(formats.discord_payload(long))["embeds"][0]
    assert len(embed["description"]) == 4096 and embed["description"].endswith("…")
    assert len(embed["title"]) == 256


# -- retries ----------------------------------------------------------------------------------


def test_backoff_doubles_and_is_capped() -> None:
    policy = Policy(backoff=1.0, max_delay=5.0)
    assert [policy.delay(n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert policy.delay(0, retry_after=120) == 5.0


def test_retries_are_bounded_and_only_for_what_may_pass() -> None:
    waits: list[float] = []
    policy = Policy(retries=2, backoff=0.1, sleep=waits.append)
    calls = 0

    def flaky() -> None:
        nonlocal calls
        calls += 1
        raise DeliveryError("HTTP 503", retryable=True)

    with pytest.raises(DeliveryError, match=r"HTTP 503 \(after 3 attempts\)"):
        with_retries(flaky, policy)
    assert calls == 3 and waits == [0.1, 0.2]

    calls = 0

    def rejected() -> None:
        nonlocal calls
        calls += 1
        raise DeliveryError("HTTP 404", retryable=False)

    with pytest.raises(DeliveryError):
        with_retries(rejected, policy)
    assert calls == 1


@pytest.fixture
def http_status() -> Iterator[Any]:
    """A server answering every POST with the status (and headers) set on it."""
    state: dict[str, Any] = {"status": 200, "headers": {}}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(state["status"])
            for k, v in state["headers"].items():
                self.send_header(k, v)
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"nope")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/"
    yield state
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "retryable", "channel_wide"), [
    (500, True, True), (429, True, True), (404, False, True), (401, False, True), (400, False, False), (413, False, False),
])
def test_http_failures_are_classified(http_status: dict[str, Any], status: int, retryable: bool, channel_wide: bool) -> None:
    http_status["status"] = status
    with pytest.raises(DeliveryError) as info:
        http_post(http_status["url"], data=b"{}", headers={}, timeout=2)
    assert (info.value.status, info.value.retryable, info.value.channel_wide) == (status, retryable, channel_wide)
    assert str(info.value).startswith(f"HTTP {status}") and "nope" in str(info.value)
    assert not info.value.uncertain  # an answer is an answer


def test_a_redirect_is_reported_not_followed(http_status: dict[str, Any]) -> None:
    http_status.update(status=301, headers={"Location": "https://elsewhere.example/"})
    with pytest.raises(DeliveryError, match="a redirect; configure the final URL") as info:
        http_post(http_status["url"], data=b"{}", headers={}, timeout=2)
    assert "elsewhere" not in str(info.value)  # a Location may carry the same secret path


def test_retry_after_is_honoured(http_status: dict[str, Any]) -> None:
    http_status.update(status=429, headers={"Retry-After": "7"})
    waits: list[float] = []
    with pytest.raises(DeliveryError):
        with_retries(lambda: http_post(http_status["url"], data=b"{}", headers={}, timeout=2), Policy(retries=1, sleep=waits.append))
    assert waits == [7.0]


def test_a_refused_connection_is_retryable() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DeliveryError) as info:
        http_post(f"http://127.0.0.1:{port}/", data=b"{}", headers={}, timeout=2)
    assert info.value.retryable and "connection refused" in str(info.value) and not info.value.uncertain


def test_a_request_that_went_out_without_an_answer_is_uncertain_and_only_retried_where_duplicates_drop() -> None:
    import socket

    taken: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                taken.append(conn.recv(65536))  # takes the request, closes without a word

    threading.Thread(target=serve, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    try:
        for idempotent, attempts in ((False, 1), (True, 3)):
            taken.clear()
            with pytest.raises(DeliveryError) as info:
                with_retries(lambda: http_post(url, data=b"{}", headers={}, timeout=2), Policy(retries=2, sleep=lambda s: None),
                             idempotent=idempotent)
            assert info.value.uncertain and "it may have arrived" in str(info.value)
            assert len(taken) == attempts
    finally:
        listener.close()


@pytest.mark.parametrize(("given", "read"), [
    ("https://s.example", "https://s.example/api/v2/incidents.json"),
    ("https://s.example/status/", "https://s.example/status/api/v2/incidents.json"),
    ("https://s.example/status/api/v2/", "https://s.example/status/api/v2/incidents.json"),
    ("https://s.example/api/v2/incidents.json", "https://s.example/api/v2/incidents.json"),
])
def test_previous_may_be_the_sites_url_or_its_incidents_json(given: str, read: str) -> None:
    from mkdocs_status.notify.state import PreviousSource

    assert PreviousSource(given, Policy()).base == read
