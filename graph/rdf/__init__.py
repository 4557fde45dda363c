"""RDF out: facts to quads (emit), quads to files (serialize)."""
