"""TEI edition pipeline: validate TEI corpora, publish them as HTML and PDF, package them for archives."""

__version__ = "0.1.0"
