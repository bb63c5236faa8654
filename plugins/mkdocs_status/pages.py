"""The HTML views of the status site: one view object per page, one template per kind.

Templates live in ``templates/status/`` and are looked up through the theme's
loader, so a site can override any of them from its ``custom_dir``; the pieces
pages share (updates, rows, badges, bars, notices, nav) are fragments in
``templates/status/partials/``, overridable one at a time (listings.py, fragments.py).
They are rendered with autoescaping on: incident text reaches them only as
sanitised HTML (update bodies) or as text to escape (everything else).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import cached_property
from typing import NamedTuple

from markupsafe import Markup, escape
from mkdocs.utils import get_relative_url

from . import timeline
from .build import BuildData, ComponentFacts, GroupFacts
from .flips import FlipPieces
from .fragments import Fragments
from .history import HistoryPieces
from .icons import icon
from .l10n import strings
from .l10n.catalogs import translations
from .l10n.dates import date_text, duration_text, instant_parts, instant_text, month_text, percent_text, relative_text
from .listings import ListingPieces
from .model import INCIDENT, Incident, Update
from .notices import NoticePieces
from .site import (
    COMPONENT_PAGE,
    GROUP_PAGE,
    HISTORY,
    HISTORY_YEAR,
    ICAL,
    INCIDENT_PAGE,
    LANGUAGE_FEEDS,
    OVERVIEW,
    Chosen,
    PagePlan,
    choose_title,
    component_label,
    localized,
    notices,
)
from .views import HeadView, NavLink, UpdateView

# In the <head> links kept for every incident page of a folder, the stand-in for each page's own
# x-default link (a slot of no path: no page has it).
OWN_XDEFAULT = "\x02u\x01\x03"


class AffectedView(NamedTuple):
    """A component an incident affects, as its page lists it."""

    label: str
    url: str
    status: str  # the component's status in the incident ("" for maintenance)


class IncidentPageView(NamedTuple):
    """An incident page's pieces, computed in Python."""

    incident: Incident
    title: str
    title_lang: Markup
    notices_html: Markup
    badges: Markup
    affected_label: str
    affected: list[AffectedView]
    window: Markup
    window_attrs: Markup
    started: Markup
    ended: Markup | str  # the end time, or "Not yet resolved (ongoing for …)"
    duration: str
    updates_html: Markup  # the updates as the page lists them (``<li>`` each), newest first


