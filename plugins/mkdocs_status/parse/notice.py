"""Notices: ``type: notice`` files, pinned informational messages.

A notice has a title (``title``, ``title_<lang>``), ``starts_at``, an optional ``ends_at`` and
optional ``components`` (the component pages that show it too), and a body of text with
``::: <lang>`` blocks but no update headings. In the model it is an incident of kind
``notice`` with impact ``none``, so feeds and the API show it as Statuspage shows an
informational incident: one update at ``starts_at`` ("identified"), unresolved while it is
shown, and resolved at ``ends_at`` by an automatic update once that has passed. It never
gives a component a status, so it never counts against uptime; it is never "stale".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..l10n.catalogs import N_, translations
from ..model import INCIDENT, NOTICE, Incident, Update
from . import frontmatter
from .updates import Draft

if TYPE_CHECKING:
    from .frontmatter import Value
    from .incident import ParseSettings, _FileParser

NOTICE_KEYS = ("starts_at", "ends_at")
SHOWN = "identified"  # the status a notice reports while shown (Statuspage's enum)
ENDED_TEXT = N_("This notice has ended.")
INFO = "info"


def finish(parser: _FileParser, fm: dict[str, Value], header: dict[str, object], body_start: int) -> Incident | None:
    """The notice a parsed front matter and body make, or None after an error."""
    starts, ends = _window(parser, fm)
    for key in ("started_at", "ended_at", "impact"):
        if key in fm:
            parser.diag.error(fm[key].line, f"'{key}' is not for notices", "a notice has starts_at and ends_at, and no impact")
    for cid, status in dict(header["components"]).items():  # type: ignore[call-overload]
        if status is not None:
            parser.diag.error(fm["components"].line, f"a notice does not set a component's status ('{cid}: {status}')",
                              "list the components whose pages show the notice: components: [" + cid + "]")
    draft = Draft(body_start + 1, SHOWN, None)
    drafts = parser.body(body_start, draft)
    for extra in drafts[1:]:
        parser.diag.error(extra.line, "a notice has no update headings",
                          "write its text under the front matter; change the notice's text (or end it with ends_at) to tell of changes")
    texts = {lang: "\n".join(lines).strip("\n").rstrip() for lang, lines in draft.texts.items()}
    texts = {lang: text for lang, text in texts.items() if text}
    if not texts and len(drafts) == 1:
        parser.diag.error(body_start or 1, "a notice needs text", "write the message under the front matter")
    titles = header["titles"]
    if parser.diag.errors or starts is None or not isinstance(titles, dict) or parser.lang not in titles:
        return None
    first = Update(status=SHOWN, kept=SHOWN, at=starts, texts=texts, line=body_start + 1 if body_start else 1, index=0)
    return Incident(
        id=parser.stem, source=parser.source, kind=NOTICE, titles=titles, lang=parser.lang, impact="none",
        components=header["components"],  # type: ignore[arg-type]
        updates=(first,), timezone=parser.tz, machine_translated=header["machine_translated"],  # type: ignore[arg-type]
        started_at=starts, ended_at=ends,
        lines=frontmatter.source_map(fm),
    )


def misplaced(parser: _FileParser, fm: dict[str, Value]) -> None:
    """``starts_at``/``ends_at`` in an incident or maintenance: an error, never silently unused."""
    if parser.kind == NOTICE:
        return
    for key in NOTICE_KEYS:
        if key in fm:
            hint = "add 'type: notice'" if parser.kind == INCIDENT else "a maintenance's window is scheduled_for and scheduled_until"
            parser.diag.error(fm[key].line, f"'{key}' is for notices", hint + ", or use started_at and ended_at" * (parser.kind == INCIDENT))


def _window(parser: _FileParser, fm: dict[str, Value]) -> tuple[dt.datetime | None, dt.datetime | None]:
    starts = parser._time(fm["starts_at"], "starts_at") if "starts_at" in fm else None
    if "starts_at" not in fm:
        parser.diag.error(parser.title_line, "notice without 'starts_at'", "add 'starts_at: \"YYYY-MM-DD HH:MM\"': when it is shown from")
    ends = parser._time(fm["ends_at"], "ends_at") if "ends_at" in fm else None
    if starts is not None and ends is not None and ends <= starts:
        parser.diag.error(fm["ends_at"].line, "ends_at is not after starts_at", "check both times")
    return starts, ends


def at_now(notice: Incident, now: dt.datetime, settings: ParseSettings) -> tuple[Incident | None, list[Diagnostic]]:
    """The notice as it stands at ``now``: not yet shown (None), shown, or ended by an automatic update."""
    if notice.first.at > now:
        when = notice.first.at.isoformat(sep=" ", timespec="minutes")
        return None, [Diagnostic(notice.source, notice.lines.line("starts_at"), INFO,
                                 f"notice '{notice.id}' is shown from {when}; not before", "")]
    ends = notice.ended_at
    if ends is None or ends > now:
        return notice, []
    texts = {lang: translations(lang).gettext(ENDED_TEXT) for lang in settings.languages}
    ended = Update(status="resolved", kept="resolved", at=ends, texts=texts, line=notice.first.line, index=1, automatic=True)
    return replace(notice, updates=(notice.first, ended)), []
