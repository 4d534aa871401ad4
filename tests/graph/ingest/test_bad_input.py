"""Bad input to ingest: one clear line per bad file, the good files still load, nothing stored is lost.

Each test runs the real command (``graph.cli.main.main``) on a folder made in ``tmp_path`` and
compares the store before and after.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from graph import vocab
from graph.cli.main import EXIT_OK, EXIT_PARTIAL, main
from graph.ingest.pipeline import read_checked
from graph.store.core import document_graphs, graph_sha256, open_store

pytestmark = pytest.mark.slow

GOOD = (
    "Workshop on e-commerce for small firms\n\n"
    "Ms Amina Diallo, Trade Adviser, International Trade Centre, spoke at the workshop in Geneva on 3 May 2022. "
    "The session was moderated by Mr Jorge Pérez of the World Trade Organization.\n"
)
ACCENTED = "Séance sur le commerce\n\nMme Hélène Müller (Café Señor, São Paulo) a présidé la séance du 4 mai 2022.\n"


def _text_of(store, doc_id: str) -> str:
    [quad] = store.quads_for_pattern(vocab.document_iri(doc_id), NamedNode(vocab.SCHEMA + "text"), None,
                                     vocab.graph_iri(doc_id))
    return quad.object.value


def _doc_quads(store) -> set:
    """Every quad of the document graphs (the ontology graph is reloaded by each ingest with new blank
    nodes; the default graph is their union)."""
    return {q for q in store if isinstance(q.graph_name, NamedNode) and q.graph_name.value != vocab.ONTOLOGY_GRAPH}


def _failed_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("FAILED")]


def _corrupted_docx(path: Path) -> None:
    """A zip that calls itself a Word file but whose document part is cut off."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<?xml version='1.0'?><Types")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 10])


BAD = {
    "empty.txt": b"",
    "blank.md": b" \n\t\n  ",
    "binary.txt": bytes(range(256)) * 64,
    "photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
    "no-extension": GOOD.encode(),
    "sheet.xlsx": b"PK\x03\x04 not really a spreadsheet",
    "broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\n0 3\n0000000000 65535 f\n",
    "utf16-no-bom.txt": GOOD.encode("utf-16-le"),
}


@pytest.fixture
def stored(tmp_path, nlp) -> tuple[Path, set]:
    """A store already holding one document (``earlier``), and its quads."""
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "report.txt").write_text(GOOD)
    store_path = tmp_path / "store"
    assert main(["ingest", str(earlier), "--store", str(store_path), "--quiet"]) == EXIT_OK
    return store_path, _doc_quads(open_store(store_path, read_only=True))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_mixed_folder(tmp_path, stored, capsys, workers):
    store_path, before = stored
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    _corrupted_docx(folder / "letter.docx")
    (folder / "huge.txt").write_bytes(b"The delegation of Kenya attended. " * 1_600_000)  # 54 MB
    (folder / "report.txt").write_bytes(b"\x00\x01 overwritten by a binary file \x00")  # same id as the stored doc
    (folder / "good.txt").write_text(GOOD)
    (folder / "latin1.txt").write_bytes(ACCENTED.encode("latin-1"))
    (folder / "utf16le.txt").write_bytes(b"\xff\xfe" + ACCENTED.encode("utf-16-le"))
    (folder / "utf16be.md").write_bytes(b"\xfe\xff" + ACCENTED.encode("utf-16-be"))
    (folder / "utf8-bom.txt").write_bytes(b"\xef\xbb\xbf" + ACCENTED.encode())
    capsys.readouterr()

    code = main(["ingest", str(folder), "--store", str(store_path), "--workers", str(workers)])
    err = capsys.readouterr().err

    assert code == EXIT_PARTIAL
    bad = [*BAD, "letter.docx", "huge.txt", "report.txt"]
    failed = _failed_lines(err)
    assert len(failed) == len(bad), failed
    for name in bad:
        [line] = [line for line in failed if f"/{name}:" in line]  # exactly one line names the file
        reason = line.split(f"/{name}:", 1)[1].strip()
        assert reason and "Traceback" not in reason and str(folder) not in reason, line
    by_name = {name: line for name in bad for line in failed if f"/{name}:" in line}
    assert "empty" in by_name["empty.txt"] and "empty" in by_name["blank.md"]
    assert "binary" in by_name["binary.txt"] and "binary" in by_name["report.txt"]
    assert "unsupported" in by_name["photo.png"] and "unsupported" in by_name["no-extension"]
    assert "too large" in by_name["huge.txt"] and "limit" in by_name["huge.txt"]
    assert re.search(r"unsupported|corrupt|damaged|invalid|cannot", by_name["broken.pdf"], re.I)
    assert re.search(r"unsupported|corrupt|damaged|invalid|cannot", by_name["letter.docx"], re.I)

    store = open_store(store_path, read_only=True)
    after = _doc_quads(store)
    assert before <= after  # nothing that was stored is lost or changed, the bad `report.txt` included
    new_graphs = {q.graph_name.value for q in after - before}
    assert new_graphs <= {vocab.graph_iri(d).value for d in ("good", "latin1", "utf16le", "utf16be", "utf8-bom")}
    assert document_graphs(store) == ["good", "latin1", "report", "utf16be", "utf16le", "utf8-bom"]
    for doc_id in ("latin1", "utf16le", "utf16be", "utf8-bom"):
        assert _text_of(store, doc_id) == ACCENTED, doc_id


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # 50 MB, sparse: it would be read as NUL bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(Exception, match=r"too large \(52,428,800 bytes; the limit is 1,000,000 characters\)"):
        read_checked(huge)


