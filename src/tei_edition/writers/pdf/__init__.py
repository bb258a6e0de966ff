"""The print edition writer: the PDF volume (and PDF/A) and one PDF per document, via WeasyPrint."""

from tei_edition.writers.pdf.writer import write

__all__ = ["write"]
