"""scripts/install-system-packages.sh, on a made-up machine: a PATH of stand-in programs.

The real machine already has every package (and apt-get must not be run by a test), so each
case builds a folder of small scripts standing in for chromium, dot, id, apt-get ... and runs
the installer with only that folder on PATH. The stand-in apt-get logs its arguments and
"installs" by creating the programs a package provides.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.paths import ROOT

SCRIPT = ROOT / "scripts" / "install-system-packages.sh"
BASH = shutil.which("bash")
ALL = {"chromium", "chromedriver", "dot", "virtuoso-t", "isql-vt"}
PROVIDES = {"chromium": ["chromium"], "chromium-driver": ["chromedriver"], "graphviz": ["dot"],
            "virtuoso-opensource": ["virtuoso-t", "isql-vt"], "fonts-dejavu-core": []}


class Machine:
    """A bin folder of stand-ins; ``run()`` runs the installer with only it on PATH."""

    def __init__(self, root: Path, *, uid: int = 0, programs: set[str] = frozenset(), fonts: bool = True,
                 apt: bool = True, apt_installs: bool = True) -> None:
        self.root, self.bin = root, root / "bin"
        self.bin.mkdir()
        self.log = root / "apt.log"
        for tool in ("bash", "tee", "chmod", "rm", "cat", "touch", "dirname"):
            (self.bin / tool).symlink_to(shutil.which(tool))
        self._script("id", f'[ "$1" = -u ] && echo {uid}')
        self._script("debconf-set-selections", f'cat >> "{root}/debconf.log"')
        self._script("dpkg-query", f'[ -e "{root}/fonts-installed" ] && printf "install ok installed"; true')
        if fonts:
            (root / "fonts-installed").touch()
        for program in programs:
            self._script(program, "true")
        if apt:
            self._script("apt-get", self._apt_get(apt_installs))

    def _apt_get(self, installs: bool) -> str:
        """Log the arguments; on `install`, create what each named package provides."""
        cases = []
        for package, programs in PROVIDES.items():
            actions = [f"provide {p}" for p in programs]
            if package == "fonts-dejavu-core":
                actions.append(f'touch "{self.root}/fonts-installed"')
            cases.append(f"    {package}) {'; '.join(actions) or ':'} ;;")
        provide = 'provide() { printf "#!/bin/sh\\n" > "$BIN/$1"; chmod +x "$BIN/$1"; }'
        install = 'for p in "$@"; do case "$p" in\n' + "\n".join(cases) + "\n  esac; done"
        return "\n".join([f'BIN="{self.bin}"', provide, f'echo "$*" >> "{self.log}"', install if installs else ""])

    def _script(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n")
        path.chmod(0o755)

    def run(self, *groups: str) -> subprocess.CompletedProcess:
        env = {"PATH": str(self.bin), "POLICY_RC_D": str(self.root / "policy-rc.d")}
        return subprocess.run([BASH, str(SCRIPT), *groups], env=env, capture_output=True, text=True, timeout=60,
                          check=False)

    def apt_calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def test_nothing_to_do_when_everything_is_there(tmp_path):
    machine = Machine(tmp_path, uid=1000, programs=ALL, apt=False)
    started = time.monotonic()
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert "all there" in done.stdout and time.monotonic() - started < 5


def test_not_root_and_no_sudo_names_what_is_missing_and_fails(tmp_path):
    machine = Machine(tmp_path, uid=1000, programs={"chromium", "virtuoso-t", "isql-vt"}, fonts=False)
    done = machine.run()
    assert done.returncode == 1
    assert "not root" in done.stderr
    assert "missing: chromium-driver fonts-dejavu-core graphviz" in done.stderr
    assert "apt-get install --no-install-recommends chromium-driver fonts-dejavu-core graphviz" in done.stderr
    assert machine.apt_calls() == []


def test_no_apt_get_fails_with_a_message(tmp_path):
    machine = Machine(tmp_path, uid=0, programs=ALL - {"dot"}, apt=False)
    done = machine.run("browser")
    assert done.returncode == 1
    assert "no apt-get" in done.stderr and "missing: graphviz" in done.stderr


def test_root_installs_exactly_what_is_missing(tmp_path):
    machine = Machine(tmp_path, uid=0, programs={"chromium"}, fonts=False)
    done = machine.run()
    assert done.returncode == 0, done.stderr
    update, install = machine.apt_calls()
    assert update.endswith("update -qq")
    assert install.split()[-4:] == ["chromium-driver", "fonts-dejavu-core", "graphviz", "virtuoso-opensource"]
    assert "virtuoso-opensource-7/dba-password password" in (tmp_path / "debconf.log").read_text()
    assert not (tmp_path / "policy-rc.d").exists()  # written for the install, removed after it
    assert machine.run().stdout.startswith("system packages: all there")
    assert len(machine.apt_calls()) == 2  # the second run installed nothing


def test_one_group_only(tmp_path):
    machine = Machine(tmp_path, uid=0, programs=set())
    assert machine.run("virtuoso").returncode == 0
    assert machine.apt_calls()[1].split()[-1] == "virtuoso-opensource"
    assert not (machine.bin / "chromium").exists()


def test_an_install_that_leaves_programs_missing_fails(tmp_path):
    machine = Machine(tmp_path, uid=0, programs=ALL - {"dot"}, apt_installs=False)
    done = machine.run()
    assert done.returncode == 1
    assert "still missing" in done.stderr and "missing: graphviz" in done.stderr


def test_an_unknown_group_is_refused(tmp_path):
    done = Machine(tmp_path, programs=ALL).run("browsers")
    assert done.returncode == 2 and "unknown group 'browsers'" in done.stderr


@pytest.mark.parametrize("wrapper", ["install-browser.sh", "install-virtuoso.sh"])
def test_the_older_scripts_run_the_same_installer(tmp_path, wrapper):
    machine = Machine(tmp_path, uid=1000, programs=set())
    env = {"PATH": str(machine.bin)}
    done = subprocess.run([BASH, str(ROOT / "scripts" / wrapper)], env=env, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 1 and "not root" in done.stderr and machine.apt_calls() == []
    group = "chromium" if "browser" in wrapper else "virtuoso-opensource"
    assert group in done.stderr
