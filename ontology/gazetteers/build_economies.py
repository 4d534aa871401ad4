"""Generate ``economies.jsonl`` from pycountry: one line per ISO 3166 country.

Run from the repository root: ``python ontology/gazetteers/build_economies.py``.
WTO naming variants ("Korea, Republic of", "Chinese Taipei", "Hong Kong, China" ...) are
hand-kept in ``economy_variants.jsonl``; this script only writes the ISO names so the data
file can be regenerated when pycountry is updated.
"""

from __future__ import annotations

from pathlib import Path

import pycountry
import srsly


def rows() -> list[dict[str, object]]:
    out = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        names = {c.name}
        for attr in ("common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(value)
        out.append({"iso3": c.alpha_3, "name": c.name, "names": sorted(names)})
    return out


if __name__ == "__main__":
    target = Path(__file__).with_name("economies.jsonl")
    srsly.write_jsonl(target, rows())
    print(f"wrote {target}")
