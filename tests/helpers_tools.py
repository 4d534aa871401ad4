"""Skip-or-fail for tests that need a program from Debian (chromium, chromedriver, dot).

Elsewhere a missing program skips the test with a message saying how to install it; in CI
(``CI=true``) it fails instead, so CI can never pass by skipping the browser or Graphviz tests.
"""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL_HINT = "run scripts/install-browser.sh (Debian packages chromium, chromium-driver, graphviz)"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(what: str, available: bool, hint: str = INSTALL_HINT) -> None:
    if available:
        return
    message = f"{what} is not available: {hint}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def require_program(name: str) -> str:
    path = shutil.which(name)
    require(f"`{name}`", path is not None)
    assert path is not None
    return path
