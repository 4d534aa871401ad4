"""Where the quads live: the store (embedded Oxigraph or a SPARQL server), its search index, backups."""
