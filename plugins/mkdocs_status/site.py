"""Plans every generated output: where each page and data file lives, per language.

One place knows the site's URL scheme, so pages, feeds, the API
and the CLI all link the same way. Also holds the text-selection rule shared by
every output: which language's text to show for a page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple
from urllib.parse import urlsplit

from .l10n import strings
from .l10n.languages import display_name
from .model import Incident, Settings, StatusSite, Update

OVERVIEW = "overview"
HISTORY = "history"
INCIDENT_PAGE = "incident"
COMPONENT_PAGE = "component"
HISTORY_YEAR = "history-year"  # /history/<YYYY>/: one year of the history
GROUP_PAGE = "group"  # /components/<group>/: a group of components (ids are unique across both)
PAGE_KINDS = (OVERVIEW, HISTORY, INCIDENT_PAGE, COMPONENT_PAGE, HISTORY_YEAR, GROUP_PAGE)
SKIP_TARGET = "status-main"  # the id of every generated page's <h1>, where the skip link leads

LANGUAGE_FEEDS = ("history.atom", "history.rss", "updates.atom", "updates.rss")
COMPONENT_FEEDS = ("history.atom", "history.rss")
ICAL = "maintenance.ics"
HOST_FILES = ("_headers", "embed.js")  # at the site's root: headers for static hosts, the embed script
API_ROOT = "api/v2/"
API_FILES = (
    "summary.json", "status.json", "components.json", "incidents.json", "incidents/unresolved.json",
    "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
)  # fmt: skip


def update_anchor(update: Update) -> str:
    """The stable fragment id of an update on its incident page."""
    return "update-" + update.key.lower()


class PagePlan(NamedTuple):
    """One generated page: its language, kind and subject."""

    src_uri: str
    lang: str
    kind: str
    key: str = ""  # incident or component id


class Links:
    """Every URL of the site, as site-relative paths or absolute URLs."""

    def __init__(self, settings: Settings, use_directory_urls: bool = True) -> None:
        self.settings = settings
        self.directory_urls = use_directory_urls
        self.site_url = settings.site_url.rstrip("/") + "/" if settings.site_url else None
        self._prefix = {lang.code: lang.prefix for lang in settings.languages}

    # -- sources and paths --------------------------------------------------

    def src_uri(self, lang: str, kind: str, key: str = "") -> str:
        base = {OVERVIEW: "index", HISTORY: "history", INCIDENT_PAGE: f"incidents/{key}", COMPONENT_PAGE: f"components/{key}",
                HISTORY_YEAR: f"history/{key}", GROUP_PAGE: f"components/{key}"}[kind]
        return f"{self._prefix[lang]}{base}.md"

    def page(self, lang: str, kind: str, key: str = "") -> str:
        """Site-relative URL of a page, as MkDocs will write it."""
        src = self.src_uri(lang, kind, key)[: -len(".md")]
        if src == "index" or src.endswith("/index"):
            return src[: -len("index")]
        return f"{src}/" if self.directory_urls else f"{src}.html"

    def incident(self, lang: str, incident: Incident | str, update: Update | None = None) -> str:
        iid = incident if isinstance(incident, str) else incident.id
        path = self.page(lang, INCIDENT_PAGE, iid)
        return f"{path}#{update_anchor(update)}" if update is not None else path

    def component(self, lang: str, cid: str) -> str:
        return self.page(lang, COMPONENT_PAGE, cid)

    def feed(self, lang: str, name: str, component: str | None = None) -> str:
        """``history.atom`` etc. for a language, or for a component in it."""
        if component:
            return f"{self._prefix[lang]}components/{component}/{name}"
        return f"{self._prefix[lang]}{name}"

    def ical(self, lang: str) -> str:
        return f"{self._prefix[lang]}{ICAL}"

    def api(self, name: str) -> str:
        return f"{API_ROOT}{name}"

    def badge(self, component: str | None = None) -> str:
        return f"components/{component}/badge.svg" if component else "badge.svg"

    # -- absolute -----------------------------------------------------------

    def absolute(self, path: str) -> str:
        """An absolute URL for a site-relative path (needs ``site_url``)."""
        if self.site_url is None:
            raise ValueError("site_url is not set")
        return self.site_url + path

    @property
    def host(self) -> str:
        return urlsplit(self.site_url or "").hostname or "localhost"

    # -- plans --------------------------------------------------------------

    def years(self, site: StatusSite) -> list[str]:
        """The years (in the site's time zone) that incidents began in, newest first: one history page each."""
        tz = self.settings.timezone
        return sorted({f"{i.start.astimezone(tz).year:04d}" for i in site.incidents}, reverse=True)

    def pages(self, site: StatusSite) -> list[PagePlan]:
        out: list[PagePlan] = []
        years = self.years(site)
        for lang in self.settings.language_codes:
            out.append(PagePlan(self.src_uri(lang, OVERVIEW), lang, OVERVIEW))
            out.append(PagePlan(self.src_uri(lang, HISTORY), lang, HISTORY))
            out += [PagePlan(self.src_uri(lang, HISTORY_YEAR, year), lang, HISTORY_YEAR, year) for year in years]
            for incident in site.incidents:
                out.append(PagePlan(self.src_uri(lang, INCIDENT_PAGE, incident.id), lang, INCIDENT_PAGE, incident.id))
            for comp in self.settings.components:
                out.append(PagePlan(self.src_uri(lang, COMPONENT_PAGE, comp.id), lang, COMPONENT_PAGE, comp.id))
            out += [PagePlan(self.src_uri(lang, GROUP_PAGE, g.id), lang, GROUP_PAGE, g.id) for g in self.settings.groups]
        return out

    def planned_paths(self, incident_ids: list[str], years: Iterable[str] = ()) -> list[str]:
        """Every docs_dir-relative path a build generates, pages and data files (not assets);
        ``years``: those of the history's year pages."""
        out: list[str] = []
        years = list(years)
        for lang in self.settings.language_codes:
            out += [self.src_uri(lang, OVERVIEW), self.src_uri(lang, HISTORY), self.ical(lang)]
            out += [self.src_uri(lang, HISTORY_YEAR, year) for year in years]
            out += [self.feed(lang, name) for name in LANGUAGE_FEEDS]
            out += [self.src_uri(lang, INCIDENT_PAGE, iid) for iid in incident_ids]
            for cid in self.settings.subject_ids():
                out.append(self.src_uri(lang, COMPONENT_PAGE, cid))
                out += [self.feed(lang, name, cid) for name in COMPONENT_FEEDS]
        out += [self.api(name) for name in API_FILES] + [self.api(f"incidents/{iid}.json") for iid in incident_ids]
        out += [self.badge()] + [self.badge(cid) for cid in self.settings.subject_ids()]
        return out + list(HOST_FILES)

    def twins(self, plan: PagePlan) -> list[tuple[str, str]]:
        """(language, site-relative URL) of the page in every language."""
        return [(lang, self.page(lang, plan.kind, plan.key)) for lang in self.settings.language_codes]


class Chosen(NamedTuple):
    """Text picked for a page: what language it is in and whether it is machine translated."""

    text: str
    lang: str
    machine: bool


def choose(texts: dict[str, str], page_lang: str, own_lang: str, default_lang: str, order: tuple[str, ...], machine: frozenset[str] = frozenset()) -> Chosen | None:
    """The page's language; the file's own; the default; any block."""
    for lang in (page_lang, own_lang, default_lang, *order, *sorted(texts)):
        if lang in texts:
            return Chosen(texts[lang], lang, lang in machine)
    return None


def notices(chosen: Chosen, page_lang: str, gettext: Callable[[str], str]) -> list[str]:
    """The notices a reader gets with a text: which language it is in, whether machine translated.

    Plain text in the page's language; the same on pages, in feeds, calendars and messages.
    """
    out = []
    if chosen.lang != page_lang:
        out.append(gettext(strings.FALLBACK_NOTICE) % {"page": display_name(page_lang, page_lang), "shown": display_name(chosen.lang, page_lang)})
    if chosen.machine:
        out.append(gettext(strings.MACHINE_NOTICE) % {"lang": display_name(chosen.lang, page_lang)})
    return out


def choose_title(incident: Incident, page_lang: str, settings: Settings) -> Chosen:
    chosen = choose(incident.titles, page_lang, incident.lang, settings.default_language, settings.language_codes, incident.machine_translated)
    assert chosen is not None  # the parser guarantees a title in the file's language
    return chosen


def choose_text(incident: Incident, update: Update, page_lang: str, settings: Settings) -> Chosen | None:
    # An automatic update's text comes from the interface catalogs, never from a machine translation.
    machine = frozenset() if update.automatic else incident.machine_translated
    return choose(update.texts, page_lang, incident.lang, settings.default_language, settings.language_codes, machine)


def change_text(settings: Settings, lang: str, gettext: Callable[[str], str], component: str, old: str, new: str) -> str:
    """``Engage (Voice): Partial outage → Operational`` (a named but unchanged status: ``… : Partial outage``)."""
    label = component_label(settings, component, lang)
    new_text = gettext(strings.COMPONENT_STATUS_LABELS[new])
    if old == new:
        return f"{label}: {new_text}"
    return f"{label}: {gettext(strings.COMPONENT_STATUS_LABELS[old])} → {new_text}"


def localized(names: dict[str, str], lang: str, settings: Settings) -> str:
    """A configured name (component, group) in a language, else the default's."""
    return names.get(lang) or names.get(settings.default_language) or next(iter(names.values()), "")


def component_label(settings: Settings, cid: str, lang: str) -> str:
    """``Engage (Messaging)`` for a grouped component, else its name."""
    comp = settings.component(cid)
    name = localized(comp.names, lang, settings)
    if comp.group:
        return f"{localized(settings.group(comp.group).names, lang, settings)} ({name})"
    return name
