"""The edition as data: secure parsing, the corpus, the cross-reference index and what each TEI
construct means for a reader (the semantic layer every output lays out)."""
