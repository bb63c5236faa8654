"""How the status plugin's build scales: N incidents against plain mkdocs-material.

For each size N (default 100, 1,000 and 10,000) this generates, in a temporary
folder, N realistic incident files (two languages, four updates each, a
postmortem on every tenth, one in twenty a maintenance), then builds two sites,
each with ``mkdocs build`` in its own subprocess:

* plugin: the status site (overview, history, incident and component pages per
  language, plus whatever feeds, iCal, API and badges the plugin writes);
* plain:  the floor, mkdocs-material with the same Markdown text as ordinary
  pages, one per incident per language, out of the nav (``not_in_nav``), with
  the same theme, Markdown extensions and search plugin.

It prints CPU time, wall time and peak memory (the child's own ``ru_maxrss``
and CPU time, from ``os.wait4``) of each build, the plugin/plain ratios and the
time per incident. Targets: plugin <= 1.3x plain CPU time at every N; time per
incident flat from 1,000 to 10,000; peak memory (the build process's maximum
resident set) at 10,000 incidents <= 1.5x plain. Prints figures and whether each
target is met; exits 0. (``benchmarks/serve.py`` measures ``mkdocs serve``'s
preview after an edit.)

    python benchmarks/build.py [--sizes 100,1000,10000] [--repeat N] [--keep DIR]
    python benchmarks/build.py --sizes 10000 --profile      # cProfile of the plugin build
    python benchmarks/build.py --sizes 100 --instructions   # also instructions executed (valgrind)

CPU time on a shared or virtual machine drifts by a fifth from one minute to the next, and
more for the build that touches more memory while another tenant loads the machine: the
builds are interleaved, and besides the ratio of the fastest builds (the target's) and of the
median builds it prints the median of the ratios of each plugin build to the plain build run
right after it. ``--instructions`` also runs each build once under valgrind's cachegrind and prints the
machine instructions it executes, a figure that does not depend on the machine's load
(about 30 times slower: minutes at 1,000 incidents).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import importlib.util
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

# 2026-11-21T21:00:00Z, as the example site; every generated update lies before it.
EPOCH = 1795294800
NOW = dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc)
OSLO = ZoneInfo("Europe/Oslo")
MEMORY_TARGET = 1.5  # peak memory at 10,000 incidents, against plain mkdocs-material

THEME = """\
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.superfences
"""

PLUGIN_CONFIG = """\
site_name: Benchmark Status
site_url: https://status.example.com/
{theme}plugins:
  - search
  - status:
      incidents_dir: incidents
      languages: [en, nb]
      required_languages: [en, nb]
      timezone: Europe/Oslo
      display_timezones: [Europe/Oslo, UTC]
      feed_limit: 50
      components:
        - id: interact
          name: Interact
          description: Queues, softphone and agent status
        - group: Engage
          name_nb: Engage
          components:
            - {{id: messaging, name: Messaging, name_nb: Meldinger}}
            - {{id: voice, name: Voice, name_nb: Tale}}
            - {{id: email, name: Email, name_nb: E-post}}
        - group: Platform
          name_nb: Plattform
          components:
            - {{id: api, name: Public API, name_nb: Offentlig API}}
            - {{id: login, name: Login and SSO, name_nb: Pålogging og SSO}}
            - {{id: reporting, name: Reporting, name_nb: Rapportering}}
"""

PLAIN_CONFIG = """\
site_name: Benchmark Status
site_url: https://status.example.com/
{theme}plugins:
  - search
nav:
  - index.md
not_in_nav: |
  /incidents/
  /nb/
