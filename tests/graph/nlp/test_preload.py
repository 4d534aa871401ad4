"""The fork server's preload (graph.nlp.preload): importing it leaves the spaCy pipeline loaded and cached."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_importing_the_preload_loads_the_pipeline_once_for_every_later_caller():
    code = ("import graph.nlp.preload\n"
            "from graph.nlp import language\n"
            "assert language.load_nlp() is language.load_nlp()\n"
            "print(language.load_nlp.cache_info().hits, language.load_nlp.cache_info().misses)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "1"]  # loaded by the import, then served from the cache
