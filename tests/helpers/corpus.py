"""A folder of many documents made from the seeds, and the quads a clean ingest gives for each.

The copies differ from their seed by a closing line (so each has its own checksum and id);
the reference quads come from ingesting each file alone into an in-memory store, which is
what a crashed-and-restarted ingest must end up holding for every document it completed.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from graph import vocab
from graph.curation.file import load_curation
from graph.ingest.pipeline import ingest_paths
from graph.settings import Settings
from graph.store.core import open_store
from tests.paths import SEEDS as SEEDS_DIR

INGEST_TIME = NamedNode(vocab.PROV + "generatedAtTime")


def make_corpus(folder: Path, copies: int) -> list[Path]:
    """``copies`` documents per short seed (long ones are left out: they only make the run slower)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    paths = []
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        for i in range(copies if len(text) < 20_000 else 0):
            path = folder / f"{seed.stem[:3]}-copy{i:02d}.txt"
            path.write_text(f"{text}\n\nCopy {i} of this report, filed for the crash tests.\n", encoding="utf-8")
            paths.append(path)
    return paths


def graph_quads(store, doc_id: str) -> set[Quad]:
    """A document graph's quads, less the ingest time (the one quad that differs between runs)."""
    return {q for q in store.quads_for_pattern(None, None, None, vocab.graph_iri(doc_id)) if q.predicate != INGEST_TIME}


def reference_quads(paths: list[Path], nlp) -> dict[str, set[Quad]]:
    """doc id -> the quads a clean, single-document ingest of that file stores (with the
    same curation file as `msme-kg ingest` reads)."""
    out = {}
    curation = load_curation(Settings().curation)
    for path in paths:
        store = open_store(None)
        [result] = ingest_paths(store, [path], nlp=nlp, curation=curation)
        assert result.status == "added", result
        out[result.doc_id] = graph_quads(store, result.doc_id)
    return out
