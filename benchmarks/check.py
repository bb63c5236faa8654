"""How long ``mkdocs-status check`` takes on a site with many incidents.

Generates a site with N incident files (default 1,000: incidents and
maintenance, four updates each, English and Norwegian, in year folders) in a
temporary folder, then runs the real ``mkdocs-status check`` several times and
prints the wall-clock times, plus an in-process breakdown (start-up and
mkdocs.yml, reading, parsing). Prints figures; asserts nothing.

``--pool-sizes 100,1000,10000`` also compares, at each size, parsing every
file in one loop (what ``check`` does) with a forked process pool over all
CPUs (what ``check`` did until issue 16), best of ``--pool-runs`` each, wall
and CPU time (the pool's CPU includes its workers'). On the 2-core machine of
issue 16, shared with other work (load average 11 in the first run, 13 to 25
in the second), 2026-12-01:

    incidents   loop      pool      pool/loop   CPU: loop   pool
      100       0.046 s   0.247 s   5.40
     1000       1.049 s   1.003 s   0.96
    10000      11.917 s  13.393 s   1.12
      100       0.176 s   0.413 s   2.34        0.041 s    0.064 s
     1000       1.900 s   2.778 s   1.46        0.397 s    0.455 s
    10000      29.351 s  36.515 s   1.24        4.722 s    5.346 s

The pool saved at most 4 % of the wall time (1,000 files, first run), lost
everywhere else, and spends 13 % more CPU (forking, pickling the files out
and the diagnostics back); even on two idle cores it could save about 2 s of
the 4.7 s parse at 10,000 files. So ``check`` parses in one loop.

    python benchmarks/check.py [--incidents 1000] [--runs 5] [--keep] [--pool-sizes 100,1000,10000] [--pool-runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CONFIG = """\
site_name: Benchmark Status
site_url: https://status.example.com/
theme: {name: material, font: false}
plugins:
  - search
  - status:
      languages: [en, nb]
      timezone: Europe/Oslo
      display_timezones: [Europe/Oslo, UTC]
      components:
        - id: interact
          name: Interact
        - group: Engage
          components:
            - {id: messaging, name: Messaging}
            - {id: voice, name: Voice}
            - {id: email, name: Email}
        - group: Platform
          components:
            - {id: api, name: Public API}
            - {id: login, name: Login and SSO}
            - {id: reporting, name: Reporting}
"""
COMPONENTS = ("interact", "messaging", "voice", "email", "api", "login", "reporting")
IMPACTS = ("minor", "major", "critical")


def incident(n: int, start: dt.datetime) -> str:
    stamp = start.strftime
    if n % 10 == 9:
        end = start + dt.timedelta(hours=2)
        return f"""---
type: maintenance
title: Planned maintenance number {n}
title_nb: Planlagt vedlikehold nummer {n}
components: [{COMPONENTS[n % 7]}]
scheduled_for: "{stamp('%Y-%m-%d %H:%M')}"
scheduled_until: "{end:%Y-%m-%d %H:%M}"
---

## Scheduled · {start - dt.timedelta(days=5):%Y-%m-%d %H:%M}

We will upgrade the servers behind {COMPONENTS[n % 7]}. Calls and messages are not affected.

::: nb
Vi oppgraderer serverne bak {COMPONENTS[n % 7]}. Samtaler og meldinger er ikke berørt.
:::

## In progress · {stamp('%Y-%m-%d %H:%M')}

The maintenance has started.

::: nb
Vedlikeholdet har startet.
:::

## Completed · {end:%Y-%m-%d %H:%M}

The maintenance is complete.

::: nb
Vedlikeholdet er fullført.
:::
"""
    times = [start + dt.timedelta(minutes=m) for m in (0, 25, 70, 160)]
    return f"""---
title: Incident number {n} with delayed deliveries
title_nb: Hendelse nummer {n} med forsinkede leveranser
impact: {IMPACTS[n % 3]}
components:
  {COMPONENTS[n % 7]}: partial_outage
  {COMPONENTS[(n + 3) % 7]}: degraded_performance
---

## Investigating · {times[0]:%Y-%m-%d %H:%M}

Some customers see delays. Calls, chat and email may take longer than usual to
arrive. We are investigating.

::: nb
Noen kunder opplever forsinkelser. Samtaler, chat og e-post kan bruke lengre
tid enn vanlig. Vi undersøker saken.
:::

## Identified · {times[1]:%Y-%m-%d %H:%M}

A database node is slow. We are moving traffic to the other nodes:

- Oslo: done
- Stockholm: in progress

::: nb
En databasenode er treg. Vi flytter trafikken til de andre nodene:

- Oslo: ferdig
- Stockholm: pågår
:::

## Monitoring · {times[2]:%Y-%m-%d %H:%M:%S}

```
p99 latency: 180 ms (normal)
```

Deliveries are back to normal. We are monitoring.

::: nb
Leveransene er tilbake til normalt. Vi følger med.
:::

## Resolved · {times[3]:%Y-%m-%d %H:%M} +01:00

The incident is resolved.

