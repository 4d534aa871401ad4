"""The extraction stage: a read Document in, an Extraction (entities, relations, evidence) out.

``document`` runs spaCy once per document and applies the rules in order; ``mentions`` finds
persons, organisations, economies and events in the text; ``rules`` reads the relations between
them; ``builder`` collects what the rules find into one record per entity.
"""

from graph.extract.document import extract, extract_many, extract_parsed

__all__ = ["extract", "extract_many", "extract_parsed"]
