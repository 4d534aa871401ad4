"""Records as RDF quads: extractions (map), and the curation (curated document graphs, the curation graph)."""
