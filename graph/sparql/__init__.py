"""SPARQL over a built graph: the Oxigraph store and endpoints (store), saved queries (queries)."""