"""

COMPONENTS = ["interact", "messaging", "voice", "email", "api", "login", "reporting"]
SUBJECTS = [
    ("Queue login fails for some agents", "Pålogging til kø feiler for noen agenter"),
    ("Incoming calls delayed", "Innkommende samtaler forsinket"),
    ("SMS delivery delays", "Forsinket levering av SMS"),
    ("Elevated API error rates", "Økt feilrate i API-et"),
    ("Email routing stalled", "Ruting av e-post har stoppet opp"),
    ("Reports load slowly", "Rapporter lastes tregt"),
    ("Single sign-on unavailable", "Enkel pålogging utilgjengelig"),
    ("Chat messages not delivered", "Chatmeldinger leveres ikke"),
]
MAINTENANCE = [
    ("Database upgrade", "Databaseoppgradering"),
    ("Network maintenance", "Nettverksvedlikehold"),
    ("Voice platform upgrade", "Oppgradering av taleplattformen"),
]
EN = {
    "investigating": "We are investigating reports that {what} Agents in {n} contact centres are affected. We will post an update within 30 minutes.",
    "identified": "The cause has been identified: a configuration change on {host} made part of the traffic fail. We are rolling the change back now.",
    "monitoring": "The change has been rolled back and {what_short} is working normally again for all customers. We are monitoring the platform closely.",
    "resolved": "The issue is resolved. Everything has worked normally for the last hour. We apologise for the inconvenience.",
    "scheduled": "We will upgrade {host} during the window below. **{what_short}** may be unavailable for up to 10 minutes.",
    "in_progress": "The maintenance has started as planned.",
    "verifying": "The upgrade is done and we are verifying that everything works.",
    "completed": "The maintenance is completed. All services work normally.",
}
NB = {
    "investigating": "Vi undersøker meldinger om at {what} Agenter i {n} kontaktsentre er berørt. Vi oppdaterer innen 30 minutter.",
    "identified": "Årsaken er funnet: en konfigurasjonsendring på {host} gjorde at deler av trafikken feilet. Vi ruller endringen tilbake nå.",
    "monitoring": "Endringen er rullet tilbake, og {what_short} fungerer normalt igjen for alle kunder. Vi følger plattformen tett.",
    "resolved": "Feilen er løst. Alt har fungert normalt den siste timen. Vi beklager ulempene.",
    "scheduled": "Vi oppgraderer {host} i vinduet nedenfor. **{what_short}** kan være utilgjengelig i inntil 10 minutter.",
    "in_progress": "Vedlikeholdet har startet som planlagt.",
    "verifying": "Oppgraderingen er ferdig, og vi kontrollerer at alt virker.",
    "completed": "Vedlikeholdet er fullført. Alle tjenester fungerer normalt.",
}
POSTMORTEM_EN = """### Summary

On {day} from {start} to {end}, {what_short} was degraded for some customers. No data was lost.

### Root cause

A configuration change on {host} was rolled out to every node at once instead of one node at a time.
Health checks only verified that the process was running, so the faulty nodes kept receiving traffic.

### Corrective actions

- [x] Roll-outs go to one node at a time, with an automatic pause on errors.
- [x] Health checks now send a real request.
- [ ] Alerting on the error rate per node.
"""
POSTMORTEM_NB = """### Sammendrag

Den {day} fra {start} til {end} var {what_short} redusert for noen kunder. Ingen data gikk tapt.

### Rotårsak

En konfigurasjonsendring på {host} ble rullet ut til alle noder samtidig i stedet for én og én.
Helsesjekkene kontrollerte bare at prosessen kjørte, så de feilende nodene fikk fortsatt trafikk.

### Korrigerende tiltak

