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


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    def make(**plugin_overrides: Any) -> Site:
        import copy

        config = copy.deepcopy(BASE_CONFIG)
        site = Site(tmp_path / "site-src", config)
        site.plugin.update(plugin_overrides)
        site.write_config()
        return site

    return make


@pytest.fixture(scope="session")
def api_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The API fixture site, copied and built once (strict) for every module that reads it."""
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    base = tmp_path_factory.mktemp("api-site")
    shutil.copytree(API_FIXTURE, base / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(API_FIXTURE_EPOCH))
        build(load_config(config_file=str(base / "project" / "mkdocs.yml"), site_dir=str(base / "site"), strict=True))
    return base / "site"


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
