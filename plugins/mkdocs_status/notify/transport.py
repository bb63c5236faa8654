"""Getting bytes to a receiver: HTTP POST/GET and SMTP, with timeouts and bounded retries.

Standard library only (``http.client``, ``urllib.request``, ``smtplib``). Every
call has a timeout; every delivery is retried with exponential backoff a
bounded number of times, and only when a retry can help (time-outs, refused
connections, HTTP 5xx, 408 and 429, SMTP 4xx). Delays go through
:attr:`Policy.sleep`, so tests run without waiting.

A delivery fails in one of two ways, and they are kept apart: *before* the
receiver had the whole request (no connection, a refused or reset connection
while sending, an HTTP or SMTP error answer), when it certainly did not act on
it; or *after* (the request was sent and no answer came: a read time-out, a
dropped connection), when it may have. The second is ``uncertain``: it is
retried only for a receiver that can drop a duplicate (see
:func:`with_retries`). No message raised here contains any part of the URL.
"""

from __future__ import annotations

import base64
import email.utils
import http.client
import io
import re
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TypeVar
from urllib.parse import unquote, urlsplit

from .. import __version__

USER_AGENT = f"mkdocs-status/{__version__} (+notify)"
T = TypeVar("T")


@dataclass(frozen=True)
class Policy:
    """How hard to try: attempts, delays between them, and the time-out of each request."""

    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_delay: float = 30.0  # cap on one delay, also on a server's Retry-After
    timeout: float = 10.0  # seconds for each connect / read / SMTP command
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0-based)."""
        if retry_after is not None:
            return max(0.0, min(self.max_delay, retry_after))
        return min(self.max_delay, self.backoff * (2**attempt))


class DeliveryError(Exception):
    """A delivery that did not succeed; ``retryable`` says whether trying again may help.

    ``channel_wide`` marks failures that will hit every later message to the same
    receiver too (it is down, gone or refuses our credentials), so the run stops
    sending to that channel instead of trying each message in turn.
    """

    def __init__(self, message: str, *, retryable: bool, channel_wide: bool = True, retry_after: float | None = None,
                 status: int | None = None, uncertain: bool = False) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when there was one
        self.retryable = retryable
        self.channel_wide = channel_wide
        self.retry_after = retry_after
        self.uncertain = uncertain  # the whole request was sent and no answer came: it may have arrived


def with_retries(action: Callable[[], T], policy: Policy, on_retry: Callable[[int, DeliveryError, float], None] | None = None,
                 *, idempotent: bool = True) -> tuple[T, int]:
    """Run ``action`` until it succeeds or retries are used up; returns (result, attempts).

    ``idempotent``: the receiver drops a repeated request (a webhook receiver
    keyed on ``Idempotency-Key``), so a request that may have arrived can be
    sent again. Otherwise an ``uncertain`` failure is never retried: sending it
    again could post the message twice.
    """
    attempt = 0
    while True:
        try:
            return action(), attempt + 1
        except DeliveryError as exc:
            if not exc.retryable or attempt >= policy.retries or (exc.uncertain and not idempotent):
                exc.args = (f"{exc.args[0]} (after {attempt + 1} attempt{'s' if attempt else ''})",)
                raise
            wait = policy.delay(attempt, exc.retry_after)
            if on_retry is not None:
                on_retry(attempt + 1, exc, wait)
            policy.sleep(wait)
            attempt += 1


# -- HTTP -------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is misconfigured; report it rather than re-POST elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


def _describe_network(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve host ({exc.strerror})"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]


def http_request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float, method: str | None = None) -> Response:
    """One HTTP request. 2xx returns; anything else raises :class:`DeliveryError`.

    404 and 410 raise with ``retryable=False``; callers that read optional files
    check :attr:`Response.status` through :func:`http_get_optional` instead.
    """
    all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method or ("POST" if data is not None else "GET"))
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            body = resp.read(1 << 24)
            return Response(resp.status, body, {k.lower(): v for k, v in resp.headers.items()})
    except urllib.error.HTTPError as exc:
        try:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
        except Exception:  # noqa: BLE001 - the body is only for the message
            detail = ""
        code = exc.code
        text = f"HTTP {code} {exc.reason or ''}".rstrip() + (f": {detail[:200]}" if detail else "")
        if 300 <= code < 400:
            text += f" (redirect to {exc.headers.get('Location', '?')}; configure the final URL)"
        retryable = code >= 500 or code in (408, 425, 429)
        # A payload the receiver rejects (400, 413, 422) is about this message, not the channel.
        channel_wide = code not in (400, 413, 422)
        raise DeliveryError(text, retryable=retryable, channel_wide=channel_wide, retry_after=_retry_after(exc.headers.get("Retry-After")), status=code) from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        if isinstance(exc, ValueError) and not isinstance(exc, UnicodeError):
            raise DeliveryError(f"invalid URL: {exc}", retryable=False) from None
        raise DeliveryError(_describe_network(exc), retryable=True) from None


@dataclass(frozen=True, repr=False)
class Target:
    """Where an HTTP POST goes, checked before any delivery: ``repr`` shows no part of the URL."""

    https: bool
    host: str
    port: int
    path: str  # path and query, as sent on the request line
    authorization: str | None = None  # from user:password@ in the URL

    def __repr__(self) -> str:
        return f"Target(https={self.https}, port={self.port})"


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be POSTed to, in words that quote no part of it; None if it can."""
    target = _target(url)
    return target if isinstance(target, str) else None


