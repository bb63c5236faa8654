"""Feeds that readers and tools made for Statuspage's feeds read as they read Statuspage's.

``fixtures/statuspage/history.atom`` and ``history.rss`` have the structure of a real
Statuspage page's history feeds (its ids, links, dates and the content of an entry:
one paragraph per update, newest first, each opening with
``<small>Nov <var data-var='date'>21</var>, <var data-var='time'>20:30</var> CET</small><br><strong>Identified</strong> - ``).
Every generated history feed is held to that structure, and the updates are
extracted from both with the same two rules that tools apply to Statuspage's feeds
(a pattern over the HTML, and a walk over its elements).

Also here: two sites under one host read by one feedparser-based reader, the ids a
site at a root path has always published (written out by hand from the scheme),
and the W3C Feed Validator on a site whose names hold ``<`` and ``&``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, NamedTuple

import feedparser
import lxml.html
import pytest
from icalendar import Calendar
from lxml import etree

from conftest import BASE_CONFIG, Site
from feedvalidator_check import check_site, validator_dir
from mkdocs_status.l10n.catalogs import translations
from test_feeds import FILES

FIXTURES = Path(__file__).parent / "fixtures" / "statuspage"
ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY_FEEDS = ("history.atom", "history.rss", "nb/history.atom", "nb/history.rss",
                 "components/interact/history.atom", "nb/components/voice/history.rss")


class Said(NamedTuple):
    """One update as a tool reads it from a Statuspage feed entry."""

    status: str
    day: str
    time: str
    zone: str
    body: str


# -- the two extraction rules ---------------------------------------------------------

# Rule 1: a pattern over the entry's HTML, as feed bots written for Statuspage match it.
UPDATE = re.compile(r"<p>\s*<small>(?P<when>.*?)</small>\s*<br\s*/?>\s*<strong>(?P<status>[^<]+)</strong>\s*-\s*(?P<body>.*?)</p>", re.S)
WHEN = re.compile(r"<var data-var='date'>\s*(?P<day>\d+)\s*</var>.*?<var data-var='time'>(?P<time>\d\d:\d\d)</var>\s*(?P<zone>[^<\s]+)\s*$", re.S)
ENGLISH_WHEN = re.compile(r"^[A-Z][a-z]{2} <var data-var='date'>")  # "Nov <var …": Statuspage's English order


def by_pattern(content: str) -> list[Said]:
    out = []
    for m in UPDATE.finditer(content):
        when = WHEN.search(m.group("when"))
        assert when, m.group("when")
        out.append(Said(m.group("status"), when.group("day"), when.group("time"), when.group("zone"), text_of(m.group("body"))))
    return out


# Rule 2: the elements, as a tool that parses the HTML reads them: every <p> that opens with a <small>.
def by_elements(content: str) -> list[Said]:
    out = []
    for p in lxml.html.fragment_fromstring(content, create_parent="div").iter("p"):
        first = next(iter(p), None)
        if first is None or first.tag != "small" or (p.text or "").strip():
            continue
        day = first.find("var[@data-var='date']")
        time = first.find("var[@data-var='time']")
        strong = p.find("strong")
        assert day is not None and time is not None and strong is not None and first.getnext().tag == "br"
        body = (strong.tail or "").lstrip().removeprefix("-").strip() + "".join(etree.tostring(e, encoding="unicode") for e in strong.itersiblings())
        out.append(Said(strong.text_content(), day.text_content().strip(), time.text_content(), (time.tail or "").strip(), text_of(body)))
    return out


def text_of(fragment: str) -> str:
    spaced = re.sub(r"<br\s*/?>", " ", fragment)  # a line break reads as a space
    return " ".join(lxml.html.fragment_fromstring(f"<div>{spaced}</div>").text_content().split())


def contents(path: Path) -> list[str]:
    """Every entry's HTML content, as the XML carries it (feedparser would drop the data-var attributes)."""
    root = etree.fromstring(path.read_bytes())
    if root.tag == f"{ATOM}feed":
        return [e.findtext(f"{ATOM}content") or "" for e in root.iter(f"{ATOM}entry")]
    return [item.findtext("description") or "" for item in root.iter("item")]


