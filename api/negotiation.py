"""HTTP content negotiation for SPARQL answers: an Accept header -> formats we can give, best first.

>>> preferred("text/csv;q=0.5, application/sparql-results+json", ("application/sparql-results+json", "text/csv"))
('application/sparql-results+json', 'text/csv')
>>> preferred("text/turtle", ("application/sparql-results+json",))
()
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.sparql.execute import MEDIA_TYPE_ALIASES


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, highest first (stable for equal q)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((MEDIA_TYPE_ALIASES.get(media, media), q))
    return sorted(ranges, key=lambda r: -r[1])


def preferred(header: str | None, offered: Sequence[str]) -> tuple[str, ...]:
    """The ``offered`` media types the client accepts, in the client's order of preference."""
    refused = {media for media, q in parse_accept(header) if q == 0}
    out: list[str] = []
    for media, q in parse_accept(header):
        if q == 0:
            continue
        if media == "*/*":
            matches = list(offered)
        elif media.endswith("/*"):
            matches = [m for m in offered if m.startswith(media[:-1])]
        else:
            matches = [m for m in offered if m == media]
        out += [m for m in matches if m not in out and m not in refused]
    return tuple(out)
