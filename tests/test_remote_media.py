"""No third-party requests from content: remote media in update text, and site names that are text."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

import dom
from cli_run import run_cli
from conftest import EXAMPLE_NOW, SIMPLE_INCIDENT
from test_validation import run_build

REMOTE = {
    "![chart](https://other.example/md.png)": "https://other.example/md.png",
    '<img src="https://other.example/tag.png" alt="x">': "https://other.example/tag.png",
    '<img src="//other.example/proto.png">': "//other.example/proto.png",
    '<img src="local.png" srcset="https://other.example/2x.png 2x, local.png 1x">': "https://other.example/2x.png",
    '<video src="https://other.example/v.mp4" poster="https://other.example/poster.png">A video.</video>': "https://other.example/v.mp4",
    '<audio controls><source src="https://other.example/a.mp3" type="audio/mpeg"></audio>': "https://other.example/a.mp3",
    '<span style="background: url(\'https://other.example/bg.png\')">styled</span>': "https://other.example/bg.png",
}
BODY = "We are looking into it.\n\n" + "\n\n".join(REMOTE) + "\n\n![ours](../../assets/ours.png) and [a link](https://other.example/page)."
NS = {"h": "http://www.w3.org/1999/xhtml"}


def remote_requests(page: Path) -> list[str]:
    """Every URL of another host that the page would fetch by itself (img, media, srcset, style url())."""
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    found: list[str] = []
    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "link", "script"):
            continue  # links are not requests; the theme's own <link>/<script> are checked elsewhere
        for name in ("src", "srcset", "poster", "background"):
            found += re.findall(r"(?:https?:)?//other\.example[^\s,\"']*", el.get(name, ""))
        found += re.findall(r"url\(\s*['\"]?((?:https?:)?//other\.example[^'\")]*)", el.get("style", ""))
    return found


@pytest.fixture
def media_site(make_site):
    site = make_site(required_languages=["en"])
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT.replace("We are looking into it.", BODY))
    return site


def test_remote_media_in_update_text_is_removed_with_a_warning_at_its_line(media_site):
    result = run_build(media_site.root)
    assert result.returncode == 0, result.stderr
    for url in REMOTE.values():
        assert f"incidents/2026-11-20-queue.md:8: media from another host removed from the update: {url}" in result.stderr, result.stderr
    assert "allow_remote_media: true" in result.stderr
    pages = sorted((media_site.root / "site").rglob("*.html"))
    assert {p: remote_requests(p) for p in pages if remote_requests(p)} == {}
    page = dom.page(media_site.root / "site" / "incidents" / "2026-11-20-queue")
    update = dom.select(page, "li.status-update .status-update__body")[-1]  # the first update, shown last
    # Local images and links stay, and the text around removed media.
    assert dom.attrs(update, "img", "src") == ["local.png", "../../assets/ours.png"]
    assert dom.attrs(update, "a", "href") == ["https://other.example/page"]
    assert "A video." in dom.text(update) and "styled" in dom.texts(update, "span")
    feeds = [p.read_text(encoding="utf-8") for p in (media_site.root / "site").rglob("*.atom")]
    assert feeds and not any("other.example/md.png" in f or "other.example/tag.png" in f for f in feeds)


def test_remote_media_fails_a_strict_build(media_site):
    assert run_build(media_site.root, "--strict").returncode == 1


def test_check_warns_about_remote_media_as_the_build_does(media_site):
    env = {"SOURCE_DATE_EPOCH": str(EXAMPLE_NOW)}
    media_site.add("2026-11-19-plain.md", SIMPLE_INCIDENT.replace("2026-11-20", "2026-11-19"))
    checked = run_cli(media_site.root, "check", "--strict", env=env)
    built = run_build(media_site.root)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    for url in REMOTE.values():
        line = f"incidents/2026-11-20-queue.md:8: warning: media from another host removed from the update: {url}"
        assert line in checked.stdout, checked.stdout
        assert line.replace("warning: ", "") in built.stderr
    assert "2026-11-19-plain.md" not in checked.stdout
    media_site.plugin["allow_remote_media"] = True
    media_site.write_config()
    assert "media from another host" not in run_cli(media_site.root, "check", env=env).stdout


def test_allow_remote_media_keeps_images_video_and_audio(media_site):
    media_site.plugin["allow_remote_media"] = True
    media_site.write_config()
    result = run_build(media_site.root, "--strict")
    assert result.returncode == 0, result.stderr
    assert "media from another host" not in result.stderr
    page = media_site.root / "site" / "incidents" / "2026-11-20-queue" / "index.html"
    kept = set(remote_requests(page))
    assert {"https://other.example/md.png", "https://other.example/tag.png", "https://other.example/v.mp4",
            "https://other.example/a.mp3", "https://other.example/2x.png"} <= kept
    assert "https://other.example/bg.png" not in kept  # style attributes are never kept


HOSTILE_NAME = "<img src=x onerror=alert('pwned-name')> Acme & \"Co\" </title><script>alert('pwned-name2')</script>"
HOSTILE_DESCRIPTION = "\"><script>alert('pwned-description')</script><b>bold</b>"


def test_site_name_and_description_with_markup_are_text_on_every_page(make_site):
    site = make_site()
    site.config["site_name"] = HOSTILE_NAME
    site.config["site_description"] = HOSTILE_DESCRIPTION
    site.write_config()
    (site.root / "docs" / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    site.add("2026-11-20-queue.md", SIMPLE_INCIDENT)
    result = run_build(site.root)
    assert result.returncode == 0, result.stderr
    pages = sorted((site.root / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        elements = [el for el in doc.iter() if isinstance(el.tag, str)]
        assert not [el for el in elements if any(k.startswith("on") for k in el.attrib)], page
        assert not [el for el in elements if el.tag == "script" and "pwned" in (el.text or "")], page
        assert not [el for el in elements if el.tag in ("b", "img") and "pwned" in "".join(el.itertext()) + str(el.attrib)], page
        title = doc.find(".//title")
        assert title is not None and HOSTILE_NAME in title.text, page
        description = doc.find(".//meta[@name='description']")
        content = description.get("content", "") if description is not None else ""
        assert content == HOSTILE_DESCRIPTION or "pwned" not in content, page  # the site's, as text, or a page's own
    about = html5lib.parse((site.root / "site" / "about" / "index.html").read_bytes(), namespaceHTMLElements=False)
    topic = about.find(".//*[@class='md-header__topic']")
    assert topic is not None and HOSTILE_NAME in " ".join("".join(topic.itertext()).split()), "Material's header shows the name as text"
    assert about.find(".//meta[@name='description']").get("content") == HOSTILE_DESCRIPTION
