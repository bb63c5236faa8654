"""The per-update attribute block: `## Monitoring · 2026-11-21 20:30 {#k7f2 voice=operational notify=false}`."""

from __future__ import annotations

import pytest

from conftest import incident_text
from mkdocs_status.parse import ParseSettings, parse_incident
from test_validation import settings

PARSE = ParseSettings.from_settings(settings())


def incident(*headings: str) -> str:
    """An incident file whose updates have the given headings (each with a line of text)."""
    head = "---\ntitle: Calls drop\ntitle_nb: Samtaler faller ut\nimpact: major\ncomponents: [voice]\n---\n"
    body = "".join(f"\n{h}\n\nText.\n\n::: nb\nTekst.\n:::\n" for h in headings)
    return head + body


def parse(text: str):
    return parse_incident("incidents/x.md", "x", incident_text(text), PARSE)


def problems(text: str, level: str = "error") -> list[str]:
    return [d.format() for d in parse(text)[1] if d.level == level]


def test_attribute_block_sets_id_component_statuses_and_notify():
    found, diags = parse(incident(
        "## Investigating · 2026-11-21 20:00",
        "## Monitoring · 2026-11-21 20:30 {#k7f2 voice=operational messaging=degraded_performance notify=false}",
    ))
    assert diags == []
    first, second = found.updates
    assert (first.short_id, first.components, first.notify) == (None, {}, True)
    assert second.short_id == "k7f2"
    assert second.components == {"voice": "operational", "messaging": "degraded_performance"}
    assert second.notify is False
    assert second.key == "k7f2"
    assert first.key == "20261121T190000Z"  # 20:00 in Oslo, derived as before


def test_attribute_block_is_not_part_of_the_zone_or_shown_text():
    found, diags = parse(incident("## Resolved · 2026-11-21 20:30 UTC {#a1 notify=true}"))
    assert diags == []
    update = found.updates[0]
    assert update.at.utcoffset().total_seconds() == 0
    assert "{" not in "".join(update.texts.values()) and update.notify is True


def test_todays_derived_ids_can_be_written_verbatim():
    found, diags = parse(incident("## Investigating · 2025-11-12 22:24 {#20251112T212400Z}",
                                  "## Resolved · 2025-11-12 23:00 {#20251112T212400Z-1}"))
    assert diags == []
    assert [u.key for u in found.updates] == ["20251112T212400Z", "20251112T212400Z-1"]


@pytest.mark.parametrize(("block", "words"), [
    ("{voce=operational}", "unknown component 'voce' in the attribute block (did you mean 'voice'?)"),
    ("{voice=operatonal}", "unknown component status 'operatonal' for 'voice' (did you mean 'operational'?)"),
    ("{notfy=false}", "(did you mean 'notify'?)"),
    ("{notify=flase}", "'notify=flase' must be true or false (did you mean 'false'?)"),
    ("{voice=operational voice=major_outage}", "component 'voice' is set twice"),
    ("{#a1 #b2}", "second id '#b2'"),
    ("{#-x}", "'#-x' is not a valid update id"),
    ("{#a_b}", "'#a_b' is not a valid update id"),
    ("{.red}", "'.red' in the attribute block is not an id"),
    ("{engage=major_outage}", "'engage' is a group, not a component"),
    ("{#a1", "attribute block is not closed"),
])
def test_bad_attribute_is_an_error_naming_the_heading_line(block: str, words: str):
    errors = problems(incident("## Investigating · 2026-11-21 20:00", f"## Resolved · 2026-11-21 21:00 {block}"))
    assert len(errors) == 1, errors
    assert errors[0].startswith("incidents/x.md:16: error: ") and words in errors[0], errors


def test_the_same_id_twice_in_an_incident_is_an_error_ignoring_case():
    errors = problems(incident("## Investigating · 2026-11-21 20:00 {#k7f2}", "## Resolved · 2026-11-21 21:00 {#K7F2}"))
    assert errors == ["incidents/x.md:16: error: update id 'K7F2' is also the id of the update at line 8; give each update its own '{#id}'"]


def test_a_written_id_may_not_take_another_updates_derived_id():
    # 20:00 in Oslo is 19:00 UTC: the first update's derived id.
    errors = problems(incident("## Investigating · 2026-11-21 20:00", "## Resolved · 2026-11-21 21:00 {#20261121T190000Z}"))
    assert len(errors) == 1 and "incidents/x.md:16:" in errors[0] and "also the id of the update at line 8" in errors[0]


def test_a_heading_without_a_block_is_read_as_before():
    found, diags = parse(incident("## Investigating · 2026-11-21 20:00 Europe/Oslo"))
    assert diags == [] and found.updates[0].short_id is None and found.updates[0].key == "20261121T190000Z"