class PageView(ListingPieces, HistoryPieces, NoticePieces, FlipPieces):
    """What a template needs to show one page in one language: words, links and the pieces
    (listings.py, history.py, notices.py, flips.py), each rendered from its fragment."""

    def __init__(self, data: BuildData, plan: PagePlan, page_url: str, fragments: Fragments | None = None) -> None:
        # Without fragments (before MkDocs gives the theme, in on_files): words and links only.
        self.data = data
        self.fragments = fragments
        self.plan = plan
        self.lang = plan.lang
        self.page_url = page_url
        self.settings = data.settings
        self.links = data.links
        self.now = data.now
        self._tr = translations(plan.lang)
        self._update_views: list[UpdateView] | None = None  # the incident page's (listed and indexed)
        # Pages whose links to the shared pages (overview, history, components, feeds) are the
        # same: those in one folder, and incident pages each in a folder named by their id under
        # the same parent (no shared page lives under incidents/).
        folder = page_url.rsplit("/", 1)[0] if "/" in page_url else ""
        parent, _, last = folder.rpartition("/")
        self._links_from = f"{parent}/*" if plan.kind == INCIDENT_PAGE and last == plan.key else folder
        self._urls: dict[str, str] = {}

    # -- words --------------------------------------------------------------

    def gettext(self, message: str, **values: object) -> str:
        """The message in the page's language; with values, as safe HTML with the values escaped."""
        text = self._tr.gettext(message)
        return Markup(html.escape(text, quote=False)) % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._tr.ngettext(singular, plural, n)
        return Markup(html.escape(text, quote=False)) % {"num": n, **values}

    def status_label(self, word: str) -> str:
        return self.gettext(strings.STATUS_LABELS[word])

    def impact_label(self, word: str) -> str:
        return self.gettext(strings.IMPACT_LABELS[word])

    def component_status_label(self, word: str) -> str:
        return self.gettext(strings.COMPONENT_STATUS_LABELS[word])

    def indicator_label(self, word: str) -> str:
        return self.gettext(strings.INDICATOR_LABELS[word])

    def kind_label(self, incident: Incident) -> str:
        return self.gettext(strings.KIND_LABELS[incident.kind])

    def icon(self, word: str) -> Markup:
        return icon(strings.ICONS.get(word, word))

    # -- links --------------------------------------------------------------

    def url(self, path: str) -> str:
        """A link from this page to a site-relative path.

        Links to the shared pages (overview, history, components, feeds) are worked out once per
        folder; links to incident pages once per page (there are too many to keep for the build).
        """
        if path.startswith(self.data.incident_prefixes):
            cache, key = self._urls, path
        else:
            cache, key = self.data.urls, (path, self._links_from)  # type: ignore[assignment]
        out = cache.get(key)
        if out is None:
            out = cache[key] = self._url(path)
        return out

    def _url(self, path: str) -> str:
        anchor = ""
        if "#" in path:
            path, anchor = path.split("#", 1)
            anchor = "#" + anchor
        rel = get_relative_url(path or ".", self.page_url or ".")
        if (path == "" or path.endswith("/")) and not rel.endswith("/"):
            rel += "/"
        return rel + anchor

    def page(self, kind: str, key: str = "") -> str:
        return self.url(self.links.page(self.lang, kind, key))

    def incident_url(self, incident: Incident, update: Update | None = None) -> str:
        return self.url(self.links.incident(self.lang, incident, update))

    def component_url(self, cid: str) -> str:
        return self.url(self.links.component(self.lang, cid))

    def feeds(self, component: str | None = None) -> list[dict[str, str]]:
        """Subscribe links for this language (or a component in it)."""
        out = []
        if self.settings.site_url is None:
            return out
        for name in LANGUAGE_FEEDS if component is None else ("history.atom", "history.rss"):
            kind = "atom" if name.endswith(".atom") else "rss"
            label = {
                ("history", "atom"): self.gettext("Incidents (Atom)"),
                ("history", "rss"): self.gettext("Incidents (RSS)"),
                ("updates", "atom"): self.gettext("Every update (Atom)"),
                ("updates", "rss"): self.gettext("Every update (RSS)"),
            }[(name.split(".")[0], kind)]
            out.append({"label": label, "href": self.url(self.links.feed(self.lang, name, component)),
                        "type": "application/atom+xml" if kind == "atom" else "application/rss+xml", "icon": "rss"})
        if component is None:
            out.append({"label": self.gettext("Maintenance calendar (iCal)"), "href": self.url(self.links.ical(self.lang)), "type": "text/calendar", "icon": "calendar"})
        out.append({"label": self.gettext("Status API (JSON)"), "href": self.url(self.links.api("summary.json")), "type": "application/json", "icon": "code-json"})
        return out

    def local_nav(self) -> Markup:
        """The links between the status pages (overview, history), the current one marked (``local-nav.html``)."""
        key = ("nav", self.lang, self.plan.kind, self._links_from)
        out = self.data.shown.get(key)
        if out is None:  # the same for every page of a kind in a folder
            links = []
            for kind, text in ((OVERVIEW, self.gettext("Current status")), (HISTORY, self.gettext("Incident history"))):
                current = "page" if self.plan.kind == kind else ""
                if kind == HISTORY and self.plan.kind == HISTORY_YEAR:
                    current = "true"  # a year of the history: within it
                links.append(NavLink(self.page(kind), text, current))
            out = self.data.shown[key] = self.fragment("local-nav.html", label=self.gettext("Status pages"), links=links)
        return out

    def head_links(self) -> Markup:
        """The page's ``<head>`` links (``head-links.html``): ``x-default`` and feed discovery.

        Rendered once per language, component and folder: an incident page's own x-default link
        (each page has its own) is a stand-in slot in the kept fragment, swapped for the page's.
        """
        component = self.plan.key if self.plan.kind in (COMPONENT_PAGE, GROUP_PAGE) else None
        xdefault = ""
        if len(self.settings.languages) > 1:
            xdefault = self.data.slots.url(self.links.page(self.settings.default_language, self.plan.kind, self.plan.key))
        own = self.plan.kind == INCIDENT_PAGE and xdefault
        key = ("head", self.lang, component or "", self._links_from, "" if self.plan.kind == INCIDENT_PAGE else xdefault)
        out = self.data.shown.get(key)
        if out is None:
            feeds = self.data.feed_links.get(key[:4])
            if feeds is None:
                feeds = self.data.feed_links[key[:4]] = [feed for feed in self.feeds(component) if feed["type"] != "application/json"]
            clock = self.settings.clock.isoformat() if self.settings.clock else ""  # the page script keeps to a fixed instant too
            out = self.data.shown[key] = self.fragment("head-links.html", head=HeadView(OWN_XDEFAULT if own else xdefault, feeds, clock))
        if own:
            out = Markup(str(out).replace(OWN_XDEFAULT, xdefault))
        return Markup(self.fill(out))

    def fragment(self, name: str, **values: object) -> Markup:
        """The fragment ``status/partials/<name>`` rendered in this page's language."""
        assert self.fragments is not None, "a view made without the theme's fragments renders none"
        return self.fragments.partial(name, _=self.gettext, ngettext=self.ngettext, lang=self.lang, **values)

    def fill(self, html: str) -> str:
        """``html`` with the slots of shared fragments (links, update bodies) filled for this page."""
        return self.data.slots.fill(html, self.page_url, self.url)

    # -- content ------------------------------------------------------------

    def title(self, incident: Incident) -> Chosen:
        return choose_title(incident, self.lang, self.settings)

    def title_text(self, incident: Incident) -> str:
        return self.title(incident).text

    def notices(self, chosen: Chosen) -> list[str]:
        return notices(chosen, self.lang, self._tr.gettext)

    def affected_label(self, incident: Incident) -> str:
        return self.gettext(strings.AFFECTED_LABELS[incident.kind])

    def tag(self, code: str) -> str:
        return self.settings.language(code).tag

    def when(self, at: dt.datetime) -> Markup:
        """``<time datetime="…">`` with the instant in every display zone."""
        key = (at, at.utcoffset(), self.lang)  # equal instants written with other offsets show their own
        out = self.data.times.get(key)
        if out is None:
            parts = instant_parts(at, self.lang, self.settings.display_timezones)
            text = " · ".join(escape(p) for p in parts)
            out = self.data.times[key] = Markup(f'<time class="status-time" datetime="{at.isoformat(timespec="seconds")}">{text}</time>')
        return out

    def day(self, day: dt.date, fmt: str = "medium") -> str:
        return date_text(day, self.lang, fmt)

    def month(self, month: dt.date) -> str:
        return month_text(month, self.lang)

    def duration(self, delta: dt.timedelta) -> str:
        return duration_text(delta, self.lang)

    def ago(self, at: dt.datetime) -> str:
        """``20 minutes ago`` / ``for 20 minutter siden``, relative to the build time."""
        return relative_text(at - self.now, self.lang)

    def percent(self, value: float | None) -> str:
        return "—" if value is None else percent_text(value, self.lang)

    def component_name(self, cid: str) -> str:
        return component_label(self.settings, cid, self.lang)

    def name(self, names: dict[str, str]) -> str:
        return localized(names, self.lang, self.settings)

    def affected(self, incident: Incident) -> list[AffectedView]:
        """The components an incident names, each with the worst status it gave them."""
        return [AffectedView(self.component_name(cid), self.component_url(cid),
                             "" if incident.kind != INCIDENT else self.component_status_label(timeline.worst_status(incident, cid)))
                for cid in incident.affected]

    def incident_status(self, incident: Incident) -> str:
        return timeline.status_of(incident, self.now)

    def window(self, incident: Incident) -> Markup:
        start, until = incident.scheduled_for, incident.scheduled_until
        if start is None or until is None:
            return Markup("")
        return Markup(f"{self.when(start)} – {self.when(until)}")

    def window_attrs(self, incident: Incident) -> Markup:
        """Machine-readable window for the script that flips "Scheduled" to "In progress" (a cancelled one never flips)."""
        if incident.scheduled_for is None or incident.scheduled_until is None or incident.cancelled:
            return Markup("")
        labels = {p: self.status_label(p) for p in ("scheduled", "in_progress", "completed")}
        return Markup(
            f' data-status-maintenance="{escape(incident.id)}"'
            f' data-status-start="{incident.scheduled_for.isoformat()}" data-status-end="{incident.scheduled_until.isoformat()}"'
            f' data-status-labels="{escape(json.dumps(labels, ensure_ascii=False))}"'
        )

    def incident_page(self) -> IncidentPageView:
        """Everything the incident page shows, in one call (the template places the pieces)."""
        incident = self.incident
        assert incident is not None
        chosen = self.title(incident)
        ended: Markup | str = ""
        duration = ""
        if not incident.is_maintenance:
            end = incident.end
            if end is not None:
                ended = self.when(end)
                duration = self.duration(incident.duration) if incident.duration is not None else ""
            elif not incident.is_notice:  # a notice shown until further notice has no end to tell
                ongoing = self.gettext("ongoing for %(duration)s", duration=self.duration(self.now - incident.start))
                ended = Markup(f"{escape(self.gettext('Not yet resolved'))} ({ongoing})")
        return IncidentPageView(
            incident=incident,
            title=chosen.text,
            title_lang=self.lang_attr(chosen.lang),
            notices_html=self.language_notices(chosen),
            badges=self.badges(incident),
            affected_label=self.affected_label(incident) if incident.affected else "",
            affected=self.affected(incident),
            window=self.window(incident),
            window_attrs=self.window_attrs(incident),
            started=self.when(incident.start),
            ended=ended,
            duration=duration,
            updates_html=Markup("".join(self.update_item(u) for u in self.page_updates())),
        )

    def facts(self) -> tuple[object, ...]:
        """What an incident page shows besides its incident and the configuration.

        What follows the build's clock, and nothing else of the clock: the incident's status now
        (badges, description, search text), its window edges still to come (the page's flips)
        and how long an unresolved incident has been going on; and whether it is a draft.
        ``mkdocs serve`` keeps an incident page whose incident and these facts did not change
        (rebuild.py), so a new use of ``self.now`` (or of anything but the incident and the
        configuration) on the incident page belongs here too.
        """
        incident = self.incident
        assert incident is not None
        shows_ongoing = not incident.is_maintenance and incident.end is None and not incident.is_notice
        return (*self.data.facts(incident), self.duration(self.now - incident.start) if shows_ongoing else "")

    def page_updates(self) -> list[UpdateView]:
        """The incident page's updates, newest first (listed on the page and read by the search index)."""
        if self._update_views is None:
            assert self.incident is not None
            self._update_views = self.update_views(self.incident)
        return self._update_views

    # -- the page's subject -------------------------------------------------

    @cached_property
    def incident(self) -> Incident | None:
        return self.data.site.incident(self.plan.key) if self.plan.kind == INCIDENT_PAGE else None

    @cached_property
    def component(self) -> ComponentFacts | GroupFacts | None:
        """The component (or group) the page is about."""
        if self.plan.kind == GROUP_PAGE:
            return self.data.groups[self.plan.key]
        return self.data.components[self.plan.key] if self.plan.kind == COMPONENT_PAGE else None

    @property
    def overview(self) -> timeline.Overview:
        return self.data.overview

    def shown(self, cid: str) -> bool:
        """Whether the overview lists a component: always, or with ``only_show_if_degraded`` while it is not operational."""
        facts = self.data.components[cid]
        return not facts.component.only_show_if_degraded or facts.status != "operational"

    def layout(self) -> list[dict[str, object]]:
        """Top-level rows of the overview: ungrouped components and groups in config order.

        Components shown only when degraded are left out while operational, and a group with
        no member left is left out too.
        """
        rows: list[dict[str, object]] = []
        seen_groups: set[str] = set()
        for comp in self.settings.components:
            if comp.group is None:
                if self.shown(comp.id):
                    rows.append({"component": self.data.components[comp.id]})
            elif comp.group not in seen_groups:
                seen_groups.add(comp.group)
                group = self.settings.group(comp.group)
                members = [self.data.components[c] for c in group.components if self.shown(c)]
                if members:
                    rows.append({"group": group, "status": self.overview.group_status[group.id], "members": members})
        return rows

    def page_title(self) -> str:
        kind = self.plan.kind
        if kind == OVERVIEW:
            return self.settings.site_name or self.gettext("Status")
        if kind == HISTORY:
            return self.gettext("Incident history")
        if kind == HISTORY_YEAR:
            return f"{self.gettext('Incident history')} {self.plan.key}"
        if kind == INCIDENT_PAGE and self.incident is not None:
            return self.title_text(self.incident)
        if kind == COMPONENT_PAGE and self.component is not None:
            return self.component_name(self.component.component.id)
        if kind == GROUP_PAGE and self.component is not None:
            return self.name(self.component.component.names)
        return ""

    def description(self) -> str:
        if self.plan.kind == INCIDENT_PAGE and self.incident is not None:
            return f"{self.status_label(self.incident_status(self.incident))} · {self.kind_label(self.incident)}"
        if self.plan.kind in (COMPONENT_PAGE, GROUP_PAGE) and self.component is not None:
            return self.component_status_label(self.component.status)
        return self.indicator_label(self.overview.indicator)



