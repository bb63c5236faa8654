"""The history pages' own pieces: one page per year, the year links, and the filter by component.

A mixin of :class:`~mkdocs_status.pages.PageView`: the history templates call these as
``status.months()``, ``status.year_links()`` and ``status.component_filter()``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from markupsafe import Markup

from .site import HISTORY, HISTORY_YEAR
from .views import FilterLink, NavLink

if TYPE_CHECKING:
    from .build import BuildData
    from .model import Incident
    from .site import Links, PagePlan


class HistoryPieces:
    """What ``status/history.html`` shows besides the incident rows."""

    data: BuildData
    plan: PagePlan
    links: Links
    lang: str

    # Provided by PageView.
    def gettext(self, message: str, **values: object) -> str: ...  # pragma: no cover
    def url(self, path: str) -> str: ...  # pragma: no cover
    def component_name(self, cid: str) -> str: ...  # pragma: no cover
    def fragment(self, name: str, **values: object) -> Markup: ...  # pragma: no cover

    def months(self) -> list[tuple[dt.date, list[Incident]]]:
        """The months this page lists, newest first: all of them, or one year's."""
        if self.plan.kind == HISTORY_YEAR:
            year = int(self.plan.key)
            return [(month, incidents) for month, incidents in self.data.months if month.year == year]
        return self.data.months

    def year_links(self) -> Markup:
        """Links to every year's page (the one shown marked), and to the whole history (``year-links.html``)."""
        years = self.data.years
        if not years:
            return Markup("")
        links = [NavLink(self.url(self.links.page(self.lang, HISTORY)), self.gettext("All years"), "page" if self.plan.kind == HISTORY else "")]
        for year in years:
            current = "page" if self.plan.kind == HISTORY_YEAR and self.plan.key == year else ""
            links.append(NavLink(self.url(self.links.page(self.lang, HISTORY_YEAR, year)), year, current))
        return self.fragment("year-links.html", label=self.gettext("Years"), links=links)

    def component_filter(self) -> Markup:
        """Links to each component's page (``component-filter.html``); status.js turns them into an in-place filter."""
        settings = self.data.settings
        if not settings.components:
            return Markup("")
        everything = NavLink(self.url(self.links.page(self.lang, self.plan.kind, self.plan.key)), self.gettext("All components"), "true")
        links = [FilterLink(self.url(self.links.component(self.lang, comp.id)), self.component_name(comp.id), comp.id) for comp in settings.components]
        return self.fragment("component-filter.html", label=self.gettext("Filter by component"), everything=everything, links=links)
