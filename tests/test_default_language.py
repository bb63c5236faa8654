"""404.html and hand-written pages in the site's default language; a skip link on generated pages."""

from __future__ import annotations

import dom
from test_cli import build

NOW = 1795294800


def norwegian_first(make_site, **theme):
    site = make_site(languages=["nb", "en"])
    site.config["theme"].update(theme)
    site.write_config()
    (site.root / "docs" / "about.md").write_text("# Om siden\n\nStatussiden vår.\n", encoding="utf-8")
    return site


def test_404_and_hand_written_pages_take_the_default_language_when_theme_language_is_not_set(make_site):
    site = norwegian_first(make_site)
    out = site.build(strict=True, epoch=NOW)
    for page in ("404.html", "about/index.html"):
        doc = dom.page(out / page)
        assert dom.lang(doc) == "nb", page
        # mkdocs-material's own Norwegian interface (its search placeholder), not its English one
        assert dom.attrs(doc, "input.md-search__input", "placeholder") == ["Søk"], page
    assert dom.lang(dom.page(out / "en")) == "en"


def test_a_theme_language_that_is_not_the_default_language_warns_and_fails_strict(make_site):
    site = norwegian_first(make_site, language="en")
    result = build(site.root, NOW)
    assert result.returncode == 1
    assert "theme.language 'en' is not the status site's default language 'nb'" in result.stderr
    assert "set theme.language: nb or remove it" in result.stderr


def test_a_matching_theme_language_builds_strictly(make_site):
    site = norwegian_first(make_site, language="nb")
    assert build(site.root, NOW).returncode == 0


def test_every_generated_page_has_a_skip_link_to_its_heading(make_site):
    from conftest import SIMPLE_INCIDENT

    site = make_site()
    site.add("2026-11-20-queue-login.md", SIMPLE_INCIDENT)
    out = site.build(strict=True, epoch=NOW)
    for page in ("index.html", "history/index.html", "incidents/2026-11-20-queue-login/index.html", "components/voice/index.html",
                 "nb/index.html"):
        doc = dom.page(out / page)
        assert dom.attrs(doc, "a.md-skip", "href") == ["#status-main"], page
        assert [el.tag for el in dom.select(doc, "#status-main")] == ["h1"], page
