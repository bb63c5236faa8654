"""Shared fixtures: temporary status sites built for real with MkDocs."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
# 2026-11-21T21:00:00Z: the instant the example site's incidents are written against.
EXAMPLE_NOW = 1795294800

# A small site (tests/fixtures/api/site) at a "now" with one incident and one maintenance
# active and one upcoming: 2026-06-15 10:00 UTC.
API_FIXTURE = ROOT / "tests" / "fixtures" / "api" / "site"
API_FIXTURE_EPOCH = 1781517600

BASE_CONFIG: dict[str, Any] = {
    "site_name": "Test Status",
    "site_url": "https://status.example.com/",
    "theme": {"name": "material", "font": False},
    "markdown_extensions": ["admonition", "attr_list", {"pymdownx.tasklist": {"custom_checkbox": True}}, "pymdownx.superfences"],
    "plugins": [
        "search",
        {
            "status": {
                "languages": ["en", "nb"],
                "timezone": "Europe/Oslo",
                "display_timezones": ["Europe/Oslo", "UTC"],
                "components": [
                    {"id": "interact", "name": "Interact", "name_nb": "Interact"},
                    {"group": "Engage", "name_nb": "Engage", "components": [
                        {"id": "messaging", "name": "Messaging", "name_nb": "Meldinger"},
                        {"id": "voice", "name": "Voice", "name_nb": "Tale"},
                    ]},
                ],
            }
        },
    ],
}


def incident_text(body: str) -> str:
    return textwrap.dedent(body).lstrip("\n")


class Site:
    """A status site in a temporary folder."""

    def __init__(self, root: Path, config: dict[str, Any]) -> None:
        self.root = root
        self.config = config
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "incidents").mkdir(exist_ok=True)
        self.write_config()

    @property
    def plugin(self) -> dict[str, Any]:
        for entry in self.config["plugins"]:
            if isinstance(entry, dict) and "status" in entry:
                return entry["status"]
        raise KeyError("status")

    def write_config(self) -> None:
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def add(self, name: str, text: str) -> Path:
        path = self.root / "incidents" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(incident_text(text), encoding="utf-8")
        return path

    def build(self, *, strict: bool = False, epoch: int = EXAMPLE_NOW) -> Path:
        """A real MkDocs build; returns site_dir."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        old = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            cfg = load_config(str(self.root / "mkdocs.yml"), strict=strict)
            self.last_config = cfg
            build(cfg)
        finally:
            if old is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old
        return self.root / "site"

    def read(self, path: str) -> str:
        return (self.root / "site" / path).read_text(encoding="utf-8")


def new_site(root: Path, **plugin_overrides: Any) -> Site:
    """A site of ``BASE_CONFIG`` in ``root``, with the status plugin's options changed by ``plugin_overrides``."""
    import copy

    site = Site(root, copy.deepcopy(BASE_CONFIG))
    site.plugin.update(plugin_overrides)
    site.write_config()
    return site


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """A site of this test's own, to change and build at will."""
    return lambda **plugin_overrides: new_site(tmp_path / "site-src", **plugin_overrides)


@pytest.fixture(scope="module")
def module_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Site]:
    """Like ``make_site``, for a module-scoped fixture that builds a site once for tests that only read it.
    Each call gets a folder of its own."""
    return lambda **plugin_overrides: new_site(tmp_path_factory.mktemp("site") / "site-src", **plugin_overrides)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], Path]) -> Path:
    """What ``build(folder)`` returns, built once per test run even under pytest-xdist: the workers share
    one folder next to their own temporary folders, and the first to get the lock builds into it."""
    import fcntl
    import shutil

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by every worker of this run
    folder, done = root / name, root / f"{name}.built"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed to build left
            folder.mkdir()
            done.write_text(str(build(folder)), encoding="utf-8")
    return Path(done.read_text(encoding="utf-8"))


def copy_example(src: Path) -> Path:
    """A copy of the example site's sources (mkdocs.yml, docs, incidents, theme overrides) in ``src``."""
    import shutil

    src.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", src / "mkdocs.yml")
    for folder in ("docs", "incidents", "theme_overrides"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return src


def build_example(dest: Path, site_url: str | None = None) -> Path:
    """The repository's example site, copied into ``dest`` (``copy_example``) and built there for real
    with MkDocs, strict, at ``EXAMPLE_NOW``; returns its site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    src = copy_example(dest / "src")
    overrides = {"site_dir": str(dest / "site")}
    if site_url:
        overrides["site_url"] = site_url
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EXAMPLE_NOW))
        build(load_config(str(src / "mkdocs.yml"), strict=True, **overrides))
    return dest / "site"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test run (``build_example``) for every test that only reads it."""
    return built_once(tmp_path_factory, "example-site", build_example)


def _build_api_fixture(base: Path) -> Path:
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.copytree(API_FIXTURE, base / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(API_FIXTURE_EPOCH))
        build(load_config(config_file=str(base / "project" / "mkdocs.yml"), site_dir=str(base / "site"), strict=True))
    return base / "site"


@pytest.fixture(scope="session")
def api_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The API fixture site, copied and built once (strict) for every module that reads it."""
    return built_once(tmp_path_factory, "api-site", _build_api_fixture)


SIMPLE_INCIDENT = """
---
title: Queue login fails
title_nb: Pålogging til kø feiler
impact: major
components: [interact]
---

## Investigating · 2026-11-20 10:00

We are looking into it.

::: nb
Vi undersøker saken.
:::

## Resolved · 2026-11-20 11:30

Fixed.

::: nb
Løst.
:::
"""