def children(element: etree._Element) -> set[str]:
    return {etree.QName(c).localname for c in element if isinstance(c.tag, str)}


# -- the fixture: both rules read Statuspage's feeds -------------------------------------

STATUSPAGE_UPDATES = [
    [Said("Identified", "21", "20:30", "CET", "A certificate on the payment gateway expired. We are renewing it. Invoices are not affected."),
     Said("Investigating", "21", "20:02", "CET", "Payments in the billing portal fail. We are investigating.")],
    [Said("Resolved", "15", "10:40", "CEST", "SMS messages are delivered without delay again."),
     Said("Update", "15", "09:31", "CEST", "Delays are down to a few minutes."),
     Said("Investigating", "15", "08:50", "CEST", "Outbound SMS are delayed by up to 20 minutes.")],
]


@pytest.mark.parametrize("name", ["history.atom", "history.rss"])
def test_both_rules_extract_every_update_from_statuspages_own_feed(name: str) -> None:
    found = contents(FIXTURES / name)
    assert [by_pattern(c) for c in found] == STATUSPAGE_UPDATES
    assert [by_elements(c) for c in found] == STATUSPAGE_UPDATES
    assert all(ENGLISH_WHEN.match(m.group("when")) for c in found for m in UPDATE.finditer(c))


# -- our feeds ------------------------------------------------------------------------------

NB = translations("nb").gettext
# Every update of the test site's incidents, newest first: (status word, day, time in Oslo, zone).
UPDATES = {
    "2026-11-10-api-errors": [("Resolved", "20", "15:00"), ("Monitoring", "10", "12:00"), ("Investigating", "10", "09:00")],
    "2026-11-20-queue-login": [("Resolved", "20", "11:30"), ("Investigating", "20", "10:00")],
    "2026-11-28-database-upgrade": [("Scheduled", "19", "12:00")],
    "2026-11-18-calls-drop": [("Resolved", "18", "14:45"), ("Identified", "18", "14:00")],
}
FIRST_TEXT = {  # the opening words of each update's text, newest first, in English and Norwegian
    "2026-11-10-api-errors": (["Error rates have been normal", "A fix is deployed.", "Some API calls fail"],
                              ["Feilraten har vært normal", "En retting er rullet ut.", "Noen API-kall feiler"]),
    "2026-11-20-queue-login": (["Fixed.", "We are looking into it."], ["Løst.", "Vi undersøker saken."]),
    "2026-11-28-database-upgrade": (["We will upgrade the database."], ["Vi oppgraderer databasen."]),
    "2026-11-18-calls-drop": (["Calls connect again.", "A carrier is rejecting calls."], ["Samtaler kobles opp igjen.", "En operatør avviser samtaler."]),
}


def site_with_incidents(root: Path, **config: Any) -> Site:
    """The feed tests' site (tests/test_feeds.py's incidents) with some of mkdocs.yml changed."""
    site = Site(root, {**copy.deepcopy(BASE_CONFIG), **config})
    for name, text in FILES.items():
        site.add(name, text)
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_with_incidents(tmp_path_factory.mktemp("statuspage-form") / "src").build(strict=True)


@pytest.mark.parametrize("name", HISTORY_FEEDS)
def test_every_update_is_extracted_from_our_feeds_with_the_rules_that_read_statuspages(built: Path, name: str) -> None:
    lang = "nb" if name.startswith("nb/") else "en"
    word = NB if lang == "nb" else (lambda w: w)
    feed = feedparser.parse((built / name).read_bytes())
    assert feed.bozo == 0
    for entry, content in zip(feed.entries, contents(built / name), strict=True):
        incident = entry.link.rstrip("/").rsplit("/", 1)[-1]
        expected = [(word(status), day, time, "CET") for status, day, time in UPDATES[incident]]
        for rule in (by_pattern, by_elements):
            said = rule(content)
            assert [(s.status, s.day, s.time, s.zone) for s in said] == expected, (rule.__name__, incident)
            openings = FIRST_TEXT[incident][lang == "nb"]
            assert all(s.body.startswith(t) for s, t in zip(said, openings, strict=True)), (rule.__name__, said)
        if lang == "en":
            assert all(ENGLISH_WHEN.match(m.group("when")) for m in UPDATE.finditer(content)), "Statuspage's English order"
        else:
            assert "<var data-var='date'>20</var>. nov.," in content or incident != "2026-11-10-api-errors", "the language's own order"


