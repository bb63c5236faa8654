"""The core (parse, model, timeline, site, feeds, ical, api, badges, l10n, markdown) stays free of
MkDocs, Jinja and the clock: it is given ``now`` and can be reused without a build."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "mkdocs_status"
CORE = ("parse", "model", "timeline", "site", "feeds", "ical", "api", "badges", "l10n", "markdown")
FORBIDDEN_IMPORTS = ("mkdocs", "jinja2")
# Calls that read the clock, as ``module.attr`` names after the import's alias is resolved.
CLOCK = {"datetime.now", "datetime.utcnow", "datetime.today", "date.today", "time.time", "time.time_ns",
         "time.monotonic", "time.localtime", "time.gmtime", "time.perf_counter"}


def core_files() -> list[Path]:
    out: list[Path] = []
    for name in (*CORE, "build"):
        folder = PACKAGE / name
        out += sorted(folder.rglob("*.py")) if folder.is_dir() else [PACKAGE / f"{name}.py"]
    return out


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def problems(path: Path, text: str | None = None) -> list[str]:
    """``file:line: what`` for each forbidden import or clock reading in one module (or in ``text`` as that module)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text, str(path))
    where = path.relative_to(PACKAGE.parent).as_posix()
    out: list[str] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        if any(n.split(".")[0] in FORBIDDEN_IMPORTS for n in names):
            out.append(f"{where}:{node.lineno}: imports {names[0]}")
        if any(n in CLOCK for n in names):
            out.append(f"{where}:{node.lineno}: imports a clock reading ({', '.join(n for n in names if n in CLOCK)})")
        if isinstance(node, ast.Call):
            called = _dotted(node.func)
            if any(called == c or called.endswith("." + c) for c in CLOCK):
                out.append(f"{where}:{node.lineno}: reads the clock ({called})")
    return sorted(out, key=lambda line: int(line.split(":")[1]))


def test_core_modules_import_neither_mkdocs_nor_jinja_nor_read_the_clock():
    files = core_files()
    assert len(files) >= len(CORE)
    found = [p for f in files for p in problems(f)]
    assert not found, "\n".join(found)


def test_the_layering_check_names_file_and_line_of_a_violation():
    text = "import datetime as dt\nfrom jinja2 import Markup\n\nNOW = dt.datetime.now()\nfrom time import time\n"
    assert problems(PACKAGE / "model.py", text) == ["mkdocs_status/model.py:2: imports jinja2", "mkdocs_status/model.py:4: reads the clock (dt.datetime.now)",
                                                     "mkdocs_status/model.py:5: imports a clock reading (time.time)"]


def test_core_modules_and_the_build_facts_load_without_mkdocs_or_jinja():
    """Transitively too: importing a core module (or build.py, which api and badges read) pulls in no template engine."""
    modules = [f"mkdocs_status.{name}" for name in (*CORE, "build")]
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & {'mkdocs', 'jinja2'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(PACKAGE.parent), "PATH": ""})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_importer_finds_a_slug_without_loading_mkdocs_config():
    code = "import sys, mkdocs_status.importer\nprint(sorted(n for n in sys.modules if n.startswith('mkdocs.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(PACKAGE.parent), "PATH": ""})
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
