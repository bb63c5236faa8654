"""Atom and RSS feeds: every incident and every update, per language and component.

For each language (the default at the site root, the others under their prefix):

- ``history.atom`` / ``history.rss``: one entry per incident or maintenance, the
  ``feed_limit`` newest by latest update; its content holds every update, newest
  first, as the incident page shows them;
- ``updates.atom`` / ``updates.rss``: one entry per update of those incidents, so a
  subscriber is told of each new post, not only of new incidents;
- ``components/<id>/history.atom`` / ``.rss``: the history feed of one component.

Pure: a function of the build data (model, "now", links, renderer) and nothing
else. No clock is read (feedgen's defaults are always overridden), entries are
appended in the order given, so the same input gives byte-identical files.

Entry content takes Statuspage's form, so readers and tools made for Statuspage's
feeds read ours: one paragraph per update, newest first, each opening with
``<small>Nov <var data-var='date'>20</var>, <var data-var='time'>15:00</var> CET</small><br><strong>Resolved</strong> - ``
and its text; the rest of an update's blocks follow as rendered. What this
project adds (the time in every display zone, translation notices, impact,
affected components, start and end) comes after the updates. A history entry is
published and updated at its incident's latest update, as Statuspage dates it,
so an incident that gets an update comes back to readers with the new date.

Entry ids are ``tag:`` URIs (RFC 4151) made of the site's host, a fixed date, the
site's path below the host (none for a site at the root), the language and the
incident id (plus the update's key for update entries, or the component for a
component feed's entries); they never change when an incident gains updates,
nor on rebuild. Two sites under one host, and a component feed and the history
feed, never share an id.

One module, though over 500 lines: the entries (:class:`Writer`, each piece made once per
incident and language and shared by every feed that shows it) and the Atom and RSS written
from them (:func:`render`) are one format's two halves, read and changed together.
"""

from __future__ import annotations

import datetime as dt
import html
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import NamedTuple, Protocol, TypeVar
from urllib.parse import urlsplit

from babel import Locale
from babel.dates import DateTimeFormat, parse_pattern
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from feedgen.util import formatRFC2822
from lxml import etree

from .groups import group_incidents
from .l10n import strings
from .l10n.catalogs import translations
from .l10n.dates import duration_text, instant_text, zone_label
from .markdown import absolute_links
from .model import Incident, Settings, StatusSite, Update
from .site import OVERVIEW, Chosen, Links, change_text, choose_text, choose_title, component_label, localized, notices
from .timeline import Change, changes_by_update

# The date in every tag: URI. Part of every entry id ever published: never change it.
TAG_DATE = "2025"
GENERATOR = "mkdocs-status"
MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
# Characters XML 1.0 cannot carry at all (lxml refuses them): C0 controls but tab and newlines,
# surrogates, U+FFFE and U+FFFF. Dropped from every text, so no input can break a feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


T = TypeVar("T")


class _Renders(Protocol):
    def render(self, text: str) -> str: ...


class BuildInput(Protocol):
    """What the feeds need of ``pages.BuildData`` (which they must not import: it imports MkDocs)."""

    site: StatusSite
    settings: Settings
    now: dt.datetime
    links: Links

    @property
    def renderer(self) -> _Renders: ...


class _Carries(Protocol):
    """``BuildData.carry``: a piece made of one incident, kept across `mkdocs serve` rebuilds while it holds."""

    def __call__(self, kind: str, lang: str, incident: Incident, make: Callable[[], T]) -> T: ...


def made(kind: str, lang: str, incident: Incident, make: Callable[[], T]) -> T:
    """Nothing carried over: the piece made now (a build's data without ``carry``)."""
    return make()


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot represent."""
    return _NOT_XML.sub("", text)


# -- ids ----------------------------------------------------------------------


def site_path(links: Links) -> str:
    """The site's path below its host, without slashes: ``status`` for ``…github.io/status/``, "" at the root."""
    return _url_path(links.site_url or "")


