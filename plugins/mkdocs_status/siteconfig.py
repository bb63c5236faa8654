"""The one reader of ``mkdocs.yml`` outside MkDocs: what the CLI and ``notify`` need of a site.

MkDocs reads its configuration itself during a build; everything else (``mkdocs-status
check``, ``new``, ``notify`` …) reads it here, with ``!ENV`` and ``INHERIT`` as MkDocs does and the
status plugin's options validated by the same :class:`~mkdocs_status.config.StatusConfig`.
Nothing of the CLI is imported; unusable input raises :class:`SiteConfigError`, which each
command turns into its own exit code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import ERROR, Diagnostic, HintedError
from .model import Settings
from .site import Links
from .sources import discover, display_path

_YEAR = re.compile(r"\d{4}")


class SiteConfigError(HintedError):
    """A ``mkdocs.yml`` (or environment) the commands cannot use: a message and a hint."""


@dataclass
class Site:
    """What the commands need of ``mkdocs.yml``."""

    config_file: Path
    base: Path
    settings: Settings
    incidents_dir: Path
    docs_dir: Path
    use_directory_urls: bool
    incidents_dir_setting: str
    allow_remote_media: bool = False
    markdown_extensions: Any = None  # as mkdocs.yml writes them
    site_dir: Path | None = None  # where the built site is (mkdocs.yml's site_dir)
    options: Any = None  # the status plugin's validated options (a StatusConfig)

    @property
    def links(self) -> Links:
        return Links(self.settings, self.use_directory_urls)

    def show(self, path: Path) -> str:
        return display_path(path, self.base)

    def url(self, iid: str, update: Any = None) -> str:
        path = self.links.incident(self.settings.default_language, iid, update)
        return self.links.absolute(path) if self.settings.site_url else path

    def incident_files(self) -> dict[str, Path]:
        """Incident id -> file, for every incident file (the first, if an id is used twice)."""
        out: dict[str, Path] = {}
        for path in discover(self.incidents_dir):
            out.setdefault(path.stem, path)
        return out

    @property
    def year_folders(self) -> bool:
        """True when the site keeps its incident files in year folders (``incidents/2026/…``)."""
        return self.incidents_dir.is_dir() and any(p.is_dir() and _YEAR.fullmatch(p.name) for p in self.incidents_dir.iterdir())

    def new_file_folder(self, year: int) -> Path:
        """Where a new file goes: its year's folder when the site uses them, else incidents_dir itself."""
        return self.incidents_dir / f"{year:04d}" if self.year_folders else self.incidents_dir


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """Tags mkdocs-status does not need (``!relative``, ``!!python/name:…``) read as plain data."""
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _yaml_loader() -> type:
    from mkdocs.utils.yaml import get_yaml_loader

    loader = get_yaml_loader(yaml.SafeLoader)  # adds !ENV
    loader.add_multi_constructor("", _unknown_tag)
    return loader


def _status_options(raw: dict[str, Any]) -> Any:
    """The status plugin's options in mkdocs.yml (``{}`` when it has none), or None without the plugin."""
    plugins = raw.get("plugins")
    if isinstance(plugins, dict):
        return (plugins["status"] or {}) if "status" in plugins else None
    for entry in plugins if isinstance(plugins, list) else []:
        if entry == "status":
            return {}
        if isinstance(entry, dict) and "status" in entry:
            return entry["status"] or {}
    return None


def config_path(config_file: str | Path | None) -> Path:
    """The ``mkdocs.yml`` a command reads: the one given, else ``mkdocs.yml`` (or ``mkdocs.yaml``) here."""
    if config_file:
        return Path(config_file)
    return next((p for p in (Path("mkdocs.yml"), Path("mkdocs.yaml")) if p.exists()), Path("mkdocs.yml"))


def read_mkdocs_yml(path: Path, *, given: bool = True) -> dict[str, Any]:
    """mkdocs.yml as data (``!ENV`` and ``INHERIT`` resolved); SiteConfigError when it is missing or not YAML.

    ``given`` says whether the user named the file (``-f``): a missing one is then "no such file",
    else "no mkdocs.yml here".
    """
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils import yaml_load

    try:
        with path.open("rb") as fh:
            raw = yaml_load(fh, _yaml_loader())
    except FileNotFoundError:
        raise SiteConfigError(f"{path}: no such file" if given else f"no {path} here",
                              "run in the folder of your site's mkdocs.yml, or point at it with -f path/to/mkdocs.yml") from None
    except IsADirectoryError:
        raise SiteConfigError(f"{path} is a folder", "point -f at the mkdocs.yml file") from None
    except OSError as exc:
        raise SiteConfigError(f"cannot read {path}: {exc.strerror}") from None
    except ConfigurationError as exc:
        raise SiteConfigError(f"{path}: {exc}".replace("MkDocs encountered an error parsing the configuration file: ", "not valid YAML: "),
                              "fix the YAML at the line shown") from None
    except yaml.YAMLError as exc:
        raise SiteConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SiteConfigError(f"{path} is not a mapping of settings", "it should start with lines such as 'site_name: …'")
    return raw


