"""The fields each fragment (``templates/status/partials/*.html``) receives: plain data, no markup
but for pieces that are already HTML (a time, an icon, an update's sanitised text), which are
:class:`~markupsafe.Markup` and print as they are.

Each is a named tuple: a record, immutable, made at a fraction of a dataclass's cost (a build imports
every module). Text fields are plain strings in the page's language; the fragments are rendered with autoescape
on, so ``{{ update.label }}`` is escaped. ``href`` fields may be slots filled per page
(fragments.py): print them as they are. README.md ("Restyling the pages") lists these fields
for site owners; keep the two in step.
"""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from .model import Incident


class UpdateView(NamedTuple):
    """One update (``update.html``; ``update-item.html`` is its entry on the incident page)."""

    anchor: str  # the update's id on the incident page ("update-3f2a")
    icon: Markup  # the icon of the status it kept
    label: str  # "Identified", or a notice's "Posted"
    time: Markup  # <time> with the instant in every display zone
    body: Markup  # the sanitised text in the language shown
    lang_attr: Markup  # ' lang="de"' where the text is not in the page's language, else ""
    notices: tuple[str, ...] = ()  # "This text is not available in …" lines, if any
    notice_icon: Markup = Markup("")
    changes: tuple[str, ...] = ()  # "Voice: Major outage → Partial outage" for each component it changed or named
    automatic: bool = False  # posted by the build at a maintenance window's edge
    automatic_note: str = ""  # the sentence that says so


class LatestView(NamedTuple):
    """An incident's latest update as a listing row shows it below the row."""

    update: UpdateView
    ago: str  # "20 minutes ago", relative to the build time


class RowView(NamedTuple):
    """An incident as a listing (overview, history, component pages) shows it (``incident-row.html``)."""

    incident: Incident
    css: str  # the impact ("major") or "maintenance"
    attrs: Markup  # a maintenance's machine-readable window for status.js, else ""
    components: str  # the ids of the components it names, space separated
    href: str  # the incident's page
    title: Markup  # the title, in a <span lang> where not in the page's language
    badges: Markup  # the impact and status badges (badge.html each)
    window: Markup  # a maintenance's "<time> – <time>", else ""
    started: Markup  # an incident's start time, else ""
    duration: str  # "Duration: 1 hr 10 min" once ended, else ""
    latest: LatestView | None = None  # on the overview: the latest update


class BadgeView(NamedTuple):
    """A status badge (``badge.html``)."""

    word: str  # the status or impact ("partial_outage", "major", "notice")
    label: str  # its name in the page's language
    icon: Markup
    key: str = ""  # "component:voice" / "group:engage": status.js flips it between builds


class LinkView(NamedTuple):
    """A link to another incident (in a day bar's tooltip)."""

    href: str
    title: Markup


class DayView(NamedTuple):
    """One day of a 90-day bar (``day-bar.html``)."""

    status: str  # the day's worst component status, or "no_data"
    label: str  # "Nov 10, 2026: Major outage (42 min)"
    incidents: tuple[LinkView, ...] = ()  # the incidents of the day


class ComponentRowView(NamedTuple):
    """A component (or group member) on the overview and its group's page (``component-row.html``)."""

    id: str
    name: str
    href: str
    badge: Markup
    description: str  # "" for none
    bars: Markup  # day-bars.html: the 90-day bar with its legend


class GroupRowView(NamedTuple):
    """A group on the overview (``group-row.html``)."""

    id: str
    name: str
    href: str  # the group's page
    badge: Markup
    members: tuple[Markup, ...]  # its shown members (component-row.html each)


class NoticeView(NamedTuple):
    """A notice pinned at the top of the overview and its components' pages (``notices.html``)."""

    href: str
    title: Markup
    icon: Markup
    update: UpdateView  # its text


class NavLink(NamedTuple):
    """A link of the local nav or the year links (``local-nav.html``, ``year-links.html``)."""

    href: str
    text: str
    current: str = ""  # aria-current's value ("page", "true"), or ""


class FilterLink(NamedTuple):
    """A link of the history's filter by component (``component-filter.html``)."""

    href: str
    text: str
    component: str  # the component's id


class HeadView(NamedTuple):
    """The page's ``<head>`` links (``head-links.html``)."""

    xdefault: str  # the page in the default language, where the site has several
    feeds: tuple[dict[str, str], ...] = ()  # label, href, type of each feed
    clock: str = ""  # the fixed build instant (ISO 8601) of a site built as of one
