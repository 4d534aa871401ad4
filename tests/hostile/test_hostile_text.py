"""A very long, degenerate text ("Trade.\\n\\n" repeated): bounded memory, and the time is spaCy's, linear.

Before: ``"Trade.\\n\\n"`` × 99,000 (792 KB) took 76 s and 4.9 GB, because spaCy holds a few KB per
token of the one ``Doc`` it runs on; measured then, the time was spaCy's own (~4,000 tokens/s,
linear), our rules 6 s of it. Long texts are now parsed in 20,000-character pieces joined back
into one ``Doc`` (graph.nlp.language.parse): 0.7 GB at 99,000. Here 13,000 repetitions (104 KB,
39,000 tokens, just past the size parsed whole): 0.33 GB instead of 0.84 GB in one piece.
"""

from __future__ import annotations

import json

import pytest
import spacy

from graph.nlp.language import CHUNK_CHARS, WHOLE_TEXT_CHARS, parse
from tests.helpers.bounded import run

pytestmark = pytest.mark.slow


def test_a_long_degenerate_text_is_extracted_in_bounded_memory(tmp_path):
    path = tmp_path / "trade.txt"
    path.write_text("Trade.\n\n" * 13_000)
    outcome = run("extract", str(path), timeout=300)
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["doc"] == "trade.txt"
    print(f"{outcome.seconds:.1f} s, {outcome.peak_mb:.0f} MB")
    assert outcome.peak_mb < 550  # one piece: ~840 MB


def test_long_texts_are_parsed_in_pieces_that_join_back_exactly():
    nlp = spacy.blank("en")
    seen: list[int] = []
    pipe = nlp.pipe

    def counting_pipe(texts, **kwargs):
        for doc in pipe(texts, **kwargs):
            seen.append(len(doc.text))
            yield doc

    nlp.pipe = counting_pipe
    text = "".join(f"Paragraph {i} on trade for small firms.\n\n" for i in range(6_000))  # ~250k characters
    assert len(text) > WHOLE_TEXT_CHARS
    doc = parse(text, nlp)
    assert doc.text == text  # every character offset is the same as in one parse
    assert len(seen) > 1 and max(seen) <= CHUNK_CHARS and sum(seen) == len(text)
    short = "One short report.\n"
    assert parse(short, nlp).text == short and sum(seen) == len(text)  # parsed whole, not through pipe
