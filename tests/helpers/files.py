"""Build PDF, DOCX and HTML files in a test, hostile or plain: no binary fixtures in the repository.

Each builder writes exactly the structure a case needs (a zip member that inflates to hundreds of
megabytes, a page tree of 99,000 references to one page, content nested 100,000 deep, text
lines at chosen positions), small enough on disk to build in well under a second.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

# ---------------------------------------------------------------------------------------------- PDF


def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF whose objects 1..N are ``objects``, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def stream(data: bytes, *, compress: bool = False, extra: bytes = b"") -> bytes:
    """A stream object holding ``data`` (deflated when ``compress``)."""
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(pages: list[list[tuple[float, float, float, str]]], size: tuple[int, int] = (612, 792)) -> bytes:
    """A PDF of Helvetica text: each page a list of ``(x, y, font size, text)`` lines (y up from the bottom)."""
    page_count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(page_count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for lines in pages:
        content = b"".join(
            b"BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n" % (fs, x, y, _escape(text)) for x, y, fs, text in lines
        )
        page_number = len(objects) + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (size[0], size[1], page_number + 1)
        )
        objects.append(stream(content))
    return pdf_bytes(objects)


def one_page_pdf(content: bytes, *, compress: bool = False) -> bytes:
    """A one-page PDF whose content stream is ``content``."""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(content, compress=compress),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def shared_page_pdf(pages: int) -> bytes:
    """A PDF whose page tree lists one page object ``pages`` times (600 KB for 99,000 pages)."""
    kids = b" ".join([b"3 0 R"] * pages)
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (Trade.) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


# --------------------------------------------------------------------------------------------- DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def document_xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def write_docx(path: Path, document: str | bytes, extra: dict[str, str | bytes] | None = None) -> Path:
    """A minimal DOCX package whose ``word/document.xml`` is ``document``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def write_docx_bomb(path: Path, inflated_mb: int) -> Path:
    """A DOCX whose document part inflates to ``inflated_mb`` MB (800 MB: 0.8 MB on disk, built in ~5 s)."""
    chunk = paragraph("a" * 1_000_000).encode()  # long runs of one byte: deflate's best ratio (~1000:1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range(inflated_mb * 1024 * 1024 // len(chunk) + 1):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return path


def billion_laughs(levels: int = 10) -> str:
    """A document part whose entities expand ten-fold per level (10**levels copies of 'lol')."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels)
    ]
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(entities)}]>'
            f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol{levels - 1};</w:t></w:r></w:p>'
            "</w:body></w:document>")
