"""Each channel's wire format for a :class:`~.messages.Message`.

Pure functions: a message in, bytes or an ``EmailMessage`` out. The same
message gives the same bytes, so a retried delivery is byte-identical (and so
is its signature). The generic webhook payload is documented in the package
docstring; Slack, Teams and Discord get their incoming-webhook formats.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import hmac
import html
import json
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from .messages import Message
from .state import NewBuild, parse_time

SCHEMA = "mkdocs-status/notify/v1"
SIGNATURE_HEADER = "X-Status-Signature"

# Slack and Discord limits (characters), with room for the ellipsis.
SLACK_SECTION = 3000
DISCORD_TITLE = 256
DISCORD_DESCRIPTION = 4096
DISCORD_FIELD = 1024

COLOURS = {  # Discord embed colours by status word
    "investigating": 0xC62828, "identified": 0xEF6C00, "update": 0x546E7A, "monitoring": 0xF9A825,
    "resolved": 0x2E7D32, "postmortem": 0x455A64, "scheduled": 0x1565C0, "in_progress": 0x1565C0,
    "verifying": 0xF9A825, "completed": 0x2E7D32,
}  # fmt: skip


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event_name(message: Message) -> str:
    return f"{message.kind}.update"


def delivery_id(message: Message) -> str:
    return f"{message.incident_id}/{message.update_id}"


# -- generic webhook ----------------------------------------------------------


def incident_as_of(message: Message) -> dict[str, Any]:
    """The API incident as it stood once this update was posted (later updates left out)."""
    raw = copy.deepcopy(message.incident.raw)
    at = message.api.at
    shown = {u.id for u in message.incident.updates if u.position <= message.api.position}
    raw["incident_updates"] = [u for u in raw.get("incident_updates") or [] if isinstance(u, dict) and str(u.get("id")) in shown]
    raw["status"] = message.status
    if message.api.raw.get("created_at"):
        raw["updated_at"] = message.api.raw["created_at"]
    for key in ("resolved_at", "monitoring_at"):
        when = parse_time(raw.get(key))
        if when is not None and when > at:
            raw[key] = None
    return raw


def webhook_payload(message: Message, build: NewBuild) -> bytes:
    page = dict(build.page)
    if build.status:
        page["status_indicator"] = build.status.get("indicator")
        page["status_description"] = build.status.get("description")
    document = {
        "meta": {
            "schema": SCHEMA,
            "event": event_name(message),
            "delivery_id": delivery_id(message),
            "generator": f"mkdocs-status {__version__}",
        },
        "page": page,
        "incident": incident_as_of(message),
        "update": message.api.raw,
        "message": {
            "language": message.tag,
            "title": message.title,
            "status": message.word,
            "status_label": message.label,
            "subject": message.subject,
            "text": message.text,
            "html": message.html,
            "text_language": message.text_language.replace("_", "-"),
            "notices": list(message.notices),
            "components": list(message.components),
            "at": message.at.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
            "time": message.when,
            "url": message.url,
        },
    }
    return _json(document)


def signature(secret: bytes, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def webhook_headers(message: Message, body: bytes, secret: bytes | None) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Status-Event": event_name(message),
        "X-Status-Delivery": delivery_id(message),
        # The same key on every retry and every run: a receiver that keeps the keys it has
        # seen drops a repeat, so a delivery that timed out can safely be sent again.
        "Idempotency-Key": delivery_id(message),
        "Content-Language": message.tag,
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    return headers


# -- chat ---------------------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _components_line(message: Message) -> str:
    return f"{message.components_heading}: {', '.join(message.components)}" if message.components else ""


def slack_payload(message: Message) -> bytes:
    """Slack incoming webhook: a Block Kit message with a plain-text fallback."""
    head = f"{message.label}: {message.title}"
    linked = f"<{message.url}|{_slack_escape(head)}>" if message.url else _slack_escape(head)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(f"*{linked}*\n{_slack_escape(message.when)}", SLACK_SECTION)}},
    ]
    body = "\n\n".join(p for p in (message.text, *message.notices) if p)
    if body:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(_slack_escape(body), SLACK_SECTION)}})
    context = [c for c in (_components_line(message), message.site_name) if c]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(_slack_escape(c), SLACK_SECTION)} for c in context]})
    fallback = f"{head} ({message.when})" + (f" {message.url}" if message.url else "")
    return _json({"text": _slack_escape(fallback), "blocks": blocks, "unfurl_links": False, "unfurl_media": False})


def teams_payload(message: Message) -> bytes:
    """Microsoft Teams incoming webhook / Workflows: an Adaptive Card."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": f"{message.label}: {message.title}", "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": message.when, "isSubtle": True, "spacing": "None", "wrap": True},
    ]
    if message.text:
        body.append({"type": "TextBlock", "text": message.text, "wrap": True})
    for notice in message.notices:
        body.append({"type": "TextBlock", "text": notice, "isSubtle": True, "size": "Small", "wrap": True})
    if message.components:
        body.append({"type": "FactSet", "facts": [{"title": message.components_heading, "value": ", ".join(message.components)}]})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "lang": message.tag,
        "body": body,
    }
    if message.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": message.view_label, "url": message.url}]
    return _json({"type": "message", "summary": f"{message.label}: {message.title}",
                  "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]})


def discord_payload(message: Message) -> bytes:
    """Discord webhook: one embed; mentions in incident text never ping anyone."""
    embed: dict[str, Any] = {
        "title": _clip(f"{message.label}: {message.title}", DISCORD_TITLE),
        "description": _clip("\n\n".join(p for p in (message.text, *message.notices) if p), DISCORD_DESCRIPTION),
        "timestamp": message.at.astimezone(dt.timezone.utc).isoformat(),
        "color": COLOURS.get(message.word, 0x546E7A),
        "footer": {"text": _clip(f"{message.when} · {message.site_name}", 2048)},
    }
    if message.url:
        embed["url"] = message.url
    if message.components:
        embed["fields"] = [{"name": _clip(message.components_heading, 256), "value": _clip(", ".join(message.components), DISCORD_FIELD)}]
    return _json({"embeds": [embed], "allowed_mentions": {"parse": []}})


# -- email --------------------------------------------------------------------


def email_text(message: Message) -> str:
    parts = [f"{message.label}: {message.title}", message.when, ""]
    if message.text:
        parts += [message.text, ""]
    for notice in message.notices:
        parts += [f"({notice})", ""]
    if message.components:
        parts += [_components_line(message), ""]
    if message.url:
        parts += [f"{message.view_label}: {message.url}", ""]
    parts += ["-- ", message.footer]
    if message.site_url:
        parts.append(message.site_url)
    return "\n".join(parts) + "\n"


def email_html(message: Message) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(message.tag)}"><head><meta charset="utf-8"><title>{e(message.subject)}</title></head>',
        '<body style="font-family: system-ui, sans-serif; line-height: 1.5; max-width: 40em">',
        f"<h1 style=\"font-size: 1.25em\">{e(message.label)}: {e(message.title)}</h1>",
        f'<p style="color: #555"><time datetime="{e(message.at.isoformat())}">{e(message.when)}</time></p>',
    ]
    if message.html:
        lang = message.text_language.replace("_", "-")
        out.append(f'<div lang="{e(lang)}">{message.html}</div>' if message.text_language != message.language else f"<div>{message.html}</div>")
    for notice in message.notices:
        out.append(f'<p style="color: #555"><em>{e(notice)}</em></p>')
    if message.components:
        out.append(f"<p><strong>{e(message.components_heading)}:</strong> {e(', '.join(message.components))}</p>")
    if message.url:
        out.append(f'<p><a href="{e(message.url)}">{e(message.view_label)}</a></p>')
    footer = e(message.footer)
    if message.site_url:
        footer += f'<br><a href="{e(message.site_url)}">{e(message.site_url)}</a>'
    out += ['<hr><p style="color: #555; font-size: 0.875em">' + footer + "</p>", "</body></html>"]
    return "\n".join(out) + "\n"