def test_our_feeds_have_the_structure_of_statuspages(built: Path) -> None:
    theirs = etree.parse(str(FIXTURES / "history.atom")).getroot()
    ours = etree.parse(str(built / "history.atom")).getroot()
    assert children(theirs) <= children(ours)
    assert theirs.find(f"{ATOM}author/{ATOM}name") is not None and ours.find(f"{ATOM}author/{ATOM}name") is not None
    assert {link.get("rel") for link in ours.findall(f"{ATOM}link")} == {link.get("rel") for link in theirs.findall(f"{ATOM}link")}
    their_entry, our_entries = theirs.find(f"{ATOM}entry"), ours.findall(f"{ATOM}entry")
    for entry in our_entries:
        assert children(their_entry) <= children(entry)
        assert entry.find(f"{ATOM}content").get("type") == "html"
        assert entry.find(f"{ATOM}link").get("rel") == "alternate" and entry.find(f"{ATOM}link").get("type") == "text/html"
        assert entry.findtext(f"{ATOM}published") == entry.findtext(f"{ATOM}updated"), "dated at the latest update"
    rss_theirs = etree.parse(str(FIXTURES / "history.rss")).getroot().find("channel")
    rss_ours = etree.parse(str(built / "history.rss")).getroot().find("channel")
    assert children(rss_theirs) - {"item"} <= children(rss_ours)
    for item in rss_ours.iter("item"):
        assert children(rss_theirs.find("item")) <= children(item)
    atom_dates = [e.findtext(f"{ATOM}updated") for e in our_entries]
    rss_dates = [feedparser.parse((built / "history.rss").read_bytes()).entries[i].published_parsed for i in range(len(atom_dates))]
    assert [feedparser.parse((built / "history.atom").read_bytes()).entries[i].published_parsed for i in range(len(atom_dates))] == rss_dates


def test_this_projects_extras_follow_the_updates(built: Path) -> None:
    content = contents(built / "history.atom")[-1]  # the calls incident: critical, two components
    last_update = content.index("<strong>Identified</strong> - ")
    for extra in ("<strong>Critical impact</strong>", "This incident affected", "Engage (Voice)", '<ul class="status-updates">', " UTC</li>"):
        assert content.index(extra) > last_update, extra
    assert content.startswith("<p><small>Nov <var data-var='date'>18</var>, <var data-var='time'>14:45</var> CET</small><br><strong>Resolved</strong> - ")


# -- ids --------------------------------------------------------------------------------------


def test_a_site_at_a_root_path_keeps_every_id_it_has_published(built: Path) -> None:
    """Written out by hand from the scheme tag:<host>,2025:<lang>/… and <incident>@<host>: no re-announcement."""
    atom = etree.parse(str(built / "history.atom")).getroot()
    assert atom.findtext(f"{ATOM}id") == "tag:status.example.com,2025:en/history"
    assert atom.findtext(f"{ATOM}entry/{ATOM}id") == "tag:status.example.com,2025:en/incidents/2026-11-10-api-errors"
    updates = etree.parse(str(built / "nb/updates.atom")).getroot()
    assert updates.findtext(f"{ATOM}id") == "tag:status.example.com,2025:nb/updates"
    assert updates.findtext(f"{ATOM}entry/{ATOM}id") == "tag:status.example.com,2025:nb/incidents/2026-11-10-api-errors/updates/20261120T140000Z"
    rss = etree.parse(str(built / "updates.rss")).getroot()
    assert rss.findtext("channel/item/guid") == "tag:status.example.com,2025:en/incidents/2026-11-10-api-errors/updates/20261120T140000Z"
    assert etree.parse(str(built / "components/voice/history.atom")).getroot().findtext(f"{ATOM}id") == \
        "tag:status.example.com,2025:en/components/voice/history"
    uids = [str(ev["uid"]) for ev in Calendar.from_ical((built / "maintenance.ics").read_bytes()).walk("VEVENT")]
    assert uids == ["2026-11-28-database-upgrade@status.example.com"]


