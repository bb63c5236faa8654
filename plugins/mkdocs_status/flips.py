"""What a page becomes between builds: the window edges of scheduled maintenance still to come.

A mixin of :class:`~mkdocs_status.pages.PageView` (``status.flips_html()`` in the templates):
status.js reads these islands and applies them when an edge passes, so a page read between
two builds still says "In progress" when the window opens. The rows and updates inside are
the same fragments the page shows (incident-row.html, update-item.html).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from . import timeline
from .l10n import strings
from .site import COMPONENT_PAGE, INCIDENT_PAGE, OVERVIEW

if TYPE_CHECKING:
    from .build import BuildData
    from .model import Incident, Update
    from .site import PagePlan
    from .views import UpdateView


class FlipPieces:
    """The JSON island and ``<template>`` elements status.js applies at each coming window edge."""

    data: BuildData
    plan: PagePlan
    now: dt.datetime
    incident: Incident | None

    # Provided by PageView.
    def gettext(self, message: str, **values: object) -> str: ...  # pragma: no cover
    def component_status_label(self, word: str) -> str: ...  # pragma: no cover
    def indicator_label(self, word: str) -> str: ...  # pragma: no cover
    def rows(self, incidents: list[Incident], with_latest: bool = False, at: dt.datetime | None = None) -> Markup: ...  # pragma: no cover
    def update_view(self, incident: Incident, update: Update) -> UpdateView: ...  # pragma: no cover
    def update_item(self, update: UpdateView) -> Markup: ...  # pragma: no cover

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
            parts += self._overview_flips()
        elif kind == INCIDENT_PAGE and self.incident is not None and self.incident.is_maintenance:
            for edge in self._edges(self.incident):
                future = self.data.future(self.incident, edge)
                for update in future.updates:
                    if update.automatic and update.utc == edge:
                        item = self.update_item(self.update_view(future, update))
                        parts.append(f'<template data-status-flip-update data-status-at="{edge.isoformat()}">{item}</template>\n')
        return Markup("".join(parts))

    def _overview_flips(self) -> list[str]:
        """Each listed maintenance's row as the build at each of its coming edges would list it."""
        parts = []
        overview = self.data.overview
        for m in (*overview.active_maintenance, *overview.upcoming_maintenance):
            for edge in self._edges(m):
                phase = timeline.maintenance_phase(m, edge)
                row = self.rows([self.data.future(m, edge)], with_latest=True, at=edge) if phase in ("in_progress", "verifying") else ""
                parts.append(f'<template data-status-flip="{escape(m.id)}" data-status-at="{edge.isoformat()}">{row}</template>\n')
        return parts

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