@lru_cache(maxsize=16)
def _url_path(url: str) -> str:
    """A URL's path without its slashes (every entry id holds the site's: worked out once)."""
    return urlsplit(url).path.strip("/")


def tag_uri(links: Links, lang_tag: str, *path: str) -> str:
    """``tag:<host>,<TAG_DATE>:[<site path>/]<lang>/<path>``: stable, per site and language.

    A site at the root of its host has no path part, so the ids it has always published stay.
    """
    parts = (site_path(links), lang_tag, *path)
    return f"tag:{links.host},{TAG_DATE}:{'/'.join(p for p in parts if p)}"


def incident_entry_id(links: Links, lang_tag: str, incident: Incident, component: str | None = None) -> str:
    """The history feed's id for an incident; a component feed's entries have their own."""
    if component:
        return tag_uri(links, lang_tag, "components", component, "incidents", incident.id)
    return tag_uri(links, lang_tag, "incidents", incident.id)


def update_entry_id(links: Links, lang_tag: str, incident: Incident, update: Update) -> str:
    """The incident id plus the update's key (its UTC time and rank among equal times)."""
    return tag_uri(links, lang_tag, "incidents", incident.id, "updates", update.key)


def feed_id(links: Links, lang_tag: str, name: str, component: str | None = None) -> str:
    stem = name.rsplit(".", 1)[0]
    return tag_uri(links, lang_tag, "components", component, stem) if component else tag_uri(links, lang_tag, stem)


# -- what goes in ----------------------------------------------------------------


def window(incidents: Iterable[Incident], limit: int) -> list[Incident]:
    """The ``limit`` incidents with the newest latest update, newest first."""
    return sorted(incidents, key=lambda i: (i.latest.utc, i.id), reverse=True)[:limit]


class Entry(NamedTuple):
    """One feed entry, independent of the feed format; its texts without what XML cannot carry (:func:`xml_safe`)."""

    id: str
    title: str  # plain text
    link: str  # absolute
    content: str  # HTML, links absolute
    published: dt.datetime  # UTC
    updated: dt.datetime  # UTC


class FeedInfo(NamedTuple):
    """The feed-level facts shared by the Atom and RSS variants of a feed."""

    id: str
    title: str
    description: str
    lang_tag: str
    self_url: str
    page_url: str  # the HTML page the feed mirrors (its alternate link)
    author: str