def target(url: str) -> Target:
    found = _target(url)
    if isinstance(found, str):
        raise DeliveryError(f"invalid URL: {found}", retryable=False)
    return found


def _target(url: str) -> Target | str:
    if any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F or c.isspace() for c in url):
        return "it contains a space or a control character (often pasted along with the secret); set it again without"
    if not url.isascii():
        return "it contains a character outside ASCII; percent-encode it"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "it is not a URL with a valid host and port (http://host[:port]/path, port 1-65535)"
    if parts.scheme.lower() not in ("http", "https") or not url.lower().startswith(("http://", "https://")):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it has no host name"
    if port == 0:
        return "its port must be 1-65535"
    https = parts.scheme.lower() == "https"
    authorization = _basic(parts.username, parts.password)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(https, parts.hostname, port or (443 if https else 80), path, authorization)


def http_post(url: str, *, data: bytes, headers: dict[str, str], timeout: float,
              ssl_context: ssl.SSLContext | None = None) -> Response:
    """POST ``data``; 2xx returns. Failures raise :class:`DeliveryError`, ``uncertain``
    when the whole request went out and no answer came back."""
    where = target(url)
    all_headers = {"User-Agent": USER_AGENT, "Content-Length": str(len(data)), "Connection": "close", **headers}
    if where.authorization:
        all_headers["Authorization"] = where.authorization
    conn, path = _connection(where, timeout, ssl_context, all_headers)
    try:
        try:
            conn.connect()
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(f"TLS error: {exc.verify_message or 'certificate not trusted'}", retryable=False) from None
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"cannot connect: {_describe_network(exc)}", retryable=True) from None
        try:
            conn.request("POST", path, body=data, headers=all_headers)
        except (OSError, http.client.HTTPException) as exc:
            # Not all of it left: a receiver acts on a whole request only.
            raise DeliveryError(f"connection lost while sending: {_describe_network(exc)}", retryable=True) from None
        try:
            resp = conn.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"sent, but no answer ({_describe_network(exc)}): it may have arrived", retryable=True,
                                uncertain=True) from None
        try:
            body = resp.read(1 << 16)
        except (OSError, http.client.HTTPException):
            body = b""  # the status line is the answer
        return _answer(resp.status, resp.reason, body, {k.lower(): v for k, v in resp.getheaders()})
    finally:
        conn.close()


def _connection(where: Target, timeout: float, ssl_context: ssl.SSLContext | None,
                headers: dict[str, str]) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the receiver, through the proxy that ``https_proxy``/``http_proxy``
    name (and ``no_proxy`` does not exclude), as urllib would; and the request target."""
    proxy = _proxy(where)
    if where.https:
        context = ssl_context or ssl.create_default_context()
        if proxy is None:
            return http.client.HTTPSConnection(where.host, where.port, timeout=timeout, context=context), where.path
        conn = http.client.HTTPSConnection(proxy[0], proxy[1], timeout=timeout, context=context)
        conn.set_tunnel(where.host, where.port, headers={"Proxy-Authorization": proxy[2]} if proxy[2] else None)
        return conn, where.path
    if proxy is None:
        return http.client.HTTPConnection(where.host, where.port, timeout=timeout), where.path
    if proxy[2]:
        headers["Proxy-Authorization"] = proxy[2]
    host = f"[{where.host}]" if ":" in where.host else where.host
    return http.client.HTTPConnection(proxy[0], proxy[1], timeout=timeout), f"http://{host}:{where.port}{where.path}"


def _proxy(where: Target) -> tuple[str, int, str | None] | None:
    """(host, port, Proxy-Authorization) of the proxy for this receiver, if one is configured."""
    value = urllib.request.getproxies().get("https" if where.https else "http")
    if not value or urllib.request.proxy_bypass(where.host):
        return None
    try:
        parts = urlsplit(value if "://" in value else f"http://{value}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, port, _basic(parts.username, parts.password)


def _basic(username: str | None, password: str | None) -> str | None:
    """An HTTP Basic credential from a URL's user:password@, if it has one."""
    if username is None and password is None:
        return None
    token = f"{unquote(username or '')}:{unquote(password or '')}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


