"""Text out of HTML, PDF and DOCX files, for :func:`graph.read.reader.read_document`.

Why a module apart: each format needs its own library and its own notion of "the text"
(page chrome stripped from HTML, pages joined in PDF, footnotes appended to DOCX), and every
failure must become one clear :class:`UnreadableDocument` line rather than a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile

from graph.errors import UnreadableDocument

CHROME_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "iframe")
CHROME_HINTS = re.compile(
    r"^(?:breadcrumbs?|cookie[\w-]*|navbar|nav|main-nav|site-nav[\w-]*|menu|main-menu|site-header|site-footer|"
    r"footer|header|sidebar|widget-area|share[\w-]*|social[\w-]*|skip-link|screen-reader-text|pagination)$",
    re.I,
)
BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "br",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
)


def read_rich(data: bytes, suffix: str, source: str) -> tuple[str, str]:
    """(text, title) of an HTML, PDF or DOCX file."""
    if not data.strip():
        raise UnreadableDocument(f"{source}: empty file")
    if suffix in (".html", ".htm"):
        return read_html(data, source)
    if suffix == ".pdf":
        return read_pdf(data, source), ""
    if suffix == ".docx":
        return read_docx(data, source), ""
    raise UnreadableDocument(f"{source}: unsupported file type {suffix}")


def read_html(data: bytes, source: str) -> tuple[str, str]:
    """Visible text of the main content, one block per line; nav, header, footer, scripts dropped."""
    from bs4 import BeautifulSoup

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableDocument(f"{source}: looks like a binary file, not HTML")
    soup = BeautifulSoup(data, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if getattr(tag, "decomposed", False) or tag.attrs is None:
            continue
        tokens = [*(tag.get("class") or []), tag.get("id") or "", tag.get("role") or ""]
        if tag.name in ("body", "html", "main", "article") or tag.find("h1") is not None:
            continue
        if any(t and CHROME_HINTS.match(t) for t in tokens) or tag.get("role") in (
            "navigation",
            "banner",
            "contentinfo",
        ):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for tag in root.find_all(BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out = "\n".join(line for line in lines if line)
    return out, title


def read_pdf(data: bytes, source: str) -> str:
    """The text of every page, pages separated by a blank line."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise UnreadableDocument(f"{source}: not a PDF file (corrupt or mislabelled)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument(f"{source}: encrypted PDF, cannot read")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as err:
        raise UnreadableDocument(f"{source}: corrupt or damaged PDF ({type(err).__name__})") from err
    return "\n\n".join(p.strip() for p in pages if p.strip())


def read_docx(data: bytes, source: str) -> str:
    """Paragraphs and table cells in order, then footnotes as '[N: text]' lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise UnreadableDocument(f"{source}: corrupt or invalid DOCX ({type(err).__name__})") from err
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text.strip() for cell in row.cells))
    parts += _footnotes(data)
    return "\n".join(parts)


def _footnotes(data: bytes) -> list[str]:
    """Footnote texts from word/footnotes.xml (python-docx has no API for them)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/footnotes.xml" not in zf.namelist():
                return []
            root = etree.fromstring(zf.read("word/footnotes.xml"))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError):
        return []
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    out = []
    for note in root.findall("w:footnote", ns):
        number = note.get(f"{{{ns['w']}}}id")
        if number is None or int(number) < 1:
            continue
        text = "".join(t.text or "" for t in note.iter(f"{{{ns['w']}}}t")).strip()
        if text:
            out.append(f"[{number}: {text}]")
    return out
