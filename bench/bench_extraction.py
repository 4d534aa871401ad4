"""Seed scores (P/R/F1 per type, per predicate, micro) and extraction throughput vs spaCy alone.

Run: ``.venv/bin/python bench/bench_extraction.py [--repeat N] [--json out.json]``.
Throughput is tokens per second over the seed texts: spaCy's own ``nlp.pipe`` on the same
pipeline, then ``extract_many`` (which runs that same ``nlp.pipe`` plus the rules); the ratio
says how much the rules cost on top of parsing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.extract import extract_many, extract_parsed  # noqa: E402
from graph.nlp.language import load_nlp  # noqa: E402
from graph.read.reader import read_document  # noqa: E402
from graph.resolve import resolve  # noqa: E402
from graph.tools.evaluate import evaluate_dirs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "gold")
    parser.add_argument("--docs", type=Path, default=ROOT / "seeds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    nlp = load_nlp()
    report = evaluate_dirs(args.gold, args.docs, nlp)
    print(report.format())

    docs = [read_document(p) for p in sorted(args.docs.glob("*.txt"))]
    texts = [d.text for d in docs]
    list(nlp.pipe(texts[:1]))  # warm up
    tokens = sum(len(d) for d in nlp.pipe(texts))
    spacy_t = min(_time(lambda: list(nlp.pipe(texts))) for _ in range(args.repeat))
    extract_t = min(_time(lambda: [resolve(x) for x in extract_many(docs, nlp)]) for _ in range(args.repeat))
    parsed = list(nlp.pipe(texts))
    rules_t = min(
        _time(lambda: [resolve(extract_parsed(d, p)) for d, p in zip(docs, parsed, strict=True)])
        for _ in range(args.repeat)
    )
    ratio = spacy_t / extract_t if extract_t else 0.0
    print()
    print(f"tokens: {tokens}  docs: {len(docs)}")
    print(f"spaCy nlp.pipe:        {tokens / spacy_t:10.0f} tokens/s  ({spacy_t:.2f} s)")
    print(f"extract_many+resolve:  {tokens / extract_t:10.0f} tokens/s  ({extract_t:.2f} s)")
    print(f"rules+resolve alone:   {tokens / rules_t:10.0f} tokens/s  ({rules_t:.2f} s)")
    print(f"ratio (extract / spaCy throughput): {ratio:.2f}")
    if args.json:
        out = report.to_json()
        out["throughput"] = {
            "tokens": tokens,
            "spacy_tokens_per_s": tokens / spacy_t,
            "extract_tokens_per_s": tokens / extract_t,
            "rules_tokens_per_s": tokens / rules_t,
            "ratio": ratio,
        }
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
