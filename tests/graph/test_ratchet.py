"""The seed scores may only go up: floors slightly below the last measured figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.tools.evaluate import evaluate_dirs

ROOT = Path(__file__).resolve().parents[2]
ENTITY_F1_FLOOR = 0.967
RELATION_F1_FLOOR = 0.979


@pytest.mark.slow
def test_seed_scores_do_not_drop(nlp):
    report = evaluate_dirs(ROOT / "tests" / "data" / "gold", ROOT / "seeds", nlp)
    assert report.entities().f1 >= ENTITY_F1_FLOOR, report.format()
    assert report.relations().f1 >= RELATION_F1_FLOOR, report.format()
