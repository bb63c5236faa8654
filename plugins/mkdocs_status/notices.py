"""Notices on the pages: pinned at the top of the overview (and of the pages of the components
they name) while they are shown, and kept out of the overview's "Active incidents".

A mixin of :class:`~mkdocs_status.pages.PageView` (``status.pinned_notices()``,
``status.active_incidents()`` in the templates). Not to be mixed up with the *language*
notices ("This text is not available in …"): those are ``partials/language-notices.html``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .build import BuildData
    from .model import Incident, Update
    from .pages import UpdateView


class NoticePieces:
    """Pinned notices, as the overview and component pages show them."""

    data: BuildData

    # Provided by PageView.
    def update_view(self, incident: Incident, update: Update) -> UpdateView: ...  # pragma: no cover
    def incident_url(self, incident: Incident, update: Update | None = None) -> str: ...  # pragma: no cover
    def title_html(self, incident: Incident) -> Markup: ...  # pragma: no cover
    def icon(self, word: str) -> Markup: ...  # pragma: no cover

    def shown_notices(self, component: str | None = None) -> list[Incident]:
        """The notices shown now (started, not ended), oldest first; only those naming ``component`` if given."""
        found = [i for i in self.data.overview.active_incidents if i.is_notice and (component is None or component in i.components)]
        return sorted(found, key=lambda i: (i.start, i.id))

    def active_incidents(self) -> list[Incident]:
        """The overview's active incidents: notices are pinned above them instead."""
        return [i for i in self.data.overview.active_incidents if not i.is_notice]

    def pinned_notices(self, component: str | None = None) -> Markup:
        """Each shown notice: its title (linked to its page) and its text in the page's language."""
        out = []
        for notice in self.shown_notices(component):
            text = self.update_view(notice, notice.first)
            out.append(f'<section class="status-pinned" role="note">\n<h2 class="status-pinned__title">{self.icon("notice")} '
                       f'<a href="{escape(self.incident_url(notice))}">{self.title_html(notice)}</a></h2>\n'
                       f"{text.text_html}\n</section>\n")
        return Markup("".join(out))
