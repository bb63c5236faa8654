"""What the build gives static hosts and other web sites: ``_headers`` and ``embed.js``.

``_headers`` is read as Netlify and Cloudflare Pages read it (``browser/sitekit.py:
read_headers_file``, which the browser tests' server also obeys): every path under
``/api/v2/`` and every feed and calendar may be read from any origin, and no other
path gets any header. The browser tests (``browser/test_browser_embeds.py``) show
Atlassian's widget and ``embed.js`` reading the site from another origin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from browser.sitekit import read_headers_file
from conftest import Site

CORS = [("Access-Control-Allow-Origin", "*")]


def published(site: Path) -> list[str]:
    """Every file of the built site as a URL path below the site's root."""
    return sorted("/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def headers_for(rules: list, path: str) -> list[tuple[str, str]]:
    return [pair for pattern, pairs in rules if pattern.match(path) for pair in pairs]


def test_headers_file_lets_any_origin_read_the_api_feeds_and_calendars_and_touches_nothing_else(make_site: Callable[..., Site]) -> None:
    site = make_site(required_languages=["en"])
    site.add("2026-11-20-blip.md", "---\ntitle: Blip\nimpact: minor\ncomponents: [voice]\n---\n\n## Investigating · 2026-11-20 10:00\n\nLooking.\n")
    built = site.build(strict=True)
    rules = read_headers_file(built / "_headers")
    readable = {p for p in published(built) if p.startswith("/api/v2/") or p.endswith((".atom", ".rss", ".ics"))}
    assert "/api/v2/incidents/2026-11-20-blip.json" in readable and "/nb/components/voice/history.rss" in readable
    assert len(readable) > 30
    for path in published(built):
        assert headers_for(rules, path) == (CORS if path in readable else []), path
    assert headers_for(rules, "/api/v2/incidents/a-later-incident.json") == CORS, "an incident added later needs no new rule"


def test_a_site_under_a_sub_path_gets_rules_for_its_own_paths(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.config["site_url"] = "https://example.netlify.app/status/"
    site.write_config()
    rules = read_headers_file(site.build(strict=True) / "_headers")
    assert headers_for(rules, "/status/api/v2/summary.json") == CORS
    assert headers_for(rules, "/status/nb/history.atom") == CORS
    assert headers_for(rules, "/api/v2/summary.json") == [] and headers_for(rules, "/status/") == []


def test_the_sites_own_headers_file_is_kept_and_ours_follow(make_site: Callable[..., Site]) -> None:
    site = make_site()
    (site.root / "docs" / "_headers").write_text("/*\n  X-Frame-Options: DENY\n", encoding="utf-8")
    built = site.build(strict=True)
    text = (built / "_headers").read_text(encoding="utf-8")
    assert text.startswith("/*\n  X-Frame-Options: DENY\n\n# mkdocs-status")
    rules = read_headers_file(built / "_headers")
    assert headers_for(rules, "/api/v2/status.json") == [("X-Frame-Options", "DENY"), *CORS]
    assert headers_for(rules, "/incidents/") == [("X-Frame-Options", "DENY")]


def test_embed_script_carries_the_sites_words_and_page_urls_for_each_language(make_site: Callable[..., Site]) -> None:
    from mkdocs_status.l10n.catalogs import translations

    built = make_site().build(strict=True)
    source = (built / "embed.js").read_text(encoding="utf-8")
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});\n", source).group(1))
    assert config["default"] == "en" and sorted(config["languages"]) == ["en", "nb"]
    nb = config["languages"]["nb"]
    assert nb["pages"] == {"home": "nb/", "incident": "nb/incidents/{id}/"}
    assert nb["words"]["components"]["partial_outage"] == translations("nb").gettext("Partial outage")
    assert nb["words"]["indicators"]["none"] == translations("nb").gettext("All systems operational")
    assert "<" not in json.dumps(config, ensure_ascii=False).replace("\\u003c", ""), "nothing an HTML parser would take for a tag"


def test_check_accepts_the_sites_own_headers_file_and_refuses_its_own_embed_script(tmp_path: Path) -> None:
    from test_cli import make_site as make_cli_site
    from test_cli import run

    root = make_cli_site(tmp_path)
    (root / "docs" / "_headers").write_text("/*\n  X-Frame-Options: DENY\n", encoding="utf-8")
    assert run(root, "check", "--strict").returncode == 0, "kept, not replaced"
    (root / "docs" / "embed.js").write_text("// mine\n", encoding="utf-8")
    result = run(root, "check")
    assert result.returncode == 1
    assert "docs/embed.js: error: this hand-written file would be replaced by a page the status plugin generates" in result.stdout
