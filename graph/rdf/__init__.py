"""Extractions as RDF quads, and SHACL validation of the stored graph."""
