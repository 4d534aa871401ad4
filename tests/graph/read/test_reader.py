"""Readers: plain text, HTML without page chrome, DOCX with footnotes, clear errors for bad files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from graph.errors import UnreadableDocument
from graph.read.reader import SUPPORTED_SUFFIXES, read_document


def test_supported_suffixes_cover_rich_formats():
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} <= set(SUPPORTED_SUFFIXES)


def test_html_drops_chrome(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Forum report</title><style>p{}</style><script>var x;</script></head><body>"
        "<header>Site name</header><nav>Home » Projects</nav><div class='breadcrumb'>Home › News</div>"
        "<main><h1>Trade forum</h1><p>Ms Ada Quill, Director, Example Board, opened the forum.</p></main>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert doc.title == "Forum report"
    assert "Ms Ada Quill, Director, Example Board, opened the forum." in doc.text
    for chrome in ("Site name", "Home", "Copyright", "var x"):
        assert chrome not in doc.text
    assert doc.media_type == "text/html"


def test_docx_paragraphs_and_footnotes(tmp_path: Path):
    import docx

    path = tmp_path / "note.docx"
    d = docx.Document()
    d.add_paragraph("First paragraph.")
    d.add_paragraph("Second paragraph.")
    d.save(path)
    doc = read_document(path)
    assert doc.text.splitlines()[:2] == ["First paragraph.", "Second paragraph."]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n", r"corrupt|damaged"),
        ("fake.pdf", b"hello, not a pdf", r"not a PDF"),
        ("broken.docx", b"PK\x03\x04 not really a zip", r"corrupt|invalid"),
        ("empty.html", b"", r"empty"),
        ("blank.txt", b"   \n\n", r"empty"),
        ("bin.txt", b"\x00\x01\x02binary", r"binary"),
        ("image.png", b"\x89PNG", r"unsupported"),
    ],
)
def test_bad_files_raise_one_line_reason(tmp_path: Path, name: str, data: bytes, reason: str):
    import re

    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableDocument) as err:
        read_document(path)
    message = str(err.value)
    assert "\n" not in message
    assert re.search(reason, message, re.I), message


def test_docx_without_document_part(tmp_path: Path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "no word document here")
    path = tmp_path / "empty.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(UnreadableDocument):
        read_document(path)


def test_html_keeps_headed_content_and_drops_wordpress_chrome(tmp_path: Path):
    page = tmp_path / "wp.html"
    page.write_text(
        "<html><head><title>Session report</title></head><body><div id='page' class='site'>"
        "<header class='site-header'><ul class='menu'><li>Home</li></ul></header>"
        "<div class='breadcrumbs'>Home » Events</div><div id='content' class='site-content'>"
        "<div class='entry-header'><h1>Trade Forum 2031</h1></div><div class='entry-content'>"
        "<p>Ms Ada Quill, Director, Example Board, opened the forum.</p><div class='share-buttons'>Share</div>"
        "</div></div><aside class='widget-area'>Related</aside><footer class='site-footer'>Scroll to Top</footer>"
        "</div></body></html>",
        encoding="utf-8",
    )
    assert read_document(page).text == "Trade Forum 2031\nMs Ada Quill, Director, Example Board, opened the forum."


def test_windows_1252_text_keeps_its_quotes_and_dashes(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes("The \u201cTrade4All\u201d platform \u2013 launched by Ms Ann Lee.".encode("cp1252"))
    assert read_document(path).text == "The \u201cTrade4All\u201d platform \u2013 launched by Ms Ann Lee."


def test_binary_without_nul_bytes_is_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 32)) * 200)
    with pytest.raises(UnreadableDocument, match="binary"):
        read_document(path)