def test_two_sites_under_one_host_in_one_reader_hide_no_entry_of_each_other(tmp_path: Path) -> None:
    """A reader subscribed to every feed of both sites keeps entries by id, as feedparser-based readers do."""
    # The same incidents, so the same incident ids: the case in which ids used to collide.
    sites = [site_with_incidents(tmp_path / name, site_url=f"https://acme.github.io/{name}/").build(strict=True)
             for name in ("status", "eu-status")]
    kept: dict[str, Any] = {}
    read = 0
    for site in sites:
        for path in sorted(p for p in site.rglob("*") if p.suffix in (".atom", ".rss")):
            if path.suffix == ".rss" and path.with_suffix(".atom").exists():
                continue  # a reader subscribes to one format of a feed
            feed = feedparser.parse(path.read_bytes())
            assert feed.bozo == 0
            for entry in feed.entries:
                read += 1
                kept.setdefault(entry.id, entry)
    assert read > 40
    assert len(kept) == read, "no entry hid another: every feed of both sites keeps all its entries"
    calendars = [Calendar.from_ical((site / "maintenance.ics").read_bytes()) for site in sites]
    uids = [str(ev["uid"]) for cal in calendars for ev in cal.walk("VEVENT")]
    assert uids == ["2026-11-28-database-upgrade@acme.github.io/status", "2026-11-28-database-upgrade@acme.github.io/eu-status"]


# -- the W3C Feed Validator -------------------------------------------------------------------

NAMES_WITH_MARKUP = {"site_name": "Acme & <Ops> Status", "group": "Back & <End>", "voice": "R&D <Voice>", "interact": "Q&A <Desk>"}


def test_feeds_of_a_site_whose_names_hold_markup_characters_are_well_formed_and_escaped_once(
        make_site_with_names: Path) -> None:
    """The structural checks, which run wherever the W3C validator is not set up."""
    for path in sorted(p for p in make_site_with_names.rglob("*") if p.suffix in (".atom", ".rss")):
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, path
        assert feed.feed.title.startswith("Acme & <Ops> Status · "), path
        raw = path.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", raw).group(1)
        assert title.startswith(("Acme &amp; &lt;Ops&gt; Status", "Acme &#x26; &#x3C;Ops&gt; Status")), (path, title)
    voice = feedparser.parse((make_site_with_names / "components/voice/history.atom").read_bytes())
    assert voice.feed.title == "Acme & <Ops> Status · Back & <End> (R&D <Voice>) · Incident history"
    content = contents(make_site_with_names / "history.atom")[0]
    assert "Back &amp; &lt;End&gt; (Messaging)</a>" in content, "a name in the HTML content is text, escaped once"


@pytest.fixture
def make_site_with_names(tmp_path: Path) -> Path:
    site = site_with_incidents(tmp_path / "src", site_name=NAMES_WITH_MARKUP["site_name"], site_description="Status of R&D <tools> & more")
    site.plugin["components"] = [
        {"id": "interact", "name": NAMES_WITH_MARKUP["interact"]},
        {"group": NAMES_WITH_MARKUP["group"], "components": [
            {"id": "messaging", "name": "Messaging"}, {"id": "voice", "name": NAMES_WITH_MARKUP["voice"]}]},
    ]
    site.plugin["required_languages"] = ["en"]
    site.write_config()
    return site.build(strict=True)


@pytest.mark.skipif(validator_dir() is None, reason="W3C Feed Validator not set up: see tests/feedvalidator_check.py")
def test_the_w3c_feed_validator_finds_nothing_in_feeds_of_a_site_whose_names_hold_markup_characters(make_site_with_names: Path) -> None:
    assert check_site(make_site_with_names, "https://status.example.com/") == {}
