"""Property-based: the parser never crashes, and never drops a valid update."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_status.authoring import scan
from mkdocs_status.parse.incident import ParseSettings, parse_incident
from test_validation import settings as site_settings

SETTINGS = ParseSettings(
    languages=("en", "nb", "de"),
    required_languages=("en",),
    timezone=ZoneInfo("Europe/Oslo"),
    components=("interact", "messaging"),
    groups={"engage": ("messaging",)},
)
AUTHORING_SETTINGS = site_settings()
STATUSES = ["Investigating", "identified", "UPDATE", "Monitoring", "resolved", "Postmortem"]
SEPARATORS = ["·", "-", "–", "—", "|", "@", ""]
ZONES = ["", " Z", " UTC", " +01:00", " -0530", " +02", " Europe/Oslo", " America/Sao_Paulo", " Asia/Kolkata"]
SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="#:`~=-\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"), min_size=1, max_size=40)


@st.composite
def valid_files(draw: st.DrawFn) -> tuple[str, list[tuple[dt.datetime, str, dict[str, str]]]]:
    n = draw(st.integers(1, 6))
    start = draw(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1))).replace(microsecond=0)
    updates = []
    at = start
    for i in range(n):
        at = at + dt.timedelta(minutes=draw(st.integers(1, 3000)))
        status = draw(st.sampled_from(STATUSES[:1] if i == 0 else STATUSES))
        texts = {"en": draw(SAFE_TEXT).strip() or "x"}
        if draw(st.booleans()):
            texts["nb"] = draw(SAFE_TEXT).strip() or "y"
        updates.append((at, status, texts))
    order = draw(st.sampled_from(["oldest", "newest"]))
    chunks = ["---", "title: Something broke", "title_nb: Noe feilet", "impact: minor", "components: [interact]", "---", ""]
    for at, status, texts in updates if order == "oldest" else list(reversed(updates)):
        sep = draw(st.sampled_from(SEPARATORS))
        tsep = draw(st.sampled_from([" ", "T"]))
        stamp = at.replace(tzinfo=dt.timezone.utc).strftime(f"%Y-%m-%d{tsep}%H:%M:%S")
        chunks += [f"## {status} {sep} {stamp} UTC".replace("  ", " "), "", "P " + texts["en"], ""]
        if "nb" in texts:
            chunks += ["::: nb", "P " + texts["nb"], ":::", ""]
    return "\n".join(chunks), updates


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_files())
def test_no_valid_update_is_ever_dropped(case):
    text, updates = case
    incident, diags = parse_incident("incidents/x.md", "x", text, SETTINGS)
    assert [d for d in diags if d.level == "error"] == [], [d.format() for d in diags]
    assert incident is not None
    assert len(incident.updates) == len(updates)
    got = sorted((u.utc, u.texts.get("en")) for u in incident.updates)
    want = sorted((at.replace(tzinfo=dt.timezone.utc), "P " + texts["en"]) for at, _, texts in updates)
    assert got == want
    for update, (_, _, texts) in zip(incident.updates, sorted(updates, key=lambda u: u[0]), strict=True):
        if "nb" in texts:
            assert update.texts["nb"] == "P " + texts["nb"]


LINES = st.sampled_from([
    "---", "...", "title: A", "title_nb: B", "title_xx: C", "impact: major", "impact: [", "components: [interact]",
    "components: {interact: major_outage}", "components: [nope]", "type: maintenance", 'scheduled_for: "2026-01-01 10:00"',
    'scheduled_until: "2026-01-01 09:00"', "lang: nb", "timezone: Mars/Base", "machine_translated: [nb]", 'started_at: "x"',
    "## Investigating · 2026-01-01 10:00", "## Resolved · 2026-01-01 11:00 +01:00", "## Update - 2026-02-30 10:00",
    "## In progress · 2026-01-01 10:00 Europe/Oslo", "## Timeline", "## ", "##", "##Resolved 2026-01-01T10:00:00Z",
    "::: nb", "::: en", ":::", "::: note", "```", "~~~", "text", "", "   ", "# heading", "----", "====", "- [x] done",
    "## Scheduled · 2026-03-29 02:30", "## Resolved · 2026-10-25 02:30", "key: 'unterminated", "\t", "\ufeff---",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES | st.text(max_size=30), max_size=30))
def test_random_and_mutated_files_never_crash_the_parser(lines):
    text = "\n".join(lines)
    incident, diags = parse_incident("incidents/y.md", "y", text, SETTINGS)
    n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for d in diags:
        assert d.level in ("error", "warning")
        assert d.file == "incidents/y.md"
        assert 0 <= d.line <= n_lines
    if incident is not None:
        assert not [d for d in diags if d.level == "error"]
        assert incident.updates


@settings(max_examples=200, deadline=None)
@given(valid_files(), st.data())
def test_mutating_a_valid_file_either_keeps_every_update_or_reports_an_error(case, data):
    text, updates = case
    lines = text.split("\n")
    i = data.draw(st.integers(0, len(lines) - 1))
    mutation = data.draw(st.sampled_from(["delete", "duplicate", "garble"]))
    if mutation == "delete":
        del lines[i]
    elif mutation == "duplicate":
        lines.insert(i, lines[i])
    else:
        lines[i] = lines[i][: len(lines[i]) // 2]
    mutated = "\n".join(lines)
    incident, diags = parse_incident("incidents/z.md", "z", mutated, SETTINGS)
    if incident is None:
        assert [d for d in diags if d.level == "error"]
        return
    # Every heading line that survived is an update of the model.
    headings = [line for line in lines if line.startswith("## ")]
    assert len(incident.updates) == len(headings)


# -- one lexer: nothing that reads as an update is lost without a word --------------------------------------------

UPDATE_LIKE = ["## Investigating · 2026-11-20 10:00", "## Resolved · 2026-11-20 11:00", "### Resolved · 2026-11-20 11:00",
               "# Monitoring - 2026-11-20 10:30", "  ## Update · 2026-11-20 10:40", "#### Identified 2026-11-20 10:20 UTC"]
OTHER_LINES = ["```", "```python", "~~~", "````", "::: nb", ":::", "Some text.", "", "---", "#hashtag", "### Timeline", "- item"]
_ORACLE_FENCE = re.compile(r"\s*(`{3,}|~{3,})")
_ORACLE_UPDATE = re.compile(r" {0,3}#+ ?(Investigating|Identified|Update|Monitoring|Resolved)\b.*\d{2}:\d{2}")


def oracle_code_lines(lines: list[str]) -> tuple[set[int], int | None]:
    """(1-based lines inside fenced code, the line of a fence still open at the end): CommonMark's fence rule, written here again."""
    code: set[int] = set()
    fence: tuple[str, int, int] | None = None
    for number, line in enumerate(lines, 1):
        m = _ORACLE_FENCE.match(line)
        if fence is None:
            if m:
                fence = (m.group(1)[0], len(m.group(1)), number)
                code.add(number)
        else:
            code.add(number)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not line[m.end():].strip():
                fence = None
    return code, fence[2] if fence else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(UPDATE_LIKE + OTHER_LINES), min_size=1, max_size=14))
def test_every_line_that_reads_as_an_update_is_one_or_is_reported(body: list[str]):
    head = ["---", "title: T", "title_nb: T", "impact: minor", "---", "## Investigating · 2026-11-20 09:00", "", "Text.", ""]
    lines = head + body
    text = "\n".join(lines) + "\n"
    incident, diags = parse_incident("x.md", "x", text, SETTINGS)
    error_lines = {d.line for d in diags if d.level == "error"}
    code, open_fence = oracle_code_lines(lines)
    headings = [h.line for h in scan(text, AUTHORING_SETTINGS).headings]
    if open_fence is not None:
        assert open_fence in error_lines, (open_fence, [d.format() for d in diags])
    for number, line in enumerate(lines, 1):
        if number not in code and _ORACLE_UPDATE.match(line):
            assert number in headings or number in error_lines, (number, line, [d.format() for d in diags])
    # The authoring commands see exactly the update headings the parser reads.
    if incident is not None:
        assert sorted(u.line for u in incident.updates) == headings
