"""Notices on the pages: pinned at the top of the overview (and of the pages of the components
they name) while they are shown, and kept out of the overview's "Active incidents".

A mixin of :class:`~mkdocs_status.pages.PageView` (``status.pinned_notices()``,
``status.active_incidents()`` in the templates); the markup is ``status/partials/notices.html``.
Not to be mixed up with the *language* notices ("This text is not available in …"): those
are ``status/partials/language-notices.html``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from .views import NoticeView

if TYPE_CHECKING:
    from .build import BuildData
    from .model import Incident, Update
    from .site import Links
    from .slots import Slots
    from .views import UpdateView


class NoticePieces:
    """Pinned notices, as the overview and component pages show them."""

    data: BuildData
    links: Links
    lang: str

    # Provided by PageView.
    def update_view(self, incident: Incident, update: Update) -> UpdateView: ...  # pragma: no cover
    def fragment(self, name: str, **values: object) -> Markup: ...  # pragma: no cover
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
        """Each shown notice (``notices.html``): its title, linked to its page, and its text in the page's language."""
        found = self.shown_notices(component)
        if not found:
            return Markup("")
        key = ("notices", component or "", self.lang)
        out = self.data.shown.get(key)
        if out is None:  # the same on every page of a language (the links are slots)
            slots: Slots = self.data.slots
            views = [NoticeView(slots.url(self.links.incident(self.lang, n)), self.title_html(n), self.icon("notice"),
                                self.update_view(n, n.first)) for n in found]
            out = self.data.shown[key] = self.fragment("notices.html", notices=views)
        return out