class Writer:
    """Builds the entries of one language: words, times and text choice as the pages make them."""

    def __init__(self, settings: Settings, links: Links, render: Callable[[str], str], lang: str,
                 carry: _Carries = made) -> None:
        self.settings = settings
        self.carry = carry
        self.links = links
        self.render = render  # Renderer.render: Markdown -> sanitised HTML
        self.lang = lang
        self.tag = settings.language(lang).tag
        self._tr = translations(lang)
        # Every piece is made once per (incident, language) and reused by every feed that shows it:
        # the history feed, the component feeds (the same entry under another id) and the updates feed.
        self._incident_entries: dict[str, Entry] = {}
        self._updates_html: dict[tuple[str, str], str] = {}
        self._notes_html: dict[tuple[str, str], str] = {}
        self._change_html: dict[tuple[str, str], str] = {}
        self._heads: dict[str, list[str]] = {}  # incident id -> the title's notices and the facts no update changes
        self._changes: dict[str, dict[str, tuple[Change, ...]]] = {}

    # -- words ----------------------------------------------------------------

    def gettext(self, message: str) -> str:
        return self._tr.gettext(message)

    def status_label(self, word: str) -> str:
        return self.gettext(strings.STATUS_LABELS[word])

    def when(self, at: dt.datetime) -> str:
        return instant_text(at, self.lang, self.settings.display_timezones)

    def notices(self, chosen: Chosen) -> list[str]:
        """The same notices as the incident page (plain text; escape for HTML)."""
        return notices(chosen, self.lang, self.gettext)

    def lang_attr(self, code: str) -> str:
        return "" if code == self.lang else f' lang="{html.escape(self.settings.language(code).tag)}"'

    # -- pieces of HTML -------------------------------------------------------

    def page_url(self, incident: Incident, update: Update | None = None) -> str:
        return self.links.absolute(self.links.incident(self.lang, incident, update))

    def title(self, incident: Incident) -> Chosen:
        return choose_title(incident, self.lang, self.settings)

    def notices_html(self, chosen: Chosen) -> list[str]:
        return [f'<p class="status-language-notice"><em>{html.escape(n)}</em></p>' for n in self.notices(chosen)]

    def facts_html(self, incident: Incident, *, times: bool = True) -> list[str]:
        """What the incident page says above the updates: impact, components, times.

        Only facts that do not depend on "now" (the page's current status badge
        does): an entry changes when its incident does, not when the site is rebuilt.
        ``times=False`` leaves out what a later update changes (the end, the duration).
        """
        impact = "maintenance" if incident.is_maintenance else incident.impact
        out = [f"<p><strong>{html.escape(self.gettext(strings.IMPACT_LABELS[impact]))}</strong></p>"] if times else []
        facts: list[tuple[str, str]] = []  # (label, HTML)
        if incident.affected:
            items = ", ".join(
                f'<a href="{html.escape(self.links.absolute(self.links.component(self.lang, cid)))}">'
                f"{html.escape(component_label(self.settings, cid, self.lang))}</a>"
                for cid in incident.affected
            )
            facts.append((self.gettext(strings.AFFECTED_LABELS[incident.kind]), items))
        if times and incident.is_maintenance and incident.scheduled_for and incident.scheduled_until:
            span = f"{self.when(incident.scheduled_for)} – {self.when(incident.scheduled_until)}"
            facts.append((self.gettext("Scheduled for"), html.escape(span)))
        elif times and not incident.is_maintenance:
            end, duration = incident.end, incident.duration
            facts.append((self.gettext("Started"), html.escape(self.when(incident.start))))
            facts.append((self.gettext("Ended"), html.escape(self.when(end) if end else self.gettext("Not yet resolved"))))
            if duration is not None:
                facts.append((self.gettext("Duration"), html.escape(duration_text(duration, self.lang))))
        # A definition list, as on the page: no colon for translators to place.
        if facts:
            out.append("<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
        return out

    def lead_html(self, update: Update) -> str:
        """Statuspage's lead of an update: ``<small>date, time zone</small><br><strong>Status</strong> - ``.

        The date and time in the first display zone, the day and the time each in the
        ``<var>`` Statuspage marks them with; the month and the order as the language writes them.
        """
        local = update.at.astimezone(self.settings.display_timezones[0])
        when = f"{_lead_date(local.date(), self.lang)}, <var data-var='time'>{local:%H:%M}</var> {html.escape(zone_label(local))}"
        return f"<small>{when}</small><br><strong>{html.escape(self.status_label(update.status))}</strong> - "

    def update_html(self, incident: Incident, update: Update) -> str:
        """One update as Statuspage writes it: the lead opens its first paragraph (made once per update)."""
        key = (incident.id, update.key)
        out = self._updates_html.get(key)
        if out is None:
            out = self._updates_html[key] = self._update_html(incident, update)
        return out

    def changes_html(self, incident: Incident, updates: Iterable[Update]) -> str:
        """What each update did to the components: ``<strong>Monitoring</strong> · Engage (Voice): Partial outage → Operational``."""
        items = "".join(self._change_items(incident, u) for u in updates)
        return f'<ul class="status-changes">{items}</ul>' if items else ""

    def _change_items(self, incident: Incident, update: Update) -> str:
        """One update's ``<li>`` in :meth:`changes_html` (made once: the history entry and the update's own show it)."""
        key = (incident.id, update.key)
        out = self._change_html.get(key)
        if out is None:
            out = self._change_html[key] = "".join(
                f"<li><strong>{html.escape(self.status_label(update.status))}</strong> · "
                f"{html.escape(change_text(self.settings, self.lang, self.gettext, c.component, c.old, c.new))}</li>"
                for c in self.changes(incident, update))
        return out

    def _update_html(self, incident: Incident, update: Update) -> str:
        lead = self.lead_html(update)
        chosen = choose_text(incident, update, self.lang, self.settings)
        if chosen is None:
            return f"<p>{lead}</p>"
        body = absolute_links(self.render(chosen.text), self.page_url(incident)).strip()
        lang = self.lang_attr(chosen.lang)
        first = _FIRST_PARAGRAPH.match(body)
        if first is None:  # the text opens with a list, a table, code…: the lead is a paragraph of its own
            return f"<p>{lead}</p>" + (f"<div{lang}>{body}</div>" if lang else body)
        inner, rest = first.group(1), body[first.end():].strip()
        inner = f"<span{lang}>{inner}</span>" if lang else inner
        rest = f"<div{lang}>{rest}</div>" if lang and rest else rest
        return f"<p>{lead}{inner}</p>{rest}"

    def update_notes_html(self, incident: Incident, update: Update) -> str:
        """This project's additions to one update: its time in every display zone, the notices of its text
        (made once per update: the history entry and the update's own entry both list them)."""
        key = (incident.id, update.key)
        out = self._notes_html.get(key)
        if out is None:
            chosen = choose_text(incident, update, self.lang, self.settings)
            notes = "".join(f" <em>{html.escape(n)}</em>" for n in (self.notices(chosen) if chosen else []))
            out = self._notes_html[key] = (f"<li><strong>{html.escape(self.status_label(update.status))}</strong> · "
                                           f"{html.escape(self.when(update.at))}{notes}</li>")
        return out

    def extras_html(self, incident: Incident, updates: Iterable[Update], *, times: bool = True) -> str:
        """What follows the updates: notices of the title, the facts, every update's times and notices, and
        what each did to the components."""
        if times:
            parts = [*self.notices_html(self.title(incident)), *self.facts_html(incident)]
        else:  # an update's own entry: the same for every update of the incident
            parts = list(self._head_html(incident))
        updates = list(updates)
        parts.append('<ul class="status-updates">' + "".join(self.update_notes_html(incident, u) for u in updates) + "</ul>")
        changes = self.changes_html(incident, updates)
        if changes:
            parts.append(changes)
        return "\n<hr>\n" + "\n".join(parts)

    def _head_html(self, incident: Incident) -> list[str]:
        """The notices of the title and the facts no later update changes, made once per incident."""
        out = self._heads.get(incident.id)
        if out is None:
            out = self._heads[incident.id] = [*self.notices_html(self.title(incident)), *self.facts_html(incident, times=False)]
        return out

    def changes(self, incident: Incident, update: Update) -> tuple[Change, ...]:
        """The components an update changed or named (worked out once per incident)."""
        found = self._changes.get(incident.id)
        if found is None:
            found = self._changes[incident.id] = changes_by_update(incident)
        return found.get(update.key, ())

    # -- entries --------------------------------------------------------------

    def incident_entry(self, incident: Incident, component: str | None = None) -> Entry:
        """The history entry: every update newest first, then the extras; dated at the latest update."""
        entry = self._incident_entries.get(incident.id)
        if entry is None:
            entry = self._incident_entries[incident.id] = self.carry("feed", self.lang, incident, lambda: self._incident_entry(incident))
        if component:
            return entry._replace(id=incident_entry_id(self.links, self.tag, incident, component))
        return entry

    def _incident_entry(self, incident: Incident) -> Entry:
        title = self.title(incident)
        newest_first = list(reversed(incident.updates))
        content = "\n".join(self.update_html(incident, u) for u in newest_first) + self.extras_html(incident, newest_first)
        latest = incident.latest.utc
        return Entry(
            id=incident_entry_id(self.links, self.tag, incident),
            title=xml_safe(title.text),
            link=self.page_url(incident),
            content=xml_safe(content),
            published=latest,  # as Statuspage dates it: a reader sees one date, the news
            updated=latest,
        )

    def update_entry(self, incident: Incident, update: Update) -> Entry:
        """One update: "<Status>: <title>", linked to the update's anchor."""
        title = self.title(incident)
        content = self.update_html(incident, update) + self.extras_html(incident, [update], times=False)
        return Entry(
            id=update_entry_id(self.links, self.tag, incident, update),
            title=xml_safe(f"{self.status_label(update.status)}: {title.text}"),
            link=self.page_url(incident, update),
            content=xml_safe(content),
            published=update.utc,
            updated=update.utc,
        )

    def update_entries(self, incidents: Iterable[Incident]) -> list[Entry]:
        """Every update of the incidents, newest first (ties: later in the lifecycle first)."""
        pairs = [(i, u) for i in incidents for u in i.updates]
        pairs.sort(key=lambda p: (p[1].utc, p[1].tie, p[0].id), reverse=True)
        return [self.update_entry(i, u) for i, u in pairs]


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


@lru_cache(maxsize=1 << 12)
def _lead_date(day: dt.date, lang: str) -> str:
    """``Nov <var data-var='date'>20</var>`` / ``<var data-var='date'>20</var>. nov.``: CLDR's month-day, the day marked."""
    locale, pattern = _lead_pattern(lang)
    fields = DateTimeFormat(day, locale)
    return pattern % _Marked(fields, d=f"<var data-var='date'>{fields['d']}</var>")


@cache
def _lead_pattern(lang: str) -> tuple[Locale, str]:
    """The language's CLDR month-day pattern, escaped, as a ``%(field)s`` format (one per language)."""
    locale = Locale.parse(lang)
    return locale, html.escape(parse_pattern(locale.datetime_skeletons["MMMd"]).format, quote=False)


class _Marked(dict[str, str]):
    """A pattern's fields: those given as they are, the others as CLDR formats them, escaped."""

    def __init__(self, fields: DateTimeFormat, **given: str) -> None:
        super().__init__(given)
        self.fields = fields

    def __missing__(self, key: str) -> str:
        return html.escape(self.fields[key])


# -- output -------------------------------------------------------------------


_ALL_BUT_ID = operator.attrgetter(*(name for name in Entry._fields if name != "id"))


class Made:
    """Each entry as feedgen writes it, once per build, as bytes.

    An incident's entry in the history feed and in its components' feeds differs only in its
    id, and each is shown in Atom and in RSS. feedgen makes one entry of marker texts, lxml writes
    it (indented as in a feed) once per build, and each entry's texts, escaped by lxml, go where
    the markers were; an entry whose texts would not be written as they are (empty, or only
    white space, which indenting replaces) is made by feedgen itself. Each feed then gets those
    bytes with its own id.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[object, ...], _MadeEntry] = {}
        self._text = etree.Element("t")  # one element each to escape a text and an attribute with
        self._attr = etree.Element("t")
        self._skeleton = _skeleton()
        self._rfc2822: dict[dt.datetime, bytes] = {}  # feedgen's RSS date of an instant (an incident's latest update: two entries)

    def entry(self, e: Entry) -> _MadeEntry:
        base = _ALL_BUT_ID(e)
        found = self._made.get(base)
        if found is None:
            found = self._made[base] = self._fill(e) or _MadeEntry(e)
        return found

    def text(self, text: str) -> bytes:
        """:func:`_xml_text`, with this build's element."""
        return _xml_text(text, self._text)

    def _fill(self, e: Entry) -> _MadeEntry | None:
        """The entry in the skeleton; None where feedgen must make it (see the class)."""
        if self._skeleton is None or not all(t and not t.isspace() for t in (e.id, e.title, e.link, e.content)):
            return None
        self._attr.set("a", e.link)
        title, content = self.text(e.title), self.text(e.content)
        pub_date = self._rfc2822.get(e.updated)
        if pub_date is None:
            pub_date = self._rfc2822[e.updated] = formatRFC2822(e.updated).encode()
        atom = {"title": title, "content": content, "link": _written(self._attr)[6:-3],  # <t a="…"/>
                "published": e.published.isoformat().encode(), "updated": e.updated.isoformat().encode()}
        rss = {"title": _plain_text_refs(title), "content": content, "link": self.text(e.link), "pubDate": pub_date}
        return _MadeEntry.of(_filled(self._skeleton[0], atom), _filled(self._skeleton[1], rss))


# The marker texts of the skeleton entry: each is written as it is, and found once where feedgen
# puts its value (the id twice: Atom's <id> and RSS's <guid>).
_MARKERS = {
    "id": "mkdocs-status-skeleton-id", "title": "mkdocs-status-skeleton-title",
    "link": "https://skeleton.invalid/mkdocs-status-skeleton-link", "content": "mkdocs-status-skeleton-content",
}
_MARKER_PUBLISHED = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc)
_MARKER_UPDATED = dt.datetime(1902, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc)


