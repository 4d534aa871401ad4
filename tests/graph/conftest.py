"""Fixtures of the extraction tests: the spaCy pipeline is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="session")
def nlp():
    from graph.nlp.language import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_extractions(nlp):
    """(document, resolved extraction) for every seed, extracted once."""
    from graph.extract import extract_many
    from graph.read.reader import read_document
    from graph.resolve import resolve

    docs = [read_document(p) for p in sorted(SEEDS.glob("*.txt"))]
    return [(d, resolve(x)) for d, x in zip(docs, extract_many(docs, nlp), strict=True)]