def _header(text: str) -> str:
    """One line: a newline or control character in a title would be refused as a header (or inject one)."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def email_message(message: Message, sender: str, to: tuple[str, ...], channel_id: str) -> EmailMessage:
    """One multipart/alternative message (plain text + HTML) for one update."""
    mail = EmailMessage()
    name, address = parseaddr(sender)
    mail["From"] = formataddr((_header(name or message.site_name), address or sender))
    mail["To"] = ", ".join(to)
    mail["Subject"] = _header(f"[{message.site_name}] {message.subject}")
    mail["Date"] = formatdate(usegmt=True)
    host = urlsplit(message.site_url or "").hostname or (address.rpartition("@")[2] or "localhost")
    digest = hashlib.sha256(f"{message.incident_id}/{message.update_id}/{channel_id}".encode()).hexdigest()[:24]
    # The same update to the same list always has the same Message-ID, so a
    # mail system can drop a duplicate.
    mail["Message-ID"] = f"<{digest}.{message.incident_id}@{host}>"
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Auto-Response-Suppress"] = "All"
    mail["X-Status-Event"] = event_name(message)
    mail["X-Status-Delivery"] = delivery_id(message)
    mail.set_content(email_text(message))
    mail.add_alternative(email_html(message), subtype="html")
    # After the parts exist: making a message multipart moves Content-* headers into its first part.
    mail["Content-Language"] = message.tag
    return mail


CHAT = {"slack": slack_payload, "teams": teams_payload, "discord": discord_payload}  # kind -> wire format