_Pieces = tuple[tuple["bytes | str", ...], tuple["bytes | str", ...]]


@cache
def _skeleton() -> tuple[_Pieces, _Pieces] | None:
    """feedgen's Atom entry and RSS item as lxml writes them, cut at each text: per format, the
    pieces before and after the id, each alternating written bytes and the name of a text. None
    if feedgen does not write each marker once where a text goes (then feedgen makes every entry)."""
    made = _MadeEntry(Entry(published=_MARKER_PUBLISHED, updated=_MARKER_UPDATED, **_MARKERS))
    names = {**{v.encode(): k for k, v in _MARKERS.items() if k != "id"}, _MARKER_PUBLISHED.isoformat().encode(): "published",
             _MARKER_UPDATED.isoformat().encode(): "updated", formatRFC2822(_MARKER_UPDATED).encode(): "pubDate"}
    cut = re.compile(b"(" + b"|".join(re.escape(marker) for marker in names) + b")")
    out = []
    for written, texts in ((made.atom, {"title", "link", "content", "published", "updated"}),
                           (made.rss, {"title", "link", "content", "pubDate"})):
        halves = tuple(tuple(p if i % 2 == 0 else names[p] for i, p in enumerate(cut.split(half))) for half in written)
        holes = [name for half in halves for name in half[1::2]]
        if sorted(holes) != sorted(texts):
            return None
        out.append(halves)
    return out[0], out[1]  # type: ignore[return-value]


