"""``maintenance.ics``: every maintenance, past and upcoming, as an iCalendar feed (RFC 5545).

One calendar per language (the default at the site root, the others under their
prefix), one VEVENT per maintenance with its window in UTC. Pure and
byte-reproducible: no clock is read. DTSTAMP is when the calendar was made, the
build's "now" (``SOURCE_DATE_EPOCH`` when set), as RFC 5545 asks of a
``METHOD:PUBLISH`` calendar; LAST-MODIFIED is the maintenance's latest update.
UIDs hold the incident id, the host and the site's path below it (none at the
root), so two sites under one host never share an event.
"""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar, Event

from .feeds import BuildInput, Writer, made, site_path
from .l10n import strings
from .markdown import plain_text
from .model import MAINTENANCE, Incident
from .site import Links, choose_text, component_label
from .timeline import maintenance_phase

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
PRODID = "-//mkdocs-status//Maintenance calendar//EN"
REFRESH = dt.timedelta(hours=1)  # how often subscribers should reload
# Every phase but cancelled is a confirmed plan: maintenance is never tentative.
EVENT_STATUS = {"scheduled": "CONFIRMED", "in_progress": "CONFIRMED", "verifying": "CONFIRMED", "completed": "CONFIRMED",
                "cancelled": "CANCELLED"}


def ical_text(text: str) -> str:
    """Text an iCalendar TEXT value may hold: no control characters but tab and newline (RFC 5545 3.3.11)."""
    return _CONTROL.sub("", text)


def uid(incident: Incident, links: Links) -> str:
    """Stable across rebuilds, updates and languages: the same event in every calendar of a site.

    ``<id>@<host>`` for a site at the root (the UIDs it has always published), ``<id>@<host>/<path>`` below it.
    """
    path = site_path(links)
    return f"{incident.id}@{links.host}/{path}" if path else f"{incident.id}@{links.host}"


def description(writer: Writer, incident: Incident, url: str) -> str:
    """The page's facts and every update, newest first, as plain text."""
    title = writer.title(incident)
    lines = [*writer.notices(title)]
    if incident.affected:
        names = ", ".join(component_label(writer.settings, cid, writer.lang) for cid in incident.affected)
        affects = strings.AFFECTED_LABELS[MAINTENANCE]
        lines.append(writer.gettext(affects))
        lines.append(names)
    lines.append(url)
    blocks = ["\n".join(lines)]
    for update in reversed(incident.updates):
        block = [f"{writer.status_label(update.status)} · {writer.when(update.at)}"]
        chosen = choose_text(incident, update, writer.lang, writer.settings)
        if chosen is not None:
            block += writer.notices(chosen)
            block.append(plain_text(writer.render(chosen.text)))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def event(writer: Writer, incident: Incident, now: dt.datetime) -> Event:
    assert incident.scheduled_for is not None and incident.scheduled_until is not None  # the parser requires the window
    url = writer.page_url(incident)
    latest = incident.latest.utc
    ev = Event()
    ev.add("uid", uid(incident, writer.links))
    ev.add("dtstamp", now.astimezone(dt.timezone.utc))  # when this calendar was made (RFC 5545 3.8.7.2)
    ev.add("created", incident.first.utc)
    ev.add("last-modified", latest)
    ev.add("sequence", len(incident.updates) - 1)
    ev.add("dtstart", incident.scheduled_for.astimezone(dt.timezone.utc))
    ev.add("dtend", incident.scheduled_until.astimezone(dt.timezone.utc))
    title = writer.title(incident)
    ev.add("summary", ical_text(title.text), parameters={"LANGUAGE": writer.settings.language(title.lang).tag})
    text = writer.carry("ical", writer.lang, incident, lambda: ical_text(description(writer, incident, url)))
    ev.add("description", text, parameters={"LANGUAGE": writer.tag})
    ev.add("url", url)
    ev.add("status", EVENT_STATUS[maintenance_phase(incident, now)])
    ev.add("transp", "TRANSPARENT")  # informs; does not block the subscriber's own time
    ev.add("categories", [writer.gettext("Maintenance")])
    return ev


def calendar(writer: Writer, maintenance: list[Incident], now: dt.datetime) -> bytes:
    settings = writer.settings
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = ical_text(f"{settings.site_name} · {writer.gettext('Scheduled maintenance')}")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if settings.description:
        cal.add("description", ical_text(settings.description))
        cal.add("x-wr-caldesc", ical_text(settings.description))
    cal.add("url", writer.links.absolute(writer.links.ical(writer.lang)))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # the same interval for clients that know only this
    for incident in maintenance:
        cal.add_component(event(writer, incident, now))
    return cal.to_ical()


def build(data: BuildInput) -> dict[str, str | bytes]:
    """One calendar per language: {site-relative path: bytes}."""
    settings, links = data.settings, data.links
    maintenance = sorted((i for i in data.site.incidents if i.kind == MAINTENANCE),
                         key=lambda m: (m.start.astimezone(dt.timezone.utc), m.id), reverse=True)
    out: dict[str, str | bytes] = {}
    for language in settings.languages:
        writer = Writer(settings, links, data.renderer.render, language.code, getattr(data, "carry", made))
        out[links.ical(language.code)] = calendar(writer, maintenance, data.now)
    return out
