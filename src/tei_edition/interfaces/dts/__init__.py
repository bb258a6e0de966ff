"""Distributed Text Services 1.0: the edition's documents and passages as a DTS API (docs/dts.md).

citation.py finds each document's citable units, responses.py answers every request, urls.py
states the two URL forms, static.py writes the Level 0 files with the site, served.py answers
the query form in `edition serve`.
"""