def _filled(pieces: _Pieces, texts: dict[str, bytes]) -> tuple[bytes, bytes]:
    """The bytes before and after the id, the texts in the skeleton's pieces."""
    before, after = ([p if isinstance(p, bytes) else texts[p] for p in half] for half in pieces)
    return b"".join(before), b"".join(after)


def _plain_text_refs(written: bytes) -> bytes:
    """``&`` and ``<`` in a written plain text as hexadecimal references (RSS titles: :func:`rss_plain_text`)."""
    return written.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")


class _MadeEntry:
    """One entry's Atom ``<entry>`` and RSS ``<item>``, made by feedgen's own ``FeedEntry`` and written
    by lxml as ``FeedGenerator.atom_str``/``rss_str(pretty=True)`` write them, cut around the id."""

    __slots__ = ("atom", "rss")

    def __init__(self, e: Entry) -> None:
        fe = FeedEntry()
        fe.id(e.id)  # also the RSS guid, isPermaLink="false"
        fe.title(e.title)  # an Entry's texts are XML-safe already: made once, shown in several feeds
        fe.link(href=e.link, rel="alternate", type="text/html")
        fe.content(e.content, type="html")
        fe.published(e.published)
        fe.updated(e.updated)
        atom = fe.atom_entry()
        fe.pubDate(e.updated)  # RSS has one date: when the entry last changed
        rss = fe.rss_entry()
        etree.indent(atom, level=1)  # as in <feed>
        etree.indent(rss, level=2)  # as in <rss><channel>
        the_id = _xml_text(e.id)
        atom_bytes = _ENTRY_LINK.sub(rb'<link href="\1" rel="alternate" type="text/html"/>', _written(atom))
        self.atom = _around(atom_bytes, b"<id>", the_id, b"</id>")
        self.rss = _around(_RSS_TITLE.sub(_hex_refs, _written(rss)), b'<guid isPermaLink="false">', the_id, b"</guid>")

    @classmethod
    def of(cls, atom: tuple[bytes, bytes], rss: tuple[bytes, bytes]) -> _MadeEntry:
        """An entry already written: each format's bytes before and after the id."""
        made = cls.__new__(cls)
        made.atom, made.rss = atom, rss
        return made

    def shown(self, fmt: str, entry_id: bytes) -> bytes:
        """The entry in one format, under an id as :func:`_xml_text` writes it."""
        before, after = self.atom if fmt == "atom" else self.rss
        return before + entry_id + after


