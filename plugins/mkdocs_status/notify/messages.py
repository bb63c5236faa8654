"""What one notification says, in one language, independent of the channel.

The API files say *which* updates are new; their text is only in the site's
default language. So the words come from the incident files (the same model
the build used): title, update text and component names in the channel's
language with the site's fallback rule, localized status word and times, and a
link to the update on that language's incident page. An update that cannot be
matched to its file (sources missing or edited since the build) is told from
the API's own fields, in the default language.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..api import body_text, update_id
from ..authoring import unfilled_postmortem
from ..l10n import strings
from ..l10n.catalogs import N_, translations
from ..l10n.dates import instant_text
from ..l10n.languages import bcp47
from ..markdown import Renderer, absolute_links
from ..model import Incident, Settings, StatusSite, Update
from ..site import Chosen, Links, change_text, choose_text, choose_title, component_label
from ..site import notices as text_notices
from ..timeline import changes_by_update
from .records import ApiIncident, ApiUpdate

# Interface text of notifications (extracted with the rest of the catalog).
SUBJECT = N_("%(status)s: %(title)s")
VIEW = N_("View this update on the status page")
FOOTER = N_("You receive this message because this address is subscribed to updates from %(site)s.")


@dataclass(frozen=True)
class Message:
    """One update told in one language: everything every channel formats from."""

    language: str  # babel code of the interface language ("nb", "pt_BR")
    incident_id: str
    update_id: str
    kind: str  # "incident" | "maintenance"
    status: str  # the status the API reports for this update (Statuspage enum)
    word: str  # the status word as posted ("update" stays "update")
    label: str  # that word in the message's language
    title: str
    text: str  # the update's text, plain
    html: str  # the update's text, sanitised HTML with absolute links
    text_language: str  # language the text is in (may differ: fallback)
    notices: tuple[str, ...]  # "not available in …", "machine translated …"
    components: tuple[str, ...]  # "Engage (Messaging)", localized
    components_heading: str
    at: dt.datetime  # the update's instant
    when: str  # the instant in every display zone, localized
    url: str | None  # the update on its incident page, in this language
    site_name: str
    site_url: str | None
    subject: str
    view_label: str
    footer: str
    api: ApiUpdate = field(repr=False, compare=False)
    incident: ApiIncident = field(repr=False, compare=False)

    @property
    def tag(self) -> str:
        return bcp47(self.language)


@dataclass
class Content:
    """What an update says in one language, from its incident file or from the API.

    The one place a new piece of a message is gathered (say, the component
    changes an update makes): add a field here, fill it in ``_from_model`` and
    ``_from_api``, and pass it on to :class:`Message` in ``make``.
    """

    kind: str
    title: str
    word: str
    text_language: str
    at: dt.datetime
    url: str | None
    components: tuple[str, ...] = ()
    text: str = ""
    html: str = ""
    notices: list[str] = field(default_factory=list)


class MessageMaker:
    """Makes :class:`Message` objects; renders each update body once per language."""

    def __init__(self, settings: Settings, site: StatusSite | None, renderer: Renderer | None = None, *,
                 use_directory_urls: bool = True) -> None:
        self.settings = settings
        self.site = site
        self.links = Links(settings, use_directory_urls)
        self.renderer = renderer or Renderer()
        self._by_url: dict[str, Incident] | None = None
        self._component_ids = set(settings.component_ids())

    # -- matching API entries to incident files ------------------------------

    def model_incident(self, api: ApiIncident) -> Incident | None:
        if self.site is None:
            return None
        found = self.site._by_id.get(api.id)
        if found is not None:
            return found
        shortlink = api.raw.get("shortlink")
        if not isinstance(shortlink, str) or self.links.site_url is None:
            return None
        if self._by_url is None:
            self._by_url = {self.links.absolute(self.links.incident(self.settings.default_language, i)): i for i in self.site.incidents}
        return self._by_url.get(shortlink)

    def model_update(self, incident: Incident, api_incident: ApiIncident, api: ApiUpdate) -> Update | None:
        """The update with the id the API gives it; else the one posted at the same instant
        (among equal instants, the same status, then the same rank)."""
        for candidate in incident.updates:
            if update_id(incident, candidate) == api.id:
                return candidate
        same_time = [u for u in incident.updates if u.utc == api.at]
        if len(same_time) <= 1:
            return same_time[0] if same_time else None
        rank = [a.id for a in api_incident.updates if a.at == api.at].index(api.id)
        same_status = [u for u in same_time if api.status in (u.kept, u.status)]
        if len(same_status) == 1:
            return same_status[0]
        return same_time[rank] if rank < len(same_time) else None

    def unfilled(self, api_incident: ApiIncident, api: ApiUpdate) -> str | None:
        """Where an update is still the postmortem skeleton ``mkdocs-status postmortem`` wrote
        ("file:line"), so that it is not sent as it is; None when it is not (or cannot be told)."""
        incident = self.model_incident(api_incident)
        update = self.model_update(incident, api_incident, api) if incident is not None else None
        if incident is None or update is None:
            return None
        if any(unfilled_postmortem(text) for text in update.texts.values()):
            return f"{incident.source}:{update.line}"
        return None

    # -- the message ---------------------------------------------------------

    def make(self, api_incident: ApiIncident, api: ApiUpdate, language: str) -> Message:
        """The update told in ``language``: from its incident file when it can be found, else from the API."""
        tr = translations(language)
        incident = self.model_incident(api_incident)
        update = self.model_update(incident, api_incident, api) if incident is not None else None
        if incident is not None and update is not None:
            content = self._from_model(incident, update, language)
        else:
            content = self._from_api(api_incident, api, language)
        label_id = strings.STATUS_LABELS.get(content.word)
        label = tr.gettext(label_id) if label_id else content.word.replace("_", " ").capitalize()
        site_name = self.settings.site_name or (self.links.host if self.links.site_url else "status page")
        return Message(
            language=language,
            incident_id=api_incident.id,
            update_id=api.id,
            kind=content.kind,
            status=api.status,
            word=content.word,
            label=label,
            title=content.title,
            text=content.text,
            html=content.html,
            text_language=content.text_language,
            notices=tuple(content.notices),
            components=content.components,
            components_heading=tr.gettext(strings.AFFECTED_LABELS[content.kind]),
            at=content.at,
            when=instant_text(content.at, language, self.settings.display_timezones),
            url=content.url,
            site_name=site_name,
            site_url=self.links.site_url,
            subject=tr.gettext(SUBJECT) % {"status": label, "title": content.title},
            view_label=tr.gettext(VIEW),
            footer=tr.gettext(FOOTER) % {"site": site_name},
            api=api,
            incident=api_incident,
        )

    def _changes(self, incident: Incident, update: Update, language: str, gettext: Callable[[str], str]) -> list[str]:
        """What the update did to the components, a line each, in the message's language."""
        return [change_text(self.settings, language, gettext, c.component, c.old, c.new)
                for c in changes_by_update(incident).get(update.key, ()) if c.component in self._component_ids]

    def _from_model(self, incident: Incident, update: Update, language: str) -> Content:
        """What the incident file says, in ``language`` with the site's fallback rule."""
        settings = self.settings
        url = self.links.absolute(self.links.incident(language, incident, update)) if self.links.site_url else None
        content = Content(kind=incident.kind, title=choose_title(incident, language, settings).text, word=update.status,
                          text_language=language, at=update.at, url=url,
                          components=tuple(component_label(settings, cid, language) for cid in incident.affected
                                           if cid in self._component_ids))
        chosen = choose_text(incident, update, language, settings)
        if chosen is not None:
            base = url or (self.links.site_url or "")
            rendered = self.renderer.render(chosen.text)
            content.html = absolute_links(rendered, base) if base else rendered
            content.text = body_text(rendered, base)
            content.text_language = chosen.lang
            content.notices.extend(text_notices(chosen, language, translations(language).gettext))
        changes = self._changes(incident, update, language, translations(language).gettext)
        if changes:  # "Engage (Voice): Partial outage → Operational", after the text
            content.text = "\n\n".join(x for x in (content.text, "\n".join(changes)) if x)
            content.html += "<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in changes) + "</ul>"
        return content

    def _from_api(self, api_incident: ApiIncident, api: ApiUpdate, language: str) -> Content:
        """What the API says (the default language only), when the incident file is not at hand."""
        raw = api_incident.raw
        shortlink = raw.get("shortlink")
        content = Content(
            kind="maintenance" if raw.get("impact") == "maintenance" or raw.get("scheduled_for") else "incident",
            title=api_incident.name, word=api.status, text=api.body, text_language=self.settings.default_language, at=api.at,
            html="<p>" + html.escape(api.body).replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>" if api.body else "",
            url=shortlink if isinstance(shortlink, str) and shortlink else None,
            components=tuple(self._api_components(raw, language)),
        )
        if content.text_language != language and api.body:
            content.notices.extend(text_notices(Chosen(api.body, content.text_language, False), language, translations(language).gettext))
        return content

    def _api_components(self, raw: dict[str, Any], language: str) -> list[str]:
        out = []
        for comp in raw.get("components") or []:
            if not isinstance(comp, dict):
                continue
            cid = comp.get("id")
            if isinstance(cid, str) and cid in self._component_ids:
                out.append(component_label(self.settings, cid, language))
            elif comp.get("name"):
                out.append(str(comp["name"]))
        return out
