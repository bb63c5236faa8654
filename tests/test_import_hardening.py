"""Importing from Statuspage never lets the source write the file's structure, and downloads are bounded."""

from __future__ import annotations

import http.server
import json
import socketserver
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mkdocs_status.importer import SourceError, find_marker, read_source
from test_cli import make_site, run
from test_import import parse

HOSTILE_ID = "x1\ntitle: pwned\n---\n\n## Resolved · 2026-01-01 00:00"
HOSTILE_SHORTLINK = "https://stspg.io/x\nimpact: none\n## Resolved · 2026-01-01 00:00"


def export(iid: str, shortlink: str = "https://stspg.io/abc", update_id: str = "u1") -> dict[str, Any]:
    return {"incidents": [{
        "id": iid, "name": "Queue login fails", "impact": "major", "shortlink": shortlink,
        "started_at": "2026-03-02T09:41:00.000+01:00",
        "incident_updates": [
            {"id": f"{update_id}b", "status": "resolved", "body": "Fixed.", "display_at": "2026-03-02T11:05:12.482+01:00",
             "affected_components": [{"code": "c1", "name": "Interact", "old_status": "major_outage", "new_status": "operational"}]},
            {"id": update_id, "status": "investigating", "body": "Looking.", "display_at": "2026-03-02T09:58:30.007+01:00",
             "affected_components": [{"code": "c1", "name": "Interact", "old_status": "operational", "new_status": "major_outage"}]},
        ],
        "components": [{"id": "c1", "name": "Interact"}],
    }]}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def import_three_times(site: Path, tmp_path: Path, data: dict[str, Any]) -> list[Path]:
    source = tmp_path / "incidents.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    outputs = [run(site, "import", "statuspage", str(source)) for _ in range(3)]
    assert all(r.returncode == 0 for r in outputs), [r.stderr for r in outputs]
    assert "1 unchanged" in outputs[-1].stderr, outputs[-1].stderr
    return sorted((site / "incidents").rglob("*.md"))


def test_a_newline_in_the_source_id_or_shortlink_injects_nothing(site: Path, tmp_path: Path) -> None:
    files = import_three_times(site, tmp_path, export(HOSTILE_ID, HOSTILE_SHORTLINK, update_id="u1\n## Resolved"))
    assert len(files) == 1
    incident = parse(files[0])
    assert incident.titles == {"en": "Queue login fails"} and incident.impact == "major"
    assert [(u.kept, u.texts["en"]) for u in incident.updates] == [("investigating", "Looking."), ("resolved", "Fixed.")]
    text = files[0].read_text(encoding="utf-8")
    assert "pwned" in text and text.count("\n## ") == 2  # the id is kept (encoded), as a comment only
    front = text.split("\n---\n")[0]
    assert [line for line in front.splitlines()[1:] if not line.startswith("#")] == [
        "title: Queue login fails", "impact: major", "components:", "  interact: major_outage", 'started_at: "2026-03-02 09:41:00 +01:00"']
    assert "{#u1-Resolved interact=major_outage notify=false}" in text
    assert find_marker(text) == HOSTILE_ID


@pytest.mark.parametrize("iid", ["inc 42/ä#x", "a:b", "ID.With~Tilde", "日本"])
def test_ids_outside_the_plain_characters_are_recognised_on_reimport(site: Path, tmp_path: Path, iid: str) -> None:
    assert len(import_three_times(site, tmp_path, export(iid))) == 1


# -- downloads ------------------------------------------------------------------------------------------------


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[http.server.BaseHTTPRequestHandler], None]], str]]:
    """A 127.0.0.1 server whose every GET is answered by the given function; yields a starter that returns its URL."""
    servers: list[socketserver.TCPServer] = []

    def start(answer: Callable[[http.server.BaseHTTPRequestHandler], None]) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                try:
                    answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def drip_body(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    for char in json.dumps({"incidents": []}):
        handler.wfile.write(char.encode())
        handler.wfile.flush()
        time.sleep(2)


def drip_headers(handler: http.server.BaseHTTPRequestHandler) -> None:
    for char in "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n":
        handler.wfile.write(char.encode())
        handler.wfile.flush()
        time.sleep(2)


@pytest.mark.parametrize("answer", [drip_body, drip_headers])
def test_a_server_dripping_one_byte_every_two_seconds_is_cut_at_the_deadline(serve, answer) -> None:
    url = serve(answer) + "/api/v2/incidents.json"
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"took longer than 3 s"):
        read_source(url, deadline=3)
    assert time.monotonic() - started < 5  # the socket timeout (30 s) alone held it 81 s


def test_the_deadline_covers_every_file_of_a_page(serve) -> None:
    def slow_json(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(1.2)
        body = json.dumps({"incidents": []} if "incidents" in handler.path else {"components": []}).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    url = serve(slow_json)
    started = time.monotonic()
    with pytest.raises(SourceError, match="took longer than 3 s"):
        read_source(url, deadline=3)  # three files of 1.2 s each
    assert time.monotonic() - started < 4.5


def stream_megabytes(count: int, *, declare: bool) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        if declare:
            handler.send_header("Content-Length", str(count * 1024 * 1024 + 2))
        handler.end_headers()
        handler.wfile.write(b'["')
        chunk = b"x" * (1024 * 1024)
        for _ in range(count):
            handler.wfile.write(chunk)
    return answer


@pytest.mark.parametrize("declare", [False, True])
def test_a_large_answer_is_refused_at_the_cap_with_bounded_memory(serve, declare: bool) -> None:
    url = serve(stream_megabytes(200, declare=declare)) + "/incidents.json"
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="larger than 4 MB"):
            read_source(url, max_bytes=4 * 1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * 1024 * 1024  # 200 MB were offered


def test_an_answer_under_the_cap_is_read(serve) -> None:
    body = json.dumps(export("abc")).encode()

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        handler.wfile.write(body)

    [(name, data)] = read_source(serve(answer) + "/incidents.json", max_bytes=len(body))
    assert data == export("abc")


def redirect_to(target: str) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/moved"):
            body = json.dumps({"incidents": []}).encode()
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return
        handler.send_response(302)
        handler.send_header("Location", target.replace("PORT", str(handler.server.server_address[1])))
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def test_a_redirect_to_the_same_host_is_followed(serve) -> None:
    [(_, data)] = read_source(serve(redirect_to("/moved/incidents.json")) + "/incidents.json")
    assert data == {"incidents": []}


@pytest.mark.parametrize("target", ["http://localhost:PORT/moved/incidents.json", "ftp://127.0.0.1/moved.json"])
def test_a_redirect_to_another_host_is_refused(serve, target: str) -> None:
    with pytest.raises(SourceError, match="redirects to another host"):
        read_source(serve(redirect_to(target)) + "/incidents.json")


def test_deeply_nested_json_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "incidents.json"
    source.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(SourceError, match="nested too deeply"):
        read_source(str(source))


@pytest.mark.parametrize(("stamp", "message"), [
    ("0001-01-01T00:30:00.000+01:00", "outside the years 1970 to 9000"),
    ("9999-12-31T23:30:00.000-05:00", "outside the years 1970 to 9000"),
    ("2026-03-02T09:58:30.007+25:00", "is not a valid date and time"),
])
def test_an_extreme_source_time_is_a_clear_error(site: Path, tmp_path: Path, stamp: str, message: str) -> None:
    data = export("abc")
    data["incidents"][0]["incident_updates"][1]["display_at"] = stamp
    source = tmp_path / "incidents.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = run(site, "import", "statuspage", str(source))  # run() asserts no traceback
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "internal error" not in result.stderr
