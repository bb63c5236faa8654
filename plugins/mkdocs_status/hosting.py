"""What a static host and other web sites need of the status site: ``_headers`` and ``embed.js``.

- ``_headers`` (read by Netlify and Cloudflare Pages): ``Access-Control-Allow-Origin: *``
  on the JSON API and on the feeds and calendars, so that pages on other origins
  (Atlassian's status widget, ``embed.js``, web feed readers) can read them. No
  other path and no other header is touched. GitHub Pages sends that header on
  every file already; GitLab Pages on public sites' GET requests (see the README).
- ``embed.js``: a small script other sites include to show the current status in
  their page's language (the words of the site's languages, built in); it reads
  ``api/v2/summary.json`` next to itself, so it works under a sub-path too.

Pure: a function of the settings and the site's URL scheme.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .feeds import BuildInput, site_path
from .l10n import strings
from .l10n.catalogs import translations
from .site import API_ROOT, COMPONENT_FEEDS, HOST_FILES, LANGUAGE_FEEDS, OVERVIEW, Links

HEADERS, EMBED = HOST_FILES
EMBED_SOURCE = Path(__file__).parent / "embed" / EMBED
CORS = "Access-Control-Allow-Origin: *"


def readable_paths(links: Links) -> list[str]:
    """Every published path (below the site's path) that other origins may read: API, feeds, calendars."""
    settings = links.settings
    out = [f"{API_ROOT}*"]
    for lang in settings.language_codes:
        out += [links.feed(lang, name) for name in LANGUAGE_FEEDS] + [links.ical(lang)]
        for cid in settings.subject_ids():  # components' and groups' feeds
            out += [links.feed(lang, name, cid) for name in COMPONENT_FEEDS]
    return out


def headers(links: Links, own: str = "") -> str:
    """The ``_headers`` file: the site's own rules (a ``_headers`` in docs_dir) first, then ours."""
    prefix = "/" + (site_path(links) + "/" if site_path(links) else "")
    rules = "".join(f"{prefix}{path}\n  {CORS}\n" for path in readable_paths(links))
    ours = "# mkdocs-status: other origins may read the status API, feeds and calendars (Netlify, Cloudflare Pages)\n" + rules
    return f"{own.rstrip()}\n\n{ours}" if own.strip() else ours


def embed_config(links: Links) -> dict[str, Any]:
    """The words and page URLs ``embed.js`` carries, by the lowercase BCP 47 tag of each site language."""
    settings = links.settings
    languages: dict[str, Any] = {}
    for code in settings.language_codes:
        tag = settings.language(code).tag
        gettext = translations(code).gettext
        languages[tag.lower()] = {
            "tag": tag,
            "words": {
                "components": {k: gettext(v) for k, v in strings.COMPONENT_STATUS_LABELS.items() if k != "no_data"},
                "indicators": {k: gettext(v) for k, v in strings.INDICATOR_LABELS.items()},
                "current": gettext("Current status"),
            },
            "pages": {"home": links.page(code, OVERVIEW), "incident": links.incident(code, "{id}")},
        }
    default = settings.language(settings.default_language).tag.lower()
    return {"default": default, "languages": languages}


def embed(links: Links) -> str:
    """``embed.js`` with this site's words and URL scheme built in."""
    config = json.dumps(embed_config(links), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    config = config.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # nothing HTML could pick up
    return EMBED_SOURCE.read_text(encoding="utf-8").replace("/*CONFIG*/ null", config, 1)


def build(data: BuildInput) -> dict[str, str | bytes]:
    """``_headers`` and ``embed.js`` at the site's root: {site-relative path: text}."""
    return {HEADERS: headers(data.links), EMBED: embed(data.links)}
