"""HTML → PDF with WeasyPrint: layout, metadata, PDF/A, and the per-document worker.

Kept apart from the stylesheets so that worker processes import only WeasyPrint, never Saxon.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import weasyprint

from tei_edition.resources import XSLT_DIR
from tei_edition.writers.pdf.workarounds import RELAXED, failure, inside_weasyprint, relaxed_note

BASE = XSLT_DIR / "print"  # relative URLs in the CSS (fonts, images) resolve here, on any worker

# WeasyPrint reports CSS it ignores and resources it cannot load through logging; the build
# turns those reports into warnings instead of letting them scroll past.
_LOGGER = logging.getLogger("weasyprint")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_messages() -> Iterator[list[str]]:
    handler = _Collect()
    _LOGGER.addHandler(handler)
    propagate, _LOGGER.propagate = _LOGGER.propagate, False
    try:
        yield handler.messages
    finally:
        _LOGGER.removeHandler(handler)
        _LOGGER.propagate = propagate


def _local_only() -> weasyprint.URLFetcher:
    """No network access while printing: only files (fonts, images) and data: URLs are read."""
    return weasyprint.URLFetcher(allowed_protocols=("file", "data"))


def layout(html: str, css: list[str], base: Path) -> weasyprint.document.Document:
    fetcher = _local_only()
    return weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).render(
        stylesheets=[weasyprint.CSS(string=c, base_url=str(base), url_fetcher=fetcher) for c in css])


def layout_relaxing(html: str, css: list[str], relaxed: list[str], notes: list[str],
                    name: str) -> weasyprint.document.Document:
    """`layout`, and if WeasyPrint's own code stops on it, once more with the relaxed rules of
    workarounds.RELAXED, which then stay in `relaxed` for the later layouts of the same output
    (its pages must agree); `notes` is told. A second stop is raised."""
    try:
        return layout(html, css + relaxed, BASE)
    except Exception as exc:
        if relaxed or not inside_weasyprint(exc):
            raise
        relaxed.append(RELAXED)
        notes.append(relaxed_note(name, exc))
        return layout(html, css + relaxed, BASE)


def identifier(html: str) -> bytes:
    """A PDF file identifier derived from the content, so equal input gives equal bytes."""
    return hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")


def write(document: weasyprint.document.Document, target: Path, html: str, variant: str | None = None) -> None:
    target.write_bytes(pdf_bytes(document, html, variant))


def pdf_bytes(document: weasyprint.document.Document, html: str, variant: str | None = None) -> bytes:
    options = {"pdf_identifier": identifier(html + (variant or ""))}
    if variant:
        options["pdf_variant"] = variant
    return document.write_pdf(**options)


def render_document(task: tuple[str, list[str], str]) -> tuple[bytes | None, list[str], int]:
    """A worker's job (a local process or a Dask worker): one document's HTML, CSS and file name
    (for messages) → its PDF, WeasyPrint's warnings and its number of pages; None, the failure
    and 0 if WeasyPrint stopped. It only renders: the main process writes every file."""
    html, css, name = task
    try:
        with weasyprint_messages() as messages:
            document = layout_relaxing(html, css, [], messages, name)
            data = pdf_bytes(document, html)
    except Exception as exc:
        if not inside_weasyprint(exc):
            raise
        return None, [failure(exc)], 0  # the main process names the document
    return data, messages, len(document.pages)
