"""Building, serving and opening status sites for the browser tests and scripts.

Used by ``tests/browser/`` (fixtures), ``tests/test_safe_output.py`` and
``scripts/screenshots.py``. Everything here stays on this machine: sites are
served from 127.0.0.1 and Chromium is Debian's, launched without any of its
background network traffic.
"""

from __future__ import annotations

import functools
import glob
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
# 2026-11-21T21:00:00Z: the example's "now" (one active incident, one maintenance
# in progress, one upcoming). Builds and the browser's clock are pinned to it.
EXAMPLE_EPOCH = 1795294800

CHROMIUM = os.environ.get("STATUS_TEST_CHROMIUM", "/usr/bin/chromium")
# As verified in ENGINEERING.md: Debian's Chromium, none of its own network traffic.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Where scripts/install-test-tools puts vnu-jar (npm --prefix); .cache/ is git-ignored.
TOOLS_DIR = Path(os.environ.get("STATUS_TOOLS_DIR", REPO / ".cache" / "test-tools"))


def in_ci() -> bool:
    """CI sets CI=true: a missing tool is then a failure, never a skip."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def chromium_path() -> str | None:
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    return found or None


def java_path() -> str | None:
    return shutil.which("java")


def vnu_jar() -> Path | None:
    """The Nu Html Checker's jar: $VNU_JAR, the tools cache, or a node_modules in the repo."""
    candidates = [os.environ.get("VNU_JAR", "")]
    candidates += [str(TOOLS_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"),
                   str(REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")]
    candidates += glob.glob("/usr/local/lib/node_modules/vnu-jar/build/dist/vnu.jar")
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def build_site(config_file: Path, site_dir: Path, *, epoch: int = EXAMPLE_EPOCH, strict: bool = True) -> Path:
    """``mkdocs build`` in a subprocess with "now" pinned; raises with MkDocs' output on failure."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(site_dir)]
    if strict:
        cmd.append("--strict")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return site_dir


def build_example(site_dir: Path, *, epoch: int = EXAMPLE_EPOCH) -> Path:
    """The example site built strictly into ``site_dir``, as a live site.

    The example pins its "now" (the ``now:`` option) so that it reads the same on
    any date; its pages then tell the page script to keep to that instant. These
    tests move the browser's clock to see what a reader sees between two builds,
    so they build a copy without the pin, at the same instant (``epoch``).
    """
    src = site_dir.parent / "example-src"
    if not src.exists():
        shutil.copytree(REPO, src, ignore=shutil.ignore_patterns("site", ".git", ".cache", "node_modules", ".venv*", "tests", "__pycache__"))
        config = src / "mkdocs.yml"
        text, pins = re.subn(r"(?m)^\s+now:.*\n", "", config.read_text(encoding="utf-8"))
        assert pins == 1, "the example's mkdocs.yml pins its now: with one `now:` line"
        config.write_text(text, encoding="utf-8")
    return build_site(src / "mkdocs.yml", site_dir, epoch=epoch)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".rss": "application/rss+xml",
        ".ics": "text/calendar",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def read_headers_file(path: Path) -> list[tuple[re.Pattern[str], list[tuple[str, str]]]]:
    """The rules of a Netlify / Cloudflare Pages ``_headers`` file: (path pattern, [(name, value)]).

    A line starting with "/" opens a rule (``*`` matches anything, slashes included); indented
    ``Name: value`` lines below it are its headers; ``#`` lines are comments.
    """
    rules: list[tuple[re.Pattern[str], list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((re.compile(re.escape(line.strip()).replace(r"\*", ".*") + r"\Z"), []))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _HostHandler(_QuietHandler):
    """Serves a folder as Netlify or Cloudflare Pages would: with the headers its ``_headers`` file gives."""

    rules: list[tuple[re.Pattern[str], list[tuple[str, str]]]] = []

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        for pattern, pairs in self.rules:
            if pattern.match(path):
                for name, value in pairs:
                    self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve(directory: Path, *, host_headers: bool = False) -> Iterator[str]:
    """Serve a folder from 127.0.0.1 on an ephemeral port; yields the base URL (no trailing slash).

    ``host_headers``: send the headers the folder's ``_headers`` file gives, as Netlify and Cloudflare Pages do.
    """
    handler_class: type[_QuietHandler] = _QuietHandler
    if host_headers:
        handler_class = type("HostHandler", (_HostHandler,), {"rules": read_headers_file(directory / "_headers")})
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="status-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- what the example's sources say (to compare pages with) -------------------

HEADING = re.compile(r"^##(?=[ \t]|[^\W\d_])(.*)$", re.MULTILINE)
STATUS_WORD = re.compile(r"\s*(in[ _]progress|[a-z]+)", re.IGNORECASE)


def incident_files(root: Path = REPO) -> list[Path]:
    """The example's incident files, as the plugin discovers them."""
    return sorted(p for p in (root / "incidents").rglob("*.md") if p.name != "README.md" and not p.name.startswith(("_", ".")))


def incident_file(incident_id: str, root: Path = REPO) -> Path:
    return next(p for p in incident_files(root) if p.stem == incident_id)


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def update_statuses(path: Path) -> list[str]:
    """The status word of every update heading in the file, in file order (``in_progress`` normalised)."""
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    body = re.sub(r"^(```|~~~).*?^\1", "", body, flags=re.S | re.M)  # headings inside fences are code
    words = []
    for rest in HEADING.findall(body):
        m = STATUS_WORD.match(rest)
        assert m, rest
        words.append(re.sub(r"[ _]", "_", m.group(1).lower()))
    return words


def status_config(root: Path = REPO) -> dict[str, Any]:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "status" in entry:
            return entry["status"]
    raise KeyError("status")


def component_labels(lang: str, root: Path = REPO) -> dict[str, str]:
    """``{id: label}`` as PRODUCT.md §3 says a component is shown: ``Group (Component)``, localized."""

    def name(item: dict[str, Any], fallback: str) -> str:
        return item.get(f"name_{lang}") or item.get("name") or fallback

    labels: dict[str, str] = {}
    for item in status_config(root)["components"]:
        if "group" in item:
            group = item.get(f"name_{lang}") or item["group"]
            for comp in item["components"]:
                labels[comp["id"]] = f"{group} ({name(comp, comp['id'])})"
        else:
            labels[item["id"]] = name(item, item["id"])
    return labels


# -- a site whose every text field is an attack (tests/test_safe_output.py, test_browser_hostile.py) --

# Every payload carries "pwned", so any trace of one that survives as markup is easy to find.
PAYLOADS = [
    "<script>alert('pwned-script')</script>",
    "<img src=x onerror=\"alert('pwned-img')\">",
    "<iframe src=\"https://evil.example/pwned-iframe\"></iframe>",
    "[markdown link](javascript:alert('pwned-mdlink'))",
    "![markdown image](javascript:alert('pwned-mdimg'))",
    "<a href=\"javascript:alert('pwned-a')\">raw link</a>",
    "<a href=\"jav&#x09;ascript:alert('pwned-entity')\">entity link</a>",
    "<a href=\"https://example.com/ok\" onclick=\"alert('pwned-onclick')\">ok link</a>",
    "<svg><script>alert('pwned-svg')</script></svg>",
    "<svg onload=\"alert('pwned-svgload')\"></svg>",
    "<object data=\"javascript:alert('pwned-object')\"></object>",
    "<embed src=\"javascript:alert('pwned-embed')\">",
    "<details open ontoggle=\"alert('pwned-toggle')\"><summary>details</summary></details>",
    "<form action=\"javascript:alert('pwned-form')\"><button formaction=\"javascript:alert('pwned-fa')\">go</button></form>",
    "<div style=\"background:url(javascript:alert('pwned-style'))\">styled</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('pwned-mxss')></style></mglyph></table></mtext></math>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('pwned-meta')\">",
    "<base href=\"https://evil.example/pwned-base/\">",
    "<style>body{background:url(https://evil.example/pwned-css)}</style>",
    "<link rel=\"stylesheet\" href=\"https://evil.example/pwned.css\">",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduZWQnKTwvc2NyaXB0Pg==)",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('pwned-noscript')>\"></noscript>",
    "`<script>alert('pwned-code')</script>` is shown as code",
]
HOSTILE_TITLE = "<script>alert('pwned-title')</script> & \"quotes\" <b>bold</b> </title><img src=x onerror=alert('pwned-title2')>"
HOSTILE_TITLE_NB = "<img src=x onerror=alert('pwned-title-nb')> javascript:alert('pwned-title-nb2') <iframe src=x>"
HOSTILE_MAINTENANCE = "<svg onload=alert('pwned-maint')> Maintenance & <script>alert('pwned-maint2')</script>"
HOSTILE_NAMES = {
    "interact": "<img src=x onerror=alert('pwned-comp')>",
    "interact_nb": "<script>alert('pwned-comp-nb')</script>",
    "group": "\"><svg onload=alert('pwned-group')>",
    "voice": "Voice <b onmouseover=alert('pwned-voice')>x</b>",
}


# Configured descriptions are plain text like names; the code span's text is text the author meant.
HOSTILE_DESCRIPTIONS = {"interact": PAYLOADS[0], "voice": PAYLOADS[1]}
CODE_TEXT = "<script>alert('pwned-code')</script>"


def hostile_plain_texts() -> list[str]:
    """Every string the hostile site defines as plain text (it may contain '<' and must show as written)."""
    group = HOSTILE_NAMES["group"]
    texts = [HOSTILE_TITLE, HOSTILE_TITLE_NB, HOSTILE_MAINTENANCE, CODE_TEXT, *HOSTILE_NAMES.values(), *HOSTILE_DESCRIPTIONS.values()]
    texts += [f"{group} ({HOSTILE_NAMES['voice']})"]
    return sorted(set(texts), key=len, reverse=True)


def write_hostile_site(root: Path) -> Path:
    """A status site (en + nb) with attacks in titles, update text and component names; returns mkdocs.yml."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    config = {
        "site_name": "Hostile Status",
        "site_url": "https://status.example.com/",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables",
                                {"pymdownx.tasklist": {"custom_checkbox": True}}, "pymdownx.superfences"],
        "plugins": ["search", {"status": {
            "languages": ["en", "nb"],
            "timezone": "Europe/Oslo",
            "display_timezones": ["Europe/Oslo", "UTC"],
            "components": [
                {"id": "interact", "name": HOSTILE_NAMES["interact"], "name_nb": HOSTILE_NAMES["interact_nb"],
                 "description": HOSTILE_DESCRIPTIONS["interact"]},
                {"group": HOSTILE_NAMES["group"], "id": "engage", "components": [
                    {"id": "voice", "name": HOSTILE_NAMES["voice"], "description": HOSTILE_DESCRIPTIONS["voice"]}]},
            ],
        }}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    body = "\n\n".join(PAYLOADS)
    incident = {"title": HOSTILE_TITLE, "title_nb": HOSTILE_TITLE_NB, "impact": "major", "components": ["interact", "voice"]}
    updates = "".join(
        f"\n## {word} · {at}\n\n{body}\n\n::: nb\n{body}\n:::\n"
        for word, at in (("Investigating", "2026-11-21 19:40"), ("Identified", "2026-11-21 20:10"))
    )
    maintenance = {"title": HOSTILE_MAINTENANCE, "title_nb": HOSTILE_MAINTENANCE, "type": "maintenance", "components": ["voice"],
                   "scheduled_for": "2026-11-26 22:00", "scheduled_until": "2026-11-27 01:00"}
    resolved = {"title": HOSTILE_TITLE, "title_nb": HOSTILE_TITLE_NB, "impact": "minor", "components": {"voice": "degraded_performance"}}
    files = {
        "2026-11-21-hostile-incident.md": (incident, updates),
        "2026-11-26-hostile-maintenance.md": (maintenance, f"\n## Scheduled · 2026-11-20 10:00\n\n{body}\n\n::: nb\n{body}\n:::\n"),
        "2026-11-18-hostile-resolved.md": (resolved, updates.replace("2026-11-21", "2026-11-18")
                                            + f"\n## Resolved · 2026-11-18 23:00\n\n{body}\n\n::: nb\n{body}\n:::\n"),
    }
    (root / "incidents").mkdir(exist_ok=True)
    for name, (meta, text) in files.items():
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (root / "incidents" / name).write_text(f"---\n{front}---\n{text}", encoding="utf-8")
    return root / "mkdocs.yml"
