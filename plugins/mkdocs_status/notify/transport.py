"""Getting bytes to a receiver: HTTP POST/GET and SMTP, with timeouts and bounded retries.

Standard library only (``urllib.request``, ``smtplib``). Every call has a
timeout; every delivery is retried with exponential backoff a bounded number of
times, and only when a retry can help (time-outs, refused connections, HTTP 5xx,
408 and 429, SMTP 4xx). Delays go through :attr:`Policy.sleep`, so tests run
without waiting.
"""

from __future__ import annotations

import email.utils
import http.client
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TypeVar

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
                 status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when there was one
        self.retryable = retryable
        self.channel_wide = channel_wide
        self.retry_after = retry_after


def with_retries(action: Callable[[], T], policy: Policy, on_retry: Callable[[int, DeliveryError, float], None] | None = None) -> tuple[T, int]:
    """Run ``action`` until it succeeds or retries are used up; returns (result, attempts)."""
    attempt = 0
    while True:
        try:
            return action(), attempt + 1
        except DeliveryError as exc:
            if not exc.retryable or attempt >= policy.retries:
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
        """Send one message; returns the recipients the server refused (others got it)."""
        smtp = self._smtp or self._open()
        try:
            refused = smtp.send_message(message, to_addrs=list(recipients))
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

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _smtp_text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
