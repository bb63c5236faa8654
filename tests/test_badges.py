"""Status badges: what a README or dashboard embedding ``badge.svg`` shows and says."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mkdocs_status import badges
from mkdocs_status.build import BuildData
from mkdocs_status.markdown import Renderer
from mkdocs_status.model import Component, Group, Language, Settings, StatusSite
from mkdocs_status.site import Links

SVG = "{http://www.w3.org/2000/svg}"
STATUS_CSS = Path(badges.__file__).parent / "assets" / "status.css"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def spoken(root: ET.Element) -> tuple[str | None, str | None]:
    title = root.find(f"{SVG}title")
    return root.get("aria-label"), title.text if title is not None else None


def visible_texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("fill") == "#fff"]


@pytest.fixture(scope="module")
def built(api_site: Path) -> Path:
    return api_site


def test_a_badge_says_its_label_and_status_to_screen_readers_and_in_a_tooltip() -> None:
    root = parse(badges.badge("Voice", "Partial outage", "partial_outage"))
    assert root.get("role") == "img"
    assert spoken(root) == ("Voice: Partial outage", "Voice: Partial outage")
    assert visible_texts(root) == ["Voice", "Partial outage"]
    # The drawn text is decoration for sighted readers; assistive technology reads the label once.
    assert all(t.get("aria-hidden") == "true" for t in root.iter(f"{SVG}text"))


def test_badge_text_is_escaped_so_names_cannot_break_or_inject_markup() -> None:
    svg = badges.badge('R&D <script>"x"</script>', "Operational", "operational")
    root = parse(svg)  # well-formed XML
    assert "<script>" not in svg
    assert spoken(root)[0] == 'R&D <script>"x"</script>: Operational'
    assert not list(root.iter(f"{SVG}script"))


@pytest.mark.parametrize(
    ("status", "variable"),
    [
        ("operational", "--status-ok"),
        ("none", "--status-ok"),
        ("under_maintenance", "--status-maintenance"),
        ("maintenance", "--status-maintenance"),
        ("degraded_performance", "--status-minor"),
        ("minor", "--status-minor"),
        ("partial_outage", "--status-major"),
        ("major", "--status-major"),
        ("major_outage", "--status-critical"),
        ("critical", "--status-critical"),
    ],
)
def test_badge_colours_are_the_pages_status_colours(status: str, variable: str) -> None:
    root_rule = re.search(r":root\s*\{([^}]*)\}", STATUS_CSS.read_text(encoding="utf-8"))
    assert root_rule is not None
    colour = re.search(rf"{re.escape(variable)}:\s*(#[0-9a-fA-F]{{3,6}})", root_rule.group(1))
    assert colour is not None
    fills = [r.get("fill") for r in parse(badges.badge("x", "y", status)).iter(f"{SVG}rect")]
    assert colour.group(1).lower() in fills


def test_longer_text_makes_a_wider_badge_whose_parts_add_up() -> None:
    short = parse(badges.badge("API", "Operational", "operational"))
    long = parse(badges.badge("Platform (Public API)", "Degraded performance", "degraded_performance"))
    assert int(long.get("width") or 0) > int(short.get("width") or 0)
    for root in (short, long):
        rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("#") and r.get("rx") is None]
        label, message = rects[0], rects[1]
        assert int(label.get("width") or 0) + int(message.get("width") or 0) == int(root.get("width") or 0)
        assert message.get("x") == label.get("width")


def test_non_latin_text_gets_room_too() -> None:
    latin = parse(badges.badge("Status", "OK", "operational"))
    wide = parse(badges.badge("状态", "正常运行", "operational"))
    assert int(wide.get("width") or 0) >= int(latin.get("width") or 0)


def test_the_site_has_an_overall_badge_and_one_per_component(built: Path) -> None:
    overall = parse((built / "badge.svg").read_text(encoding="utf-8"))
    assert spoken(overall)[0] == "Status: Partial system outage"
    expected = {
        "web": "Web shop: Degraded performance",
        "api": "Backend (Public API): Partial outage",
        "db": "Backend (Database): Under maintenance",
        "login": "Login: Operational",
    }
    for cid, label in expected.items():
        root = parse((built / "components" / cid / "badge.svg").read_text(encoding="utf-8"))
        assert spoken(root) == (label, label)
    # No badge under a language prefix: badges are root-only.
    assert not (built / "nb" / "badge.svg").exists()


def test_badges_name_components_in_the_sites_default_language() -> None:
    nb, en = Language("nb", "nb", "", "norsk bokmål"), Language("en", "en", "en/", "English")
    oslo = ZoneInfo("Europe/Oslo")
    settings = Settings(
        site_name="Status", site_url="https://status.example.com/", languages=(nb, en), required_languages=(),
        timezone=oslo, display_timezones=(oslo,),
        components=(Component("api", {"nb": "Offentlig API", "en": "Public API"}, {}, 1, group="backend"),),
        groups=(Group("backend", {"nb": "Bakside", "en": "Backend"}, {}, 0, ("api",)),),
    )
    now = dt.datetime(2026, 6, 15, 12, 0, tzinfo=oslo)
    files = badges.build(BuildData(StatusSite(settings, ()), now, Links(settings), Renderer()))
    assert set(files) == {"badge.svg", "components/api/badge.svg", "components/backend/badge.svg"}
    label = spoken(parse(str(files["components/api/badge.svg"])))[0]
    assert label is not None and label.startswith("Bakside (Offentlig API): ")
    group = spoken(parse(str(files["components/backend/badge.svg"])))[0]
    assert group is not None and group.startswith("Bakside: ")  # a group's badge: its own name, its worst member's status
