"""HTML, PDF and DOCX read directly (graph.read.rich): dispatch by suffix, blocks as lines, tables as rows."""

from __future__ import annotations

import io

import docx
import pytest

from graph.errors import UnreadableDocument
from graph.read.rich import read_docx, read_html, read_rich


def test_html_blocks_become_lines_and_the_title_is_kept_apart():
    page = (b"<html><head><title>Forum report</title><script>var x = 1;</script></head><body>"
            b"<main><h1>Forum</h1><p>First   paragraph.</p><ul><li>one</li><li>two</li></ul></main>"
            b"<footer>Contact us</footer></body></html>")
    text, title = read_html(page, "p.html")
    assert title == "Forum report"
    assert text.splitlines() == ["Forum", "First paragraph.", "one", "two"]


def test_docx_tables_are_read_row_by_row_after_the_paragraphs():
    document = docx.Document()
    document.add_paragraph("Programme")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate((("09:00", "Opening"), ("10:00", "Panel"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    data = io.BytesIO()
    document.save(data)
    assert read_docx(data.getvalue(), "p.docx").splitlines()[-3:] == ["Programme", "09:00 | Opening", "10:00 | Panel"]


@pytest.mark.parametrize(("data", "suffix", "reason"), [
    (b"  \n", ".html", "empty file"),
    (b"<p>x</p>", ".odt", "unsupported file type .odt"),
    (b"not a pdf", ".pdf", "not a PDF file"),
])
def test_what_cannot_be_read_is_one_line_naming_the_file(data, suffix, reason):
    with pytest.raises(UnreadableDocument, match=f"^d{suffix}: {reason}"):
        read_rich(data, suffix, f"d{suffix}")
