"""Run the W3C Feed Validator (github.com/w3c/feedvalidator) over built feeds, offline.

The validator is Python 3 source, not a PyPI package. It is looked up in
``$FEEDVALIDATOR_DIR``, else in ``.cache/feedvalidator`` of this repository (git
ignores ``/.cache/``). Set it up once, then run it over a built site::

    git clone https://github.com/w3c/feedvalidator .cache/feedvalidator   # any copy of that repository
    git -C .cache/feedvalidator checkout 43dabeb217bd8d8b0a3f12f3a6e7c39a8619d9a8
    pip install lxml html5lib rdflib                                    # its requirements.txt
    python3 tests/feedvalidator_check.py site https://status.nordlys.example/

Each feed is validated as the online validator does it ("AA": errors and
warnings, first occurrence of each), with the feed's own URL as its location, so
a self link that does not match where the feed is published is reported too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIA_TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml"}


def validator_dir() -> Path | None:
    """The validator checkout, or None when it is not set up."""
    configured = os.environ.get("FEEDVALIDATOR_DIR")
    path = Path(configured) if configured else ROOT / ".cache" / "feedvalidator"
    return path if (path / "src" / "feedvalidator" / "__init__.py").is_file() else None


def _load(path: Path):  # noqa: ANN202 - the validator module has no types
    src = str(path / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import feedvalidator  # type: ignore[import-not-found]

    return feedvalidator


def problems(feed: Path, url: str, checkout: Path | None = None) -> list[str]:
    """The validator's errors and warnings for one feed file published at ``url``."""
    checkout = checkout or validator_dir()
    if checkout is None:
        raise RuntimeError("the W3C Feed Validator is not set up (see this file's docstring)")
    fv = _load(checkout)
    from feedvalidator import compatibility  # type: ignore[import-not-found]
    from feedvalidator.formatter.text_plain import Formatter  # type: ignore[import-not-found]

    with feed.open("rb") as fp:
        events = fv.validateStream(fp, firstOccurrenceOnly=1, contentType=MEDIA_TYPES[feed.suffix], base=url)["loggedEvents"]
    events = compatibility.AA(events)
    formatted = Formatter(events)
    return [f"{type(events[i]).__name__}: {formatted[i]}" for i in range(len(events))]


def site_feeds(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*") if p.suffix in MEDIA_TYPES)


def check_site(site_dir: Path, site_url: str, checkout: Path | None = None) -> dict[str, list[str]]:
    """{site-relative path: problems} for every feed of a built site that has any."""
    base = site_url.rstrip("/") + "/"
    out = {}
    for feed in site_feeds(site_dir):
        rel = feed.relative_to(site_dir).as_posix()
        found = problems(feed, base + rel, checkout)
        if found:
            out[rel] = found
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: feedvalidator_check.py SITE_DIR SITE_URL", file=sys.stderr)
        return 2
    site_dir, site_url = Path(argv[0]), argv[1]
    if validator_dir() is None:
        print("the W3C Feed Validator is not set up: see tests/feedvalidator_check.py", file=sys.stderr)
        return 2
    feeds = site_feeds(site_dir)
    found = check_site(site_dir, site_url)
    for rel, lines in found.items():
        for line in lines:
            print(f"{rel}: {line}")
    print(f"{len(feeds)} feeds checked, {len(found)} with problems")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
