"""The edition as data: parsing, corpus, cross-reference index, and what each TEI construct means.

The semantic layer every output lays out."""
