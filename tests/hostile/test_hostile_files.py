"""Hostile files, each built here, read in a child process: one clear refusal, in bounded time and memory.

Each case is a file an attacker or a broken tool could hand to ``msme-kg ingest`` (issue 18:
zip bombs, entity amplification, cut XML, pathological PDFs and HTML). Before the fixes they
stopped the whole ingest with a traceback, ran for minutes or took gigabytes; the bounds here
are those the reader must keep: a FAILED line naming the reason (or, for the files that are
merely odd, the text), under ``SECONDS`` and ``PEAK_MB`` for the whole child process (Python,
lxml and pypdf loaded: ~70 MB before any file is read).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.helpers import files as build
from tests.helpers.bounded import run

pytestmark = pytest.mark.slow  # a child process per case; the folder ingest loads spaCy
SECONDS = 15  # a busy 2-core machine; each case takes well under 2 s alone
PEAK_MB = 400
W = build.W_NS


def _footnotes(*notes: tuple[str, str]) -> str:
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:footnote>' for i, t in notes)
    return f'<w:footnotes xmlns:w="{W}">{body}</w:footnotes>'


BUILDERS = {
    # DOCX
    "bomb.docx": lambda p: build.write_docx_bomb(p, 800),  # 0.8 MB on disk, 800 MB document.xml
    "laughs.docx": lambda p: build.write_docx(p, build.billion_laughs()),
    "huge-text-node.docx": lambda p: build.write_docx(p, build.document_xml(build.paragraph("a" * 11_000_000))),
    "cut.docx": lambda p: build.write_docx(p, build.document_xml(build.paragraph("Trade"))[:-30]),
    "no-body.docx": lambda p: build.write_docx(p, f'<w:document xmlns:w="{W}"/>'),
    "deep.docx": lambda p: build.write_docx(p, build.document_xml("<w:p>" * 100_000 + "</w:p>" * 100_000)),
    "odd-footnote-id.docx": lambda p: build.write_docx(
        p, build.document_xml(build.paragraph("Ms Ann Lee attended the workshop.")),
        {"word/footnotes.xml": _footnotes(("abc", "odd"), ("2", "Held in Geneva."))}),
    # PDF
    "nested.pdf": lambda p: p.write_bytes(build.one_page_pdf(b"[" * 100_000 + b"]" * 100_000)),
    "flate-bomb.pdf": lambda p: p.write_bytes(build.one_page_pdf(b"0" * 300_000_000, compress=True)),
    "shared-pages.pdf": lambda p: p.write_bytes(build.shared_page_pdf(99_000)),
    "many-pages.pdf": lambda p: p.write_bytes(build.text_pdf([[(72, 720, 12, f"Page {i}.")] for i in range(2_500)])),
    # HTML
    "flat.html": lambda p: p.write_text("<html><body>" + "<p>Trade policy.</p>" * 20_000 + "</body></html>"),
    "nested.html": lambda p: p.write_text("<html><body>" + "<div>" * 20_000 + "x" + "</div>" * 20_000),
    "big.html": lambda p: p.write_text("<html><body><main>" + "<div class='row'><p>Ms Ann Lee of the <b>ITC</b> spoke."
                                       "</p></div>" * 20_000 + "</main></body></html>"),  # 1.1 MB
    "many-elements.html": lambda p: p.write_text("<html><body>" + "<br>" * 600_000 + "</body></html>"),
}

EXPECTED = {  # file -> (exit code of the reader, what its line or output says)
    "bomb.docx": (3, r"part word/document.xml says it inflates to 8\d\d,\d{3},\d{3} bytes .* zip bomb"),
    "laughs.docx": (3, r"DOCTYPE, which Word never writes"),
    "huge-text-node.docx": (3, r"corrupt or invalid DOCX .*Text node too long"),
    "cut.docx": (3, r"corrupt or invalid DOCX"),
    "no-body.docx": (3, r"empty document"),
    "deep.docx": (3, r"nested more than 200 deep|corrupt or invalid DOCX"),
    "odd-footnote-id.docx": (0, r"read \d+ characters"),
    "nested.pdf": (3, r"page 1 nests its content more than 64 deep"),
    "flate-bomb.pdf": (3, r"past a safety limit of the PDF reader"),
    "shared-pages.pdf": (3, r"past a safety limit of the PDF reader \(Maximum page tree entry limit|99,000 pages"),
    "many-pages.pdf": (3, r"2,500 pages \(the limit is 2,000; MSME_KG_MAX_PDF_PAGES\)"),
    "flat.html": (0, r"read 279,?999 characters"),
    "nested.html": (3, r"elements nested more than 200 deep"),
    "big.html": (0, r"read 579,?999 characters"),
    "many-elements.html": (3, r"more than 500,000 elements"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, make in BUILDERS.items():
        make(folder / name)
    return folder


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_hostile_file_is_refused_in_bounded_time_and_memory(hostile, name):
    path = hostile / name
    outcome = run("--read", str(path))
    code, says = EXPECTED[name]
    assert outcome.code == code, (outcome.out, outcome.err)
    assert "Traceback" not in outcome.err, outcome.err
    said = outcome.out if code == 0 else outcome.err
    assert re.search(says, said), said
    assert outcome.seconds < SECONDS, f"{name}: {outcome.seconds:.1f} s"
    assert outcome.peak_mb < PEAK_MB, f"{name}: {outcome.peak_mb:.0f} MB"
    print(f"{name}: {outcome.seconds:.2f} s, {outcome.peak_mb:.0f} MB, {path.stat().st_size:,} bytes")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_folder_ingests_with_one_failed_line_each(hostile, tmp_path, workers):
    """All of them in one run (and a good file after them): the run goes on, exit 3, nothing is a traceback."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in BUILDERS:
        if name not in ("flat.html", "big.html"):  # read in a second (above), but a minute of spaCy here
            os.link(hostile / name, folder / name)
    (folder / "zz-good.txt").write_text("Ms Ann Lee of the International Trade Centre attended the workshop.\n")
    outcome = run("ingest", str(folder), "--store", str(tmp_path / "store"), "--workers", workers, timeout=600)
    assert outcome.code == 3, outcome.err
    assert "Traceback" not in outcome.err
    failed = outcome.lines("FAILED")
    refused = {name for name, (code, _) in EXPECTED.items() if code == 3}
    assert sorted(line.split("/in/", 1)[1].split(":", 1)[0] for line in failed) == sorted(refused), failed
    assert re.search(r"14 file\(s\): 2 added, 12 failed", outcome.out), (outcome.out, failed)
    assert outcome.peak_mb < 1500, f"{outcome.peak_mb:.0f} MB"  # spaCy loaded: ~450 MB a process
