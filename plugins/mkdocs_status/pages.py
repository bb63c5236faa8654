"""The HTML views of the status site: one view object per page, one template per kind.

Templates live in ``templates/status/`` and are looked up through the theme's
loader, so a site can override any of them from its ``custom_dir``. They are
rendered with autoescaping on: incident text reaches them only as sanitised
HTML (update bodies) or as text to escape (everything else).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape
from mkdocs.utils import get_relative_url

from . import timeline
from .build import BuildData, ComponentFacts, GroupFacts
from .history import HistoryPieces
from .l10n import strings
from .l10n.catalogs import translations
from .l10n.dates import date_text, duration_text, instant_parts, instant_text, month_text, percent_text, relative_text
from .markdown import relink
from .model import INCIDENT, Incident, Update, component_rank
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
    change_text,
    choose_text,
    choose_title,
    component_label,
    localized,
    notices,
    update_anchor,
)


@dataclass(frozen=True)
class UpdateView:
    """One update as a page shows it, computed in Python (templates only place the pieces)."""

    anchor: str
    icon: Markup
    label: str
    time: Markup
    html: Markup
    lang_attr: Markup  # ' lang="de"' where the text is not in the page's language
    notices_html: Markup  # the notices as paragraphs, as the page shows them
    changes_html: Markup = Markup("")  # the components the update changed or named, as a list
    automatic: bool = False

    @property
    def text_html(self) -> Markup:
        """The notices, the text and the component changes, as every page shows an update."""
        return Markup(f'{self.notices_html}<div class="status-update__body"{self.lang_attr}>{self.html}</div>{self.changes_html}')


@dataclass(frozen=True)
class AffectedView:
    """A component an incident affects, as its page lists it."""

    label: str
    url: str
    status: str  # the component's status in the incident ("" for maintenance)


@dataclass(frozen=True)
class IncidentPageView:
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


class PageView(HistoryPieces, NoticePieces):
    """What a template needs to show one page in one language."""

    def __init__(self, data: BuildData, plan: PagePlan, page_url: str) -> None:
        self.data = data
        self.plan = plan
        self.lang = plan.lang
        self.page_url = page_url
        self.settings = data.settings
        self.links = data.links
        self.now = data.now
        self._tr = translations(plan.lang)
        self._update_views: dict[str, list[UpdateView]] = {}
        # Pages whose links to the shared pages (overview, history, components, feeds) are the
        # same: those in one folder, and incident pages each in a folder named by their id under
        # the same parent (no shared page lives under incidents/).
        folder = page_url.rsplit("/", 1)[0] if "/" in page_url else ""
        self._folder = folder
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
        """The links between the status pages (overview, history), the current one marked."""
        key = (self.lang, self.plan.kind, self._links_from)
        out = self.data.navs.get(key)
        if out is None:
            label = self.gettext("Status pages")
            links = []
            for kind, text in ((OVERVIEW, self.gettext("Current status")), (HISTORY, self.gettext("Incident history"))):
                current = ' aria-current="page"' if self.plan.kind == kind else ""
                if kind == HISTORY and self.plan.kind == HISTORY_YEAR:
                    current = ' aria-current="true"'  # a year of the history: within it
                links.append(f'<a href="{escape(self.page(kind))}"{current}>{escape(text)}</a>')
            out = self.data.navs[key] = Markup(f'<nav class="status-nav" aria-label="{escape(label)}">\n  '
                                              + "\n  ".join(links) + "\n</nav>")
        return out

    def head_links(self) -> Markup:
        """The page's ``<head>`` links: ``x-default`` and feed discovery."""
        component = self.plan.key if self.plan.kind in (COMPONENT_PAGE, GROUP_PAGE) else None
        key = (self.lang, component or "", self._links_from)
        feeds = self.data.heads.get(key)
        if feeds is None:  # the same for every page in a folder
            feeds = self.data.heads[key] = "".join(
                f'<link rel="alternate" type="{feed["type"]}" title="{escape(feed["label"])}" href="{escape(feed["href"])}">\n'
                for feed in self.feeds(component) if feed["type"] != "application/json")
        if len(self.settings.languages) > 1:
            href = self.url(self.links.page(self.settings.default_language, self.plan.kind, self.plan.key))
            feeds = f'<link rel="alternate" href="{escape(href)}" hreflang="x-default">\n{feeds}'
        if self.settings.clock:  # a site built as of a fixed instant: the page script keeps to it too
            feeds += f'<meta name="mkdocs-status-clock" content="{self.settings.clock.isoformat()}">\n'
        return Markup(feeds)

    # -- content ------------------------------------------------------------

    def title(self, incident: Incident) -> Chosen:
        return choose_title(incident, self.lang, self.settings)

    def title_text(self, incident: Incident) -> str:
        return self.title(incident).text

    def notices(self, chosen: Chosen) -> list[str]:
        return notices(chosen, self.lang, self._tr.gettext)

    def notices_html(self, chosen: Chosen) -> Markup:
        """The notices that go with a text, as paragraphs."""
        notes = self.notices(chosen)
        if not notes or self.data.partials is None:  # most texts are in the page's language: nothing to render
            return Markup("")
        return Markup(self.data.partials.partial("partials/language-notices.html", notices=notes, icon=self.icon("translate")))

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

    def bar_label(self, bar: timeline.DayBar) -> str:
        """``Nov 10, 2026: Major outage (42 min), Partial outage (1 hr 10 min)``: each status, worst first, for as long as it held."""
        if bar.status in ("operational", "no_data") or not bar.seconds:
            return f"{self.day(bar.day)}: {self.component_status_label(bar.status)}"
        spent = [f"{self.component_status_label(status)} ({duration_text(dt.timedelta(seconds=seconds), self.lang)})"
                 for status, seconds in sorted(bar.seconds.items(), key=lambda item: component_rank(item[0]), reverse=True)]
        return f"{self.day(bar.day)}: {', '.join(spent)}"

    # -- precomputed pieces ------------------------------------------------------

    def bar_items(self, facts: ComponentFacts) -> Markup:
        """The ``<li>`` of each day of a component's 90-day bar, with its tooltip (day, status, incidents)."""
        key = (facts.component.id, self.lang)
        labels = self.data.bar_labels.get(key)
        if labels is None:  # the overview and the component page show the same days
            labels = self.data.bar_labels[key] = [escape(self.bar_label(bar)) for bar in facts.bars]
        out = []
        for bar, label in zip(facts.bars, labels, strict=True):
            links = "".join(f'<a href="{escape(self.incident_url(i))}">{self.title_html(i)}</a>' for i in bar.incidents)
            focus = ' tabindex="0"' if bar.incidents else ""
            out.append(f'<li class="status-day status-day--{escape(bar.status)}"{focus}>'
                       f'<span class="status-day__tip">{label}{links}</span></li>\n')
        return Markup("".join(out))

    def badge(self, word: str, label: str, key: str = "") -> Markup:
        """A status badge; ``key`` (``component:voice``, ``group:engage``) lets status.js flip it between builds."""
        flip = f' data-status-badge="{escape(key)}"' if key else ""
        return Markup(f'<span class="status-badge status-badge--{escape(word)}"{flip}>{self.icon(word)}<span>{escape(label)}</span></span>')

    # -- between builds ----------------------------------------------------------

    def flips_html(self) -> Markup:
        """What this page becomes at each coming window edge, for status.js to apply between builds.

        A JSON island with the banner and every component and group badge at each edge; on
        the overview, each listed maintenance's row as the build at that edge would list it
        (empty: no longer listed); on a maintenance's page, the automatic update it posts.
        """
        kind, parts = self.plan.kind, []
        if kind in (OVERVIEW, COMPONENT_PAGE) and self.data.flips:
            doc = {"states": [self._flip_state(edge, state) for edge, state in self.data.flips],
                   "heading": self.gettext("Maintenance in progress")}
            text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace("&", "\\u0026")
            parts.append(f'<script type="application/json" id="status-flips">{text}</script>\n')
        if kind == OVERVIEW:
            for m in (*self.overview.active_maintenance, *self.overview.upcoming_maintenance):
                for edge in self._edges(m):
                    phase = timeline.maintenance_phase(m, edge)
                    row = self.rows([self.data.future(m, edge)], with_latest=True, at=edge) if phase in ("in_progress", "verifying") else ""
                    parts.append(f'<template data-status-flip="{escape(m.id)}" data-status-at="{edge.isoformat()}">{row}</template>\n')
        elif kind == INCIDENT_PAGE and self.incident is not None and self.incident.is_maintenance:
            for edge in self._edges(self.incident):
                future = self.data.future(self.incident, edge)
                for update in future.updates:
                    if update.automatic and update.utc == edge:
                        item = self._update_item(self.update_view(future, update))
                        parts.append(f'<template data-status-flip-update data-status-at="{edge.isoformat()}">{item}</template>\n')
        return Markup("".join(parts))

    def _edges(self, m: Incident) -> list[dt.datetime]:
        """A maintenance's window edges still to come, in UTC."""
        if m.cancelled:
            return []
        return [e.astimezone(dt.timezone.utc) for e in (m.scheduled_for, m.scheduled_until) if e is not None and e > self.now]

    def _flip_state(self, edge: dt.datetime, state: timeline.Overview) -> dict[str, object]:
        def badge(word: str) -> list[str]:
            return [word, strings.ICONS.get(word, word), self.component_status_label(word)]

        badges = {f"component:{cid}": badge(word) for cid, word in state.component_status.items()}
        badges.update({f"group:{gid}": badge(word) for gid, word in state.group_status.items()})
        indicator = state.indicator
        return {"at": edge.isoformat(), "banner": [indicator, strings.ICONS.get(indicator, indicator), self.indicator_label(indicator)],
                "badges": badges}

    def badges(self, incident: Incident, at: dt.datetime | None = None) -> Markup:
        """The impact and status badges of an incident (at "now", or at another instant)."""
        impact = "maintenance" if incident.is_maintenance else incident.impact
        now = timeline.status_of(incident, at) if at is not None else self.incident_status(incident)
        if incident.is_notice:
            out = self.badge("notice", self.kind_label(incident))
            if incident.resolved:
                out += Markup(" ") + self.badge("resolved", self.gettext(strings.NOTICE_LABELS["resolved"]))
        else:
            out = self.badge(impact, self.impact_label(impact)) + Markup(" ") + self.badge(now, self.status_label(now))
        if incident.id in self.data.site.drafts:  # only in `mkdocs serve`'s preview
            out = self.badge("draft", self.gettext(strings.DRAFT_LABEL)) + Markup(" ") + out
        return out

    def title_html(self, incident: Incident) -> Markup:
        key = (incident.id, self.lang)
        out = self.data.titles.get(key)
        if out is None:
            chosen = self.title(incident)
            out = self.data.titles[key] = Markup(f"<span{self.lang_attr(chosen.lang)}>{escape(chosen.text)}</span>")
        return out

    def lang_attr(self, code: str) -> Markup:
        """`` lang="de"`` for text not in the page's language, else nothing."""
        return Markup(f' lang="{escape(self.tag(code))}"') if code != self.lang else Markup("")

    def update_view(self, incident: Incident, update: Update) -> UpdateView:
        chosen = choose_text(incident, update, self.lang, self.settings)
        if chosen is None:
            body, lang, notes = Markup(""), self.lang, Markup("")
        else:
            body, lang, notes = self.body_html(incident, chosen.text), chosen.lang, self.notices_html(chosen)
        return UpdateView(
            anchor=update_anchor(update),
            icon=self.icon(update.kept),
            label=self.gettext(strings.NOTICE_LABELS[update.status]) if incident.is_notice else self.status_label(update.status),
            time=self.when(update.at),
            html=body,
            lang_attr=self.lang_attr(lang),
            notices_html=notes,
            changes_html=self.changes_html(incident, update),
            automatic=update.automatic,
        )

    def body_html(self, incident: Incident, text: str) -> Markup:
        """An update's text rendered once, its relative links (written as read on the incident
        page, as the README says) rewritten for this page's folder once per (text, folder)."""
        html = self.data.renderer.render(text)
        if 'href="' not in html and 'src="' not in html:
            return Markup(html)
        key = (text, self.links.incident(self.lang, incident), self._folder)
        out = self.data.bodies.get(key)
        if out is None:
            out = self.data.bodies[key] = Markup(relink(html, key[1], self.page_url))
        return out

    def changes_html(self, incident: Incident, update: Update) -> Markup:
        """``Voice: Major outage → Partial outage`` for each component the update changed or named."""
        changes = self.data.changes(incident, update)
        if not changes:
            return Markup("")
        items = "".join(f"<li>{escape(change_text(self.settings, self.lang, self._tr.gettext, c.component, c.old, c.new))}</li>" for c in changes)
        return Markup(f'<ul class="status-update__changes">{items}</ul>')

    def update_views(self, incident: Incident) -> list[UpdateView]:
        """Every update of an incident, newest first (computed once per page)."""
        views = self._update_views.get(incident.id)
        if views is None:
            views = self._update_views[incident.id] = [self.update_view(incident, u) for u in reversed(incident.updates)]
        return views

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
            notices_html=self.notices_html(chosen),
            badges=self.badges(incident),
            affected_label=self.affected_label(incident) if incident.affected else "",
            affected=self.affected(incident),
            window=self.window(incident),
            window_attrs=self.window_attrs(incident),
            started=self.when(incident.start),
            ended=ended,
            duration=duration,
            updates_html=self.updates_html(incident),
        )

    def updates_html(self, incident: Incident) -> Markup:
        """Each update as an ``<li>``: a heading that links to its own anchor, the time, the text."""
        return Markup("".join(self._update_item(u) for u in self.update_views(incident)))

    def _update_item(self, u: UpdateView) -> str:
        note = f'<p class="status-update__note">{escape(self.gettext(strings.AUTOMATIC_NOTE))}</p>\n' if u.automatic else ""
        return (f'<li class="status-update"{" data-status-automatic" if u.automatic else ""}>\n<h3 class="status-update__head" id="{u.anchor}">'
                f'<a class="status-update__link" href="#{u.anchor}">{u.icon}{escape(u.label)}</a></h3>\n'
                f'<p class="status-update__time">{u.time}</p>\n{note}{u.text_html}\n</li>\n')

    def rows(self, incidents: list[Incident], with_latest: bool = False, at: dt.datetime | None = None) -> Markup:
        """Incidents as a listing shows them (``<li>`` each), optionally with their latest update.

        Built in Python, not in a template macro: the history and component pages list every
        incident, and a macro call per row would cost more than the rest of those pages.
        ``at``: as the build at that instant would show them (not kept for the build).
        """
        out = []
        for incident in incidents:
            row = self._row(incident, at)
            if with_latest:
                latest = self.update_view(incident, incident.latest)
                row = row.replace("</li>", (
                    '<div class="status-update">\n'
                    f'<p class="status-update__head"><strong>{escape(latest.label)}</strong> · {latest.time} '
                    f'<span class="status-ago">({escape(self.ago(incident.latest.at))})</span></p>\n'
                    f'{latest.text_html}\n'
                    "</div>\n</li>"))
            out.append(row)
        return Markup("".join(out))

    def _row(self, incident: Incident, at: dt.datetime | None = None) -> str:
        # The row is the same on every page of a language but for the link to the incident.
        key = (incident.id, self.lang)
        parts = self.data.rows.get(key) if at is None else None
        if parts is None:
            if incident.is_maintenance:
                css, attrs, when = "maintenance", self.window_attrs(incident), f'<span class="status-window">{self.window(incident)}</span>'
            else:
                css, attrs, when = incident.impact, "", f"<span>{self.when(incident.start)}"
                if incident.duration:
                    lasted = self.gettext("Duration: %(duration)s", duration=self.duration(incident.duration))
                    when = f"{when} · {lasted}"
                when += "</span>"
            parts = (
                f'<li class="status-incident status-incident--{escape(css)}"{attrs} data-status-components="{escape(" ".join(incident.components))}">\n'
                '<p class="status-incident__title"><a href="',
                f'">{self.title_html(incident)}</a></p>\n<p class="status-incident__meta">{self.badges(incident, at)}\n{when}</p>\n</li>\n')
            if at is None:
                self.data.rows[key] = parts
        return f"{parts[0]}{escape(self.incident_url(incident))}{parts[1]}"

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



