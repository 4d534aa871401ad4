"""What reading a printed PDF costs against the text it was printed from: eval F1 of both, and the gap.

Run: ``.venv/bin/python bench/bench_pdf_gap.py [--gold DIR --docs DIR] [--keep DIR]``.
Each document is printed with headless Chromium (``tests/helpers/printpdf.py``: paragraphs as
blocks, Chromium's own date/title header and address/page footer), read back by the PDF reader
and scored by ``msme-kg eval`` beside the original. The goal is a gap within 0.02 on the seeds
and on shared/dev/; ``tests/graph/read/test_pdf_gap.py`` keeps it from growing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.nlp.language import load_nlp  # noqa: E402
from tests.helpers.printpdf import dev_set, evaluate_printed  # noqa: E402

SETS = {"seeds": (ROOT / "tests" / "data" / "gold", ROOT / "seeds")}
if dev_set():
    SETS["dev"] = dev_set()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, help="one gold folder (default: the seeds and shared/dev)")
    parser.add_argument("--docs", type=Path, help="its documents")
    parser.add_argument("--keep", type=Path, help="print the PDFs here and keep them (default: a temporary folder)")
    parser.add_argument("--per-doc", action="store_true", help="a line per document")
    args = parser.parse_args()
    sets = {"given": (args.gold, args.docs)} if args.gold else {k: v for k, v in SETS.items() if v[0].exists()}
    nlp = load_nlp()
    print(f"{'set':<6} {'':>6} {'text':>7} {'pdf':>7} {'gap':>7}")
    for name, (gold, docs) in sets.items():
        with tempfile.TemporaryDirectory(prefix="pdfgap-") as tmp:
            out = args.keep / name if args.keep else Path(tmp)
            started = time.perf_counter()
            text, pdf = evaluate_printed(gold, docs, out, nlp)
            for label, t, p in (("entity", text.entities(), pdf.entities()),
                                ("relation", text.relations(), pdf.relations())):
                print(f"{name:<6} {label:>8} {t.f1:7.3f} {p.f1:7.3f} {p.f1 - t.f1:+7.3f}")
            if args.per_doc:
                for td, pd in zip(text.docs, pdf.docs, strict=True):
                    print(f"    {td.doc[:44]:<44} ent {td.entity_total().f1:.3f} {pd.entity_total().f1:.3f}  "
                          f"rel {td.relation_total().f1:.3f} {pd.relation_total().f1:.3f}")
            print(f"       ({len(text.docs)} documents, {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
