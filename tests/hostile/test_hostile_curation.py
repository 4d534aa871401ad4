"""Hostile curation files and dumps, and the search index after curate and load (issue 18: 9, 12, 17, 18).

Before: merge cycles applied (an entity vanished, ``mergedInto`` pointed both ways), a Python
object tag was read as a plain list, 50,000 nested lists gave a RecursionError traceback, a
200,000-entry file took 153 s and 1.46 GB to list, a foreign N-Quads file loaded, a 17 MiB
literal gave a MemoryError traceback, and names changed by ``curate`` or ``load --replace``
stayed out of the search until a restart.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from graph.cli.main import EXIT_ERROR, EXIT_OK, main
from graph.curation.file import CurationFile, load_curation
from graph.errors import CurationError
from graph.store.backup import dump_store
from graph.store.core import open_store
from graph.store.search import SearchIndex
from tests.helpers.bounded import run

DOC = ("Workshop on digital trade for small businesses\n\n"
       "Ms Ada Lovelace, Director of the International Trade Centre, spoke at the workshop in Geneva on 3 May 2021. "
       "Mr Alan Turing, Minister of Trade of Kenya, attended the workshop.\n")


def _both(path: Path):
    """The two readers of the file: the fast one (ingest, list, apply) and ruamel's (edits)."""
    return (lambda: load_curation(path)), (lambda: CurationFile.read(path).curation())


@pytest.mark.parametrize(("text", "says"), [
    ("merge:\n  - {keep: org-a, drop: [org-b]}\n  - {keep: org-c, drop: [org-d]}\n  - {keep: org-b, drop: [org-a]}\n",
     r"c.yaml lines 2, 4: merges in a cycle \(org-\w -> org-\w -> org-\w\)"),
    ("merge:\n  - {keep: a, drop: [b]}\n  - {keep: b, drop: [c]}\n  - {keep: c, drop: [a]}\n",
     r"c.yaml lines 2, 3, 4: merges in a cycle"),
    ("merge:\n  - {keep: a, drop: [b]}\n  - {keep: c, drop: [b]}\n",
     r"c.yaml lines 2 and 3: 'b' is merged into both 'a' and 'c'"),
    ("reject: !!python/object/apply:os.system [echo pwned]\n",
     r"c.yaml line 1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("aliases:\n  - names: !custom [A, B]\n", r"c.yaml line 2: YAML tag '!custom' is not allowed"),
    ("aliases:\n  - &x {names: [A]}\n  - *x\n", r"c.yaml line 2: YAML anchors and aliases are not allowed"),
    ("reject: " + "[" * 50_000 + "]" * 50_000 + "\n", r"c.yaml line 1: nested more than 16 levels deep"),
    ("merge: {keep: a\n", r"c.yaml: not valid YAML"),
])
def test_a_bad_curation_file_is_one_error_naming_its_lines(tmp_path, text, says):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    for read in _both(path):
        with pytest.raises(CurationError, match=says):
            read()


@pytest.mark.slow
def test_deep_nesting_and_tags_are_an_error_line_from_the_cli(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("reject: " + "[" * 50_000 + "]" * 50_000 + "\n")
    outcome = run("curate", "list", "--file", str(path), "--store", str(tmp_path / "none"), timeout=120)
    assert outcome.code == EXIT_ERROR and "Traceback" not in outcome.err
    assert "msme-kg curate: c.yaml line 1: nested more than 16 levels deep" in outcome.err


@pytest.mark.slow
def test_a_large_curation_file_is_listed_in_bounded_time_and_memory(tmp_path):
    path = tmp_path / "c.yaml"
    lines = ["reject:"] + [f"  - {{subject: person-a{i}, predicate: attended, object: event-b{i}, reason: wrong}}"
                           for i in range(200_000)]
    path.write_text("\n".join(lines) + "\n")  # 19 MB
    outcome = run("curate", "list", "--file", str(path), "--store", str(tmp_path / "none"), timeout=300)
    assert outcome.code == EXIT_OK, outcome.err
    assert outcome.out.rstrip().endswith(f"(200000 corrections in {path})")
    print(f"200,000 entries listed in {outcome.seconds:.1f} s, {outcome.peak_mb:.0f} MB")
    assert outcome.seconds < 90 and outcome.peak_mb < 800  # was 153 s and 1.46 GB


def _dump_bytes(store) -> bytes:
    buffer = io.BytesIO()
    dump_store(store, buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_load_refuses_foreign_n_quads_and_a_term_over_16_mib(tmp_path):
    foreign = tmp_path / "foreign.nq"
    foreign.write_bytes(b'<http://ex.org/s> <http://ex.org/p> "x" <http://ex.org/g> .\n')
    outcome = run("load", str(foreign), "--store", str(tmp_path / "a"), timeout=120)
    assert outcome.code == EXIT_ERROR and "Traceback" not in outcome.err
    assert "not an msme-kg dump" in outcome.err

    big = tmp_path / "big.nq.gz"
    from graph.store.backup import HEADER

    line = b'<http://ex.org/s> <http://ex.org/p> "' + b"a" * (17 * 1024 * 1024) + b'" <http://ex.org/g> .\n'
    big.write_bytes(gzip.compress(HEADER + line + b"# msme-kg dump end: 1 quads\n", compresslevel=1))
    outcome = run("load", str(big), "--store", str(tmp_path / "b"), timeout=120)
    assert outcome.code == EXIT_ERROR and "Traceback" not in outcome.err and "MemoryError" not in outcome.err
    assert "holds a term over 16 MiB, which cannot be loaded" in outcome.err
    assert outcome.seconds < 60 and outcome.peak_mb < 600


@pytest.mark.slow
def test_the_search_index_follows_curate_and_load_replace(tmp_path, monkeypatch, nlp):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "workshop.txt").write_text(DOC)
    store_path, index_path = tmp_path / "store", tmp_path / "store-search.sqlite"
    monkeypatch.setenv("MSME_KG_STORE", str(store_path))
    monkeypatch.setenv("MSME_KG_CURATION", str(tmp_path / "curation.yaml"))
    assert main(["ingest", str(tmp_path / "docs"), "--quiet"]) == EXIT_OK

    def found(name: str) -> list[str]:
        index = SearchIndex.open(index_path)
        try:
            return [hit.id for hit in index.search(name) if hit.score >= 90]
        finally:
            index.close()

    [ada] = found("Ada Lovelace")
    assert found("Countess of Lovelace") == []
    assert main(["curate", "alias", ada, "Countess of Lovelace"]) == EXIT_OK
    assert found("Countess of Lovelace") == [ada]  # no restart, no reindex

    other = open_store(None)  # a dump of another graph, with other names
    from graph.ingest.pipeline import ingest_paths

    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "forum.txt").write_text(DOC.replace("Ada Lovelace", "Grace Hopper"))
    ingest_paths(other, [tmp_path / "other"], nlp=nlp)
    (tmp_path / "other.nq").write_bytes(_dump_bytes(other))
    assert main(["load", str(tmp_path / "other.nq"), "--replace"]) == EXIT_OK
    assert found("Grace Hopper") and found("Countess of Lovelace") == []
