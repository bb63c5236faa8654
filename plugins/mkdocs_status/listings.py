"""The pieces many pages share — updates, incident rows, badges, day bars, component rows — as
view objects (views.py) rendered through their fragments (``status/partials/*.html``).

A mixin of :class:`~mkdocs_status.pages.PageView`. Pieces the same on every page of a language
(a row, a badge, a component's bar) are rendered once per build and language and kept in
``BuildData.shown``; what differs between the pages that show them (links, update bodies with
relative links) is left in slots (slots.py) that the page fills when it is rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from . import timeline
from .l10n import strings
from .l10n.dates import duration_text
from .model import component_rank
from .site import change_text, choose_text, update_anchor
from .views import BadgeView, ComponentRowView, DayView, GroupRowView, LatestView, LinkView, RowView, UpdateView

if TYPE_CHECKING:
    from .build import BuildData, ComponentFacts
    from .model import Group, Incident, Settings, Update
    from .site import Chosen, Links


class ListingPieces:
    """Updates, rows, badges and bars, rendered from their fragments and kept where they repeat."""

    data: BuildData
    links: Links
    lang: str
    settings: Settings

    # Provided by PageView.
    def gettext(self, message: str, **values: object) -> str: ...  # pragma: no cover
    def fragment(self, name: str, **values: object) -> Markup: ...  # pragma: no cover
    def icon(self, word: str) -> Markup: ...  # pragma: no cover
    def when(self, at: dt.datetime) -> Markup: ...  # pragma: no cover
    def ago(self, at: dt.datetime) -> str: ...  # pragma: no cover
    def day(self, day: dt.date, fmt: str = "medium") -> str: ...  # pragma: no cover
    def duration(self, delta: dt.timedelta) -> str: ...  # pragma: no cover
    def percent(self, value: float | None) -> str: ...  # pragma: no cover
    def name(self, names: dict[str, str]) -> str: ...  # pragma: no cover
    def title(self, incident: Incident) -> Chosen: ...  # pragma: no cover
    def tag(self, code: str) -> str: ...  # pragma: no cover
    def notices(self, chosen: Chosen) -> list[str]: ...  # pragma: no cover
    def status_label(self, word: str) -> str: ...  # pragma: no cover
    def impact_label(self, word: str) -> str: ...  # pragma: no cover
    def component_status_label(self, word: str) -> str: ...  # pragma: no cover
    def kind_label(self, incident: Incident) -> str: ...  # pragma: no cover
    def incident_status(self, incident: Incident) -> str: ...  # pragma: no cover
    def window(self, incident: Incident) -> Markup: ...  # pragma: no cover
    def window_attrs(self, incident: Incident) -> Markup: ...  # pragma: no cover

    def _kept(self, key: tuple[str, ...], make: Callable[[], Markup]) -> Markup:
        """A piece the same on every page of a language, made once per build by ``make()``."""
        out = self.data.shown.get(key)
        if out is None:
            out = self.data.shown[key] = make()
        return out

    # -- small pieces ------------------------------------------------------------

    def badge(self, word: str, label: str, key: str = "") -> Markup:
        """A status badge (``badge.html``); ``key`` (``component:voice``) lets status.js flip it between builds."""
        return self._kept(("badge", word, label, key), lambda: self.fragment(
            "badge.html", badge=BadgeView(word, label, self.icon(word), key)))

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
        """The incident's title, in a ``<span lang>`` where it is not in the page's language."""
        key = (incident.id, self.lang)
        out = self.data.titles.get(key)
        if out is None:
            chosen = self.title(incident)
            out = self.data.titles[key] = Markup(f"<span{self.lang_attr(chosen.lang)}>{escape(chosen.text)}</span>")
        return out

    def lang_attr(self, code: str) -> Markup:
        """`` lang="de"`` for text not in the page's language, else nothing."""
        return Markup(f' lang="{escape(self.tag(code))}"') if code != self.lang else Markup("")

    def language_notices(self, chosen: Chosen) -> Markup:
        """The notices that go with a text ("This text is not available in …"), as paragraphs."""
        notes = self.notices(chosen)
        if not notes:  # most texts are in the page's language: nothing to render
            return Markup("")
        return self.fragment("language-notices.html", notices=notes, icon=self.icon("translate"))

    # -- updates -----------------------------------------------------------------

    def update_view(self, incident: Incident, update: Update) -> UpdateView:
        """One update's fields in this page's language (its body a slot where it has relative links)."""
        chosen = choose_text(incident, update, self.lang, self.settings)
        body, lang, notes = Markup(""), self.lang, ()
        if chosen is not None:
            renderer = self.data.renderer
            # A text in the page's language, with a text in every other language too, is shown on
            # this language's pages only: the feeds and the API (made before any page) are done
            # with it, and so is every page after this one (the overview's, a notice's, made
            # again if shown twice).
            own = chosen.lang == self.lang and all(code in update.texts for code in self.settings.language_codes)
            html = renderer.take(chosen.text) if own else renderer.render(chosen.text)
            body, lang, notes = self.data.slots.body(html, self.links.incident(self.lang, incident)), chosen.lang, tuple(self.notices(chosen))
        changes = tuple(change_text(self.settings, self.lang, self.gettext, c.component, c.old, c.new) for c in self.data.changes(incident, update))
        return UpdateView(
            anchor=update_anchor(update),
            icon=self.icon(update.kept),
            label=self.gettext(strings.NOTICE_LABELS[update.status]) if incident.is_notice else self.status_label(update.status),
            time=self.when(update.at),
            body=body,
            lang_attr=self.lang_attr(lang),
            notices=notes,
            notice_icon=self.icon("translate") if notes else Markup(""),
            changes=changes,
            automatic=update.automatic,
            automatic_note=self.gettext(strings.AUTOMATIC_NOTE) if update.automatic else "",
        )

    def update_views(self, incident: Incident) -> list[UpdateView]:
        """Every update of an incident, newest first."""
        return [self.update_view(incident, u) for u in reversed(incident.updates)]

    def update_html(self, update: UpdateView) -> Markup:
        """An update's text (``update.html``): its notices, its text, the components it changed."""
        return self.fragment("update.html", update=update)

    def update_item(self, update: UpdateView) -> Markup:
        """An update as its incident page lists it (``update-item.html``, with ``text``: its ``update.html``)."""
        return self.fragment("update-item.html", update=update, text=self.update_html(update)) + "\n"

    # -- rows --------------------------------------------------------------------

    def rows(self, incidents: list[Incident], with_latest: bool = False, at: dt.datetime | None = None) -> Markup:
        """Incidents as a listing shows them (``incident-row.html`` each), optionally with their latest update.

        A row without its latest update is the same on every page of a language (its link a
        slot): rendered once per (incident, language). ``at``: as the build at that instant
        would show them (not kept).
        """
        if with_latest or at is not None:
            return Markup("".join([self.fragment("incident-row.html", row=self.row_view(i, with_latest, at)) + "\n" for i in incidents]))
        shown, lang = self.data.shown, self.lang
        out = []
        for incident in incidents:
            row = shown.get(("row", incident.id, lang))
            if row is None:
                row = shown["row", incident.id, lang] = self.data.carry("row", lang, incident, partial(self._row, incident))
            out.append(row)
        return Markup("".join(out))

    def _row(self, incident: Incident) -> Markup:
        """An incident's row without its latest update: its links are slots, the same in every build."""
        return self.fragment("incident-row.html", row=self.row_view(incident)) + "\n"

    def row_view(self, incident: Incident, with_latest: bool = False, at: dt.datetime | None = None) -> RowView:
        """An incident's row fields (its link a slot, filled per page)."""
        maintenance = incident.is_maintenance
        duration = ""
        if not maintenance and incident.duration:
            duration = self.gettext("Duration: %(duration)s", duration=self.duration(incident.duration))
        latest = None
        if with_latest:
            latest = LatestView(self.update_view(incident, incident.latest), self.ago(incident.latest.at))
        return RowView(
            incident=incident,
            css="maintenance" if maintenance else incident.impact,
            attrs=self.window_attrs(incident) if maintenance else Markup(""),
            components=" ".join(incident.components),
            href=self.data.slots.url(self.links.incident(self.lang, incident)),
            title=self.title_html(incident),
            badges=self.badges(incident, at),
            window=self.window(incident) if maintenance else Markup(""),
            started=Markup("") if maintenance else self.when(incident.start),
            duration=duration,
            latest=latest,
        )

    # -- components --------------------------------------------------------------

    def bar_label(self, bar: timeline.DayBar) -> str:
        """``Nov 10, 2026: Major outage (42 min), Partial outage (1 hr 10 min)``: each status, worst first, for as long as it held."""
        if bar.status in ("operational", "no_data") or not bar.seconds:
            return f"{self.day(bar.day)}: {self.component_status_label(bar.status)}"
        spent = [f"{self.component_status_label(status)} ({duration_text(dt.timedelta(seconds=seconds), self.lang)})"
                 for status, seconds in sorted(bar.seconds.items(), key=lambda item: component_rank(item[0]), reverse=True)]
        return f"{self.day(bar.day)}: {', '.join(spent)}"

    def day_bars(self, facts: ComponentFacts) -> Markup:
        """A component's (or group's) 90-day bar with its legend (``day-bars.html``, ``day-bar.html`` each day)."""
        return self._kept(("bars", facts.component.id, self.lang), lambda: self._day_bars(facts))

    def _day_bars(self, facts: ComponentFacts) -> Markup:
        url, shown = self.data.slots.url, self.data.shown
        days = []
        for bar in facts.bars:
            incidents = tuple(LinkView(url(self.links.incident(self.lang, i)), self.title_html(i)) for i in bar.incidents)
            day = DayView(bar.status, self.bar_label(bar), incidents)
            # Rendered once per language for each distinct day: most days of most components are
            # the same ("Nov 10, 2026: Operational"), on every bar.
            out = shown.get(("day", self.lang, day))
            if out is None:
                out = shown["day", self.lang, day] = self.fragment("day-bar.html", day=day) + "\n"
            days.append(out)
        return self.fragment("day-bars.html", days=Markup("".join(days)), uptime=self.percent(facts.uptime_90))

    def component_row(self, facts: ComponentFacts) -> Markup:
        """A component on the overview and its group's page (``component-row.html``)."""
        comp = facts.component
        return self._kept(("component", comp.id, self.lang), lambda: self.fragment("component-row.html", component=ComponentRowView(
            id=comp.id, name=self.name(comp.names), href=self.data.slots.url(self.links.component(self.lang, comp.id)),
            badge=self.badge(facts.status, self.component_status_label(facts.status), f"component:{comp.id}"),
            description=self.name(comp.descriptions) if comp.descriptions else "", bars=self.day_bars(facts))))

    def group_row(self, group: Group, status: str, members: list[ComponentFacts]) -> Markup:
        """A group on the overview with its shown members (``group-row.html``)."""
        return self._kept(("group", group.id, self.lang), lambda: self.fragment("group-row.html", group=GroupRowView(
            id=group.id, name=self.name(group.names), href=self.data.slots.url(self.links.component(self.lang, group.id)),
            badge=self.badge(status, self.component_status_label(status), f"group:{group.id}"),
            members=tuple(self.component_row(facts) for facts in members))))
