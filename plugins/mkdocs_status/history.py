"""The history pages' own pieces: one page per year, the year links, and the filter by component.

A mixin of :class:`~mkdocs_status.pages.PageView`: the history templates call these as
``status.months()``, ``status.year_links()`` and ``status.component_filter()``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .site import HISTORY, HISTORY_YEAR

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

    def months(self) -> list[tuple[dt.date, list[Incident]]]:
        """The months this page lists, newest first: all of them, or one year's."""
        if self.plan.kind == HISTORY_YEAR:
            year = int(self.plan.key)
            return [(month, incidents) for month, incidents in self.data.months if month.year == year]
        return self.data.months

    def year_links(self) -> Markup:
        """Links to every year's page (the one shown marked), and to the whole history."""
        years = self.data.years
        if not years:
            return Markup("")
        items = []
        whole = ' aria-current="page"' if self.plan.kind == HISTORY else ""
        every = escape(self.gettext("All years"))
        items.append(f'<li><a href="{escape(self.url(self.links.page(self.lang, HISTORY)))}"{whole}>{every}</a></li>')
        for year in years:
            current = ' aria-current="page"' if self.plan.kind == HISTORY_YEAR and self.plan.key == year else ""
            items.append(f'<li><a href="{escape(self.url(self.links.page(self.lang, HISTORY_YEAR, year)))}"{current}>{year}</a></li>')
        label = escape(self.gettext("Years"))
        return Markup(f'<nav class="status-years" aria-label="{label}"><ul>{"".join(items)}</ul></nav>')

    def component_filter(self) -> Markup:
        """Links to each component's page (its incidents); status.js turns them into an in-place filter."""
        settings = self.data.settings
        if not settings.components:
            return Markup("")
        label = escape(self.gettext("Filter by component"))
        everything = escape(self.gettext("All components"))
        here = escape(self.url(self.links.page(self.lang, self.plan.kind, self.plan.key)))
        items = [f'<li><a href="{here}" data-status-filter="" aria-current="true">{everything}</a></li>']
        for comp in settings.components:
            href = escape(self.url(self.links.component(self.lang, comp.id)))
            items.append(f'<li><a href="{href}" data-status-filter="{escape(comp.id)}">{escape(self.component_name(comp.id))}</a></li>')
        return Markup(f'<nav class="status-filter" aria-label="{label}"><p>{label}:</p><ul>{"".join(items)}</ul></nav>')
