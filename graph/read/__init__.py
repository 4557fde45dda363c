"""Reading input: article files and catalogs (ingest), the spaCy pipeline (nlp)."""
