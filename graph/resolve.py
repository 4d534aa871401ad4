"""Baseline resolver (replaced by the extraction branch): deterministic ids from names."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata

from graph.model import Extraction

PREFIX = {"person": "person", "organisation": "org", "economy": "economy", "initiative": "initiative", "event": "event"}


def slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not s or len(s) > 80:
        s = (s[:70].strip("-") + "-" if s else "x-") + hashlib.sha1(name.encode()).hexdigest()[:8]
    return s


def resolve(extraction: Extraction) -> Extraction:
    fields = {}
    for attr, kind in (("persons", "person"), ("organisations", "organisation"), ("countries", "economy"),
                       ("initiatives", "initiative"), ("events", "event")):
        fields[attr] = tuple(dataclasses.replace(e, id=f"{PREFIX[kind]}-{slug(e.name)}") for e in getattr(extraction, attr))
    return dataclasses.replace(extraction, **fields)