def _written(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", xml_declaration=False)


def _xml_text(text: str, element: etree._Element | None = None) -> bytes:
    """A text as lxml writes it in an element (``&``, ``<``, ``>``, a carriage return…), by lxml
    (in ``element``, an element ``<t>`` of no attributes to reuse, when given)."""
    if element is None:
        element = etree.Element("t")
    element.text = text
    return _written(element)[3:-4]  # <t>…</t>


def _around(written: bytes, opening: bytes, text: bytes, closing: bytes) -> tuple[bytes, bytes]:
    """The bytes before and after the id's text. Every text is escaped, so no text holds the
    element's tags: the element is found once."""
    at = written.index(opening + text + closing) + len(opening)
    return written[:at], written[at + len(text):]


def render(info: FeedInfo, entries: list[Entry], now: dt.datetime, made: Made | None = None) -> dict[str, bytes]:
    """The feed as Atom and as RSS 2.0 (UTF-8, no trace of the wall clock): {"atom": …, "rss": …}.

    feedgen writes the feed's own elements; the entries, made once (``made``: the build's), go in
    where feedgen puts them, after the feed's elements. ``info.self_url`` is the Atom feed's URL;
    the RSS feed's is the same with ``.rss``.
    """
    made = made or Made()
    fg = FeedGenerator()
    fg.id(info.id)
    fg.title(xml_safe(info.title))
    fg.description(xml_safe(info.description))  # Atom subtitle, RSS description
    fg.author({"name": xml_safe(info.author)})
    fg.generator(GENERATOR)
    fg.language(info.lang_tag)  # Atom xml:lang, RSS <language>
    newest = max((e.updated for e in entries), default=now.astimezone(dt.timezone.utc))
    fg.updated(newest)
    fg.pubDate(newest)  # RSS channel pubDate, as Statuspage's feeds carry it (lastBuildDate is the same)
    shown = [(made.entry(e), made.text(e.id)) for e in entries]
    out = {}
    for fmt, close, indent in (("atom", b"</feed>", b"  "), ("rss", b"  </channel>", b"    ")):
        # feedgen makes the last link the RSS channel link: self first, alternate last.
        self_url = info.self_url if fmt == "atom" else info.self_url.removesuffix(".atom") + ".rss"
        fg.link(href=self_url, rel="self", type=MEDIA_TYPES[fmt], replace=True)
        fg.link(href=info.page_url, rel="alternate", type="text/html", hreflang=info.lang_tag)
        head = fg.atom_str(pretty=True) if fmt == "atom" else rss_plain_text(fg.rss_str(pretty=True))
        at = head.rindex(close)
        out[fmt] = b"".join([head[:at], *(indent + m.shown(fmt, i) + b"\n" for m, i in shown), head[at:]])
    return out


# feedgen writes an entry's link with its href only (it reads rel and type from the element it
# has just made, not from the link given); every link without rel is an entry's alternate link.
_ENTRY_LINK = re.compile(rb'<link href="([^"]*)"/>')
_RSS_TITLE = re.compile(rb"<title>([^<]*)</title>")
_RSS_DESCRIPTION = re.compile(rb"<description>([^<]*)</description>")


def _hex_refs(m: re.Match[bytes]) -> bytes:
    text = m.group(0)
    start, end = text.index(b">") + 1, text.rindex(b"<")
    return text[:start] + _plain_text_refs(text[start:end]) + text[end:]


def rss_plain_text(rss: bytes) -> bytes:
    """``&`` and ``<`` in RSS's plain-text elements as hexadecimal references, as the RSS profile asks.

    Titles, and the channel's description (an item's description is HTML and stays as it is):
    the same text to an XML parser, and no reader guesses wrongly whether it is HTML.
    """
    head, sep, items = rss.partition(b"<item>")
    head = _RSS_DESCRIPTION.sub(_hex_refs, _RSS_TITLE.sub(_hex_refs, head), count=1)
    return head + sep + _RSS_TITLE.sub(_hex_refs, items)


def build(data: BuildInput) -> dict[str, str | bytes]:
    """Every feed of the site: {site-relative path: bytes}."""
    settings, links, now = data.settings, data.links, data.now
    incidents = data.site.incidents
    limit = settings.feed_limit
    by_component: dict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        for cid in incident.affected:
            by_component[cid].append(incident)
    groups = {g.id: g for g in settings.groups}
    for group in settings.groups:
        by_component[group.id] = group_incidents(data.site, group)
    newest = window(incidents, limit)
    out: dict[str, str | bytes] = {}
    carry_same = getattr(data, "carry_same", None)
    made_entries = Made()

    def feed(info: FeedInfo, entries: list[Entry]) -> dict[str, bytes]:
        """The feed's bytes; in `mkdocs serve`, the last build's while its facts and entries are equal (the
        clock counts only for a feed without entries, dated by it)."""
        if carry_same is None:
            return render(info, entries, now, made_entries)
        return carry_same(f"feed {info.self_url}", (info, tuple(entries), None if entries else now),
                          lambda: render(info, entries, now, made_entries))

    for language in settings.languages:
        lang, tag = language.code, language.tag
        writer = Writer(settings, links, data.renderer.render, lang, getattr(data, "carry", made))
        home = links.absolute(links.page(lang, OVERVIEW))
        site_name = settings.site_name
        description = settings.description or site_name
        entries = {
            "history": [writer.incident_entry(i) for i in newest],
            "updates": writer.update_entries(newest),
        }
        titles = {
            "history": f"{site_name} · {writer.gettext('Incident history')}",
            "updates": f"{site_name} · {writer.gettext('Updates')}",
        }
        for stem in ("history", "updates"):
            paths = {fmt: links.feed(lang, f"{stem}.{fmt}") for fmt in ("atom", "rss")}
            info = FeedInfo(feed_id(links, tag, f"{stem}.atom"), titles[stem], description, tag, links.absolute(paths["atom"]), home, site_name)
            for fmt, body in feed(info, entries[stem]).items():
                out[paths[fmt]] = body
        for cid in settings.subject_ids():  # every component's and every group's feed
            label = localized(groups[cid].names, lang, settings) if cid in groups else component_label(settings, cid, lang)
            page = links.absolute(links.component(lang, cid))
            comp_entries = [writer.incident_entry(i, cid) for i in window(by_component.get(cid, ()), limit)]
            title = f"{site_name} · {label} · {writer.gettext('Incident history')}"
            paths = {fmt: links.feed(lang, f"history.{fmt}", cid) for fmt in ("atom", "rss")}
            info = FeedInfo(feed_id(links, tag, "history.atom", cid), title, description, tag, links.absolute(paths["atom"]), page, site_name)
            for fmt, body in feed(info, comp_entries).items():
                out[paths[fmt]] = body
    return out
