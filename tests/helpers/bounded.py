"""Run ``msme-kg`` (or one reader) in a child process and measure what it cost: exit code, seconds, peak memory.

The hostile-input tests assert bounds, not just outcomes: a file must be refused in a few
seconds and a few hundred MB, whatever it claims to hold. The child reports its own peak
resident set size, and that of the processes it waited for (ingest's workers), on its last line
of standard error.

Why not ``ru_maxrss``: Linux carries it across ``execve``, so a child started from pytest (with
spaCy loaded, ~430 MB) would report pytest's peak. The child reads its own ``VmHWM`` (reset by
exec) and samples the resident size of itself plus its descendants every 20 ms.

Run as ``python -m tests.helpers.bounded ARGS...`` (the ``msme-kg`` arguments) or
``python -m tests.helpers.bounded --read FILE`` (one ``read_document``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.paths import ROOT as PROJECT_DIR

TAG = "BOUNDED-PEAK-MB"


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float  # the child's own peak, or the largest sampled total of it and its descendants

    def lines(self, prefix: str) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith(prefix)]


def run(*args: str, timeout: float = 120, env: dict[str, str] | None = None) -> Outcome:
    """``msme-kg ARGS`` (or ``--read FILE``) in a child; raises ``TimeoutExpired`` past ``timeout``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tests.helpers.bounded", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    peak = 0.0
    err_lines = []
    for line in done.stderr.splitlines():
        if line.startswith(TAG):
            peak = max(float(x) for x in line.split()[1:])
        else:
            err_lines.append(line)
    return Outcome(done.returncode, done.stdout, "\n".join(err_lines), seconds, peak)


def _rss_mb(pid: int | str, field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


class _Sampler(threading.Thread):
    """The largest total resident size of this process and its descendants, sampled."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb(me) + sum(_rss_mb(pid) for pid in _descendants(me)))


def _main(argv: list[str]) -> int:
    sampler = _Sampler()
    sampler.start()
    try:
        if argv[:1] == ["--read"]:
            from graph.errors import UnreadableDocument
            from graph.read.reader import read_document

            try:
                doc = read_document(Path(argv[1]))
                print(f"read {len(doc.text)} characters")
                return 0
            except UnreadableDocument as err:
                print(f"FAILED  {err}", file=sys.stderr)
                return 3
        from graph.cli.main import main

        return main(argv)
    finally:
        sampler.stop.set()
        print(f"{TAG} {_rss_mb(os.getpid(), 'VmHWM'):.0f} {sampler.peak:.0f}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
