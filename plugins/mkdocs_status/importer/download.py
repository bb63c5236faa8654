"""Reading an export from a file or a Statuspage page's API, within bounds.

The only I/O of the import: a local file, or HTTP GETs of a page's API files with a
total deadline, a size cap and redirects only to the same host.
"""

from __future__ import annotations

import functools
import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .. import __version__
from .export import SourceError

_API_FILES = ("incidents.json", "scheduled-maintenances.json", "components.json")

# Bounds on a download (README "Import from Statuspage"): all the files of one source within
# DEADLINE seconds in total, however slowly a server answers; no answer larger than MAX_BYTES
# (a page's incidents.json is a few MB); redirects only to the same host.
DEADLINE = 60.0
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024


def read_source(location: str, *, deadline: float = DEADLINE, max_bytes: int = MAX_BYTES) -> list[tuple[str, Any]]:
    """(name, JSON) pairs from a path or URL; a page URL without ``.json`` fetches its API files."""
    if re.match(r"https?://", location, flags=re.IGNORECASE):
        clock = Deadline(deadline)
        try:
            if location.split("?")[0].lower().endswith(".json"):
                return [(location, _fetch(location, clock, max_bytes))]
            root = location.rstrip("/") + "/"
            if not root.endswith("/api/v2/"):
                root += "api/v2/"
            return [(root + name, _fetch(root + name, clock, max_bytes)) for name in _API_FILES]
        finally:
            clock.cancel()
    path = Path(location)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"{location}: cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise SourceError(f"{location}: larger than {max_bytes // (1024 * 1024)} MB; split the export")
    return [(location, _json(location, raw))]


class Deadline:
    """A total time limit for downloads: at its end every socket opened under it is shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left; SourceError once none are."""
        left = self.ends - time.monotonic()
        if left <= 0 or self.expired:
            raise SourceError(f"took longer than {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                sock.close()
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read: it ends at once
                except OSError:
                    pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Watched:
    """A connection whose socket the deadline watches once it is connected."""

    sock: socket.socket

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.deadline.watch(self.sock)


class _Connection(_Watched, http.client.HTTPConnection):
    """HTTP under a deadline."""


class _TLSConnection(_Watched, http.client.HTTPSConnection):
    """HTTPS under a deadline."""


class _Handler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """Opens http(s) connections whose sockets the deadline can shut."""

    def __init__(self, deadline: Deadline) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(functools.partial(_Connection, deadline=self.deadline), req)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(functools.partial(_TLSConnection, deadline=self.deadline), req, context=self._context)


class _SameHost(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the host the user named."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if (new.hostname or "").lower() != (old.hostname or "").lower() or new.scheme.lower() not in ("http", "https"):
            raise SourceError(f"{req.full_url}: the server redirects to another host ({new.scheme}://{new.netloc}); "
                              "import from that address if you trust it")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, deadline: Deadline, max_bytes: int) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": f"mkdocs-status/{__version__}"})
    opener = urllib.request.build_opener(_Handler(deadline), _SameHost())
    try:
        # The socket timeout outlasts the deadline a little: the deadline's own timer ends the wait.
        with opener.open(request, timeout=min(30.0, deadline.left() + 1)) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(f"{url}: the answer is larger than {max_bytes // (1024 * 1024)} MB")
            return _json(url, _read_capped(response, url, deadline, max_bytes))
    except SourceError as exc:
        raise SourceError(str(exc) if str(exc).startswith(url) else f"{url}: {exc}") from None
    except urllib.error.HTTPError as exc:
        raise SourceError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
        if deadline.expired:
            raise SourceError(f"{url}: took longer than {deadline.seconds:g} s") from None
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"{url}: cannot fetch it ({reason})") from None


def _read_capped(response: Any, url: str, deadline: Deadline, max_bytes: int) -> bytes:
    """The body, read in chunks: never more than ``max_bytes`` kept, never past the deadline."""
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.left()
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"the answer is larger than {max_bytes // (1024 * 1024)} MB")
        chunks.append(chunk)
    deadline.left()  # a socket shut by the deadline reads as the end of the answer
    return b"".join(chunks)


def _json(name: str, raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise SourceError(f"{name}: JSON nested too deeply; expected a Statuspage JSON export") from None
    except UnicodeDecodeError:
        raise SourceError(f"{name}: not UTF-8 text; expected a Statuspage JSON export") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg}); expected a Statuspage JSON export") from None
