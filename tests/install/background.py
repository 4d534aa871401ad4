"""The slow, mostly-download part of the newcomer's path, started early and run beside the suite.

Installing every pinned package into two new venvs takes minutes, most of it waiting on the
network. ``start_installs`` (called by tests/install/conftest.py once the run's tests are known)
starts both at once in the background; the fresh-install tests run last and ``wait`` for them:

- ``clone``: ``git clone`` of this repository (its last commit) and ``make venv`` there with the
  pip cache disabled: the first half of the newcomer's ``make run`` (the test runs ``make run``
  itself afterwards, which then ingests and serves);
- ``elsewhere``: a venv outside any checkout with the lock installed (``scripts/install-venv.sh``),
  into which the test installs the wheel.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.paths import ROOT

INSTALL_TIMEOUT = 1800  # every pinned package downloaded, on a slow link
LEAKS = ("VIRTUAL_ENV", "PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the settings, venv and make state that would leak into a newcomer's run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSME_KG_") and k not in LEAKS}
    return {**env, **extra}


@dataclass
class Job:
    """One shell command in its own process group, its output in a log file."""

    name: str
    command: str
    log: Path
    env: dict[str, str]
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None

    def __post_init__(self) -> None:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", self.command], cwd=self.log.parent,
                                            env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self) -> float:
        """Seconds the job took; an AssertionError with its log if it failed or ran out of time."""
        try:
            code = self.process.wait(timeout=max(1.0, INSTALL_TIMEOUT - (time.monotonic() - self.started)))
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"{self.name}: not done in {INSTALL_TIMEOUT} s:\n{self.tail()}") from None
        if self.seconds is None:
            self.seconds = time.monotonic() - self.started
        assert code == 0, f"{self.name} ({self.command}) exited {code}:\n{self.tail()}"
        return self.seconds

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Installs:
    folder: Path
    clone: Job
    elsewhere: Job

    @property
    def clone_root(self) -> Path:
        return self.folder / "msme-kg"

    @property
    def elsewhere_venv(self) -> Path:
        return self.folder / "elsewhere" / "venv"

    def stop(self) -> None:
        self.clone.stop()
        self.elsewhere.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_installs() -> Installs:
    folder = Path(tempfile.mkdtemp(prefix="msme-kg-fresh-"))
    (folder / "elsewhere").mkdir()
    clone = Job("fresh clone + make venv (no pip cache)",
                f"git clone --quiet --no-hardlinks {ROOT} msme-kg && make -C msme-kg venv",
                folder / "clone.log", clean_env(PIP_NO_CACHE_DIR="1"))
    elsewhere = Job("the lock into a venv outside any checkout",
                    f"bash {ROOT / 'scripts' / 'install-venv.sh'} venv",
                    folder / "elsewhere" / "install.log", clean_env())
    return Installs(folder, clone, elsewhere)