- [x] Utrullinger går til én node om gangen, med automatisk pause ved feil.
- [x] Helsesjekkene sender nå en ekte forespørsel.
- [ ] Varsling på feilrate per node.
"""
WORD = {"investigating": "Investigating", "identified": "Identified", "monitoring": "Monitoring", "resolved": "Resolved",
        "postmortem": "Postmortem", "scheduled": "Scheduled", "in_progress": "In progress", "verifying": "Verifying",
        "completed": "Completed"}


@dataclass
class Incident:
    id: str
    folder: str
    front: str
    title: dict[str, str]
    updates: list[tuple[str, dt.datetime, str, str]]  # status, instant (UTC), en, nb


def oslo(instant: dt.datetime) -> str:
    """Local Oslo time as people write it; an explicit offset only where the hour repeats (autumn)."""
    local = instant.astimezone(OSLO)
    ambiguous = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M}" + (f" {offset[:3]}:{offset[3:]}" if ambiguous else "")


def generate(n: int, seed: int = 1) -> list[Incident]:
    """N incidents spread over the years before NOW, newest first in id order."""
    rng = random.Random(seed)
    span = dt.timedelta(days=max(30, min(3650, n)))  # a site with 10,000 incidents spans ten years
    step = span / n
    out = []
    for i in range(n):
        start = (NOW - dt.timedelta(hours=2) - step * i).replace(second=0, microsecond=0)  # UTC: arithmetic stays exact
        host = f"node-{rng.randrange(1, 60):02d}.osl{rng.randrange(1, 4)}"
        maintenance = i % 20 == 7
        pool = MAINTENANCE if maintenance else SUBJECTS
        title_en, title_nb = pool[rng.randrange(len(pool))]
        comps = rng.sample(COMPONENTS, rng.choice((1, 1, 2)))
        what_short = comps[0]
        facts = {"what": f"{title_en.lower()} (case {i}).", "what_short": what_short, "host": host, "n": rng.randrange(2, 40)}
        facts_nb = {**facts, "what": f"{title_nb.lower()} (sak {i})."}
        local = start.astimezone(OSLO)
        iid = f"{local:%Y-%m-%d}-{'maintenance' if maintenance else 'incident'}-{i:05d}"
        length = dt.timedelta(minutes=rng.randrange(30, 360))
        if maintenance:
            statuses = ["scheduled", "in_progress", "verifying", "completed"]
            times = [start - dt.timedelta(days=5), start, start + length * 0.8, start + length]
            front = (f"type: maintenance\ncomponents: [{', '.join(comps)}]\n"
                     f'scheduled_for: "{oslo(start)}"\nscheduled_until: "{oslo(start + length)}"\n')
        else:
            statuses = ["investigating", "identified", "monitoring", "resolved"]
            times = [start, start + length / 3, start + length * 2 / 3, start + length]
            front = f"impact: {rng.choice(('minor', 'minor', 'major', 'major', 'critical', 'none'))}\ncomponents: [{', '.join(comps)}]\n"
        updates = [(s, t, EN[s].format(**facts), NB[s].format(**facts_nb)) for s, t in zip(statuses, times, strict=True)]
        if not maintenance and i % 10 == 3:
            pm = {"day": f"{start:%Y-%m-%d}", "start": f"{start:%H:%M} UTC", "end": f"{start + length:%H:%M} UTC", **facts}
            updates.append(("postmortem", start + dt.timedelta(days=3), POSTMORTEM_EN.format(**pm), POSTMORTEM_NB.format(**pm)))
        updates = [u for u in updates if u[1] < NOW]
        out.append(Incident(iid, f"{local:%Y}", front, {"en": f"{title_en} ({i})", "nb": f"{title_nb} ({i})"}, updates))
    return out


def incident_file(incident: Incident) -> str:
    parts = [f"---\ntitle: {incident.title['en']}\ntitle_nb: {incident.title['nb']}\n{incident.front}---\n"]
    for status, at, en, nb in incident.updates:
        parts.append(f"\n## {WORD[status]} · {oslo(at)}\n\n{en}\n\n::: nb\n{nb}\n:::\n")
    return "".join(parts)


def plain_page(incident: Incident, lang: str) -> str:
    """The same text as an ordinary Markdown page in one language."""
    parts = [f"# {incident.title[lang]}\n"]
    for status, at, en, nb in incident.updates:
        parts.append(f"\n## {WORD[status]} · {oslo(at)}\n\n{en if lang == 'en' else nb}\n")
    return "".join(parts)


def write_sites(root: Path, incidents: list[Incident]) -> tuple[Path, Path]:
    plugin, plain = root / "plugin", root / "plain"
    (plugin / "docs").mkdir(parents=True)
    (plugin / "mkdocs.yml").write_text(PLUGIN_CONFIG.format(theme=THEME), encoding="utf-8")
    (plain / "docs" / "incidents").mkdir(parents=True)
    (plain / "docs" / "nb" / "incidents").mkdir(parents=True)
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG.format(theme=THEME), encoding="utf-8")
    (plain / "docs" / "index.md").write_text("# Benchmark Status\n", encoding="utf-8")
    for incident in incidents:
        folder = plugin / "incidents" / incident.folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{incident.id}.md").write_text(incident_file(incident), encoding="utf-8")
        (plain / "docs" / "incidents" / f"{incident.id}.md").write_text(plain_page(incident, "en"), encoding="utf-8")
        (plain / "docs" / "nb" / "incidents" / f"{incident.id}.md").write_text(plain_page(incident, "nb"), encoding="utf-8")
    return plugin / "mkdocs.yml", plain / "mkdocs.yml"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    warnings: int
    files: int


def site_root() -> Path | None:
    """Where builds write their sites: a RAM-backed folder when the machine has one.

    On a shared virtual disk, the kernel time spent creating thousands of files varies
    several-fold from run to run and would drown the figures; in RAM both builds pay
    only the system calls.
    """
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def mkdocs_build(config: Path, out: Path | None) -> tuple[Path, dict[str, str], list[str]]:
    """One ``mkdocs build`` of ``config``: its site folder (emptied), environment and arguments after the interpreter."""
    site = out or config.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "NO_MKDOCS_2_WARNING": "1"}
    return site, env, ["-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]


def instructions(config: Path, out: Path | None = None) -> int:
    """The machine instructions one ``mkdocs build`` executes (valgrind's cachegrind, no cache simulation)."""
    site, env, args = mkdocs_build(config, out)
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", sys.executable, *args, "-q"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    shutil.rmtree(site, ignore_errors=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"build under valgrind failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def build(config: Path, *, profile: Path | None = None, out: Path | None = None) -> Run:
    """One ``mkdocs build`` in a child process; its own CPU time and peak RSS via wait4."""
    site, env, args = mkdocs_build(config, out)
    prefix = [sys.executable] + (["-m", "cProfile", "-o", str(profile)] if profile else [])
    cmd = [*prefix, *args]
    log = config.parent / "build.log"
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{text[-3000:]}")
    warnings = sum(1 for line in text.splitlines() if line.startswith("WARNING"))
    files = sum(len(f) for _, _, f in os.walk(site))
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, warnings, files)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.cpu)