def option_line(path: Path, option: str) -> int:
    """The line of ``plugins.status.<option>`` (``components[2].start_date``) in mkdocs.yml; 0 if it is not there."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeError, yaml.YAMLError):
        return 0
    line = 0
    for step in ["plugins", "status", *re.findall(r"[^.\[\]]+|\[\d+\]", option)]:
        node, found = _child(node, step)
        if node is None:
            break
        line = found
    return line


def _child(node: Any, step: str) -> tuple[Any, int]:
    """The node below ``node`` at ``step`` (a key, ``[i]``, or the status plugin in a list of plugins) and its line."""
    if isinstance(node, yaml.SequenceNode) and step == "status":  # plugins: [search, {status: …}]
        item = next((i for i in node.value if isinstance(i, yaml.MappingNode) and any(k.value == "status" for k, _ in i.value)), None)
        return _child(item, step) if item is not None else (None, 0)
    if isinstance(node, yaml.SequenceNode) and re.fullmatch(r"\[\d+\]", step):
        index = int(step[1:-1])
        return (node.value[index], node.value[index].start_mark.line + 1) if index < len(node.value) else (None, 0)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value, key.start_mark.line + 1
    return None, 0


def status_config(path: Path, raw: dict[str, Any]) -> Any:
    """The status plugin's options of mkdocs.yml, validated (a StatusConfig); SiteConfigError listing every error otherwise.

    Each error names mkdocs.yml, the line where it can be found, and the option's path
    (``mkdocs.yml:12: plugins.status.components[2].start_date: …``).
    """
    from .config import StatusConfig

    options = _status_options(raw)
    if options is None:
        raise SiteConfigError(f"{path} does not use the status plugin", "add '- status:' with its options under 'plugins:'")
    if not isinstance(options, dict):
        raise SiteConfigError(f"{path}: the status plugin's options must be a mapping")
    cfg = StatusConfig(config_file_path=str(path))
    cfg.load_dict(options)
    errors, warnings = cfg.validate()
    cfg.option_warnings = [(option_line(path, key), f"plugins.status.{key}: {message}") for key, message in warnings]
    if errors:
        lines = [Diagnostic(str(path), option_line(path, key), ERROR, f"plugins.status.{key}: {err}").format(with_level=False)
                 for key, err in errors]
        if len(lines) == 1:
            raise SiteConfigError(lines[0])
        raise SiteConfigError(f"{path}: {len(lines)} errors in the status plugin's options:\n  " + "\n  ".join(lines))
    return cfg


def load_site_config(config_file: str | Path | None) -> Site:
    """Read mkdocs.yml (with !ENV and INHERIT), validate the status options; SiteConfigError otherwise."""
    from mkdocs.exceptions import ConfigurationError

    from .config import build_settings

    path = config_path(config_file)
    raw = read_mkdocs_yml(path, given=bool(config_file))
    cfg = status_config(path, raw)
    site_url = raw.get("site_url")
    try:
        settings = build_settings(cfg, site_name=str(raw.get("site_name") or ""), site_url=str(site_url) if site_url else None,
                                  description=str(raw.get("site_description") or ""))
    except ConfigurationError as exc:
        raise SiteConfigError(f"{path}: {exc}") from None
    base = path.resolve().parent
    return Site(
        config_file=path,
        base=base,
        settings=settings,
        incidents_dir=(base / str(cfg["incidents_dir"])).resolve(),
        docs_dir=(base / str(raw.get("docs_dir") or "docs")).resolve(),
        use_directory_urls=bool(raw.get("use_directory_urls", True)),
        incidents_dir_setting=str(cfg["incidents_dir"]),
        allow_remote_media=bool(cfg["allow_remote_media"]),
        markdown_extensions=raw.get("markdown_extensions"),
        site_dir=base / str(raw.get("site_dir") or "site"),
        options=cfg,
    )


def build_now() -> dt.datetime:
    """Now: SOURCE_DATE_EPOCH when set (reproducible runs and tests), else the wall clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise SiteConfigError(f"SOURCE_DATE_EPOCH='{epoch}' is not a number of seconds", "unset it, or set it to a Unix time") from None