def _answer(code: int, reason: str, body: bytes, headers: dict[str, str]) -> Response:
    if 200 <= code < 300:
        return Response(code, body, headers)
    detail = body[:2000].decode("utf-8", "replace").strip()
    text = f"HTTP {code} {reason or ''}".rstrip() + (f": {detail[:200]}" if detail else "")
    if 300 <= code < 400:
        text += " (a redirect; configure the final URL)"
    raise DeliveryError(text, retryable=code >= 500 or code in (408, 425, 429), channel_wide=code not in (400, 413, 422),
                        retry_after=_retry_after(headers.get("retry-after")), status=code)


def http_get_optional(url: str, *, timeout: float) -> bytes | None:
    """GET a file that may legitimately not exist: None for 404/410, bytes for 2xx."""
    try:
        return http_request(url, headers={"Cache-Control": "no-cache", "Pragma": "no-cache", "Accept": "application/json"}, timeout=timeout).body
    except DeliveryError as exc:
        if exc.status in (404, 410):
            return None
        raise


# -- SMTP -------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand mail over."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = True  # True: required; False: used when offered
    implicit_tls: bool = False  # SMTPS (port 465)
    ssl_context: ssl.SSLContext | None = None


class SmtpSession:
    """One SMTP connection, opened on first use and re-opened after a failure."""

    def __init__(self, server: SmtpServer, timeout: float) -> None:
        self.server = server
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def _context(self) -> ssl.SSLContext:
        return self.server.ssl_context or ssl.create_default_context()

    def _open(self) -> smtplib.SMTP:
        s = self.server
        try:
            smtp: smtplib.SMTP
            if s.implicit_tls:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=self._context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            try:
                smtp.ehlo()
                if not s.implicit_tls:
                    if smtp.has_extn("starttls"):
                        smtp.starttls(context=self._context())
                        smtp.ehlo()
                    elif s.starttls:
                        raise DeliveryError(f"{s.host}:{s.port} does not offer STARTTLS, which is required; "
                                            "use a server that does, or set 'starttls: false' to send in clear text", retryable=False)
                if s.username is not None:
                    smtp.login(s.username, s.password or "")
            except BaseException:
                smtp.close()
                raise
        except DeliveryError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused: {exc.smtp_code} {_smtp_text(exc.smtp_error)}", retryable=False) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"SMTP: {exc}", retryable=False) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.smtp_code} {_smtp_text(exc.smtp_error)}", retryable=exc.smtp_code < 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {s.host}:{s.port}: {_describe_network(exc)}", retryable=not isinstance(exc, ssl.SSLCertVerificationError)) from None
        self._smtp = smtp
        return smtp

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> dict[str, str]:
        """Send one message; returns the recipients the server refused (others got it).

        Like ``smtplib.SMTP.send_message``, but in steps, so that a failure after
        the whole message went out (no answer to its final ``.``) is told apart
        as ``uncertain``: the server may have queued it.
        """
        smtp = self._smtp or self._open()
        try:
            refused = self._transaction(smtp, message, recipients)
        except DeliveryError:
            self.close()
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(f"{addr}: {code} {_smtp_text(text)}" for addr, (code, text) in exc.recipients.items())
            raise DeliveryError(f"every recipient was refused ({detail})", retryable=all(c < 500 for c in codes)) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise DeliveryError(f"SMTP {exc.smtp_code} {_smtp_text(exc.smtp_error)}", retryable=exc.smtp_code < 500,
                                channel_wide=exc.smtp_code < 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"SMTP {self.server.host}:{self.server.port}: {_describe_network(exc)}", retryable=True) from None
        return {addr: f"{code} {_smtp_text(text)}" for addr, (code, text) in refused.items()}

    def _transaction(self, smtp: smtplib.SMTP, message: EmailMessage, recipients: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        international = any(not a.isascii() for a in (str(message["From"] or ""), *recipients))
        options = ["SMTPUTF8", "BODY=8BITMIME"] if international and smtp.has_extn("smtputf8") else []
        with io.BytesIO() as buffer:
            policy = message.policy.clone(linesep="\r\n", utf8=bool(options))
            BytesGenerator(buffer, policy=policy).flatten(message, linesep="\r\n")
            data = buffer.getvalue()
        sender = parseaddr(str(message["From"]))[1]
        code, text = smtp.mail(sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for address in recipients:
            code, text = smtp.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, text)
        if len(refused) == len(recipients):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
        smtp.putcmd("data")
        code, text = smtp.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, text)
        body = re.sub(rb"(?m)^\.", b"..", data)
        smtp.send(body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        try:
            code, text = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {self.server.host}:{self.server.port}: the message was sent but not acknowledged "
                                f"({_describe_network(exc)}): it may have arrived", retryable=True, uncertain=True) from None
        if code != 250:
            raise smtplib.SMTPDataError(code, text)
        return refused

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _smtp_text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