def show_profile(path: Path, limit: int = 30) -> None:
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative")
    print("\n== cProfile, cumulative, mkdocs_status only ==")
    stats.print_stats(r"mkdocs_status", limit)
    stats.sort_stats("tottime")
    print("\n== cProfile, own time, everything ==")
    stats.print_stats(limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated incident counts (default: 100,1000,10000)")
    parser.add_argument("--repeat", type=int, help="builds per site and size, the fastest counting (default: 10 up to 100 "
                        "incidents, 3 up to 1,000, else 1: small builds are the noisiest)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--profile", action="store_true", help="also profile the plugin build at the largest size (cProfile)")
    parser.add_argument("--instructions", action="store_true", help="also count the instructions each build executes, "
                        "once per site and size (valgrind; independent of the machine's load)")
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind on the PATH")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    # Byte-compile the plugin as `pip install` does: in a source checkout (or with
    # PYTHONDONTWRITEBYTECODE set) every build would otherwise recompile it from source,
    # a cost an installed plugin never pays and mkdocs and Material, installed, do not pay.
    spec = importlib.util.find_spec("mkdocs_status")
    if spec is None or spec.origin is None:
        raise SystemExit("mkdocs_status is not installed: pip install -e .")
    compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)
    root = args.keep or Path(tempfile.mkdtemp(prefix="status-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    results: dict[int, tuple[Run, Run]] = {}
    try:
        for n in sizes:
            where = root / f"n{n}"
            shutil.rmtree(where, ignore_errors=True)
            t0 = time.perf_counter()
            plugin_cfg, plain_cfg = write_sites(where, generate(n))
            repeat = args.repeat or (10 if n <= 100 else 3 if n <= 1000 else 1)
            ram = site_root()
            print(f"N={n:>6}: generated in {time.perf_counter() - t0:.1f} s; building each site {repeat}x into "
                  f"{ram or 'the site folders'} …", flush=True)
            # Interleaved, so that a machine whose speed drifts (shared cores) slows both alike.
            outs = {}
            if ram is not None:
                outs = {cfg: ram / f"status-bench-{os.getpid()}-{n}-{cfg.parent.name}" for cfg in (plugin_cfg, plain_cfg)}
            try:
                runs = [(build(plugin_cfg, out=outs.get(plugin_cfg)), build(plain_cfg, out=outs.get(plain_cfg))) for _ in range(repeat)]
            finally:
                for out in outs.values():
                    shutil.rmtree(out, ignore_errors=True)
            plugin = best([a for a, _ in runs])
            plain = best([b for _, b in runs])
            results[n] = (plugin, plain)
            print(f"          plugin {plugin.wall:7.1f} s wall {plugin.cpu:7.1f} s CPU {plugin.peak_mb:7.0f} MB peak "
                  f"{plugin.files:6} files {plugin.warnings} warnings", flush=True)
            print(f"          plain  {plain.wall:7.1f} s wall {plain.cpu:7.1f} s CPU {plain.peak_mb:7.0f} MB peak "
                  f"{plain.files:6} files {plain.warnings} warnings", flush=True)
            if repeat > 1:
                med = statistics.median(a.cpu for a, _ in runs) / statistics.median(b.cpu for _, b in runs)
                paired = statistics.median(a.cpu / b.cpu for a, b in runs)  # each build against the one right after it
                print(f"          CPU ratio of the fastest builds {plugin.cpu / plain.cpu:.2f}, of the median builds {med:.2f}, "
                      f"median of the {repeat} pairs {paired:.2f}", flush=True)
            if args.instructions:
                counts = [instructions(cfg, out=outs.get(cfg)) for cfg in (plugin_cfg, plain_cfg)]
                print(f"          instructions: plugin {counts[0] / 1e9:.3f} billion, plain {counts[1] / 1e9:.3f} billion, "
                      f"ratio {counts[0] / counts[1]:.3f} (independent of the machine's load)", flush=True)
        print()
        print("CPU = the build's own user+system time (what the targets are judged on: on a shared machine")
        print("wall time also counts waiting for a core); peak = the build process's maximum resident memory.")
        print(f"{'N':>7} | {'plugin CPU s':>12} {'plain CPU s':>11} {'ratio':>6} | {'plugin wall s':>13} {'plain wall s':>12} {'ratio':>6} | "
              f"{'plugin MB':>9} {'plain MB':>8} {'ratio':>6} | {'plugin ms/inc':>13} {'plain ms/inc':>12}")
        for n, (plugin, plain) in results.items():
            print(f"{n:>7} | {plugin.cpu:12.1f} {plain.cpu:11.1f} {plugin.cpu / plain.cpu:6.2f} | "
                  f"{plugin.wall:13.1f} {plain.wall:12.1f} {plugin.wall / plain.wall:6.2f} | "
                  f"{plugin.peak_mb:9.0f} {plain.peak_mb:8.0f} {plugin.peak_mb / plain.peak_mb:6.2f} | "
                  f"{1000 * plugin.cpu / n:13.2f} {1000 * plain.cpu / n:12.2f}")
        print()
        worst = max(p.cpu / q.cpu for p, q in results.values())
        print(f"target plugin <= 1.3x plain at every N (CPU): worst {worst:.2f}x -> {'met' if worst <= 1.3 else 'NOT met'}")
        if 1000 in results and 10000 in results:
            flat = (results[10000][0].cpu / 10000) / (results[1000][0].cpu / 1000)
            print(f"target time per incident flat from 1,000 to 10,000 (CPU): x{flat:.2f} -> "
                  f"{'met' if flat <= 1.25 else 'NOT met'} (up to x1.25 counts as flat)")
        if 10000 in results:
            plugin, plain = results[10000]
            memory = plugin.peak_mb / plain.peak_mb
            print(f"target peak memory at 10,000 <= {MEMORY_TARGET}x plain: {plugin.peak_mb:.0f} MB against {plain.peak_mb:.0f} MB, "
                  f"x{memory:.2f} -> {'met' if memory <= MEMORY_TARGET else 'NOT met'}")
        if args.profile and sizes:
            n = max(sizes)
            prof = root / f"n{n}" / "plugin.prof"
            print(f"\nprofiling the plugin build at N={n} …", flush=True)
            build(root / f"n{n}" / "plugin" / "mkdocs.yml", profile=prof)
            show_profile(prof)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
