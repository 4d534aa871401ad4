"""Backup and restore: dump -> load into a fresh store -> dump gives the same N-Quads."""

from __future__ import annotations

import gzip
import io

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from graph import vocab
from graph.cli.main import EXIT_ERROR, EXIT_OK, main
from graph.errors import BackupError
from graph.store.backup import dump_store, load_store
from graph.store.core import document_graphs, open_store, replace_graph


def _sorted_lines(data: bytes) -> list[bytes]:
    return sorted(line for line in data.splitlines() if line.strip())


def _dump(store) -> bytes:
    buffer = io.BytesIO()
    dump_store(store, buffer)
    return buffer.getvalue()


def _awkward_store():
    """Named graphs, the default graph, blank nodes, language tags, datatypes and nasty literals."""
    store = open_store(None)
    g = vocab.graph_iri("doc-x")
    s, p = NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p")
    b = BlankNode()
    store.extend([
        Quad(s, p, Literal('quote " back\\slash \n newline \t tab é 漢字 🙂'), g),
        Quad(s, p, Literal("bonjour", language="fr"), g),
        Quad(s, p, Literal("2021-05-03", datatype=NamedNode(vocab.XSD + "date")), g),
        Quad(s, p, b, g),
        Quad(b, p, Literal("in a blank node"), g),
        Quad(s, p, Literal("default graph")),
        Quad(s, p, Literal("other graph"), vocab.graph_iri("doc-y")),
    ])
    return store


def test_round_trip_keeps_every_quad_including_blank_nodes():
    source = _awkward_store()
    first = _dump(source)
    restored = open_store(None)
    assert load_store(restored, io.BytesIO(first)) == len(source) == 7
    assert set(restored) == set(source)  # blank-node labels kept, so the quads are equal as terms
    assert _sorted_lines(_dump(restored)) == _sorted_lines(first)


@pytest.mark.slow
def test_seed_store_round_trips_through_the_cli(seed_store_path, tmp_path, capsysbinary):
    first, second = tmp_path / "first.nq.gz", tmp_path / "second.nq"
    assert main(["dump", str(first), "--store", str(seed_store_path)]) == EXIT_OK
    assert first.read_bytes()[:2] == b"\x1f\x8b"  # gzipped because of the name
    fresh = tmp_path / "fresh"
    assert main(["load", str(first), "--store", str(fresh)]) == EXIT_OK
    assert main(["dump", str(second), "--store", str(fresh)]) == EXIT_OK
    original = _sorted_lines(gzip.decompress(first.read_bytes()))
    again = _sorted_lines(second.read_bytes())
    assert len(original) > 1000 and again == original
    seed, restored = open_store(seed_store_path, read_only=True), open_store(fresh, read_only=True)
    assert len(restored) == len(seed)
    assert document_graphs(restored) == document_graphs(seed) and len(document_graphs(seed)) == 5


def test_dump_to_stdout(tmp_path, capsysbinary):
    store_path = tmp_path / "s"
    store = open_store(store_path)
    g = vocab.graph_iri("d")
    replace_graph(store, g, [Quad(NamedNode("http://ex.org/s"), NamedNode("http://ex.org/p"), Literal("1"), g)])
    del store
    assert main(["dump", "--store", str(store_path)]) == EXIT_OK
    lines = capsysbinary.readouterr().out.splitlines()
    assert sorted(line for line in lines if not line.startswith(b"#")) == [
        b'<http://ex.org/s> <http://ex.org/p> "1" .',  # the default graph: the union of the documents
        b'<http://ex.org/s> <http://ex.org/p> "1" <https://w3id.org/msme-kg/graph/d> .',
    ]
    assert lines[-1] == b"# msme-kg dump end: 2 quads"


def test_load_refuses_a_non_empty_store_unless_replace():
    data = _dump(_awkward_store())
    target = open_store(None)
    target.add(Quad(NamedNode("http://ex.org/old"), NamedNode("http://ex.org/p"), Literal("kept")))
    with pytest.raises(BackupError, match="already holds 1 quads"):
        load_store(target, io.BytesIO(data))
    assert len(target) == 1
    assert load_store(target, io.BytesIO(data), replace=True) == 7
    assert not list(target.quads_for_pattern(NamedNode("http://ex.org/old"), None, None, None))


@pytest.mark.parametrize("damage", ["truncated", "cut-at-line-end", "garbage", "gzip-cut"])
def test_a_damaged_backup_is_refused_and_the_store_untouched(tmp_path, damage, capsys):
    data = _dump(_awkward_store())
    path = tmp_path / ("backup.nq.gz" if damage == "gzip-cut" else "backup.nq")
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2 + 7])  # cut in the middle of a line
    elif damage == "cut-at-line-end":  # still valid N-Quads: only the missing end line tells
        path.write_bytes(b"".join(data.splitlines(keepends=True)[:4]))
    elif damage == "garbage":
        path.write_bytes(data + b"<http://ex.org/s> this is not N-Quads\n")
    else:
        path.write_bytes(gzip.compress(data)[:-20])
    store_path = tmp_path / "store"
    store = open_store(store_path)
    store.add(Quad(NamedNode("http://ex.org/old"), NamedNode("http://ex.org/p"), Literal("kept")))
    before = _dump(store)
    del store
    assert main(["load", str(path), "--replace", "--store", str(store_path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "msme-kg load:" in err and ("N-Quads" in err or "cannot read" in err or "incomplete" in err)
    assert _dump(open_store(store_path, read_only=True)) == before


def test_load_of_a_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nope.nq"), "--store", str(tmp_path / "s")]) == EXIT_ERROR
    assert "no such file" in capsys.readouterr().err


def test_dump_refuses_a_remote_backend(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MSME_KG_BACKEND", "sparql")
    monkeypatch.setenv("MSME_KG_SPARQL_QUERY_URL", "http://127.0.0.1:9/sparql")
    assert main(["dump", str(tmp_path / "x.nq"), "--store", str(tmp_path / "s")]) == EXIT_ERROR
    assert "embedded store only" in capsys.readouterr().err and not (tmp_path / "x.nq").exists()
