"""How long a build takes for one incident whose update is a single paragraph of N MB.

Markdown's inline processing is quadratic in the length of a paragraph with markup; the
plugin caps an update at 128 KB and a file at 1 MB (README "Limits"), so a longer update is
refused at its line instead of holding the build. For each size, a site with that one
incident is built with the real ``mkdocs build`` and the wall time and outcome are printed
(a plain site of the same shape first, as the floor). Prints figures; asserts nothing.

    python benchmarks/input_size.py [--sizes 0.1,0.9,5] [--markup]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import CONFIG  # noqa: E402 - the check benchmark's site configuration

PLAIN = "the queue login fails for some agents while we investigate the database restart".split()
MARKUP = [*PLAIN, "*slow*", "`conn_id=42`", "[status](https://example.com/)", "a&b"]


def paragraph(megabytes: float, words: list[str]) -> str:
    """One paragraph of about ``megabytes`` MB made of ``words``, reproducibly."""
    rng = random.Random(1)
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def make_site(root: Path, text: str) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "incidents").mkdir()
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (root / "incidents" / "2026-11-20-big.md").write_text(
        "---\ntitle: A long update\nimpact: major\ncomponents: [api]\n---\n\n"
        f"## Investigating · 2026-11-20 10:00\n\n{text}\n\n## Resolved · 2026-11-20 11:00\n\nDone.\n", encoding="utf-8")


def build(text: str) -> tuple[float, str]:
    root = Path(tempfile.mkdtemp(prefix="mkdocs-status-size-"))
    try:
        make_site(root, text)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795294800", "NO_MKDOCS_2_WARNING": "1"}
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root, env=env, capture_output=True, text=True)
        took = time.perf_counter() - started
        lines = [line for line in result.stderr.splitlines() if "incidents/" in line]
        outcome = "built" if result.returncode == 0 else f"refused: {lines[-1].strip() if lines else result.stderr[-200:]}"
        return took, outcome
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0.1,0.9,5", help="paragraph sizes in MB, comma-separated")
    parser.add_argument("--markup", action="store_true", help="every fifth word or so is emphasis, code, a link or an entity")
    args = parser.parse_args()
    words = MARKUP if args.markup else PLAIN
    took, outcome = build("Short.")
    print(f"floor (a one-line update): {took:.2f} s, {outcome}")
    for size in (float(s) for s in args.sizes.split(",")):
        took, outcome = build(paragraph(size, words))
        print(f"{size:g} MB one-paragraph update{' with markup' if args.markup else ''}: {took:.2f} s, {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
