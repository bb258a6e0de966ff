"""The web edition writer: XSLT pages, register pages, the encoding guide, search index."""

from tei_edition.writers.html.writer import write

__all__ = ["write"]
