"""The fresh-install tests run last, and their downloads start as soon as the run's tests are known
(tests/install/background.py), so the minutes of installing overlap the rest of the suite."""

from __future__ import annotations

import pytest

from tests.install.background import Installs, start_installs

FRESH = "tests/install/test_fresh_clone.py"
_installs: list[Installs] = []


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.nodeid.startswith(FRESH))  # stable: the rest keep their order


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.nodeid.startswith(FRESH) for item in session.items):
        _installs.append(start_installs())


def pytest_unconfigure(config: pytest.Config) -> None:
    while _installs:
        _installs.pop().stop()


@pytest.fixture(scope="session")
def installs() -> Installs:
    assert _installs, "the background installs start when tests of test_fresh_clone.py are collected"
    return _installs[0]
