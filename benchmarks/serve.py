"""How long `mkdocs serve` takes to show an edit: one incident of N edited, until "Reloading browsers".

Generates the sites of ``build.py`` (N incidents, default 1,000), starts ``mkdocs serve`` on
127.0.0.1 at a free port for each, waits for the first build, then edits one file and
measures the time from the edit to the server's "Reloading browsers" line (the rebuild is
done and the browsers are told to reload). It then fetches the edited page over HTTP and
checks the edit is there. For the status site the edit is one incident's update text; for
plain mkdocs-material (same Markdown as ordinary pages) one page's text, for comparison.
Each edit is repeated (``--edits``) and the median counts. Target: the status site's preview
within 3 s. Prints figures and whether the target is met; exits 0 (1 if an edit never showed).

    python benchmarks/serve.py [--incidents 1000] [--edits 3]
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as bench  # noqa: E402 - the build benchmark's site generator

TARGET_S = 3.0


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``mkdocs serve`` in a child process, its log lines read as they come."""

    def __init__(self, config: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{self.port}"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, text: str, timeout: float) -> float:
        """The instant the next log line holding ``text`` came."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise SystemExit(f"no '{text}' from mkdocs serve within {timeout:.0f} s; its log:\n" + "\n".join(self.log[-30:])) from None
            self.log.append(line)
            if "Traceback" in line or ("ERROR" in line and "Aborted" in line):
                raise SystemExit("mkdocs serve failed:\n" + "\n".join(self.log[-30:]))
            if text in line:
                return at

    def fetch(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:  # 127.0.0.1 only
            return str(response.read().decode("utf-8"))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def measure(config: Path, source: Path, page: str, marker: str, edits: int) -> tuple[float, list[float]]:
    """(first build's seconds, seconds from each edit to "Reloading browsers"), each edit checked over HTTP."""
    started = time.perf_counter()
    server = Server(config)
    try:
        first = server.wait_for("Serving on", timeout=1800) - started
        original = source.read_text(encoding="utf-8")
        took = []
        for n in range(1, edits + 1):
            time.sleep(1.0)  # edits a second apart, so the file watcher sees each one
            word = f"edited-{n}-{os.getpid()}"
            edited = original.replace(marker, f"{marker} {word}", 1)
            assert edited != original, f"'{marker}' is not in {source}"
            t0 = time.perf_counter()
            source.write_text(edited, encoding="utf-8")
            took.append(server.wait_for("Reloading browsers", timeout=600) - t0)
            if word not in server.fetch(page):
                raise SystemExit(f"the served {page} does not show the edit '{word}'")
        return first, took
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1000, help="incidents in the site (default: 1,000)")
    parser.add_argument("--edits", type=int, default=3, help="edits per site; the median counts (default: 3)")
    parser.add_argument("--keep", type=Path, help="make the sites in this folder and keep them")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="status-serve-bench-"))
    try:
        where = root / f"n{args.incidents}"
        shutil.rmtree(where, ignore_errors=True)
        incidents = bench.generate(args.incidents)
        plugin_cfg, plain_cfg = bench.write_sites(where, incidents)
        target = incidents[len(incidents) // 2]  # an incident in the middle: listed on history and component pages
        marker = bench.EN["resolved"].split(".")[0]  # "The issue is resolved": in the English text of every resolved incident
        if not any(status == "resolved" for status, *_ in target.updates):
            target = next(i for i in incidents if any(status == "resolved" for status, *_ in i.updates))
        results = {}
        for name, cfg, source, page in (
            ("plugin", plugin_cfg, where / "plugin" / "incidents" / target.folder / f"{target.id}.md", f"incidents/{target.id}/"),
            ("plain", plain_cfg, where / "plain" / "docs" / "incidents" / f"{target.id}.md", f"incidents/{target.id}/"),
        ):
            print(f"{name}: serving {args.incidents} incidents, editing {source.relative_to(where)} {args.edits}x …", flush=True)
            first, took = measure(cfg, source, page, marker, args.edits)
            results[name] = statistics.median(took)
            print(f"  first build {first:6.1f} s; edit -> 'Reloading browsers': "
                  + ", ".join(f"{t:.2f} s" for t in took) + f" (median {results[name]:.2f} s); the edit is served", flush=True)
        print()
        print(f"{'site':>7} | {'edit -> reloaded, median s':>27}")
        for name, value in results.items():
            print(f"{name:>7} | {value:27.2f}")
        print(f"\ntarget status site's preview <= {TARGET_S:.0f} s after editing one incident of {args.incidents}: "
              f"{results['plugin']:.2f} s -> {'met' if results['plugin'] <= TARGET_S else 'NOT met'} "
              f"(plain mkdocs-material: {results['plain']:.2f} s)")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