::: nb
Hendelsen er løst.
:::
"""


def make_site(root: Path, count: int) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    base = dt.datetime(2023, 1, 3, 9, 15)
    for n in range(count):
        start = base + dt.timedelta(hours=23 * n)
        folder = root / "incidents" / f"{start:%Y}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{start:%Y-%m-%d}-incident-{n}.md").write_text(incident(n, start), encoding="utf-8")


def _parse_chunk(job: tuple[list[Any], Any, dt.datetime]) -> list[Any]:
    from mkdocs_status.parse.incident import parse_site_incidents

    return parse_site_incidents(*job)[1]


def pooled(sources: list[Any], settings: Any, now: dt.datetime, workers: int) -> list[Any]:
    """The diagnostics as the former process pool of ``check`` found them: ids checked here, files parsed in forked workers."""
    import multiprocessing

    from mkdocs_status.parse.incident import duplicate_id

    first: dict[str, Any] = {}
    duplicates = []
    for f in sources:
        if f.stem in first:
            duplicates.append(duplicate_id(f.source, f.stem, first[f.stem].source))
        else:
            first[f.stem] = f
    unique = list(first.values())
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_parse_chunk, [(unique[i::workers], settings, now) for i in range(workers)])
    return duplicates + [d for result in results for d in result]


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def compare_pool(sizes: list[int], runs: int) -> None:
    """Best-of-``runs`` wall time of one loop against a forked pool, parsing the same generated files."""
    from mkdocs_status.parse.incident import ParseSettings, parse_site_incidents
    from mkdocs_status.siteconfig import load_site_config
    from mkdocs_status.sources import discover, read_sources

    workers = os.cpu_count() or 1
    print(f"pool against loop (best of {runs}; {workers} CPUs, load average {os.getloadavg()[0]:.1f}):")
    print("  incidents   loop       pool      pool/loop   CPU: loop   pool (with its workers)")
    for size in sizes:
        root = Path(tempfile.mkdtemp(prefix="mkdocs-status-pool-"))
        try:
            make_site(root, size)
            site = load_site_config(str(root / "mkdocs.yml"))
            sources, _ = read_sources(discover(site.incidents_dir), site.base)
            settings = ParseSettings.from_settings(site.settings)
            now = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
            loop, pool, loop_cpu, pool_cpu = [], [], [], []
            for _ in range(runs):
                started, cpu = time.perf_counter(), cpu_seconds()
                plain = parse_site_incidents(sources, settings, now)[1]
                loop.append(time.perf_counter() - started)
                loop_cpu.append(cpu_seconds() - cpu)
                started, cpu = time.perf_counter(), cpu_seconds()
                forked = pooled(sources, settings, now, workers)
                pool.append(time.perf_counter() - started)
                pool_cpu.append(cpu_seconds() - cpu)
                assert sorted(plain) == sorted(forked), "the pool and the loop disagree"
            print(f"  {size:>9}   {min(loop):7.3f} s  {min(pool):7.3f} s  {min(pool) / min(loop):6.2f}"
                  f"      {min(loop_cpu):7.3f} s  {min(pool_cpu):7.3f} s")
        finally:
            shutil.rmtree(root)


def command() -> list[str]:
    found = shutil.which("mkdocs-status")
    return [found] if found else [sys.executable, "-m", "mkdocs_status.cli"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated site and print its path")
    parser.add_argument("--pool-sizes", metavar="N,N,…", help="also compare one loop with a process pool at these sizes")
    parser.add_argument("--pool-runs", type=int, default=3, help="runs per figure of the pool comparison (the best is printed)")
    args = parser.parse_args()
    if args.pool_sizes:
        compare_pool([int(n) for n in args.pool_sizes.split(",")], args.pool_runs)

    root = Path(tempfile.mkdtemp(prefix="mkdocs-status-bench-"))
    make_site(root, args.incidents)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc).timestamp()))}
    print(f"site: {args.incidents} incident files ({sum(1 for _ in root.rglob('*.md'))} .md) in {root}")

    times, cpu = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run([*command(), "check", "--strict"], cwd=root, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(time.perf_counter() - started)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
            print(f"check exited with {result.returncode}; the generated files should be clean")
            return 1
    print(f"mkdocs-status check --strict, {args.runs} runs: wall min {min(times):.3f} s, median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s; CPU min {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall times on a busy machine mostly measure the queue)")
    print(f"  its own summary line: {result.stderr.strip()}")

    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([*command(), "--version"], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"start-up alone (mkdocs-status --version): wall {time.perf_counter() - started:.3f} s, "
          f"CPU {after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime:.3f} s")

    # In-process breakdown of one check.
    os.environ.update(env)
    t0 = time.perf_counter()
    from mkdocs_status.parse.incident import ParseSettings, parse_site_incidents
    from mkdocs_status.siteconfig import load_site_config
    from mkdocs_status.sources import discover, read_sources

    t1 = time.perf_counter()
    site = load_site_config(str(root / "mkdocs.yml"))
    t2 = time.perf_counter()
    sources, _ = read_sources(discover(site.incidents_dir), site.base)
    t3 = time.perf_counter()
    incidents, diagnostics = parse_site_incidents(sources, ParseSettings.from_settings(site.settings), dt.datetime.now(dt.timezone.utc))
    t4 = time.perf_counter()
    print(f"in process: imports {t1 - t0:.3f} s, mkdocs.yml {t2 - t1:.3f} s, discover+read {t3 - t2:.3f} s, "
          f"parse {len(incidents)} incidents {t4 - t3:.3f} s ({(t4 - t3) / max(len(incidents), 1) * 1000:.2f} ms each), "
          f"{len(diagnostics)} diagnostics")
    if args.keep:
        print(f"kept {root}")
    else:
        shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
