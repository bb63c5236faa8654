"""README screenshots of the example site's overview, taken with Debian's Chromium.

Builds the example site with "now" pinned (SOURCE_DATE_EPOCH, the same instant the
tests use), serves it from 127.0.0.1 and saves, into docs/screenshots/:

* overview-light.png  desktop, light scheme
* overview-dark.png   desktop, dark scheme
* overview-phone.png  375 px wide phone, light scheme

The browser's clock, time zone (Europe/Oslo) and locale are pinned too, so the
pictures change only when the site does. Run after changing templates or CSS:

    python scripts/screenshots.py [--out docs/screenshots] [--full-page]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser.sitekit import EXAMPLE_EPOCH, LAUNCH_ARGS, build_example, chromium_path, serve  # noqa: E402

SHOTS = {
    "overview-light.png": {"viewport": {"width": 1280, "height": 1000}, "color_scheme": "light", "device_scale_factor": 1},
    "overview-dark.png": {"viewport": {"width": 1280, "height": 1000}, "color_scheme": "dark", "device_scale_factor": 1},
    "overview-phone.png": {"viewport": {"width": 375, "height": 812}, "color_scheme": "light", "device_scale_factor": 2,
                           "is_mobile": True, "has_touch": True},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="folder for the PNG files")
    parser.add_argument("--full-page", action="store_true", help="the whole page instead of the first screen")
    args = parser.parse_args(argv)
    executable = chromium_path()
    if executable is None:
        print("screenshots: Chromium is not installed; run scripts/install-test-tools", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.fromtimestamp(EXAMPLE_EPOCH, dt.timezone.utc)
    with tempfile.TemporaryDirectory(prefix="status-shots-") as tmp:
        site = build_example(Path(tmp) / "site")
        with serve(site) as base_url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            for name, options in SHOTS.items():
                context = browser.new_context(timezone_id="Europe/Oslo", locale="en-US", **options)
                # Only this site: anything else would make the pictures depend on the network.
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
                context.clock.install(time=now)
                page = context.new_page()
                page.goto(f"{base_url}/")
                page.wait_for_load_state("networkidle")
                page.evaluate("document.fonts.ready")
                path = args.out / name
                page.screenshot(path=str(path), full_page=args.full_page, animations="disabled", caret="hide")
                print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
