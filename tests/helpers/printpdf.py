"""Print documents to PDF with headless Chromium, as a reader would with "Save as PDF".

Used to measure what the PDF reader loses against the plain text (``bench/bench_pdf_gap.py`` and
the ratchet in ``tests/graph/read/test_pdf_gap.py``). A text file is shown as a browser would show
it: each paragraph (blank-line separated) a block, its line breaks kept, long lines wrapped at
the page width. A Markdown file is rendered to HTML first (markdown-it-py, as the reader parses
it). Chromium prints its own running header (date, title) and footer (address, "page/pages"),
which the reader must drop.

Run it to print a folder: ``python -m tests.helpers.printpdf DOCS OUT``.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
STYLE = ("body{font:11pt 'DejaVu Serif',serif;line-height:1.35;margin:0} p{margin:0 0 .8em;white-space:pre-wrap} "
         "table{border-collapse:collapse} td,th{border:1px solid #999;padding:2px 4px;vertical-align:top}")


def chromium() -> str | None:
    """The Chromium binary of this machine (Debian's package), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def html_page(text: str, title: str, *, markdown: bool = False) -> str:
    """The HTML a browser would show for a text (or Markdown) file."""
    if markdown:
        from markdown_it import MarkdownIt

        body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    else:
        paragraphs = [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def print_pdf(page: str, pdf: Path, *, timeout: float = 60) -> Path:
    """Print an HTML page (a string) to ``pdf`` with headless Chromium; raise if it fails."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed (scripts/install-browser.sh)")
    with tempfile.TemporaryDirectory(prefix="printpdf-") as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page, encoding="utf-8")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}",
             source.as_uri()],
            capture_output=True, timeout=timeout, check=False,
        )
        if done.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"chromium could not print {pdf.name}: {done.stderr.decode()[-500:]}")
    return pdf


def print_document(doc: Path, out_dir: Path) -> Path:
    """``doc`` (.txt or .md) printed to ``out_dir/<doc name>.pdf``; the title is the file's first line."""
    text = doc.read_text(encoding="utf-8")
    title = next((line.strip("# ").strip() for line in text.splitlines() if line.strip()), doc.stem)
    return print_pdf(html_page(text, title, markdown=doc.suffix == ".md"), out_dir / (doc.name + ".pdf"))


def print_folder(docs: Path, out_dir: Path) -> list[Path]:
    """Every .txt and .md file of ``docs`` printed to ``out_dir``."""
    return [print_document(doc, out_dir) for doc in sorted(docs.iterdir()) if doc.suffix in (".txt", ".md")]


def dev_set() -> tuple[Path, Path] | None:
    """(gold, docs) of shared/dev: ``MSME_KG_DEV_DIR``, else ``shared/dev`` beside the repository or in /work."""
    import os

    from tests.paths import ROOT as PROJECT_DIR

    for candidate in (os.environ.get("MSME_KG_DEV_DIR"), PROJECT_DIR.parent / "shared" / "dev", "/work/shared/dev"):
        if candidate and (Path(candidate) / "gold").is_dir():
            return Path(candidate) / "gold", Path(candidate) / "docs"
    return None


def evaluate_printed(gold_dir: Path, docs_dir: Path, pdf_dir: Path, nlp=None):
    """(report on the documents as they are, report on their printed PDFs): ``msme-kg eval`` twice.

    The PDFs are printed into ``pdf_dir`` unless they are there already (``<doc name>.pdf``).
    """
    import json

    from graph.extract import extract_many
    from graph.read.reader import read_document
    from graph.resolve import resolve
    from graph.tools.evaluate import EvalReport, evaluate_dirs, score

    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]

    def printed_pdf(gold: dict) -> Path:
        pdf = pdf_dir / (gold["doc"] + ".pdf")
        return pdf if pdf.exists() else print_document(docs_dir / gold["doc"], pdf_dir)

    with ThreadPoolExecutor(max_workers=2) as pool:  # Chromium mostly waits: two at a time halves the wall time
        pdfs = list(pool.map(printed_pdf, golds))
    printed = EvalReport()
    docs = [read_document(pdf) for pdf in pdfs]
    for gold, extraction in zip(golds, extract_many(docs, nlp), strict=True):
        printed.docs.append(score(resolve(extraction).to_json(), gold))
    return evaluate_dirs(gold_dir, docs_dir, nlp), printed


if __name__ == "__main__":
    for made in print_folder(Path(sys.argv[1]), Path(sys.argv[2])):
        print(made)
