"""The Makefile and .ci/run wire the newcomer's path: CI runs exactly `make test`, which installs the
system packages, lints, and runs every test with skips refused; builds use the lock's setuptools."""

from __future__ import annotations

import re
import subprocess
import tomllib

from tests.paths import ROOT


def _planned(target: str) -> list[str]:
    """The commands `make TARGET` would run (make -n), with .venv taken as installed."""
    done = subprocess.run(["make", "-n", "-o", "venv", target], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    return [line for line in done.stdout.splitlines() if line.strip()]


def _index(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


def test_make_test_installs_system_packages_lints_then_runs_everything_without_skips():
    lines = _planned("test")
    system, lint = _index(lines, r"install-system-packages\.sh"), _index(lines, r"ruff check")
    suite = _index(lines, r"pytest .*--no-skips")
    assert system < lint < suite
    options = lines[suite].split("pytest", 1)[1].split(";")[0].split()
    assert options[:2] == ["-q", "--no-skips"] and "--fast" not in options and "-m" not in options


def test_make_test_fast_runs_the_unit_tests_without_skips():
    lines = _planned("test-fast")
    assert any(re.search(r"pytest .*--fast --no-skips", line) for line in lines)
    assert not any("ruff" in line for line in lines)


def test_ci_runs_exactly_make_test(tmp_path):
    fake = tmp_path / "make"
    fake.write_text(f'#!/bin/sh\necho "$PWD $*" > "{tmp_path}/called"\n')
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, check=True, timeout=60)
    assert (tmp_path / "called").read_text().split() == [str(ROOT), "test"]


def test_the_build_backend_is_the_locks_setuptools():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    locked = re.search(r"^setuptools==(\S+)", (ROOT / "requirements.lock").read_text(), re.MULTILINE)
    assert locked and requires == [f"setuptools=={locked.group(1)}"]


def test_the_installer_itself_is_pinned_by_hash():
    text = (ROOT / "requirements-bootstrap.txt").read_text()
    assert re.search(r"^pip==\S+ \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.MULTILINE)
