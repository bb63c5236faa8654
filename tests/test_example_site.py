"""The example site builds into a complete status site; every update is on its page."""

from __future__ import annotations

import filecmp
import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

import dom
from cli_run import run_cli
from conftest import ROOT, build_example

INCIDENTS = sorted(p for p in (ROOT / "incidents").rglob("*.md") if p.name != "README.md")
HEADING = re.compile(r"^##(?=[ \t]|[^\W\d_])", re.MULTILINE)


@pytest.fixture
def example(example_site: Path) -> Path:
    """The example site built once per run: these tests only read it."""
    return example_site


def text_of(page: Path) -> str:
    """What a reader of ``page`` reads: its visible text, entities decoded."""
    return dom.visible_text(dom.page(page))


def words(markdown: str) -> list[str]:
    """Distinctive plain-text runs of a Markdown body, independent of the renderer."""
    out = []
    in_fence = False
    markdown = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    for line in markdown.splitlines():
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(":::") or line.startswith("#"):
            continue
        line = re.sub(r"^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?", "", line)
        line = re.sub(r"[*_`>|]", "", line).strip()
        if len(line) > 12:
            out.append(" ".join(line.split()[:6]))
    return out


def test_every_page_kind_exists_in_every_language(example: Path):
    for prefix in ("", "nb/"):
        assert (example / prefix / "index.html").exists()
        assert (example / prefix / "history" / "index.html").exists()
        for path in INCIDENTS:
            assert (example / prefix / "incidents" / path.stem / "index.html").exists(), path.stem
        for cid in ("interact", "messaging", "voice", "email", "api", "login", "reporting"):
            assert (example / prefix / "components" / cid / "index.html").exists()


@pytest.mark.parametrize("source", INCIDENTS, ids=lambda p: p.stem)
def test_every_update_appears_on_its_incident_page(example: Path, source: Path):
    text = source.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    headings = len(HEADING.findall(body))
    for prefix in ("", "nb/"):
        page = dom.page(example / prefix / "incidents" / source.stem)
        # What the page shows now (templates hold the updates kept for the script to show between builds),
        # and besides the file's updates those the build posted when a window opened or closed.
        updates = dom.select(page, "li.status-update")
        assert len([u for u in updates if dom.attr(u, "data-status-automatic") is None]) == headings
        assert all(dom.select(u, "time.status-time[datetime]") for u in updates)
    # Every line of text, in both languages, is on the page of its language.
    en_page = text_of(example / "incidents" / source.stem / "index.html")
    nb_page = text_of(example / "nb" / "incidents" / source.stem / "index.html")
    blocks = re.split(r"^::: *(\w+)\n(.*?)^:::\n", body, flags=re.S | re.M)
    own = "nb" if re.search(r"^lang: nb", text, re.M) else "en"
    outside = "".join(blocks[0::3])
    inside = {lang: [] for lang in ("en", "nb")}
    for lang, chunk in zip(blocks[1::3], blocks[2::3], strict=True):
        inside[lang].append(chunk)
    pages = {"en": en_page, "nb": nb_page}
    for run in words(outside):
        assert html.unescape(run) in pages[own], run
    for lang, chunks in inside.items():
        for run in words("".join(chunks)):
            assert run in pages[lang], run


def test_times_carry_the_exact_instant(example: Path):
    page = dom.page(example / "incidents" / "2026-03-29-agents-logged-out-clock-skew")
    stamps = dom.attrs(page, "time.status-time", "datetime")
    # Written as local Oslo time on the night summer time began: CET before, CEST after.
    assert any(s.endswith("+01:00") and s.startswith("2026-03-29T01:") for s in stamps)
    assert any(s.endswith("+02:00") and s.startswith("2026-03-29T0") for s in stamps)


def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(tmp_path: Path, example: Path):
    again = build_example(tmp_path)
    cmp = filecmp.dircmp(example, again)

    def differences(c: filecmp.dircmp) -> list[str]:
        out = [*c.left_only, *c.right_only, *c.diff_files]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out += mismatch + errors
        for sub in c.subdirs.values():
            out += differences(sub)
        return out

    assert differences(cmp) == []


def test_site_under_a_sub_path_has_no_broken_links(tmp_path: Path):
    site = build_example(tmp_path, site_url="https://example.github.io/status/")
    broken = []
    pages = [p for p in site.rglob("*.html") if "search" not in p.parts]
    for page in pages:
        links = [link for el in dom.select(dom.page(page), "[href], [src]", templates=True)
                 for link in (dom.attr(el, "href"), dom.attr(el, "src")) if link]
        page_url = "https://example.github.io/status/" + page.relative_to(site).as_posix()
        for link in links:
            target = urljoin(page_url, link)
            parts = urlsplit(target)
            if parts.netloc != "example.github.io":
                continue
            assert parts.path.startswith("/status/"), (page, link)
            local = site / parts.path[len("/status/"):]
            if parts.path.endswith("/"):
                local = local / "index.html"
            if not local.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert broken == []


def test_norwegian_pages_declare_their_language_and_link_their_twins(example: Path):
    nb = dom.page(example / "nb" / "incidents" / "2026-06-03-database-failover")
    assert dom.lang(nb) == "nb"
    twins = {dom.attr(link, "hreflang"): dom.attr(link, "href") for link in dom.select(nb, "head link[rel=alternate][hreflang]")}
    assert twins == {"en": "../../../incidents/2026-06-03-database-failover/", "nb": "./",
                     "x-default": "../../../incidents/2026-06-03-database-failover/"}
    en = dom.page(example / "incidents" / "2026-06-03-database-failover")
    assert dom.lang(en) == "en"
    assert dom.attrs(en, "head link[rel=alternate][hreflang=nb]", "href") == ["../../nb/incidents/2026-06-03-database-failover/"]
    assert dom.attrs(en, "a.md-select__link[hreflang=nb]", "href") == ["../../nb/incidents/2026-06-03-database-failover/"]


def _strict_build(config: Path, site_dir: Path, epoch: int | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    # Not -q: quiet mode drops warnings before --strict counts them.
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
                          env=env, capture_output=True, text=True, check=False)


YEAR = 365 * 24 * 3600


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file() and not p.name.startswith("sitemap")}


@pytest.mark.parametrize("years_ahead", [None, 1, 3])
def test_the_example_builds_strict_and_reads_the_same_on_any_date(tmp_path: Path, example: Path, years_ahead: int | None):
    """The example is a snapshot (its `now:` option): no warning appears because the calendar moved on,
    and every page is what it was on the day the example was written (only the sitemap's dates move)."""
    epoch = None if years_ahead is None else int(time.time()) + years_ahead * YEAR
    done = _strict_build(ROOT / "mkdocs.yml", tmp_path / "site", epoch)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stdout + done.stderr
    overview = dom.page(tmp_path / "site")
    assert dom.select(overview, "#active-incidents"), "the example still shows an incident in progress"
    built, reference = _files(tmp_path / "site"), _files(example)
    assert sorted(built) == sorted(reference)
    assert [name for name in built if built[name] != reference[name]] == []


def test_check_is_clean_on_the_example_on_any_date():
    for years_ahead in (1, 3):
        done = run_cli(ROOT, "check", "--strict", env={"SOURCE_DATE_EPOCH": str(int(time.time()) + years_ahead * YEAR)})
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 errors, 0 warnings" in done.stdout + done.stderr
