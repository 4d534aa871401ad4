"""Browser and Graphviz tests skip without their programs — except in CI, where they must fail."""

from __future__ import annotations

import pytest

from tests.helpers_tools import require, require_program


def test_missing_program_skips_with_install_hint_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"scripts/install-browser\.sh"):
        require_program("no-such-program-msme-kg")


def test_missing_program_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require("`chromium`", False)


def test_present_program_is_found(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require_program("sh").endswith("sh")
