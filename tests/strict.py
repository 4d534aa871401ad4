"""Two pytest options that keep the suite honest (a plugin: tests/conftest.py loads it).

``--no-skips`` (``make test``): a skipped or xfailed test fails the run, with its reason. The
whole suite must run on every machine `make test` sets up, so a skip can only hide a test that
did not run (a missing program, a missing server).

``--fast`` (``make test-fast``): the unit tests only, for the edit-test loop: the tests marked
slow (spaCy model, seed graph), server (processes or servers), browser, virtuoso or install are
deselected, tests that use the spaCy-model fixtures are marked slow automatically, and a test
that still loads a spaCy model fails, saying to mark it slow.
"""

from __future__ import annotations

import pytest

FAST = "not slow and not server and not browser and not virtuoso and not install"
MODEL_FIXTURES = frozenset({"nlp", "seed_store", "seed_store_path", "seed_extractions"})


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("msme-kg")
    group.addoption("--no-skips", action="store_true",
                    help="a skipped or xfailed test fails the run (make test: every test must run)")
    group.addoption("--fast", action="store_true",
                    help=f"unit tests only (-m '{FAST}'); loading a spaCy model fails the test")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fast"):
        given = config.option.markexpr
        config.option.markexpr = f"({given}) and {FAST}" if given else FAST


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark slow what loads the spaCy model through a fixture, before -m deselects (so no marker is forgotten)."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _no_model_in_fast_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if not request.config.getoption("--fast"):
        return
    import spacy

    def refuse(*_args, **_kwargs):
        pytest.fail(f"{request.node.nodeid} loads a spaCy model: mark it slow (make test-fast runs unit tests only)",
                    pytrace=False)

    monkeypatch.setattr(spacy, "load", refuse)


def _as_failure(report: pytest.TestReport | pytest.CollectReport, what: str) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if getattr(report, "wasxfail", None) is not None:
        reason = f"xfail: {report.wasxfail}"
        del report.wasxfail
    report.outcome = "failed"
    report.longrepr = f"{what} was skipped, and --no-skips (make test) runs everything: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    if report.skipped and item.config.getoption("--no-skips"):
        _as_failure(report, item.nodeid)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    report = yield
    if report.skipped and collector.config.getoption("--no-skips"):
        _as_failure(report, collector.nodeid)
    return report