class PageRenderer(Fragments):
    """Renders page bodies with the plugin's templates (``status/<kind>.html``), overridable from the theme."""

    def view(self, data: BuildData, plan: PagePlan, page_url: str) -> PageView:
        return PageView(data, plan, page_url, self)

    def render(self, view: PageView) -> str:
        template = self.template(f"status/{view.plan.kind}.html")
        self.env.install_gettext_callables(view.gettext, view.ngettext, newstyle=True)  # type: ignore[attr-defined]
        return view.fill(template.render(status=view, _=view.gettext, ngettext=view.ngettext, lang=view.lang))


def search_html(view: PageView) -> str | None:
    """What the search index reads of an incident page: its title, each update's status, time
    and text, and nothing of the page's furniture (badges, links, facts). None: not indexed."""
    incident = view.incident
    if incident is None:
        return None
    title = view.title(incident)
    out = [f"<h1>{escape(title.text)}</h1>",
           f"<p>{escape(view.kind_label(incident))} · {escape(view.status_label(view.incident_status(incident)))}"
           + "".join(f" · {escape(view.component_name(cid))}" for cid in incident.affected) + "</p>"]
    zones = view.settings.display_timezones
    for update, u in zip(reversed(incident.updates), view.page_updates(), strict=True):
        # Status and time as the section's title, as a hand-written "## Resolved · 10:40" would be.
        out.append(f'<h2 id="{u.anchor}">{escape(u.label)} · {escape(instant_text(update.at, view.lang, zones))}</h2>{u.body}')
    return view.fill("\n".join(out))


def page_meta(view: PageView) -> dict[str, object]:
    """A generated page's metadata, as front matter would give it (the body comes from the template).

    Set on the page directly rather than written as YAML front matter: thousands of pages
    would otherwise each be parsed by PyYAML's pure-Python loader.
    """
    meta: dict[str, object] = {
        # Escaped once here: mkdocs-material prints page titles raw in <title> and its header.
        "title": html.escape(view.gettext("Current status") if view.plan.kind == OVERVIEW else view.page_title()),
        "description": html.escape(view.description()),
        "template": "status/page.html",
        "hide": ["navigation", "toc"],
    }
    if view.plan.kind != INCIDENT_PAGE:
        # Listings repeat what the incident pages say; searching finds the incidents themselves.
        meta["search"] = {"exclude": True}
    return meta


__all__ = ["BuildData", "PageRenderer", "PageView", "page_meta", "ICAL"]