# Icons in the interface besides the status ones (strings.ICONS).
EXTRA_ICONS = ("translate", "rss", "calendar", "code-json", "information")


def icon(name: str) -> Markup:
    """A Material Design icon as an empty span; status.css/icons.css draw it with a CSS mask.

    Inline SVG would repeat hundreds of bytes per badge on every page (and in the search index).
    """
    return Markup(f'<span class="status-icon status-icon--{name}" aria-hidden="true"></span>')


def icon_css(theme_dirs: list[str]) -> str:
    """``icons.css``: one CSS mask per icon, from mkdocs-material's ``.icons`` in the theme."""
    names = sorted(set(strings.ICONS.values()) | set(EXTRA_ICONS))
    rules = []
    for name in names:
        for folder in theme_dirs:
            path = Path(folder) / ".icons" / "material" / f"{name}.svg"
            if path.is_file():
                svg = path.read_text(encoding="utf-8").strip()
                rules.append(f'.status-icon--{name}{{--status-icon:url("data:image/svg+xml;charset=utf-8,{quote(svg)}")}}')
                break
    return "\n".join(rules) + "\n"


class PageRenderer:
    """Renders page bodies with the plugin's templates, overridable from the theme."""

    def __init__(self, theme_env: jinja2.Environment) -> None:
        self.env = jinja2.Environment(loader=theme_env.loader, autoescape=True, auto_reload=False,
                                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
        self._templates: dict[str, jinja2.Template] = {}

    def view(self, data: BuildData, plan: PagePlan, page_url: str) -> PageView:
        data.partials = self
        return PageView(data, plan, page_url)

    def partial(self, name: str, **values: object) -> str:
        """A small template (``partials/…``) rendered on its own, overridable from the theme like the pages."""
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        return template.render(**values)

    def render(self, view: PageView) -> str:
        name = f"status/{view.plan.kind}.html"
        template = self._templates.get(name)
        if template is None:
            template = self._templates[name] = self.env.get_template(name)
        self.env.install_gettext_callables(view.gettext, view.ngettext, newstyle=True)  # type: ignore[attr-defined]
        return template.render(status=view, _=view.gettext, ngettext=view.ngettext, lang=view.lang)


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
    for update, u in zip(reversed(incident.updates), view.update_views(incident), strict=True):
        # Status and time as the section's title, as a hand-written "## Resolved · 10:40" would be.
        out.append(f'<h2 id="{u.anchor}">{escape(u.label)} · {escape(instant_text(update.at, view.lang, zones))}</h2>{u.html}')
    return "\n".join(out)


def page_anchors(view: PageView) -> frozenset[str] | None:
    """The anchors links from other pages may point to: an incident page's updates.

    None for the other pages: MkDocs then does not check links into them.
    """
    if view.incident is None:
        return None
    return frozenset({"updates", *(update_anchor(u) for u in view.incident.updates)})


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
