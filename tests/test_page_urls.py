"""Each page tells search engines and feed readers its address: ``<link rel="canonical">`` is the
page's own URL under ``site_url``, on a site at a host's root and on one below a path.

Expected addresses are joined by ``urllib.parse.urljoin`` from where the file lies in the built
folder, not by the plugin's code.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import build_example
from dom import attr, one, page


def canonical_addresses(site: Path, site_url: str) -> list[tuple[str, str, str]]:
    """(file, the canonical link it gives, the address it lies at) for every HTML page with a canonical link."""
    out = []
    for path in sorted(site.rglob("index.html")):
        doc = page(path)
        links = doc.cssselect('link[rel="canonical"]')
        if not links:
            continue
        folder = path.parent.relative_to(site).as_posix()
        expected = urljoin(site_url, "" if folder == "." else folder + "/")
        out.append((path.relative_to(site).as_posix(), attr(one(doc, 'link[rel="canonical"]'), "href"), expected))
    return out


@pytest.mark.parametrize("site_url", ["https://status.nordlys.example/", "https://nordlys.example/status/sub"])
def test_every_page_names_its_own_address_as_canonical(tmp_path: Path, site_url: str) -> None:
    site = build_example(tmp_path, site_url=site_url)
    found = canonical_addresses(site, site_url if site_url.endswith("/") else site_url + "/")
    assert len(found) > 50  # the overview, history, incident, component pages in both languages, the hand-written ones
    assert any(name.startswith("incidents/") for name, _, _ in found) and any(name.startswith("nb/incidents/") for name, _, _ in found)
    assert [(name, link) for name, link, _ in found] == [(name, expected) for name, _, expected in found]
