"""Named SPARQL queries and running them: execution, result formats, killable worker processes."""