def test_the_limit_is_in_characters_and_configurable(tmp_path, capsys, monkeypatch):
    (tmp_path / "docs").mkdir()
    short, long = tmp_path / "docs" / "short.txt", tmp_path / "docs" / "long.txt"
    short.write_text(GOOD)
    long.write_text(GOOD + "é" * 2000)  # 2 bytes per character in UTF-8: the count is in characters
    store_path = str(tmp_path / "store")
    limit = len(GOOD) + 1500
    assert main(["ingest", str(tmp_path / "docs"), "--max-chars", str(limit), "--store", store_path]) == EXIT_PARTIAL
    [line] = _failed_lines(capsys.readouterr().err)
    assert "long.txt: too large" in line and f"{len(GOOD) + 2000:,} characters" in line
    monkeypatch.setenv("MSME_KG_MAX_DOCUMENT_CHARS", str(len(GOOD) + 3000))
    assert main(["ingest", str(tmp_path / "docs"), "--store", store_path, "-q"]) == EXIT_OK
    assert document_graphs(open_store(Path(store_path), read_only=True)) == ["long", "short"]


def test_a_bad_new_version_keeps_the_old_one(tmp_path, stored, capsys):
    store_path, before = stored
    sha = graph_sha256(open_store(store_path, read_only=True), "report")
    folder = tmp_path / "earlier"
    (folder / "report.txt").write_bytes(b"")
    assert main(["ingest", str(folder), "--store", str(store_path)]) == EXIT_PARTIAL
    assert "report.txt: empty document" in capsys.readouterr().err
    store = open_store(store_path, read_only=True)
    assert _doc_quads(store) == before and graph_sha256(store, "report") == sha


def test_only_bad_files_exit_3_and_store_nothing(tmp_path, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.bin").write_bytes(b"\x00" * 10)
    store_path = tmp_path / "store"
    assert main(["ingest", str(folder), "--store", str(store_path)]) == EXIT_PARTIAL
    failed = _failed_lines(capsys.readouterr().err)
    assert len(failed) == 2 and any("a.txt: empty document" in line for line in failed)
    assert document_graphs(open_store(store_path, read_only=True)) == []
    # a path that does not exist is refused before anything is read (tests/test_cli_manners.py)


def test_extract_refuses_bad_files_with_a_message_not_a_traceback(tmp_path, capsys):
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"Ministers met in Geneva. " * 50_000)  # 1.25 M characters: over spaCy's max_length
    assert main(["extract", str(huge)]) == 1
    assert "huge.txt: too large (1,250,000 characters" in capsys.readouterr().err
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["extract", str(tmp_path / "empty.txt")]) == 1
    assert "empty.txt: empty document" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [1, 2])
def test_two_files_with_one_document_id_do_not_overwrite_each_other(tmp_path, capsys, workers):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.md").write_text(GOOD)
    (folder / "note.txt").write_text(ACCENTED)
    store_path = str(tmp_path / "store")
    for _ in range(2):  # and a second run does not swap them
        assert main(["ingest", str(folder), "--store", store_path, "--workers", str(workers)]) == EXIT_PARTIAL
        [line] = _failed_lines(capsys.readouterr().err)
        assert "note.txt: same document id 'note' as" in line and "note.md" in line
        store = open_store(Path(store_path), read_only=True)
        assert _text_of(store, "note") == GOOD
        del store
